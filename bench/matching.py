"""Batch matching and one-member suggestions on a large synthetic programme.

`peers.matching.propose` is timed on 5,000 waiting members and 500 supporters,
its pairings are checked against the rules (hard requirements, places, scores), and
its total is checked against a second solver of another kind: SciPy's LAPJVsp
(`min_weight_full_bipartite_matching`) on the assignment matrix with one column per
free place, where propose solves a minimum-cost flow with OR-Tools. Equal totals
mean propose's batch is optimal.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from bench import config
from peers import matching
from peers.demo import LANGUAGES, REGIONS
from peers.matching import Offer, Wishes
from peers.models import Availability, Gender, LifeStage, MeetingMode, Pathway

AREAS = [
    "Substance use",
    "Depression and anxiety",
    "Psychosis",
    "Bipolar",
    "Trauma",
    "Eating",
    "Homelessness",
    "Justice involvement",
    "LGBTQ+",
    "Veteran",
    "Parenting",
    "Grief",
]


def _some(rng: random.Random, values: list[str], low: int, high: int) -> frozenset:
    return frozenset(rng.sample(values, rng.randint(low, min(high, len(values)))))


def offers_random(rng: random.Random, count: int) -> list[Offer]:
    """Supporters as peers.demo draws them, early in an intake: most places free."""
    offers = []
    for number in range(count):
        capacity = rng.randint(8, 14)
        offers.append(
            Offer(
                supporter_id=100_000 + number,
                languages=frozenset(
                    matching.normalise_language(lang)
                    for lang in [
                        "English",
                        *rng.sample(LANGUAGES[1:], rng.randint(0, 1)),
                    ]
                ),
                gender=rng.choice([Gender.WOMAN, Gender.MAN, Gender.NON_BINARY]),
                areas=_some(rng, AREAS, 1, 4),
                pathways=_some(rng, Pathway.values, 1, 2),
                life_stage=rng.choice(LifeStage.values),
                availability=_some(rng, Availability.values, 1, 3),
                modes=_some(rng, MeetingMode.values, 1, 3),
                region=rng.choice(REGIONS),
                capacity=capacity,
                active=rng.randint(0, 4),
                accepting=rng.random() > 0.1,
            )
        )
    return offers


def wishes_random(rng: random.Random, count: int) -> list[Wishes]:
    """Waiting members' wishes as peers.demo draws them; three in ten set none."""
    wishes = []
    for number in range(count):
        if rng.random() < 0.3:
            wishes.append(Wishes(member_id=number + 1))
            continue
        english = rng.random() < 0.8
        languages = ["English"] if english else [rng.choice(LANGUAGES[1:])]
        wishes.append(
            Wishes(
                member_id=number + 1,
                languages=frozenset(matching.normalise_language(x) for x in languages),
                language_must=not english and rng.random() < 0.5,
                gender=rng.choice(["", "", Gender.WOMAN, Gender.MAN]),
                gender_must=rng.random() < 0.15,
                areas=_some(rng, AREAS, 0, 2),
                pathways=_some(rng, Pathway.values, 0, 2),
                life_stage=rng.choice(["", *LifeStage.values]),
                availability=_some(rng, Availability.values, 1, 2),
                modes=_some(rng, MeetingMode.values, 1, 2),
                region=rng.choice(["", *REGIONS]),
            )
        )
    return wishes


@dataclass(frozen=True)
class BatchResult:
    seconds: float
    scoring_seconds: float  # points_table alone: every pair's score, as propose does
    members: int
    supporters: int
    places: int
    pairings: int
    total_score: int
    optimal: bool
    check_seconds: float
    check_total_score: int


