"""Programme figures for coordinators, their charts and their CSV.

Everything is counted by the database (aggregates, grouped by week or month), so the
number of queries stays the same however large the programme grows. Medians are read
in SQL too: the rows are ordered by the database and only the middle one or two are
fetched. Nothing here returns a note, a goal or a check-in: only counts, dates and
supporters' own loads.

Weeks start on Monday; weeks and months follow the active time zone (the
coordinator's own, set by `recovery.middleware.UserTimezoneMiddleware`).

Recovery questionnaires (`measure_figures`) are the one place members' answers
meet the report, so their figures follow stricter rules, set out there.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

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
from django.utils.translation import gettext as _

from goals.measures import QUESTIONNAIRES
from goals.models import CheckIn, EventKind, JourneyEvent, MeasureChoice, MeasureResult
from peers.models import (
    ChangeRequest,
    ContactNote,
    Match,
    SupporterProfile,
)
from peers.selectors import waiting_list
from recovery.charts import (
    Frame,
    Label,
    Scale,
    bands,
    fit_text,
    spaced,
    text_width,
)
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
class QuarterChange:
    """One completed quarter of one questionnaire: the median change of its
    contributors, or None (and no count) when fewer than MIN_CONTRIBUTORS."""

    start: date
    label: str
    contributors: int | None
    median_change: float | None

    @property
    def key(self) -> str:
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def change_words(self) -> str:
        """The median change with its sign, as "+4", "−1.5" or "0"."""
        if self.median_change is None:
            return ""
        if self.median_change == 0:
            return "0"
        return f"{self.median_change:+g}".replace("-", "\N{MINUS SIGN}")


@dataclass(frozen=True)
class MeasureFigures:
    key: str
    name: str
    members_choosing: int | None  # None: fewer than MIN_CONTRIBUTORS
    quarters: list[QuarterChange]


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


# --- Recovery questionnaires -------------------------------------------------------

# No figure about fewer members than this is shown, nor how many fewer.
MIN_CONTRIBUTORS = 5
QUARTERS = 4


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def completed_quarters(today: date, count: int = QUARTERS) -> list[date]:
    """The first days of the `count` quarters before today's, oldest first."""
    starts, start = [], quarter_start(today)
    for _step in range(count):
        start = quarter_start(start - timedelta(days=1))
        starts.append(start)
    return starts[::-1]


def _quarter_end(start: date) -> date:
    return quarter_start(start + timedelta(days=100)) - timedelta(days=1)


def _suppressed(count: int) -> int | None:
    return count if count >= MIN_CONTRIBUTORS else None


def measure_figures(today: date) -> list[MeasureFigures]:
    """For each questionnaire: how many members have chosen it, and for each of
    the last four completed quarters the median change from members' first total
    to their latest total in that quarter. Two queries.

    Only aggregates of at least MIN_CONTRIBUTORS members are shown; below that
    nothing is, not even the count. And no member's answer can be worked out by
    comparing figures (differencing):
    - Only totals are read, never the answers to single statements, and only
      medians of changes are shown: no sums or means, from which a changed
      contributor's value follows by subtraction.
    - A member contributes to a quarter when they finished the questionnaire in it
      and had finished it before, with their latest total in that quarter. So no
      two published sets are the same members with the same values less one:
      each quarter holds each member's value as of that quarter, and there is no
      figure for all quarters together that would overlap them.
    - Only completed quarters are shown, counted from results as they stood: a
      finished result is dated the day it was finished, so a past quarter's set
      never gains a member later, and the figure of a quarter (published over and
      over) does not move one member at a time as the current quarter would. The
      one exception is a member deleting their account, which takes their results
      with it.
    - Members who chose a questionnaire are counted as a count only, with the
      same floor; it says nothing of anyone's answers.
    Totals a skipped statement left empty are not read; deactivated members and
    staff are not counted.
    """
    members = {"member__is_active": True, "member__role": Role.MEMBER}
    choosing = dict(
        MeasureChoice.objects.filter(**members)
        .values("measure")
        .annotate(n=Count("member", distinct=True))
        .values_list("measure", "n")
    )
    quarters = completed_quarters(today)
    last_day = _quarter_end(quarters[-1])
    totals = (
        MeasureResult.objects.completed()
        .filter(**members, total__isnull=False, day__lte=last_day)
        .order_by("measure", "member", "day")
        .values_list("measure", "member", "day", "total")
    )
    first: dict[tuple[str, int], tuple[date, int]] = {}
    latest: dict[tuple[str, int, date], tuple[date, int]] = {}
    for key, member, day, total in totals.iterator(chunk_size=2000):
        first.setdefault((key, member), (day, total))
        if day >= quarters[0]:
            # Ordered by day: the last one seen in a quarter is its latest.
            latest[(key, member, quarter_start(day))] = (day, total)
    changes: dict[tuple[str, date], list[int]] = {}
    for (key, member, start), (day, total) in latest.items():
        first_day, first_total = first[(key, member)]
        if first_day < day:
            changes.setdefault((key, start), []).append(total - first_total)

    figures = []
    for key, q in QUESTIONNAIRES.items():
        rows = []
        for start in quarters:
            values = changes.get((key, start), [])
            shown = _suppressed(len(values))
            rows.append(
                QuarterChange(
                    start=start,
                    label=_quarter_label(start),
                    contributors=shown,
                    median_change=statistics.median(values) if shown else None,
                )
            )
        figures.append(
            MeasureFigures(key, q.name, _suppressed(choosing.get(key, 0)), rows)
        )
    return figures


