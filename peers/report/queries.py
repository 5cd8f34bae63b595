"""The programme's figures for coordinators, counted and cached.

Everything is counted by the database (aggregates, grouped by week or month), so the
number of queries stays the same however large the programme grows. Medians are read
in SQL too: the rows are ordered by the database and only the middle one or two are
fetched. Nothing here returns a note, a goal or a check-in: only counts, dates and
supporters' own loads.

Weeks start on Monday; weeks and months follow the active time zone (the
coordinator's own, set by `recovery.middleware.UserTimezoneMiddleware`).

Recovery questionnaires (peers/report/measures.py) are the one place members'
answers meet the report, so their figures follow stricter rules, set out there.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth, TruncWeek
from django.utils import timezone, translation
from django.utils.formats import date_format

from goals.models import CheckIn, EventKind, JourneyEvent
from peers.models import (
    ChangeRequest,
    ContactNote,
    Match,
    SupporterProfile,
)
from peers.report.measures import MeasureFigures, measure_figures
from peers.selectors import waiting_list
from recovery.models import Role, User

WEEKS = 12
MONTHS = 12
RECENT_MATCH_DAYS = 90

# --- Programme figures ----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    label: str
    value: int
    # The current week or month, counted only up to now ("this week so far").
    partial: bool = False


@dataclass(frozen=True)
class ContactMonth:
    start: date
    label: str
    made: int
    attempted: int
    partial: bool = False

    @property
    def value(self) -> int:
        return self.made + self.attempted


@dataclass(frozen=True)
class SupporterLoad:
    name: str
    load: int
    capacity: int

    @property
    def busy(self) -> bool:
        return self.capacity == 0 or self.load / self.capacity > settings.BUSY_LOAD


@dataclass(frozen=True)
class Figures:
    generated_at: datetime
    members_matched: int
    members_waiting: int
    change_requests: int
    median_wait_days: float | None
    recent_matches: int
    median_days_to_match: float | None
    checkins_per_week: list[Period]
    goals_achieved_per_month: list[Period]
    contacts_per_month: list[ContactMonth]
    supporter_loads: list[SupporterLoad]
    measures: list[MeasureFigures]


def _days(delta: timedelta) -> float:
    return round(delta.total_seconds() / 86400, 1)


def _middle(n: int) -> tuple[int, int]:
    """The slice holding the middle row (odd n) or the two middle rows (even n)."""
    if n == 0:
        return 0, 1
    return (n - 1) // 2, n // 2 + 1


def median_wait_days(now: datetime, waiting: int) -> float | None:
    """Median days the people on the waiting list have waited so far."""
    lo, hi = _middle(waiting)
    since = list(waiting_list().values_list("waiting_since", flat=True)[lo:hi])
    if not since:
        return None
    return _days(statistics.median(now - moment for moment in since))


def recent_matches(now: datetime) -> QuerySet[Match]:
    """Matches started in the last 90 days, each with `waited`: from the start of the
    member's wait (joining, their previous match ending, or the change request this
    match answered, whichever is earliest that applies) to the match."""
    previous_end = (
        Match.objects.filter(
            member=OuterRef("member"),
            ended_at__isnull=False,
            ended_at__lte=OuterRef("started_at"),
        )
        .order_by("-ended_at")
        .values("ended_at")[:1]
    )
    answered_request = (
        ChangeRequest.objects.filter(
            member=OuterRef("member"),
            created_at__lte=OuterRef("started_at"),
            resolved_at__gte=OuterRef("started_at"),
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    joined_or_ended = Greatest(
        "member__date_joined",
        Coalesce(Subquery(previous_end), "member__date_joined"),
        output_field=DateTimeField(),
    )
    # LEAST is NULL on SQLite when the member never asked; Coalesce evens that out.
    wait_start = Coalesce(
        Least(joined_or_ended, Subquery(answered_request)),
        joined_or_ended,
        output_field=DateTimeField(),
    )
    return Match.objects.filter(
        started_at__gte=now - timedelta(days=RECENT_MATCH_DAYS),
        started_at__lte=now,
    ).annotate(
        waited=ExpressionWrapper(
            F("started_at") - wait_start, output_field=DurationField()
        )
    )


def median_days_to_match(now: datetime) -> tuple[int, float | None]:
    matches = recent_matches(now)
    count = matches.count()
    lo, hi = _middle(count)
    waits = list(
        matches.order_by("waited", "pk").values_list("waited", flat=True)[lo:hi]
    )
    if not waits:
        return count, None
    return count, _days(max(statistics.median(waits), timedelta(0)))


def member_counts() -> dict[str, int]:
    """Members with a supporter, members waiting, and members with a supporter who
    asked for a change, in one query."""
    return (
        User.objects.filter(role=Role.MEMBER, is_active=True)
        .annotate(
            has_supporter=Exists(Match.objects.active().filter(member=OuterRef("pk"))),
            has_open_request=Exists(
                ChangeRequest.objects.filter(
                    member=OuterRef("pk"), resolved_at__isnull=True
                )
            ),
        )
        .aggregate(
            matched=Count("pk", filter=Q(has_supporter=True)),
            waiting=Count("pk", filter=Q(has_supporter=False)),
            asked=Count("pk", filter=Q(has_supporter=True, has_open_request=True)),
        )
    )


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    this_week = today - timedelta(days=today.weekday())
    return [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _step in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def checkins_per_week(today: date) -> list[Period]:
    """Check-ins (days scored, not days skipped) in each of the last 12 weeks."""
    starts = week_starts(today)
    counts = {
        _as_date(row["week"]): row["n"]
        for row in CheckIn.objects.filter(
            skipped=False, day__gte=starts[0], day__lt=starts[-1] + timedelta(weeks=1)
        )
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    }
    return [
        Period(
            start, date_format(start, "j M"), counts.get(start, 0), start == starts[-1]
        )
        for start in starts
    ]


def _month_start_moment(start: date) -> datetime:
    return timezone.make_aware(datetime(start.year, start.month, 1))


def goals_achieved_per_month(today: date) -> list[Period]:
    starts = month_starts(today)
    counts = {
        _as_date(row["month"]): row["n"]
        for row in JourneyEvent.objects.filter(
            kind=EventKind.GOAL_ACHIEVED,
            occurred_at__gte=_month_start_moment(starts[0]),
        )
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    return [
        Period(
            start, date_format(start, "M Y"), counts.get(start, 0), start == starts[-1]
        )
        for start in starts
    ]


def contacts_per_month(today: date) -> list[ContactMonth]:
    """Contacts logged in each of the last 12 months: made, and attempted."""
    starts = month_starts(today)
    counts = {
        _as_date(row["month"]): row
        for row in ContactNote.objects.filter(
            contact_date__gte=starts[0], contact_date__lte=today
        )
        .annotate(month=TruncMonth("contact_date"))
        .values("month")
        .annotate(
            made=Count("pk", filter=Q(reached=True)),
            attempted=Count("pk", filter=Q(reached=False)),
        )
        .order_by("month")
    }
    return [
        ContactMonth(
            start,
            date_format(start, "M Y"),
            counts.get(start, {}).get("made", 0),
            counts.get(start, {}).get("attempted", 0),
            start == starts[-1],
        )
        for start in starts
    ]


def supporter_loads() -> list[SupporterLoad]:
    """Each active supporter's own load: active matches of their capacity."""
    profiles = (
        SupporterProfile.objects.filter(user__is_active=True, user__role=Role.SUPPORTER)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return [
        SupporterLoad(str(profile.user), profile.active_matches, profile.capacity)
        for profile in profiles
    ]


def programme_figures(now: datetime | None = None) -> Figures:
    """The programme report, in a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = member_counts()
    recent, days_to_match = median_days_to_match(now)
    return Figures(
        generated_at=now,
        members_matched=counts["matched"],
        members_waiting=counts["waiting"],
        change_requests=counts["asked"],
        median_wait_days=median_wait_days(now, counts["waiting"] + counts["asked"]),
        recent_matches=recent,
        median_days_to_match=days_to_match,
        checkins_per_week=checkins_per_week(today),
        goals_achieved_per_month=goals_achieved_per_month(today),
        contacts_per_month=contacts_per_month(today),
        supporter_loads=supporter_loads(),
        measures=measure_figures(today),
    )


def programme_figures_cached() -> Figures:
    """The figures as counted at most REPORT_CACHE_SECONDS ago (per time zone and
    language: figures_cache_key). Counting scans every check-in and journey moment,
    and the page says when the figures were counted."""
    return cache.get_or_set(
        figures_cache_key(), programme_figures, settings.REPORT_CACHE_SECONDS
    )


def figures_cache_key() -> str:
    """Per time zone (weeks and months follow it) and language (the figures hold
    period labels in words)."""
    zone = timezone.get_current_timezone_name()
    return f"programme-figures:{zone}:{translation.get_language()}"
