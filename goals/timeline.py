"""The member's journey: the event stream, paged newest first, and the wellbeing and
hope chart over a chosen period."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from goals.models import (
    SCALE_MAX,
    SCALE_MIN,
    CheckIn,
    EventKind,
    JourneyEvent,
    WellnessTool,
)
from recovery.charts import Frame, Label, Scale, anchors, evenly, polyline, runs
from recovery.models import User

PERIODS = {
    "4w": (_("4 weeks"), 28),
    "3m": (_("3 months"), 91),
    "1y": (_("A year"), 365),
    "all": (_("All"), None),
}
DEFAULT_PERIOD = "3m"


# --- Event stream ---------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Where one page of the timeline ends: the next page starts just before it."""

    occurred_at: datetime
    pk: int

    def encode(self) -> str:
        return f"{int(self.occurred_at.timestamp() * 1_000_000)}.{self.pk}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        """Read a cursor from a URL; anything malformed means "from the newest"."""
        if not value:
            return None
        try:
            micros, pk = (int(part) for part in value.split(".", 1))
            moment = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None
        return cls(moment, pk)


@dataclass(frozen=True)
class Moment:
    """A moment of a member's journey as one reader may see it, drawn for both
    readers by templates/includes/journey.html. The member sees all of their own;
    their supporter only what the member shares (peers.access.shared_journey)."""

    event: JourneyEvent
    # The reader is the member whose moment it is: their own words of the day
    # (feelings, a setback, what helped, why a day was skipped), and their goals'
    # own pages, are shown to them alone.
    own: bool
    show_numbers: bool  # the check-in's wellbeing and hope
    show_note: bool  # the check-in's note


@dataclass(frozen=True)
class JourneyPage:
    events: list[JourneyEvent]
    earlier: Cursor | None  # None when this page reaches the very first moment

    @property
    def moments(self) -> list[Moment]:
        """The page as the member sees it: everything."""
        return [
            Moment(event, own=True, show_numbers=True, show_note=True)
            for event in self.events
        ]


def journey_page(*, member: User, before: Cursor | None, size: int) -> JourneyPage:
    """One page of the member's own timeline, newest first.

    Keyset paging on (occurred_at, id) keeps every page one indexed query, however
    many years of check-ins came before it.
    """
    events = (
        JourneyEvent.objects.for_user(member)
        .select_related("goal", "step", "checkin")
        .prefetch_related(
            # A tool removed from the list stays on the days it helped.
            Prefetch(
                "checkin__tools_used", queryset=WellnessTool.all_objects.only("name")
            )
        )
    )
    return JourneyPage(*keyset_page(events, before=before, size=size))


def keyset_page(
    events: QuerySet[JourneyEvent], *, before: Cursor | None, size: int
) -> tuple[list[JourneyEvent], Cursor | None]:
    """The `size` newest events before `before`, and the cursor for the page after
    them (None when none are left). `events` is ordered newest first."""
    if before is not None:
        events = events.filter(
            Q(occurred_at__lt=before.occurred_at)
            | Q(occurred_at=before.occurred_at, pk__lt=before.pk)
        )
    rows = list(events[: size + 1])
    earlier = None
    if len(rows) > size:
        rows = rows[:size]
        earlier = Cursor(rows[-1].occurred_at, rows[-1].pk)
    return rows, earlier


# --- Wellbeing and hope chart ---------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: date
    wellbeing: float
    hope: float


@dataclass(frozen=True)
class Marker:
    """Goals achieved and steps done in one bucket (a day, week or month)."""

    day: date
    goals_achieved: int
    steps_done: int


@dataclass(frozen=True)
class Series:
    period: str
    grain: str  # "day", "week" or "month": what each point stands for
    points: list[Point]
    # The time axis: the first and last bucket of the period (for "all", from the
    # first point). None when there is nothing to draw.
    start: date | None = None
    end: date | None = None
    markers: list[Marker] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the chart would: part of the key its drawing is cached
        under on the timeline page (with the member), so a cached chart is never
        stale. The axis moves with the day, and the marks with each goal achieved
        or step done."""
        shape = repr(
            (self.period, self.grain, self.start, self.end, self.points, self.markers)
        ).encode()
        return hashlib.sha256(shape).hexdigest()

    @property
    def rows(self) -> list[tuple[date, Point | None, Marker | None]]:
        """The chart as a table, oldest first: each bucket with a point or a mark,
        its point and its mark (either may be None)."""
        points = {p.day: p for p in self.points}
        marks = {m.day: m for m in self.markers}
        return [
            (day, points.get(day), marks.get(day)) for day in sorted(points | marks)
        ]


