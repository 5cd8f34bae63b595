"""What the member's rows share: querysets scoped to their owner (`for_user`),
and removal with a way back (`removed_at`, Undo, the worker forgetting)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one member through a `member` field."""

    def for_user(self, user) -> OwnedQuerySet:
        return self.filter(member=user)


# A way back from removing a step, a strength or a wellness tool. Removing one
# stamps `removed_at` and leaves the row where it was: for UNDO_OFFERED the page
# shows "Removed “…”. Undo" in its place, and Undo works until the worker forgets
# the row, REMOVED_KEPT_FOR after (so a page left open a while keeps its Undo). A
# wellness tool ticked on a check-in is never forgotten: the check-ins keep it.
UNDO_OFFERED = timedelta(minutes=1)
REMOVED_KEPT_FOR = timedelta(minutes=10)


class RemovableQuerySet(OwnedQuerySet):
    def shown_at(self, now: datetime) -> RemovableQuerySet:
        """The rows a list shows at `now`: those kept, and those removed so
        lately that their place offers Undo."""
        return self.filter(
            Q(removed_at__isnull=True) | Q(removed_at__gte=now - UNDO_OFFERED)
        )


class KeptManager(models.Manager):
    """Only what the member keeps: every read of their plan (their pages, their
    supporter's, the figures) leaves out what they removed, from the moment they
    removed it. `all_objects` sees removed rows too, for Undo and the worker."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(removed_at__isnull=True)


def removed_index(name: str) -> models.Index:
    """The worker looks for rows removed long enough ago every minute."""
    return models.Index(
        fields=["removed_at"], condition=Q(removed_at__isnull=False), name=name
    )