def batch(
    members: int = config.BATCH_MEMBERS, supporters: int = config.BATCH_SUPPORTERS
) -> BatchResult:
    rng = random.Random(config.MATCHING_SEED)  # noqa: S311 - data
    offers = offers_random(rng, supporters)
    wishes = wishes_random(rng, members)

    matching.propose(wishes[:50], offers[:5])  # imports numpy and OR-Tools
    started = time.perf_counter()
    pairings = matching.propose(wishes, offers)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    table = matching.points_table(wishes, offers)
    scoring_seconds = time.perf_counter() - started

    _check_rules(pairings, wishes, offers)
    places = [min(o.places_free, len(wishes)) for o in offers]
    scale = min(len(wishes), sum(places)) + 1
    worth = np.repeat(np.where(table >= 0, table * scale + 1, 0), places, axis=1)
    total = sum(p.score for p in pairings)
    started = time.perf_counter()
    check_worth, check_total = _solve_again(worth, scale)
    check_seconds = time.perf_counter() - started
    propose_worth = sum(p.score * scale + 1 for p in pairings)
    return BatchResult(
        seconds=round(seconds, 3),
        scoring_seconds=round(scoring_seconds, 3),
        members=members,
        supporters=supporters,
        places=worth.shape[1],
        pairings=len(pairings),
        total_score=total,
        optimal=propose_worth == check_worth,
        check_seconds=round(check_seconds, 3),
        check_total_score=check_total,
    )


def _check_rules(pairings, wishes: list[Wishes], offers: list[Offer]) -> None:
    """Every pairing is allowed, scored right, once per member, within places."""
    by_member = {w.member_id: w for w in wishes}
    by_supporter = {o.supporter_id: o for o in offers}
    members = [p.member_id for p in pairings]
    if len(members) != len(set(members)):
        raise SystemExit("propose matched a member twice.")
    taken: dict[int, int] = {}
    for p in pairings:
        wish, offer = by_member[p.member_id], by_supporter[p.supporter_id]
        if matching.unmet_requirements(wish, offer):
            raise SystemExit(f"propose broke a hard requirement: {p}")
        if p.score != matching.points(wish, offer):
            raise SystemExit(f"propose mis-scored {p}")
        taken[p.supporter_id] = taken.get(p.supporter_id, 0) + 1
    for supporter_id, count in taken.items():
        if count > by_supporter[supporter_id].places_free:
            raise SystemExit(f"propose went over {supporter_id}'s places.")


def _solve_again(worth: np.ndarray, scale: int) -> tuple[int, int]:
    """The best total worth of the assignment matrix (one column per free place,
    an allowed pair worth `score * scale + 1`, a refused pair 0), and its total
    score, found by SciPy's LAPJVsp (`min_weight_full_bipartite_matching`) on the
    pairs as costs. Every pair is an edge (a refused pair costs the most), so a full
    matching of the smaller side exists; the least total cost is the greatest total
    worth."""
    small_side_rows = worth if worth.shape[0] <= worth.shape[1] else worth.T
    costs = small_side_rows.max() + 1 - small_side_rows  # all >= 1: all are edges
    rows, cols = min_weight_full_bipartite_matching(
        sparse.csr_matrix(costs.astype(np.float64))
    )
    chosen = small_side_rows[rows, cols]
    return int(chosen.sum()), int((chosen // scale).sum())


@dataclass(frozen=True)
class RankResult:
    supporters: int
    median_ms: float
    best_ms: float


def suggestions(supporters: int = config.RANK_SUPPORTERS, runs: int = 20) -> RankResult:
    """One member's ranked suggestions among `supporters`, as the coordinator's
    suggestions page asks for them (every allowed supporter, scored with words)."""
    rng = random.Random(config.MATCHING_SEED + 1)  # noqa: S311 - data
    offers = offers_random(rng, supporters)
    wishes = wishes_random(rng, runs)
    times = []
    for wish in wishes:
        started = time.perf_counter()
        matching.rank(wish, offers, limit=None)
        times.append((time.perf_counter() - started) * 1000)
    return RankResult(
        supporters, round(statistics.median(times), 2), round(min(times), 2)
    )
