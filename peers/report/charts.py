"""The programme report's four bar charts, drawn from its figures on the geometry
every chart shares (recovery.charts): labels under the bars spaced by their width,
so they never overlap on a phone, and the week or month still running drawn as an
outline, "so far".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peers.report.queries import Figures, SupporterLoad
from recovery.charts import (
    Frame,
    Label,
    Scale,
    bands,
    fit_text,
    spaced,
    text_width,
)


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
