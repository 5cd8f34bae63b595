"""Create forms that make one thing however often they are sent.

Each create form carries a fresh random key (`{% once_field %}` from the `once`
template library). The first submission with a key claims it, under a unique
constraint, in the same transaction as what it makes; a second one with the same
key (a double click, the back button, a second tab) waits for the first to commit,
finds the claim and gets the first one's result back instead of a copy.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from recovery.models import FormSubmission, User

FIELD = "once"
KEPT_FOR = timedelta(days=1)  # no form stays open that long unsent


def key_from(request: HttpRequest) -> uuid.UUID | None:
    """The form's one-time key, or None when it sent none (or nonsense)."""
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _made_earlier(claim: FormSubmission) -> models.Model | None:
    if not claim.made_model:
        return None
    model = apps.get_model(claim.made_model)
    return model._default_manager.filter(pk=claim.made_id).first()


def made_already(user: User, key: uuid.UUID | None) -> models.Model | None:
    """What an earlier submission of this form made, for a form whose checks would
    refuse the second one (a name already listed) before `submit_once` runs."""
    if key is None:
        return None
    claim = FormSubmission.objects.filter(user=user, key=key).first()
    return _made_earlier(claim) if claim else None


def submit_once[T: models.Model](
    user: User, key: uuid.UUID | None, make: Callable[[], T]
) -> tuple[T, bool]:
    """Run `make` (a service that writes and returns what it made) once per key.

    Returns what was made and whether this call made it. Without a key `make`
    simply runs. If what the first call made has since been removed, the form's
    wish is made again rather than lost.
    """
    if key is None:
        return make(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(user=user, key=key)
        except IntegrityError:
            # Another submission holds the key; its transaction has committed,
            # since the insert waited for it.
            found = FormSubmission.objects.select_for_update().filter(
                user=user, key=key
            )
            claim = found.first() or FormSubmission.objects.create(user=user, key=key)
            earlier = _made_earlier(claim)
            if earlier is not None:
                return earlier, False  # type: ignore[return-value]
        FormSubmission.objects.filter(
            user=user, created_at__lt=timezone.now() - KEPT_FOR
        ).delete()
        made = make()
        claim.made_model = made._meta.label_lower
        claim.made_id = made.pk
        claim.save(update_fields=["made_model", "made_id"])
        return made, True
