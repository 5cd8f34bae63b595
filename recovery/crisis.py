"""The programme's crisis lines: read for every page that shows them, changed by
coordinators.

Lines are read through the shared cache under a key that carries a version, and
the version changes (after the change commits) whenever a line is saved or
removed, so a page shows them without a query once they are cached and never
shows lines that were changed. With neither the cache nor the database answering
(the 503 page, a database restart), the default lines in settings.CRISIS_LINES
are shown: people in crisis always see somewhere to turn.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from recovery.models import CrisisLine, CrisisLineKind, User

VERSION_KEY = "crisis-lines:version"
# Long: the version key is what makes a cached copy right, not its age.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Line:
    """A crisis line as pages show it (and as the cache keeps it)."""

    name: str
    contact: str
    kind: str = CrisisLineKind.BOTH
    hours: str = ""

    @property
    def calls(self) -> bool:
        return self.kind in (CrisisLineKind.CALL, CrisisLineKind.BOTH)

    @property
    def texts(self) -> bool:
        return self.kind in (CrisisLineKind.TEXT, CrisisLineKind.BOTH)

    @property
    def dial(self) -> str:
        """The number for a tel: or sms: link: digits and a leading + only."""
        return re.sub(r"(?!^\+)\D", "", self.contact)

    @property
    def how(self) -> str:
        """How to reach it, in a sentence: "Call or text 988, any time, day or
        night." """
        verb = {
            CrisisLineKind.CALL: _("Call %(contact)s"),
            CrisisLineKind.TEXT: _("Text %(contact)s"),
        }.get(self.kind, _("Call or text %(contact)s")) % {"contact": self.contact}
        return f"{verb}, {self.hours}." if self.hours else f"{verb}."


@dataclass(frozen=True)
class ProgrammeLines:
    lines: tuple[Line, ...]
    # A coordinator saved a line of the programme's own (else the 988 default).
    configured: bool


def default_lines() -> ProgrammeLines:
    """The lines in settings, for when nothing else answers."""
    lines = tuple(
        Line(
            name=str(line["name"]),
            contact=line["contact"],
            kind=line.get("kind", CrisisLineKind.BOTH),
            hours=str(line.get("hours", "")),
        )
        for line in settings.CRISIS_LINES
    )
    return ProgrammeLines(lines, configured=False)


def _from_database() -> ProgrammeLines:
    rows = list(CrisisLine.objects.all())
    if not rows:  # never none: the last line cannot be removed, but be sure
        return default_lines()
    lines = tuple(Line(r.name, r.contact, r.kind, r.hours) for r in rows)
    return ProgrammeLines(lines, configured=any(not r.is_default for r in rows))


def _cache_key(version: str) -> str:
    return f"crisis-lines:{version}"


def programme_lines() -> ProgrammeLines:
    """The programme's crisis lines: from the cache (no query), else from the
    database (one), else the defaults in settings."""
    version = cache.get(VERSION_KEY)
    if version is not None:
        cached = cache.get(_cache_key(version))
        if cached is not None:
            return cached
    else:
        version = secrets.token_hex(8)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    try:
        found = _from_database()
    except DatabaseError:
        return default_lines()
    cache.set(_cache_key(version), found, CACHE_SECONDS)
    return found


def lines_without_database() -> ProgrammeLines:
    """For pages shown while the database is away: the lines cached while it
    answered, else the defaults. Never a query."""
    version = cache.get(VERSION_KEY)
    cached = cache.get(_cache_key(version)) if version is not None else None
    return cached or default_lines()


def _lines_changed() -> None:
    # A new version: every cached copy is passed over from the next read on.
    cache.set(VERSION_KEY, secrets.token_hex(8), None)


@receiver(post_save, sender=CrisisLine, dispatch_uid="recovery.crisis.saved")
@receiver(post_delete, sender=CrisisLine, dispatch_uid="recovery.crisis.deleted")
def _after_a_line_changes(**kwargs) -> None:
    """Whatever changes a line (the coordinator's page, the admin, a migration
    run in a shell) makes the cached copy stale once the change commits."""
    transaction.on_commit(_lines_changed)


# --- Changes, by coordinators -----------------------------------------------------


class LastLine(Exception):
    """The programme would be left with no crisis line."""


@transaction.atomic
def crisis_line_save(*, line: CrisisLine, by: User) -> CrisisLine:
    """Save a new or changed line as the programme's own; a new one goes last."""
    if line.pk is None:
        last = CrisisLine.objects.aggregate(last=Max("position"))["last"]
        line.position = 0 if last is None else last + 1
    line.is_default = False
    line.updated_by = by
    line.save()
    return line


@transaction.atomic
def crisis_line_remove(*, line: CrisisLine) -> None:
    """Remove a line, unless it is the last: people in crisis always need
    somewhere to turn. Every line is locked, so two coordinators removing the
    last two at once leave one."""
    lines = list(CrisisLine.objects.select_for_update().order_by("pk"))
    if line.pk not in {other.pk for other in lines}:
        return  # removed meanwhile
    if len(lines) <= 1:
        raise LastLine
    CrisisLine.objects.filter(pk=line.pk).delete()


@transaction.atomic
def crisis_line_move(*, line: CrisisLine, up: bool) -> bool:
    """Move a line one place up or down the list; False at the top or bottom.
    Positions are renumbered 0, 1, 2... as they go."""
    lines = list(CrisisLine.objects.select_for_update())
    at = next((n for n, other in enumerate(lines) if other.pk == line.pk), None)
    to = None if at is None else at - 1 if up else at + 1
    if to is None or not 0 <= to < len(lines):
        return False
    lines[at], lines[to] = lines[to], lines[at]
    for position, other in enumerate(lines):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position", "updated_at"])
    return True
