"""The geometry every chart of the planner shares, as plain data: where a value or
a day goes along an axis, where bars stand, where a line breaks, and which labels
an axis can carry without two of them touching. No models and no HTML: goals and
peers build their charts from these pieces and their templates draw the SVG.

Our charts are drawn in one of two ways:
- In their own units (a `viewBox`), the whole drawing scaling with the screen: the
  programme report's bars, the questionnaire totals, the caseload's sparkline. Their
  words shrink with them, so each is sized for a phone, and labels are spaced by
  their width in those units (`text_width`, `spaced`).
- In two layers (the member's journey): the lines in an inner SVG stretched over the
  plot, the words in the outer one placed in percentages and sized by the style
  sheet, so they keep their size whatever the width. Their width is not known
  here, so such an axis carries a few labels evenly spaced (`evenly`, `anchors`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

# Positions are rounded to a tenth of a unit: finer than any screen shows, and
# short in the HTML.
DIGITS = 1


@dataclass(frozen=True)
class Frame:
    """A chart's box in its own units, and the padding around its plot where the
    axes' words go: the plot runs from `left` to `width - right` across and from
    `top` down to the baseline."""

    width: float
    height: float
    top: float = 0
    right: float = 0
    bottom: float = 0
    left: float = 0

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    @property
    def baseline(self) -> float:
        """The bottom of the plot: where a bar stands and the lowest value lies."""
        return self.height - self.bottom

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def across(
        self, low: float, high: float, *, inset: float = 0, digits: int = DIGITS
    ) -> Scale:
        """Values from `low` to `high`, left to right over the plot, the first
        and last `inset` in from its edges (so that a point there is clear of the
        words beside the plot)."""
        return Scale(low, high, self.left + inset, self.plot_right - inset, digits)

    def upward(self, low: float, high: float, *, digits: int = DIGITS) -> Scale:
        """Values from `low` at the baseline to `high` at the top of the plot."""
        return Scale(low, high, self.baseline, self.top, digits)


@dataclass(frozen=True)
class Scale:
    """A straight map of values from `low` to `high` onto positions from `start`
    to `end` (an upward axis starts at the bottom: `start` below `end` on the
    screen, a larger number). With nothing between `low` and `high` (one point, one
    day) every value stands in the middle."""

    low: float
    high: float
    start: float
    end: float
    digits: int = DIGITS

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return round((self.start + self.end) / 2, self.digits)
        # In the order each chart computed its places before they shared this,
        # so that every chart draws what it drew then, to the last digit.
        if self.end < self.start:  # upward: measured down from the top
            at = (value - self.low) / (self.high - self.low)
            return round(self.end + (self.start - self.end) * (1 - at), self.digits)
        return round(
            self.start
            + (self.end - self.start) * (value - self.low) / (self.high - self.low),
            self.digits,
        )


# --- Lines ---------------------------------------------------------------------


def runs[T](items: Iterable[T], *, joined: Callable[[T, T], bool]) -> list[list[T]]:
    """`items` cut into runs wherever `joined(previous, item)` is false: each run is
    one line, so that no line is drawn across a gap (a day, week or month nobody
    checked in). A lone item is a run of one: a dot, with no line."""
    found: list[list[T]] = []
    for item in items:
        if found and joined(found[-1][-1], item):
            found[-1].append(item)
        else:
            found.append([item])
    return found


def polyline(points: Iterable[tuple[float, float]]) -> str:
    """The `points` attribute of an SVG polyline: "x,y x,y"."""
    return " ".join(f"{x},{y}" for x, y in points)


@dataclass(frozen=True)
class Line:
    """A line drawn in its own frame, as a sparkline is: its box and its points."""

    frame: Frame
    points: str


def sparkline(
    values: Sequence[float], *, frame: Frame, low: float, high: float
) -> Line:
    """`values`, oldest first, evenly spaced from the frame's left edge to its right,
    on the scale from `low` to `high`. One value is drawn as a level line, so that
    it shows; no value, as nothing."""
    if len(values) == 1:
        values = [values[0], values[0]]
    x = frame.across(0, len(values) - 1)
    y = frame.upward(low, high)
    return Line(frame, polyline((x(n), y(value)) for n, value in enumerate(values)))


# --- Bars ----------------------------------------------------------------------

# The share of a bar's slot left empty, half on each side: the gap between bars.
BAR_GAP = 0.3


@dataclass(frozen=True)
class Band:
    """One bar's slot across the plot: where its bar starts, how wide it is, and
    its middle (where its label and its value are centred)."""

    x: float
    width: float
    middle: float
    slot: float  # the whole slot, gap included: the room a label has under it


def bands(count: int, *, start: float, end: float) -> list[Band]:
    """`count` equal slots from `start` to `end`, each with its bar."""
    slot = (end - start) / max(count, 1)
    return [
        Band(
            x=round(start + n * slot + slot * (BAR_GAP / 2), DIGITS),
            width=round(slot * (1 - BAR_GAP), DIGITS),
            middle=round(start + n * slot + slot / 2, DIGITS),
            slot=slot,
        )
        for n in range(count)
    ]


# --- Labels ----------------------------------------------------------------------

# A generous width for one character of a label, as a share of its font size
# (digits and capitals are the widest, about 0.6 in the usual sans-serif faces).
CHAR_WIDTH = 0.62


def text_width(text: str, font: float) -> float:
    """How wide `text` is drawn at `font` (in the same units), or a little wider."""
    return round(len(text) * (CHAR_WIDTH * font), DIGITS)


def fit_text(text: str, room: float, font: float) -> str:
    """`text` cut to `room` with an ellipsis if cut (a name under a narrow bar), or
    nothing when not even two letters and the ellipsis fit."""
    most = int(room // (CHAR_WIDTH * font))
    if len(text) <= most:
        return text
    return text[: most - 1].rstrip() + "…" if most >= 3 else ""


@dataclass(frozen=True)
class Label:
    """A word along an axis: `x` is where its `anchor` ("start", "middle" or "end")
    stands. `line` 0 is the first line under the axis, 1 the second (a year under a
    month); `width` its width where it is known, `dy` how far below the axis."""

    text: str
    x: float
    line: int = 0
    anchor: str = "middle"
    width: float = 0
    dy: float = 0


def spaced(
    wanted: Iterable[Label], *, left: float, right: float, gap: float
) -> list[Label]:
    """The labels (centred ones, of known width) that fit between `left` and
    `right`, each line on its own, from the right: the latest (this week, this
    month) always keeps its label, each moved just enough to stay whole inside,
    and a label that would come within `gap` of the one kept to its right is left
    out. Labels of equal width so come every second or third, evenly."""
    wanted = list(wanted)
    kept: list[Label] = []
    for line in sorted({label.line for label in wanted}):
        on_right: Label | None = None
        for label in sorted(
            (label for label in wanted if label.line == line), key=lambda lb: -lb.x
        ):
            half = label.width / 2
            label = replace(
                label, x=round(min(max(label.x, left + half), right - half), DIGITS)
            )
            if on_right is None or (
                on_right.x - label.x >= (on_right.width + label.width) / 2 + gap
            ):
                kept.append(label)
                on_right = label
    return sorted(kept, key=lambda label: (label.line, label.x))


def evenly(span: int, most: int) -> list[int]:
    """At most `most` steps from 0 to `span`, evenly spread, both ends included:
    where an axis of `span` steps (days, weeks, months) carries its labels."""
    count = min(most, span + 1)
    return sorted({round(span * n / max(count - 1, 1)) for n in range(count)})


def anchors(count: int) -> list[str]:
    """How `count` labels spread across a whole axis are anchored: the first by its
    start and the last by its end, so both stay inside; a lone label by its middle."""
    if count < 2:
        return ["middle"] * count
    return ["start"] + ["middle"] * (count - 2) + ["end"]


def every_nth_from_last(count: int, most: int) -> list[bool]:
    """Which of `count` evenly spaced points carry a label: at most `most`, every
    n-th counted back from the last, so the latest always has its own."""
    every = max(1, -(-count // most))
    return [(count - 1 - n) % every == 0 for n in range(count)]
