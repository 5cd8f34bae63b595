"""The rules of matching: what a member wishes for, what a supporter offers, and the
compatibility of the two as a transparent sum of named parts.

Each part is one `Criterion` in `CRITERIA`, written once: its weight, the words a
coordinator reads when it matches, the words when the member asked for it and this
supporter does not offer it, and whether the member can make it a must. From that
one definition come the explained score (`score`), the plain total (`points`), the
table of every pair's points for the batch solver (`points_table`), the hard
requirements (`unmet_requirements`) and the scale (`most_points`). A new criterion is
one more entry in `CRITERIA`.

Hard requirements (a "must" language or gender, a free place, accepting new members)
are never broken: a pair that breaks one has no score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peers.models import Availability, Gender, LifeStage, MeetingMode, Pathway

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Offer:
    """What a supporter offers, as matching sees it."""

    supporter_id: int
    languages: frozenset[str] = frozenset()
    gender: str = ""
    areas: frozenset[str] = frozenset()
    pathways: frozenset[str] = frozenset()
    life_stage: str = ""
    availability: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    region: str = ""
    capacity: int = 0
    active: int = 0
    accepting: bool = True

    @property
    def places_free(self) -> int:
        return max(self.capacity - self.active, 0)


@dataclass(frozen=True)
class Wishes:
    """What a member would like, as matching sees it."""

    member_id: int
    languages: frozenset[str] = frozenset()
    language_must: bool = False
    gender: str = ""
    gender_must: bool = False
    areas: frozenset[str] = frozenset()
    pathways: frozenset[str] = frozenset()
    life_stage: str = ""
    availability: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    region: str = ""


@dataclass(frozen=True)
class Part:
    """One named part of a score, with the words a coordinator reads."""

    name: str
    points: int
    words: str


@dataclass(frozen=True)
class Score:
    offer: Offer
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts)

    @property
    def summary(self) -> str:
        return "; ".join(part.words for part in self.parts if part.words)


def normalise_language(name: str) -> str:
    return " ".join(name.split()).casefold()


def _labels(values: Iterable[str], choices) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(v, v)) for v in sorted(values))


# --- The kinds of criterion -------------------------------------------------------


class Criterion(Protocol):
    """One named part of the score. Each kind says the same rule twice, for one pair
    (`points`) and for every pair at once (`table`, numpy, for the batch solver);
    a property test holds the two equal."""

    name: str
    weight: int

    @property
    def most(self) -> int:
        """The most points this part can give a pair."""
        ...

    def points(self, wishes: Wishes, offer: Offer) -> int: ...

    def words(self, wishes: Wishes, offer: Offer) -> str: ...

    def missed(self, wishes: Wishes, offer: Offer) -> str | None: ...

    def table(
        self, wishes: Sequence[Wishes], offers: Sequence[Offer]
    ) -> np.ndarray: ...


class Requirement(Protocol):
    """A criterion the member can make a must (`must` names the Wishes flag)."""

    must: str | None
    unmet: Promise | str

    def wanted(self, wishes: Wishes) -> bool: ...

    def matches(self, wishes: Wishes, offer: Offer) -> bool: ...

    def matches_table(
        self, wishes: Sequence[Wishes], offers: Sequence[Offer]
    ) -> np.ndarray: ...


@dataclass(frozen=True)
class Shared:
    """Values both have in common in a field that holds a set (languages, times of
    the week): `weight` points for each shared value, counting at most `at_most`
    (1: the same points for one shared value as for several)."""

    name: str
    field: str
    weight: int
    describe: Callable[[frozenset[str]], str]
    miss: Promise | str
    at_most: int = 1
    must: str | None = None
    unmet: Promise | str = ""

    @property
    def most(self) -> int:
        return self.weight * self.at_most

    def _shared(self, wishes: Wishes, offer: Offer) -> frozenset[str]:
        return getattr(wishes, self.field) & getattr(offer, self.field)

    def points(self, wishes: Wishes, offer: Offer) -> int:
        return self.weight * min(len(self._shared(wishes, offer)), self.at_most)

    def words(self, wishes: Wishes, offer: Offer) -> str:
        return self.describe(self._shared(wishes, offer))

    def wanted(self, wishes: Wishes) -> bool:
        return bool(getattr(wishes, self.field))

    def matches(self, wishes: Wishes, offer: Offer) -> bool:
        return bool(self._shared(wishes, offer))

    def missed(self, wishes: Wishes, offer: Offer) -> str | None:
        if self.wanted(wishes) and not self.matches(wishes, offer):
            return str(self.miss)
        return None

    def shared_counts(
        self, wishes: Sequence[Wishes], offers: Sequence[Offer]
    ) -> np.ndarray:
        """How many values each pair shares (members by supporters), with bit masks
        so that millions of pairs take a fraction of a second."""
        import numpy as np

        left = [getattr(w, self.field) for w in wishes]
        right = [getattr(o, self.field) for o in offers]
        values = dict.fromkeys(value for group in (*left, *right) for value in group)
        if len(values) > 64:
            # More values than bits in a machine word: count pair by pair.
            counts = [[len(a & b) for b in right] for a in left]
            return np.array(counts, dtype=np.int64).reshape(len(left), len(right))
        bit = {value: 1 << i for i, value in enumerate(values)}

        def masks(groups: list[frozenset[str]]) -> np.ndarray:
            return np.array([sum(bit[v] for v in g) for g in groups], dtype=np.uint64)

        shared = masks(left)[:, None] & masks(right)[None, :]
        return np.bitwise_count(shared).astype(np.int64)

    def table(self, wishes: Sequence[Wishes], offers: Sequence[Offer]) -> np.ndarray:
        import numpy as np

        counts = self.shared_counts(wishes, offers)
        return self.weight * np.minimum(counts, self.at_most)

    def matches_table(
        self, wishes: Sequence[Wishes], offers: Sequence[Offer]
    ) -> np.ndarray:
        return self.shared_counts(wishes, offers) > 0


@dataclass(frozen=True)
class Same:
    """The same value on both sides of a field that holds one value (gender, life
    stage, region), when the member gave one; `key` says what counts as the same."""

    name: str
    field: str
    weight: int
    describe: Callable[[str], str]
    miss: Promise | str
    key: Callable[[str], str] = str
    must: str | None = None
    unmet: Promise | str = ""

    @property
    def most(self) -> int:
        return self.weight

    def wanted(self, wishes: Wishes) -> bool:
        return bool(getattr(wishes, self.field))

    def matches(self, wishes: Wishes, offer: Offer) -> bool:
        wanted = getattr(wishes, self.field)
        return bool(wanted) and self.key(wanted) == self.key(getattr(offer, self.field))

    def points(self, wishes: Wishes, offer: Offer) -> int:
        return self.weight if self.matches(wishes, offer) else 0

    def words(self, wishes: Wishes, offer: Offer) -> str:
        return self.describe(getattr(offer, self.field))

    def missed(self, wishes: Wishes, offer: Offer) -> str | None:
        if self.wanted(wishes) and not self.matches(wishes, offer):
            return str(self.miss)
        return None

    def matches_table(
        self, wishes: Sequence[Wishes], offers: Sequence[Offer]
    ) -> np.ndarray:
        import numpy as np

        keys = [self.key(getattr(p, self.field)) for p in (*wishes, *offers)]
        number = {k: i for i, k in enumerate(dict.fromkeys(keys))}
        codes = np.array([number[k] for k in keys], dtype=np.int64)
        n = len(wishes)
        wanted = np.array([bool(k) for k in keys[:n]], dtype=bool)
        return wanted[:, None] & (codes[:n, None] == codes[None, n:])

    def table(self, wishes: Sequence[Wishes], offers: Sequence[Offer]) -> np.ndarray:
        return self.weight * self.matches_table(wishes, offers).astype("int64")


@dataclass(frozen=True)
class Room:
    """Room on the supporter's caseload: all `weight` points with every place free,
    scaled down as it fills. Always shown, so a coordinator sees the load."""

    name: str
    weight: int

    @property
    def most(self) -> int:
        return self.weight

    def points(self, wishes: Wishes, offer: Offer) -> int:
        if not offer.capacity:
            return 0
        return round(self.weight * offer.places_free / offer.capacity)

    def words(self, wishes: Wishes, offer: Offer) -> str:
        return ngettext(
            "%(free)d of %(capacity)d place free",
            "%(free)d of %(capacity)d places free",
            offer.capacity,
        ) % {"free": offer.places_free, "capacity": offer.capacity}

    def missed(self, wishes: Wishes, offer: Offer) -> str | None:
        return None

    def table(self, wishes: Sequence[Wishes], offers: Sequence[Offer]) -> np.ndarray:
        import numpy as np

        row = np.array([self.points(Wishes(0), o) for o in offers], dtype=np.int64)
        return np.broadcast_to(row, (len(wishes), len(offers)))


# --- The criteria, in the order a coordinator reads them ----------------------------

# Peer programmes report that a shared recovery pathway and life stage matter more
# than matching past experiences, so those weigh more.
CRITERIA: tuple[Criterion, ...] = (
    Shared(
        "language",
        "languages",
        weight=15,
        describe=lambda shared: (
            _("speaks %s") % ", ".join(sorted(lang.title() for lang in shared))
        ),
        miss=gettext_lazy("no shared language"),
        must="language_must",
        unmet=gettext_lazy("no shared language"),
    ),
    Same(
        "gender",
        "gender",
        weight=8,
        describe=lambda gender: (
            _("%s, as asked") % dict(Gender.choices).get(gender, gender)
        ),
        miss=gettext_lazy("not the gender the member would like"),
        must="gender_must",
        unmet=gettext_lazy("not the gender the member asked for"),
    ),
    Shared(
        "experience",
        "areas",
        weight=4,
        at_most=3,
        describe=lambda shared: _("shares: %s") % ", ".join(sorted(shared)),
        miss=gettext_lazy("no shared lived experience"),
    ),
    Shared(
        "pathway",
        "pathways",
        weight=12,
        describe=lambda shared: _("pathway: %s") % _labels(shared, Pathway.choices),
        miss=gettext_lazy("no shared recovery pathway"),
    ),
    Same(
        "life_stage",
        "life_stage",
        weight=10,
        describe=lambda stage: (
            _("life stage: %s") % dict(LifeStage.choices).get(stage, stage)
        ),
        miss=gettext_lazy("a different life stage"),
    ),
    Shared(
        "availability",
        "availability",
        weight=3,
        at_most=len(Availability.choices),
        describe=lambda shared: _labels(shared, Availability.choices).lower(),
        miss=gettext_lazy("no shared free time"),
    ),
    Shared(
        "meeting_mode",
        "modes",
        weight=3,
        at_most=len(MeetingMode.choices),
        describe=lambda shared: (
            _("meets by %s") % _labels(shared, MeetingMode.choices).lower()
        ),
        miss=gettext_lazy("no shared way of meeting"),
    ),
    Same(
        "region",
        "region",
        weight=6,
        key=str.casefold,
        describe=lambda region: _("same region (%s)") % region,
        miss=gettext_lazy("no shared region"),
    ),
    Room("room", weight=10),
)

# The weights by name, for reading (tests, documentation); set them in CRITERIA.
WEIGHTS = {criterion.name: criterion.weight for criterion in CRITERIA}

# The criteria a member can make a must (a language, a gender).
REQUIREMENTS: tuple[Requirement, ...] = tuple(
    cast(Requirement, c) for c in CRITERIA if getattr(c, "must", None)
)


# --- One pair ---------------------------------------------------------------------


def unmet_requirements(wishes: Wishes, offer: Offer) -> list[str]:
    """Why this pair cannot be matched, in words; an empty list means it can."""
    reasons = []
    if not offer.accepting:
        reasons.append(_("not accepting new members"))
    if offer.places_free <= 0:
        reasons.append(_("no place free"))
    for requirement in REQUIREMENTS:
        if (
            getattr(wishes, requirement.must or "")
            and requirement.wanted(wishes)
            and not requirement.matches(wishes, offer)
        ):
            reasons.append(str(requirement.unmet))
    return reasons


def points(wishes: Wishes, offer: Offer) -> int:
    """The pair's total, without the words (ranking needs it for every pair)."""
    return sum(criterion.points(wishes, offer) for criterion in CRITERIA)


