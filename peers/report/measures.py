"""The recovery questionnaires in the programme report: how many members chose
each, and the median change of their totals by quarter, only where at least
MIN_CONTRIBUTORS members contribute (`measure_figures` says how no one member can
be singled out). The one place members' answers meet the report.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils.formats import date_format

from goals.measures import QUESTIONNAIRES
from goals.models import MeasureChoice, MeasureResult
from recovery.models import Role

# No figure about fewer members than this is shown, nor how many fewer.
MIN_CONTRIBUTORS = 5
QUARTERS = 4


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
