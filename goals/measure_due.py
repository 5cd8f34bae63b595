"""When a chosen recovery measure is due, and telling the member so.

The rules:
- A questionnaire is due `every_months` calendar months after the member last
  finished it, or after the day they chose it if they never have (a month after
  31 January is the last day of February). Days are the member's own, in their
  time zone.
- On a day it is due, the member is told under the bell once, from 10:00 their
  time (recovery.schedule: up to two hours late if the worker was away, else the
  next day). Told once per due day: a claim on `MeasureChoice.notified_for`, made
  in the same transaction as the notification, so two workers never both tell.
- By email only if they chose email for this kind (on the questionnaires page or
  under "What I hear about"); the email names no questionnaire and carries
  nothing they wrote: the notification email's kind line and a link.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from goals.models import MeasureChoice, MeasureResult
from goals.notifications import MEASURE_DUE
from recovery import schedule
from recovery.models import Role
from recovery.notifications import notify

TELL_AT = time(10, 0)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(choice: MeasureChoice, *, last_finished: date | None, zone) -> date:
    """The member's date `choice` is next due."""
    start = last_finished or timezone.localdate(choice.created_at, zone)
    return add_months(start, choice.every_months)


def last_finished_day(choices):
    """`choices` with `last_finished`: the day each was last finished, or None."""
    latest = (
        MeasureResult.objects.completed()
        .filter(member=OuterRef("member"), measure=OuterRef("measure"))
        .order_by("-day")
        .values("day")[:1]
    )
    return choices.annotate(last_finished=Subquery(latest))


def tell_due(now: datetime | None = None) -> int:
    """Tell each member whose questionnaire is due today (the worker's minute
    tick). Returns how many were told; one told already for this due day is not
    told again."""
    now = now or timezone.now()
    choices = last_finished_day(
        MeasureChoice.objects.filter(
            member__is_active=True, member__role=Role.MEMBER
        ).select_related("member")
    )
    told = 0
    for choice in choices:
        zone = choice.member.zone
        today = schedule.due_day(zone=zone, at=TELL_AT, now=now)
        if today is None:
            continue
        due = due_on(choice, last_finished=choice.last_finished, zone=zone)
        if today < due or (choice.notified_for and choice.notified_for >= due):
            continue
        with transaction.atomic():
            not_yet = Q(notified_for__isnull=True) | Q(notified_for__lt=due)
            claim = MeasureChoice.objects.filter(not_yet, pk=choice.pk)
            if claim.update(notified_for=due):
                # The list, not the questionnaire: its name stays out of the
                # link an email carries.
                url = reverse("goals:measures")
                notify(choice.member, MEASURE_DUE.key, actor=None, url=url)
                told += 1
    return told
