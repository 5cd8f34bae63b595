"""Compatibility of a member and a peer supporter, and batch matching.

The score is a transparent sum of named, weighted parts, each shown to the
coordinator in plain words. Hard requirements (a "must" language or gender, a free
place, accepting new members) are never broken: a pair that breaks one has no score.

Everything here works on plain data (`Wishes`, `Offer`), so the rules can be tested
on random programmes without a database; `offer_from_profile` and
`wishes_from_preferences` read the models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peers.models import (
    Availability,
    Gender,
    LifeStage,
    MatchPreferences,
    MeetingMode,
    Pathway,
    SupporterProfile,
)

# The weights, in one place. Peer programmes report that a shared recovery pathway and
# life stage matter more than matching past experiences, so those weigh more.
WEIGHTS = {
    "language": 15,  # speaks a language the member speaks (when not a must)
    "gender": 8,  # the gender the member would like (when not a must)
    "pathway": 12,  # shares a recovery pathway
    "life_stage": 10,  # same life stage
    "experience": 4,  # for each shared lived-experience area ...
    "experience_cap": 3,  # ... counting at most this many
    "availability": 3,  # for each overlapping time of the week
    "meeting_mode": 3,  # for each way of meeting both are happy with
    "region": 6,  # same region
    "room": 10,  # all places free; scaled down as the caseload fills
}


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


def blocks(wishes: Wishes, offer: Offer) -> list[str]:
    """Why this pair cannot be matched; an empty list means it can."""
    reasons = []
    if not offer.accepting:
        reasons.append(_("not accepting new members"))
    if offer.places_free <= 0:
        reasons.append(_("no place free"))
    if (
        wishes.language_must
        and wishes.languages
        and not (wishes.languages & offer.languages)
    ):
        reasons.append(_("no shared language"))
    if wishes.gender_must and wishes.gender and wishes.gender != offer.gender:
        reasons.append(_("not the gender the member asked for"))
    return reasons


def score(wishes: Wishes, offer: Offer) -> Score:
    """The compatibility of a pair as named parts. Only call it for a pair that
    `blocks` allows."""
    parts: list[Part] = []
    shared_languages = wishes.languages & offer.languages
    if shared_languages:
        names = ", ".join(sorted(lang.title() for lang in shared_languages))
        parts.append(Part("language", WEIGHTS["language"], _("speaks %s") % names))
    if wishes.gender and wishes.gender == offer.gender:
        label = dict(Gender.choices)[wishes.gender]
        parts.append(Part("gender", WEIGHTS["gender"], _("%s, as asked") % label))
    shared_areas = wishes.areas & offer.areas
    if shared_areas:
        counted = min(len(shared_areas), WEIGHTS["experience_cap"])
        parts.append(
            Part(
                "experience",
                WEIGHTS["experience"] * counted,
                _("shares: %s") % ", ".join(sorted(shared_areas)),
            )
        )
    shared_pathways = wishes.pathways & offer.pathways
    if shared_pathways:
        parts.append(
            Part(
                "pathway",
                WEIGHTS["pathway"],
                _("pathway: %s") % _labels(shared_pathways, Pathway.choices),
            )
        )
    if wishes.life_stage and wishes.life_stage == offer.life_stage:
        label = dict(LifeStage.choices)[wishes.life_stage]
        parts.append(
            Part("life_stage", WEIGHTS["life_stage"], _("life stage: %s") % label)
        )
    shared_times = wishes.availability & offer.availability
    if shared_times:
        parts.append(
            Part(
                "availability",
                WEIGHTS["availability"] * len(shared_times),
                _labels(shared_times, Availability.choices).lower(),
            )
        )
    shared_modes = wishes.modes & offer.modes
    if shared_modes:
        parts.append(
            Part(
                "meeting_mode",
                WEIGHTS["meeting_mode"] * len(shared_modes),
                _("meets by %s") % _labels(shared_modes, MeetingMode.choices).lower(),
            )
        )
    if wishes.region and wishes.region.casefold() == offer.region.casefold():
        parts.append(
            Part("region", WEIGHTS["region"], _("same region (%s)") % offer.region)
        )
    room = (
        round(WEIGHTS["room"] * offer.places_free / offer.capacity)
        if offer.capacity
        else 0
    )
    parts.append(
        Part(
            "room",
            room,
            ngettext(
                "%(free)d of %(capacity)d place free",
                "%(free)d of %(capacity)d places free",
                offer.capacity,
            )
            % {"free": offer.places_free, "capacity": offer.capacity},
        )
    )
    return Score(offer, tuple(parts))


def most_points() -> int:
    """The highest total a pair can score: the scale the explained score is on."""
    return (
        WEIGHTS["language"]
        + WEIGHTS["gender"]
        + WEIGHTS["experience"] * WEIGHTS["experience_cap"]
        + WEIGHTS["pathway"]
        + WEIGHTS["life_stage"]
        + WEIGHTS["availability"] * len(Availability.choices)
        + WEIGHTS["meeting_mode"] * len(MeetingMode.choices)
        + WEIGHTS["region"]
        + WEIGHTS["room"]
    )


def misses(wishes: Wishes, offer: Offer) -> list[str]:
    """What the member asked for that this supporter does not offer, in words:
    read beside what did match, so the score is never a mystery."""
    missing = []
    if wishes.languages and not wishes.languages & offer.languages:
        missing.append(_("no shared language"))
    if wishes.gender and wishes.gender != offer.gender:
        missing.append(_("not the gender the member would like"))
    if wishes.areas and not wishes.areas & offer.areas:
        missing.append(_("no shared lived experience"))
    if wishes.pathways and not wishes.pathways & offer.pathways:
        missing.append(_("no shared recovery pathway"))
    if wishes.life_stage and wishes.life_stage != offer.life_stage:
        missing.append(_("a different life stage"))
    if wishes.availability and not wishes.availability & offer.availability:
        missing.append(_("no shared free time"))
    if wishes.modes and not wishes.modes & offer.modes:
        missing.append(_("no shared way of meeting"))
    if wishes.region and wishes.region.casefold() != offer.region.casefold():
        missing.append(_("no shared region"))
    return missing


def points(wishes: Wishes, offer: Offer) -> int:
    """The same total as `score(...).total`, without the words: the batch solver
    needs it for every pair, so it stays plain arithmetic."""
    total = 0
    if wishes.languages & offer.languages:
        total += WEIGHTS["language"]
    if wishes.gender and wishes.gender == offer.gender:
        total += WEIGHTS["gender"]
    shared_areas = len(wishes.areas & offer.areas)
    total += WEIGHTS["experience"] * min(shared_areas, WEIGHTS["experience_cap"])
    if wishes.pathways & offer.pathways:
        total += WEIGHTS["pathway"]
    if wishes.life_stage and wishes.life_stage == offer.life_stage:
        total += WEIGHTS["life_stage"]
    total += WEIGHTS["availability"] * len(wishes.availability & offer.availability)
    total += WEIGHTS["meeting_mode"] * len(wishes.modes & offer.modes)
    if wishes.region and wishes.region.casefold() == offer.region.casefold():
        total += WEIGHTS["region"]
    if offer.capacity:
        total += round(WEIGHTS["room"] * offer.places_free / offer.capacity)
    return total


def allowed(wishes: Wishes, offers: Iterable[Offer]) -> list[Offer]:
    """The supporters this member could be matched with."""
    return [offer for offer in offers if not blocks(wishes, offer)]


def rank(wishes: Wishes, offers: Iterable[Offer], limit: int | None = 5) -> list[Score]:
    """The supporters this member could be matched with, best first.

    Ties go to the supporter with more places free, then the earlier profile, so the
    order is stable. Pairs are ordered by `points` (plain arithmetic) and only the
    `limit` shown are put into words.
    """
    candidates = allowed(wishes, offers)
    candidates.sort(key=lambda o: (-points(wishes, o), -o.places_free, o.supporter_id))
    shown = candidates if limit is None else candidates[:limit]
    return [score(wishes, offer) for offer in shown]


@dataclass(frozen=True)
class Pairing:
    member_id: int
    supporter_id: int
    score: int


def points_table(wishes: Sequence[Wishes], offers: Sequence[Offer]):
    """`points(w, o)` for every pair at once, as a numpy array (members by
    supporters), with -1 where `blocks(w, o)` refuses the pair.

    The same rules as `points` and `blocks`, written with bit masks so that millions
    of pairs take a fraction of a second; a property test holds the two equal.
    """
    import numpy as np

    def masks(field: str, people) -> np.ndarray:
        vocabulary: dict[str, int] = {}
        for person in people:
            for value in getattr(person, field):
                vocabulary.setdefault(value, len(vocabulary))
        if len(vocabulary) > 64:  # more than one machine word: fall back per item
            raise OverflowError(field)
        bits = [
            sum(1 << vocabulary[value] for value in getattr(person, field))
            for person in people
        ]
        return np.array(bits, dtype=np.uint64)

    def codes(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
        known = {v: i for i, v in enumerate(dict.fromkeys(values))}
        return np.array([known[v] for v in values]), np.array([bool(v) for v in values])

    both = [*wishes, *offers]
    n = len(wishes)

    def split(field: str) -> tuple[np.ndarray, np.ndarray]:
        values = masks(field, both)
        return values[:n, None], values[None, n:]

    w_lang, o_lang = split("languages")
    w_area, o_area = split("areas")
    w_path, o_path = split("pathways")
    w_time, o_time = split("availability")
    w_mode, o_mode = split("modes")
    gender, has_gender = codes([p.gender for p in both])
    stage, has_stage = codes([p.life_stage for p in both])
    region, has_region = codes([p.region.casefold() for p in both])

    def same(code, present):
        return present[:n, None] & (code[:n, None] == code[None, n:])

    shared_lang = (w_lang & o_lang) != 0
    table = (
        WEIGHTS["language"] * shared_lang
        + WEIGHTS["gender"] * same(gender, has_gender)
        + WEIGHTS["experience"]
        * np.minimum(np.bitwise_count(w_area & o_area), WEIGHTS["experience_cap"])
        + WEIGHTS["pathway"] * ((w_path & o_path) != 0)
        + WEIGHTS["life_stage"] * same(stage, has_stage)
        + WEIGHTS["availability"] * np.bitwise_count(w_time & o_time)
        + WEIGHTS["meeting_mode"] * np.bitwise_count(w_mode & o_mode)
        + WEIGHTS["region"] * same(region, has_region)
    ).astype(np.int64)
    free = np.array([o.places_free for o in offers], dtype=np.int64)
    room = [
        round(WEIGHTS["room"] * o.places_free / o.capacity) if o.capacity else 0
        for o in offers
    ]
    table += np.array(room, dtype=np.int64)[None, :]

    language_must = np.array([w.language_must and bool(w.languages) for w in wishes])
    gender_must = np.array([w.gender_must and bool(w.gender) for w in wishes])
    open_offer = np.array([o.accepting for o in offers]) & (free > 0)
    refused = (
        ~open_offer[None, :]
        | (language_must[:, None] & ~shared_lang)
        | (gender_must[:, None] & (gender[:n, None] != gender[None, n:]))
    )
    table[refused] = -1
    return table


def propose(wishes: Sequence[Wishes], offers: Sequence[Offer]) -> list[Pairing]:
    """The batch of pairings with the greatest total compatibility.

    A minimum-cost flow (OR-Tools' `SimpleMinCostFlow`) sends each member from the
    source either through one allowed supporter, up to that supporter's free
    places, or straight to the sink (still waiting). An allowed pair is worth
    `score * scale + 1`; `scale` exceeds the number of possible pairings, so the
    result has the greatest total score, and among equal totals, the most members
    matched.

    Members who would score every supporter alike (everyone who set no wishes, for
    one) are interchangeable, so each such kind is one node with as many units of
    flow as it has members: a third of the arcs, the same optimum.
    """
    # Imported here, their only use: numpy and OR-Tools add tens of megabytes to
    # every process that loads them, and web workers rarely run a batch proposal.
    import numpy as np
    from ortools.graph.python import min_cost_flow

    places = np.array([min(o.places_free, len(wishes)) for o in offers], np.int64)
    if not wishes or not places.sum():
        return []
    scale = min(len(wishes), int(places.sum())) + 1
    try:
        table = points_table(wishes, offers)
    except OverflowError:  # a vocabulary too large for bit masks: pair by pair
        table = np.array(
            [[-1 if blocks(w, o) else points(w, o) for o in offers] for w in wishes],
            dtype=np.int64,
        ).reshape(len(wishes), len(offers))

    # Rows as bytes in a dict: far quicker than sorting whole rows (np.unique with
    # axis=0 took 0.35 s for 5,000 members).
    kind_numbers: dict[bytes, int] = {}
    first_rows: list[int] = []
    kind_of = np.empty(len(table), np.int64)
    for row_number, row in enumerate(table):
        kind = kind_numbers.setdefault(row.tobytes(), len(kind_numbers))
        if kind == len(first_rows):
            first_rows.append(row_number)
        kind_of[row_number] = kind
    kind_sizes = np.bincount(kind_of)
    kinds = table[first_rows]
    k, m = kinds.shape
    kind_rows, supporter_cols = np.nonzero(kinds >= 0)
    pairs = len(kind_rows)
    source, sink = k + m, k + m + 1  # kinds are nodes 0..k-1, supporters k..k+m-1
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(k, source), kind_rows, k + np.arange(m), [source]]),
        np.concatenate([np.arange(k), k + supporter_cols, np.full(m, sink), [sink]]),
        np.concatenate([kind_sizes, kind_sizes[kind_rows], places, [len(wishes)]]),
        np.concatenate(
            [
                np.zeros(k, np.int64),
                -(kinds[kind_rows, supporter_cols] * scale + 1),
                np.zeros(m + 1, np.int64),
            ]
        ),
    )
    flow.set_node_supply(source, len(wishes))
    flow.set_node_supply(sink, -len(wishes))
    status = flow.solve()
    if status != flow.OPTIMAL:
        # Never infeasible (the source-sink arc takes anyone); OR-Tools can still
        # refuse costs or capacities too large for its integers.
        raise RuntimeError(f"The batch solver stopped: {status}.")
    sent = flow.flows(arcs[k : k + pairs])

    # Hand each kind's members out in the order they came, to the supporters its
    # flow went to.
    members_of_kind = np.split(
        np.argsort(kind_of, kind="stable"), np.cumsum(kind_sizes)[:-1]
    )
    next_member = [0] * k
    pairings = []
    for arc in np.flatnonzero(sent):
        kind, column = int(kind_rows[arc]), int(supporter_cols[arc])
        start = next_member[kind]
        next_member[kind] += int(sent[arc])
        pairings.extend(
            Pairing(
                wishes[member].member_id,
                offers[column].supporter_id,
                int(kinds[kind, column]),
            )
            for member in members_of_kind[kind][start : next_member[kind]]
        )
    pairings.sort(key=lambda p: p.member_id)
    return pairings


# --- Reading the models ---------------------------------------------------------


def offer_from_profile(profile: SupporterProfile) -> Offer:
    """An Offer from a profile whose `experience_areas` are prefetched."""
    return offer_from_values(
        supporter_id=profile.user_id,
        languages=profile.languages,
        gender=profile.gender,
        areas=[area.name for area in profile.experience_areas.all()],
        pathways=profile.pathways,
        life_stage=profile.life_stage,
        availability=profile.availability,
        modes=profile.meeting_modes,
        region=profile.region,
        capacity=profile.capacity,
        active=profile.active_matches,
        accepting=profile.accepting and profile.user.is_active,
    )


def offer_from_values(
    *,
    supporter_id: int,
    languages: Iterable[str],
    gender: str,
    areas: Iterable[str],
    pathways: Iterable[str],
    life_stage: str,
    availability: Iterable[str],
    modes: Iterable[str],
    region: str,
    capacity: int,
    active: int,
    accepting: bool,
) -> Offer:
    """An Offer from a profile's stored values, normalised as matching compares
    them (for reading many profiles as plain values, without model instances)."""
    return Offer(
        supporter_id=supporter_id,
        languages=frozenset(normalise_language(lang) for lang in languages),
        gender=gender,
        areas=frozenset(areas),
        pathways=frozenset(pathways),
        life_stage=life_stage,
        availability=frozenset(availability),
        modes=frozenset(modes),
        region=region.strip(),
        capacity=capacity,
        active=active,
        accepting=accepting,
    )


def wishes_from_preferences(member_id: int, prefs: MatchPreferences | None) -> Wishes:
    """Wishes for a member; a member who set no preferences wishes for nothing in
    particular and can be matched with anyone who has room."""
    if prefs is None:
        return Wishes(member_id)
    return Wishes(
        member_id=member_id,
        languages=frozenset(normalise_language(lang) for lang in prefs.languages),
        language_must=prefs.language_must,
        gender=prefs.supporter_gender,
        gender_must=prefs.gender_must,
        areas=frozenset(area.name for area in prefs.experience_areas.all()),
        pathways=frozenset(prefs.pathways),
        life_stage=prefs.life_stage,
        availability=frozenset(prefs.availability),
        modes=frozenset(prefs.meeting_modes),
        region=prefs.region.strip(),
    )
