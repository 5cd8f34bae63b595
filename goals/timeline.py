"""The member's journey: the event stream, paged newest first, and the wellbeing and
hope chart over a chosen period."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Avg, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from goals.models import SCALE_MAX, CheckIn, JourneyEvent, WellnessTool
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
class JourneyPage:
    events: list[JourneyEvent]
    earlier: Cursor | None  # None when this page reaches the very first moment


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
class Series:
    period: str
    grain: str  # "day", "week" or "month": what each point stands for
    points: list[Point]

    @property
    def fingerprint(self) -> str:
        """Changes whenever the chart would: part of the key its drawing is cached
        under on the timeline page (with the member), so a cached chart is never
        stale."""
        shape = repr((self.period, self.grain, self.points)).encode()
        return hashlib.sha256(shape).hexdigest()


def wellbeing_series(*, member: User, period: str) -> Series:
    """Wellbeing and hope over `period`, averaged per day, week or month so the chart
    stays readable (and the query small) for a year or more of daily check-ins."""
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    days = PERIODS[period][1]
    checkins = CheckIn.objects.for_user(member).filter(skipped=False)
    if days is not None:
        checkins = checkins.filter(day__gt=member.local_date() - timedelta(days=days))
    if days is not None and days <= 91:
        rows = checkins.order_by("day").values_list("day", "wellbeing", "hope")
        return Series(period, "day", [Point(d, w, h) for d, w, h in rows])

    grain = "week" if days is not None else "month"
    trunc = TruncWeek("day") if grain == "week" else TruncMonth("day")
    rows = (
        checkins.annotate(bucket=trunc)
        .values("bucket")
        .annotate(wellbeing=Avg("wellbeing"), hope=Avg("hope"))
        .order_by("bucket")
        .values_list("bucket", "wellbeing", "hope")
    )
    return Series(period, grain, [Point(_as_date(b), w, h) for b, w, h in rows])


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class ChartGeometry:
    width: int
    height: int
    wellbeing_points: str
    hope_points: str
    gridlines: list[tuple[int, float]]  # (scale value, y)
    dots: list[tuple[float, float, float]]  # (x, y wellbeing, y hope) per point


def chart_geometry(
    series: Series, *, width: int = 640, height: int = 220
) -> ChartGeometry:
    """Coordinates for a small line chart of `series` on a 0-10 scale."""
    pad_x, pad_top, pad_bottom = 28, 10, 10
    inner_w = width - pad_x - 10
    inner_h = height - pad_top - pad_bottom

    def y(value: float) -> float:
        return round(pad_top + inner_h * (1 - value / SCALE_MAX), 1)

    points = series.points
    count = len(points)

    def x(index: int) -> float:
        if count == 1:
            return pad_x + inner_w / 2
        return round(pad_x + inner_w * index / (count - 1), 1)

    dots = [(x(i), y(p.wellbeing), y(p.hope)) for i, p in enumerate(points)]
    wellbeing = " ".join(f"{px},{wy}" for px, wy, _ in dots)
    hope = " ".join(f"{px},{hy}" for px, _, hy in dots)
    gridlines = [(value, y(value)) for value in (0, 5, 10)]
    return ChartGeometry(width, height, wellbeing, hope, gridlines, dots)
