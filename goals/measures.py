"""Recovery measures: the free-to-use questionnaires a member may choose to answer
every few months, kept as data (items, scale, scoring rules), with their scoring as
plain functions. Nothing here touches the database.

Only item text found in a published source is here, word for word, with where it
came from. The statements are not marked for translation: a questionnaire's
wording is part of what was validated, and a translation must be a published one.

BARC-10, the Brief Assessment of Recovery Capital (10 items)
    Vilsaint, C. L., Kelly, J. F., Bergman, B. G., Groshkova, T., Best, D., &
    White, W. (2017). Development and validation of a Brief Assessment of Recovery
    Capital (BARC-10) for alcohol and drug use disorder. Drug and Alcohol
    Dependence, 177, 71-76.

    - Scale, range and licence: the PhenX Toolkit protocol "Unidimensional
      Assessment of Recovery Capital" (https://www.phenxtoolkit.org/protocols/view/590502,
      the copy read was test.phenxtoolkit.org/protocols/view/590502): "Each question
      is rated on a 6-point scale, from 1 (Strongly Disagree) to 6 (Strongly
      Agree) ... Total scores can range from a minimum of 10 to a maximum of 60,
      with higher scores indicating greater recovery capital." and "This protocol
      is freely available; permission not required for use." Only the two ends of
      the scale are named there, so only they carry words here.
    - The ten statements: the stored copy of the PhenX page ends before its item
      list, so they are taken from Ophelia's published glossary entry "What is
      the BARC-10 (Brief Assessment of Recovery Capital)?"
      (https://ophelia.com/glossary/barc-10, a US treatment provider's page that
      lists the ten questions in order). Its companion article
      (https://ophelia.com/blog/barc-10) lists the same ten, differing only by a
      comma, as do several public open-source recovery apps.
    - Missing items: none of the sources read gives a rule (no prorating), so a
      result with a skipped statement has no total: it is kept, with its answers,
      and marked incomplete.
    - The sources also name a cut-off score; it is deliberately not here. Members
      see their own numbers over time, never a label for them.

QPR-15, the Questionnaire about the Process of Recovery (15 items; Law et al., 2014)
    Not built. Its scale and scoring are published (PhenX protocol 661101: 15
    items, each 0 = disagree strongly ... 4 = agree strongly, summed), but the
    stored copy of that page ends after its second statement, and no source read
    lists which 15 of the 22 original statements (Neil et al., 2009) form the
    short version. Adding it is a matter of data: a `Questionnaire` below with its
    fifteen statements, and a migration for the answers' columns and constraints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Option:
    """One point of a questionnaire's answer scale."""

    value: int
    words: str = ""  # the published words for this point, if it has any

    @property
    def label(self) -> str:
        return f"{self.value} – {self.words}" if self.words else str(self.value)


@dataclass(frozen=True)
class Questionnaire:
    key: str  # in URLs and the database: never changes
    name: str  # its published short name, e.g. "BARC-10"
    full_name: str
    about: str  # one sentence for the member, in the app's own words
    instructions: str  # shown above the statements
    items: tuple[str, ...]
    scale: tuple[Option, ...]
    citation: str
    source: str

    @property
    def lowest(self) -> int:
        return self.scale[0].value

    @property
    def highest(self) -> int:
        return self.scale[-1].value

    @property
    def total_min(self) -> int:
        return self.lowest * len(self.items)

    @property
    def total_max(self) -> int:
        return self.highest * len(self.items)

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.scale)

    def option(self, value: int) -> Option:
        for option in self.scale:
            if option.value == value:
                return option
        raise ValueError(f"{value} is not on the {self.name} scale")


BARC_10 = Questionnaire(
    key="barc-10",
    name="BARC-10",
    full_name="Brief Assessment of Recovery Capital",
    about=_(
        "Ten statements about the strengths and resources around your recovery: "
        "purpose, energy, people, home and community."
    ),
    instructions=_(
        "How much do you agree with each statement? 1 is strongly disagree, 6 is "
        "strongly agree."
    ),
    items=(
        "There are more important things to me in life than using substances.",
        "In general I am happy with my life.",
        "I have enough energy to complete the tasks I set myself.",
        "I am proud of the community I live in and feel part of it.",
        "I get lots of support from friends.",
        "I regard my life as challenging and fulfilling without the need for using "
        "drugs or alcohol.",
        "My living space has helped to drive my recovery journey.",
        "I take full responsibility for my actions.",
        "I am happy dealing with a range of professional people.",
        "I am making good progress on my recovery journey.",
    ),
    scale=(
        Option(1, "Strongly disagree"),
        Option(2),
        Option(3),
        Option(4),
        Option(5),
        Option(6, "Strongly agree"),
    ),
    citation=(
        "Vilsaint, Kelly, Bergman, Groshkova, Best and White (2017), Drug and "
        "Alcohol Dependence 177, 71-76"
    ),
    source="https://www.phenxtoolkit.org/protocols/view/590502",
)

QUESTIONNAIRES: dict[str, Questionnaire] = {q.key: q for q in (BARC_10,)}
# The most statements any questionnaire has: the answers' columns (goals.models).
MOST_ITEMS = max(len(q.items) for q in QUESTIONNAIRES.values())
EVERY_MONTHS = (1, 2, 3)


def questionnaire(key: str) -> Questionnaire:
    """The questionnaire called `key`; KeyError for any other."""
    return QUESTIONNAIRES[key]


@dataclass(frozen=True)
class Score:
    """What a set of answers adds up to: `total` is None when too many items were
    skipped for the questionnaire's rules to give one."""

    total: int | None
    answered: int
    skipped: int

    @property
    def complete(self) -> bool:
        return self.total is not None


def check_answers(q: Questionnaire, answers: Sequence[int | None]) -> None:
    """ValueError unless there is one answer (or None, skipped) per item, each on
    the scale."""
    if len(answers) != len(q.items):
        raise ValueError(f"{q.name} has {len(q.items)} items, not {len(answers)}")
    allowed = set(q.values)
    for value in answers:
        if value is not None and value not in allowed:
            raise ValueError(f"{value!r} is not on the {q.name} scale")


def score(q: Questionnaire, answers: Sequence[int | None]) -> Score:
    """The total of `answers` (one per item, None for a skipped one): the sum of
    the items. No source read gives a rule for missing items (see above), so with
    any item skipped there is no total: the result is incomplete."""
    check_answers(q, answers)
    given = [value for value in answers if value is not None]
    skipped = len(answers) - len(given)
    return Score(sum(given) if skipped == 0 else None, len(given), skipped)