def _bucket(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def wellbeing_series(*, member: User, period: str) -> Series:
    """Wellbeing and hope over `period`, averaged per day, week or month so the chart
    stays readable (and the query small) for a year or more of daily check-ins, with
    the goals achieved and steps done in each. Two queries."""
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    days = PERIODS[period][1]
    today = member.local_date()
    first_day = today - timedelta(days=days - 1) if days is not None else None
    checkins = CheckIn.objects.for_user(member).filter(skipped=False)
    if first_day is not None:
        checkins = checkins.filter(day__gte=first_day)
    if days is not None and days <= 91:
        grain = "day"
        rows = checkins.order_by("day").values_list("day", "wellbeing", "hope")
        points = [Point(d, w, h) for d, w, h in rows]
    else:
        grain = "week" if days is not None else "month"
        trunc = TruncWeek("day") if grain == "week" else TruncMonth("day")
        rows = (
            checkins.annotate(bucket=trunc)
            .values("bucket")
            .annotate(wellbeing=Avg("wellbeing"), hope=Avg("hope"))
            .order_by("bucket")
            .values_list("bucket", "wellbeing", "hope")
        )
        points = [Point(_as_date(b), w, h) for b, w, h in rows]
    markers = _markers(member, grain=grain, first_day=first_day)
    if not points:
        return Series(period, grain, points, markers=markers)
    start = _bucket(first_day, grain) if first_day else points[0].day
    if markers and first_day is None:
        start = min(start, markers[0].day)
    return Series(
        period, grain, points, start=start, end=_bucket(today, grain), markers=markers
    )


def _markers(member: User, *, grain: str, first_day: date | None) -> list[Marker]:
    """Goals achieved and steps done per bucket, from the member's journey, on
    the days they happened in the member's own time zone. One query."""
    moments = JourneyEvent.objects.for_user(member).filter(
        kind__in=[EventKind.GOAL_ACHIEVED, EventKind.STEP_DONE]
    )
    local_day = TruncDate("occurred_at", tzinfo=member.zone)
    if first_day is not None:
        moments = moments.annotate(local_day=local_day).filter(local_day__gte=first_day)
    trunc = {"day": local_day, "week": TruncWeek(local_day), "month": None}[grain]
    if trunc is None:
        trunc = TruncMonth(local_day)
    rows = (
        moments.annotate(bucket=trunc)
        .order_by()
        .values("bucket")
        .annotate(
            goals=Count("pk", filter=Q(kind=EventKind.GOAL_ACHIEVED)),
            steps=Count("pk", filter=Q(kind=EventKind.STEP_DONE)),
        )
        .order_by("bucket")
        .values_list("bucket", "goals", "steps")
    )
    return [Marker(_as_date(b), goals, steps) for b, goals, steps in rows]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# The chart is drawn in two layers, so that its words never shrink with it on a
# phone (recovery.charts says more): the lines in an inner SVG whose units stretch
# over the plot (preserveAspectRatio="none", strokes that do not scale), and the
# words, dots and marks in the outer SVG, placed in percentages of its box and sized
# by the style sheet (.chart-text: 0.8rem, 13.6 px at the app's 17 px, whatever the
# chart's width).
# The lines' layer, 1000 x 100 units: the first bucket 80 in from the left (the 0, 5
# and 10 are written there), the last 40 in from the right.
UNITS = Frame(1000, 100, left=80, right=40)
# The words' layer, in percent of the chart's box: the plot from 14 % of its height
# to 78 %, the marks above it and the dates below.
BOX = Frame(100.0, 100.0, top=14.0, bottom=22.0)
MARK_Y, AXIS_Y = 7.0, 93.0
AXIS_LABELS = 4


@dataclass(frozen=True)
class Dot:
    x: float  # percent of the chart's width
    wellbeing_y: float  # percent of its height
    hope_y: float


@dataclass(frozen=True)
class Segment:
    """A run of buckets with a check-in each: one line. A bucket without one
    breaks the line, so no line is drawn across days nobody checked in."""

    wellbeing_points: str  # "x,y x,y" in the plot's units
    hope_points: str
    size: int


@dataclass(frozen=True)
class Mark:
    x: float  # percent
    x_units: float  # the plot's units, for its line
    goals_achieved: int
    steps_done: int


@dataclass(frozen=True)
class ChartGeometry:
    segments: list[Segment]
    dots: list[Dot]
    gridlines: list[tuple[int, float, float]]  # (value, y in plot units, y percent)
    axis: list[Label]  # x in percent; the first and last anchored to stay inside
    marks: list[Mark]
    box: Frame = BOX
    units: Frame = UNITS
    mark_y: float = MARK_Y
    axis_y: float = AXIS_Y


def _steps_between(start: date, day: date, grain: str) -> int:
    """How many buckets `day` is after `start`."""
    if grain == "month":
        return (day.year - start.year) * 12 + day.month - start.month
    if grain == "week":
        return (day - start).days // 7
    return (day - start).days


def _bucket_after(start: date, steps: int, grain: str) -> date:
    if grain == "month":
        months = start.month - 1 + steps
        return date(start.year + months // 12, months % 12 + 1, 1)
    return start + timedelta(days=steps * (7 if grain == "week" else 1))


def chart_geometry(series: Series) -> ChartGeometry:
    """Where everything of the chart of `series` goes: the lines, broken where
    no check-in was made; a dot per point; the 0, 5 and 10 gridlines; dates along
    the time axis; and a mark on each day (week, month) with goals achieved or
    steps done. x follows the calendar, not the number of points."""
    start = series.start or (series.points[0].day if series.points else None)
    end = series.end or (series.points[-1].day if series.points else None)
    grain = series.grain
    span = _steps_between(start, end, grain) if start and end else 0
    across = UNITS.across(0, span)
    y = UNITS.upward(SCALE_MIN, SCALE_MAX)
    # The plot's units as percent of the box, across and down.
    y_percent = Scale(0, UNITS.height, BOX.top, BOX.baseline, digits=2)
    per_percent = UNITS.width / BOX.width

    def x(day: date) -> float:
        return across(_steps_between(start, day, grain))

    lines = runs(
        series.points,
        joined=lambda before, point: _steps_between(before.day, point.day, grain) == 1,
    )
    segments = [
        Segment(
            polyline((x(p.day), y(p.wellbeing)) for p in run),
            polyline((x(p.day), y(p.hope)) for p in run),
            len(run),
        )
        for run in lines
    ]
    dots = [
        Dot(x(p.day) / per_percent, y_percent(y(p.wellbeing)), y_percent(y(p.hope)))
        for p in series.points
    ]
    gridlines = [(v, y(v), y_percent(y(v))) for v in (0, 5, 10)]
    marks = [
        Mark(x(m.day) / per_percent, x(m.day), m.goals_achieved, m.steps_done)
        for m in series.markers
        if start and start <= m.day <= end
    ]
    axis = []
    if start and end:
        steps = evenly(span, AXIS_LABELS)
        for step, anchor in zip(steps, anchors(len(steps)), strict=True):
            day = _bucket_after(start, step, grain)
            axis.append(
                Label(_axis_text(day, grain), x(day) / per_percent, anchor=anchor)
            )
    return ChartGeometry(segments, dots, gridlines, axis, marks)


def _axis_text(day: date, grain: str) -> str:
    if grain == "month":
        return formats.date_format(day, "M Y")
    return formats.date_format(day, "j M")