def score(wishes: Wishes, offer: Offer) -> Score:
    """The compatibility of a pair as named parts, each in words. Only call it for
    a pair with no `unmet_requirements`."""
    parts = []
    for criterion in CRITERIA:
        earned = criterion.points(wishes, offer)
        if earned or isinstance(criterion, Room):
            parts.append(Part(criterion.name, earned, criterion.words(wishes, offer)))
    return Score(offer, tuple(parts))


def misses(wishes: Wishes, offer: Offer) -> list[str]:
    """What the member asked for that this supporter does not offer, in words:
    read beside what did match, so the score is never a mystery."""
    said = (criterion.missed(wishes, offer) for criterion in CRITERIA)
    return [words for words in said if words]


def most_points() -> int:
    """The highest total a pair can score: the scale the explained score is on."""
    return sum(criterion.most for criterion in CRITERIA)


def allowed(wishes: Wishes, offers: Iterable[Offer]) -> list[Offer]:
    """The supporters this member could be matched with."""
    return [offer for offer in offers if not unmet_requirements(wishes, offer)]


def rank(wishes: Wishes, offers: Iterable[Offer], limit: int | None = 5) -> list[Score]:
    """The supporters this member could be matched with, best first.

    Ties go to the supporter with more places free, then the earlier profile, so the
    order is stable. Pairs are ordered by `points` and only the `limit` shown are
    put into words.
    """
    candidates = allowed(wishes, offers)
    candidates.sort(key=lambda o: (-points(wishes, o), -o.places_free, o.supporter_id))
    shown = candidates if limit is None else candidates[:limit]
    return [score(wishes, offer) for offer in shown]


# --- Every pair at once -------------------------------------------------------------


def points_table(wishes: Sequence[Wishes], offers: Sequence[Offer]) -> np.ndarray:
    """`points(w, o)` for every pair at once, as a numpy array (members by
    supporters), with -1 where `unmet_requirements(w, o)` refuses the pair: each
    criterion's own `table`, summed."""
    import numpy as np

    shape = (len(wishes), len(offers))
    table = np.zeros(shape, dtype=np.int64)
    for criterion in CRITERIA:
        table += criterion.table(wishes, offers)

    open_offer = np.array(
        [o.accepting and o.places_free > 0 for o in offers], dtype=bool
    )
    refused = np.broadcast_to(~open_offer[None, :], shape).copy()
    for requirement in REQUIREMENTS:
        insists = np.array(
            [
                bool(getattr(w, requirement.must or "")) and requirement.wanted(w)
                for w in wishes
            ],
            dtype=bool,
        )
        refused |= insists[:, None] & ~requirement.matches_table(wishes, offers)
    table[refused] = -1
    return table