def _quarter_label(start: date) -> str:
    end = _quarter_end(start)
    return f"{date_format(start, 'M')}–{date_format(end, 'M Y')}"


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


# --- Charts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    busy: bool = False
    # Counted only up to now (this week, this month): drawn as an outline.
    partial: bool = False


@dataclass(frozen=True)
class BarChart:
    """Geometry of a simple bar chart drawn as inline SVG (classes, no styles).
    `labels` go under the bars: line 0 a week, a month or a name, line 1 under it
    a year or "so far"."""

    frame: Frame
    bars: list[Bar]
    top: int
    labels: list[Label] = field(default_factory=list)
    # Whether each bar's value fits above it; else the table alone says them.
    values_fit: bool = True


# Drawn 600 wide, as a phone shows it at about two thirds of its size: the axis's
# words under the plot, each bar's value above it.
FRAME = Frame(600, 240, top=24, bottom=60, left=8)
# The axis labels' size in the chart's own units (static/css/app.css, .bar-chart
# .axis): a 600-unit chart on a 390-pixel phone draws 16 units as 10 pixels. Each
# line of labels stands AXIS_LINE under the one above it (the first, under the
# axis), and two labels are never closer than LABEL_GAP.
AXIS_FONT = 16
AXIS_LINE = 18
LABEL_GAP = 8


def label_width(text: str) -> float:
    return text_width(text, AXIS_FONT)


def _axis_label(text: str, x: float, line: int = 0) -> Label:
    return Label(text, x, line, width=label_width(text), dy=AXIS_LINE * (line + 1))


def bar_chart(
    values: list[tuple[str, int]],
    *,
    busy: list[bool] | None = None,
    partial: list[bool] | None = None,
    second_lines: list[str] | None = None,
    names: bool = False,
    top: int | None = None,
) -> BarChart:
    """Vertical bars, one per value, scaled to `top` (the largest value if not
    given), with labels under them that never overlap: `second_lines` adds a
    line under a label (a year, "so far"); `names` cuts each label to its bar's
    width rather than leaving some out, as a name is no use every third bar."""
    top = max([value for _label, value in values] + [top or 1])
    height = Scale(0, top, 0, FRAME.plot_height)
    slots = bands(len(values), start=FRAME.left, end=FRAME.plot_right)
    bars, wanted = [], []
    for n, ((label, value), slot) in enumerate(zip(values, slots, strict=True)):
        tall = height(value)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=slot.x,
                y=round(FRAME.baseline - tall, 1),
                width=slot.width,
                height=tall,
                label_x=slot.middle,
                busy=bool(busy and busy[n]),
                partial=bool(partial and partial[n]),
            )
        )
        text = fit_text(label, slot.slot - LABEL_GAP, AXIS_FONT) if names else label
        if text:
            wanted.append(_axis_label(text, slot.middle))
        if second_lines and second_lines[n]:
            wanted.append(_axis_label(second_lines[n], slot.middle, line=1))
    return BarChart(
        FRAME,
        bars,
        top,
        labels=spaced(wanted, left=0, right=FRAME.width, gap=LABEL_GAP),
        values_fit=all(
            label_width(str(value)) + LABEL_GAP <= slot.slot
            for (_label, value), slot in zip(values, slots, strict=True)
        ),
    )


