"""Reads of a member's own recovery measures, shaped for their pages: what they
chose and what is due, each questionnaire's results over time, and the chart of
its totals. Each takes the member and reads only their rows, in a fixed number of
queries however many results they have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from goals.measure_due import due_on, last_finished_day
from goals.measures import QUESTIONNAIRES, Questionnaire
from goals.models import MeasureChoice, MeasureResult
from recovery.charts import Frame, every_nth_from_last, polyline
from recovery.models import User

# The chart draws the latest this many totals; the table beside it has them all.
CHART_POINTS = 12


def get_questionnaire_or_404(key: str) -> Questionnaire:
    try:
        return QUESTIONNAIRES[key]
    except KeyError:
        raise Http404 from None


def draft_of(member: User, questionnaire: Questionnaire) -> MeasureResult | None:
    """The member's answers in progress to a questionnaire, or None."""
    mine = MeasureResult.objects.for_user(member).drafts()
    return mine.filter(measure=questionnaire.key).first()


@dataclass
class Standing:
    """One questionnaire as the member stands with it."""

    questionnaire: Questionnaire
    choice: MeasureChoice | None
    draft: MeasureResult | None
    latest: MeasureResult | None
    due: date | None  # the day it is next due, when chosen
    today: date  # the member's own

    @property
    def is_due(self) -> bool:
        return self.due is not None and self.due <= self.today


def standings(member: User) -> list[Standing]:
    """Every questionnaire, with the member's choice, draft and latest result:
    three queries."""
    choices = {
        c.measure: c for c in last_finished_day(MeasureChoice.objects.for_user(member))
    }
    drafts = {d.measure: d for d in MeasureResult.objects.for_user(member).drafts()}
    latest: dict[str, MeasureResult] = {}
    # A few results a year: all of them is less work than a query per measure.
    for result in MeasureResult.objects.for_user(member).completed().order_by("-day"):
        latest.setdefault(result.measure, result)
    today = member.local_date()
    rows = []
    for key, q in QUESTIONNAIRES.items():
        choice = choices.get(key)
        due = (
            due_on(choice, last_finished=choice.last_finished, zone=member.zone)
            if choice
            else None
        )
        rows.append(Standing(q, choice, drafts.get(key), latest.get(key), due, today))
    return rows


@dataclass(frozen=True)
class Answer:
    number: int
    statement: str
    value: int | None
    words: str  # the scale's label of the answer, or "" when skipped


@dataclass(frozen=True)
class History:
    questionnaire: Questionnaire
    results: list[MeasureResult]  # finished, newest first
    draft: MeasureResult | None
    choice: MeasureChoice | None

    @property
    def totals(self) -> list[MeasureResult]:
        """The finished results that have a total, oldest first: the chart's."""
        scored = [r for r in self.results if r.total is not None]
        return list(reversed(scored))[-CHART_POINTS:]


def answers_of(result: MeasureResult) -> list[Answer]:
    q = result.questionnaire
    return [
        Answer(n, statement, value, q.option(value).label if value else "")
        for n, (statement, value) in enumerate(
            zip(q.items, result.answers, strict=True), start=1
        )
    ]


def history(member: User, questionnaire: Questionnaire) -> History:
    """The member's results of one questionnaire, newest first, their draft and
    their choice: three queries."""
    mine = MeasureResult.objects.for_user(member).filter(measure=questionnaire.key)
    results = list(mine.completed().order_by("-day"))
    for result in results:
        result.answer_rows = answers_of(result)
    return History(
        questionnaire=questionnaire,
        results=results,
        draft=mine.drafts().first(),
        choice=MeasureChoice.objects.for_user(member)
        .filter(measure=questionnaire.key)
        .first(),
    )


# --- The chart of totals ------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    total: int
    day: date
    label_day: bool  # whether its day is written under the axis


@dataclass(frozen=True)
class TotalsChart:
    frame: Frame
    points: str
    dots: list[Dot]
    gridlines: list[tuple[int, float]]  # (total, y)


# Sized for a phone: drawn 360 wide, it shows at about its own size at 390 px, so
# its 13 px words stay readable: the totals' numbers left of the plot, the days
# under it.
FRAME = Frame(360, 200, top=24, right=22, bottom=30, left=34)
# The first and last points stand this far in from the axis, so their totals
# never sit on the axis's numbers.
INSET = 18
DAYS_LABELLED = 4


def totals_chart(
    questionnaire: Questionnaire, results: list[MeasureResult]
) -> TotalsChart:
    """Coordinates for a line of `results`' totals (oldest first), evenly spaced,
    on the questionnaire's whole range."""
    low, high = questionnaire.total_min, questionnaire.total_max
    x = FRAME.across(0, len(results) - 1, inset=INSET)
    y = FRAME.upward(low, high)
    # Never more than DAYS_LABELLED days under the axis, always the latest.
    labelled = every_nth_from_last(len(results), DAYS_LABELLED)
    dots = [
        Dot(x(n), y(r.total), r.total, r.day, label_day=labelled[n])
        for n, r in enumerate(results)
    ]
    middle = (low + high) // 2
    return TotalsChart(
        frame=FRAME,
        points=polyline((d.x, d.y) for d in dots),
        dots=dots,
        gridlines=[(value, y(value)) for value in (low, middle, high)],
    )