def load_chart(loads: list[SupporterLoad]) -> BarChart:
    """Each supporter's load as a percentage of their capacity: a full caseload
    reaches the top line (100)."""
    values = [
        (load.name, round(100 * load.load / load.capacity) if load.capacity else 100)
        for load in loads
    ]
    return bar_chart(values, busy=[load.busy for load in loads], top=100, names=True)


def _so_far(periods) -> list[bool]:
    return [period.partial for period in periods]


def _month_lines(periods) -> tuple[list[tuple[str, int]], list[str]]:
    """Months as "Jun", with the year under the first and under each January,
    and "so far" under the current month."""
    values, second = [], []
    for n, period in enumerate(periods):
        values.append((date_format(period.start, "M"), period.value))
        if period.partial:
            second.append(str(_("so far")))
        elif n == 0 or period.start.month == 1:
            second.append(str(period.start.year))
        else:
            second.append("")
    return values, second


class Charts:
    """The report's four charts, each drawn when the page first asks for it: the
    page caches its rendered figures, so a cached page draws none."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures

    @cached_property
    def checkins(self) -> BarChart:
        weeks = self.figures.checkins_per_week
        return bar_chart(
            [(p.label, p.value) for p in weeks],
            partial=_so_far(weeks),
            second_lines=[str(_("so far")) if p.partial else "" for p in weeks],
        )

    @cached_property
    def goals(self) -> BarChart:
        months = self.figures.goals_achieved_per_month
        values, second = _month_lines(months)
        return bar_chart(values, partial=_so_far(months), second_lines=second)

    @cached_property
    def contacts(self) -> BarChart:
        months = self.figures.contacts_per_month
        values, second = _month_lines(months)
        return bar_chart(values, partial=_so_far(months), second_lines=second)

    @cached_property
    def loads(self) -> BarChart:
        return load_chart(self.figures.supporter_loads)


# --- CSV ------------------------------------------------------------------------

CSV_HEADER = ["figure", "period_or_supporter", "value", "capacity"]


def csv_rows(figures: Figures) -> list[list[object]]:
    """The figures as CSV rows: counts and medians only, the questionnaires' as
    the page shows them (measure_figures). No notes, and no names except each
    supporter's own load row."""
    rows: list[list[object]] = [
        ["members_with_supporter", "", figures.members_matched, ""],
        ["members_waiting", "", figures.members_waiting, ""],
        ["members_asked_for_change", "", figures.change_requests, ""],
        ["median_days_waiting_now", "", _blank(figures.median_wait_days), ""],
        ["matches_started_last_90_days", "", figures.recent_matches, ""],
        [
            "median_days_to_match_last_90_days",
            "",
            _blank(figures.median_days_to_match),
            "",
        ],
    ]
    rows += [
        ["checkins_per_week", p.start.isoformat(), p.value, ""]
        for p in figures.checkins_per_week
    ]
    rows += [
        ["goals_achieved_per_month", p.start.strftime("%Y-%m"), p.value, ""]
        for p in figures.goals_achieved_per_month
    ]
    for month in figures.contacts_per_month:
        key = month.start.strftime("%Y-%m")
        rows.append(["contacts_made_per_month", key, month.made, ""])
        rows.append(["contacts_attempted_per_month", key, month.attempted, ""])
    rows += [
        ["supporter_load", _cell(load.name), load.load, load.capacity]
        for load in figures.supporter_loads
    ]
    for measure in figures.measures:
        rows.append(
            [
                "questionnaire_members_choosing",
                measure.key,
                _fewer(measure.members_choosing),
                "",
            ]
        )
        for quarter in measure.quarters:
            cell = f"{measure.key} {quarter.key}"
            rows.append(
                ["questionnaire_contributors", cell, _fewer(quarter.contributors), ""]
            )
            rows.append(
                [
                    "questionnaire_median_change_first_to_latest",
                    cell,
                    _blank(quarter.median_change),
                    "",
                ]
            )
    return rows


def _fewer(count: int | None) -> object:
    return f"fewer than {MIN_CONTRIBUTORS}" if count is None else count


def _cell(text: str) -> str:
    """A name as a CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _blank(value: float | None) -> object:
    return "" if value is None else value
