"""Compatibility scores and batch matching, on random programmes.

Hard requirements and capacities are never broken, and the batch proposal is as good
as the best found by trying every assignment on small cases.
"""

import itertools
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from peers import matching
from peers.matching import (
    WEIGHTS,
    Offer,
    Wishes,
    points,
    points_table,
    propose,
    rank,
    score,
    unmet_requirements,
)

LANGS = ["english", "spanish", "arabic"]
GENDERS = ["woman", "man", "non_binary"]
AREAS = ["Substance use", "Parenting", "Grief", "Trauma"]
PATHWAYS = ["mutual_help", "faith_based", "self_directed"]
STAGES = ["young_adult", "adult", "older_adult"]
TIMES = ["weekday_mornings", "weekday_evenings", "weekends"]
MODES = ["in_person", "phone", "video"]
REGIONS = ["North", "South"]


def subset(values):
    return st.frozensets(st.sampled_from(values), max_size=len(values))


def offers(supporter_id):
    return st.builds(
        Offer,
        supporter_id=st.just(supporter_id),
        languages=subset(LANGS),
        gender=st.sampled_from(["", *GENDERS]),
        areas=subset(AREAS),
        pathways=subset(PATHWAYS),
        life_stage=st.sampled_from(["", *STAGES]),
        availability=subset(TIMES),
        modes=subset(MODES),
        region=st.sampled_from(["", *REGIONS]),
        capacity=st.integers(0, 3),
        active=st.integers(0, 3),
        accepting=st.booleans(),
    )


def wishes(member_id):
    return st.builds(
        Wishes,
        member_id=st.just(member_id),
        languages=subset(LANGS),
        language_must=st.booleans(),
        gender=st.sampled_from(["", *GENDERS]),
        gender_must=st.booleans(),
        areas=subset(AREAS),
        pathways=subset(PATHWAYS),
        life_stage=st.sampled_from(["", *STAGES]),
        availability=subset(TIMES),
        modes=subset(MODES),
        region=st.sampled_from(["", *REGIONS]),
    )


@st.composite
def programmes(draw, max_members=6, max_supporters=4):
    n_members = draw(st.integers(0, max_members))
    n_supporters = draw(st.integers(0, max_supporters))
    members = [draw(wishes(100 + i)) for i in range(n_members)]
    supporters = [draw(offers(1 + j)) for j in range(n_supporters)]
    return members, supporters


def best_total_by_assignment(members, supporters):
    """The best total score by SciPy's `linear_sum_assignment` on one column per
    free place, scored by `points` and the written-out rules pair by pair."""
    columns = [
        offer
        for offer in supporters
        if offer.accepting
        for _place in range(offer.capacity - offer.active)
    ]
    if not members or not columns:
        return 0
    # Allowed pairs are worth score * scale + 1, as most members matched comes next.
    scale = len(members) + 1
    worth = np.array(
        [
            [points(w, o) * scale + 1 if allowed(w, o) else 0 for o in columns]
            for w in members
        ]
    )
    rows, cols = linear_sum_assignment(worth, maximize=True)
    return int(sum(worth[r, c] // scale for r, c in zip(rows, cols, strict=True)))


def allowed(wish, offer):
    """The hard requirements, written out again here rather than asking the code
    under test: room, accepting, a must language, a must gender."""
    if not offer.accepting or offer.capacity - offer.active <= 0:
        return False
    if wish.language_must and wish.languages and not wish.languages & offer.languages:
        return False
    return not (wish.gender_must and wish.gender and wish.gender != offer.gender)


@given(wishes(1), offers(2))
def test_unmet_requirements_agree_with_the_written_out_rules(wish, offer):
    assert (not unmet_requirements(wish, offer)) == allowed(wish, offer)


def check_hard_rules(pairings, members, supporters):
    by_member = {w.member_id: w for w in members}
    by_supporter = {o.supporter_id: o for o in supporters}
    assert len({p.member_id for p in pairings}) == len(pairings), "a member twice"
    for pairing in pairings:
        assert allowed(by_member[pairing.member_id], by_supporter[pairing.supporter_id])
    for offer in supporters:
        taken = sum(1 for p in pairings if p.supporter_id == offer.supporter_id)
        assert taken <= offer.places_free


def best_total_by_brute_force(members, supporters):
    """Try every way of giving each member a supporter or nobody."""
    options = [None, *supporters]
    best = 0
    for choice in itertools.product(options, repeat=len(members)):
        used = {}
        total = 0
        for wish, offer in zip(members, choice, strict=True):
            if offer is None:
                continue
            if not allowed(wish, offer):
                break
            used[offer.supporter_id] = used.get(offer.supporter_id, 0) + 1
            if used[offer.supporter_id] > offer.places_free:
                break
            total += points(wish, offer)
        else:
            best = max(best, total)
    return best


class TestScore:
    @given(wishes(1), offers(2))
    def test_the_parts_add_up_to_the_points(self, wish, offer):
        assert score(wish, offer).total == points(wish, offer)

    @given(wishes(1), offers(2))
    def test_every_part_is_named_and_worded(self, wish, offer):
        for part in score(wish, offer).parts:
            assert part.name in WEIGHTS and part.words

    def test_a_coordinator_reads_the_reasons_in_plain_words(self):
        wish = Wishes(
            1,
            languages=frozenset({"spanish"}),
            areas=frozenset({"Substance use", "Parenting"}),
            availability=frozenset({"weekday_evenings"}),
        )
        offer = Offer(
            2,
            languages=frozenset({"spanish", "english"}),
            areas=frozenset({"Substance use", "Parenting", "Grief"}),
            availability=frozenset({"weekday_evenings", "weekends"}),
            capacity=6,
            active=4,
        )
        summary = score(wish, offer).summary
        assert summary == (
            "speaks Spanish; shares: Parenting, Substance use; weekday evenings; "
            "2 of 6 places free"
        )

    def test_a_shared_pathway_and_life_stage_weigh_more_than_one_shared_experience(
        self,
    ):
        assert WEIGHTS["pathway"] > WEIGHTS["experience"]
        assert WEIGHTS["life_stage"] > WEIGHTS["experience"]


class TestHardRequirements:
    def test_a_must_language_is_never_broken(self):
        wish = Wishes(1, languages=frozenset({"arabic"}), language_must=True)
        assert unmet_requirements(
            wish, Offer(2, languages=frozenset({"english"}), capacity=2)
        )
        assert not unmet_requirements(
            wish, Offer(3, languages=frozenset({"arabic"}), capacity=2)
        )

    def test_a_must_gender_is_never_broken(self):
        wish = Wishes(1, gender="woman", gender_must=True)
        assert unmet_requirements(wish, Offer(2, gender="man", capacity=2))
        assert not unmet_requirements(wish, Offer(3, gender="woman", capacity=2))

    def test_a_full_or_closed_caseload_is_never_offered(self):
        wish = Wishes(1)
        assert unmet_requirements(wish, Offer(2, capacity=2, active=2))
        assert unmet_requirements(wish, Offer(3, capacity=2, accepting=False))

    @given(programmes())
    def test_ranked_suggestions_keep_every_hard_requirement(self, programme):
        members, supporters = programme
        for wish in members:
            ranked = rank(wish, supporters, limit=None)
            assert all(allowed(wish, s.offer) for s in ranked)
            totals = [s.total for s in ranked]
            assert totals == sorted(totals, reverse=True)
            allowed_ids = {o.supporter_id for o in supporters if allowed(wish, o)}
            assert {s.offer.supporter_id for s in ranked} == allowed_ids


@given(programmes(max_members=2, max_supporters=8), st.integers(0, 9))
def test_a_short_ranking_is_the_best_scored_in_words(programme, limit):
    """rank orders by `points` and words only the ones it shows; the same list comes
    from wording every allowed pair and sorting by the worded totals."""
    members, supporters = programme
    for wish in members:
        worded = sorted(
            (score(wish, o) for o in supporters if allowed(wish, o)),
            key=lambda s: (-s.total, -s.offer.places_free, s.offer.supporter_id),
        )
        assert rank(wish, supporters, limit=limit) == worded[:limit]


@given(programmes(max_members=6, max_supporters=5))
def test_the_table_of_points_agrees_pair_by_pair(programme):
    members, supporters = programme
    if not members or not supporters:
        return
    table = points_table(members, supporters)
    for i, wish in enumerate(members):
        for j, offer in enumerate(supporters):
            expected = -1 if unmet_requirements(wish, offer) else points(wish, offer)
            assert table[i, j] == expected, (wish, offer)


class TestBatch:
    @settings(max_examples=150, deadline=None)
    @given(programmes())
    def test_the_proposal_keeps_hard_rules_and_capacities(self, programme):
        members, supporters = programme
        check_hard_rules(propose(members, supporters), members, supporters)

    @settings(max_examples=150, deadline=None)
    @given(programmes(max_members=5, max_supporters=3))
    def test_the_proposal_is_as_good_as_trying_everything(self, programme):
        members, supporters = programme
        pairings = propose(members, supporters)
        by_member = {w.member_id: w for w in members}
        by_supporter = {o.supporter_id: o for o in supporters}
        total = sum(
            points(by_member[p.member_id], by_supporter[p.supporter_id])
            for p in pairings
        )
        assert total == best_total_by_brute_force(members, supporters)
        assert all(
            p.score == points(by_member[p.member_id], by_supporter[p.supporter_id])
            for p in pairings
        )

    @settings(max_examples=60, deadline=None)
    @given(
        programmes(max_members=40, max_supporters=8),
        st.lists(st.integers(0, 39), max_size=30),
    )
    def test_the_proposal_equals_a_second_solver_on_larger_programmes(
        self, programme, copies
    ):
        """Against SciPy's assignment solver on one column per free place; members
        repeated with new ids make the interchangeable kinds propose groups."""
        members, supporters = programme
        # Roomier supporters, so that a kind of members can fill several of them.
        supporters = [replace(o, capacity=o.capacity * 3) for o in supporters]
        members = members + [
            replace(members[i], member_id=1000 + n)
            for n, i in enumerate(copies)
            if i < len(members)
        ]
        pairings = propose(members, supporters)
        check_hard_rules(pairings, members, supporters)
        assert sum(p.score for p in pairings) == best_total_by_assignment(
            members, supporters
        )
        by_member = {w.member_id: w for w in members}
        by_supporter = {o.supporter_id: o for o in supporters}
        assert all(
            p.score == points(by_member[p.member_id], by_supporter[p.supporter_id])
            for p in pairings
        )

    def test_members_alike_are_shared_among_supporters_each_once(self):
        """Six members with no wishes are one kind: they fill both supporters'
        places, each member once; the sixth waits."""
        members = [Wishes(10 + n) for n in range(6)]
        supporters = [Offer(1, capacity=2), Offer(2, capacity=4, active=1)]
        pairings = propose(members, supporters)
        assert sorted(p.member_id for p in pairings) == [10, 11, 12, 13, 14]
        taken = [p.supporter_id for p in pairings]
        assert (taken.count(1), taken.count(2)) == (2, 3)

    def test_nobody_waits_who_could_be_matched_at_no_cost_to_others(self):
        members = [Wishes(10), Wishes(11)]
        supporters = [Offer(1, capacity=1), Offer(2, capacity=1)]
        assert {p.member_id for p in propose(members, supporters)} == {10, 11}

    def test_an_empty_programme_proposes_nothing(self):
        assert propose([], [Offer(1, capacity=3)]) == []
        assert propose([Wishes(1)], []) == []


def test_a_vocabulary_too_large_for_bit_masks_is_paired_one_by_one():
    """More than 64 distinct languages: the table falls back to pair by pair and the
    proposal is still the best one."""
    members = [
        Wishes(10 + n, languages=frozenset({f"lang{n}"}), language_must=True)
        for n in range(70)
    ]
    supporters = [
        Offer(1000 + n, languages=frozenset({f"lang{n}"}), capacity=1)
        for n in range(70)
    ]
    pairings = propose(members, supporters)
    assert {(p.member_id - 10, p.supporter_id - 1000) for p in pairings} == {
        (n, n) for n in range(70)
    }


def test_the_most_a_pair_can_score_is_what_a_perfect_pair_scores():
    from peers.models import Availability, MeetingMode

    every = {
        "languages": frozenset({"english"}),
        "areas": frozenset({"a", "b", "c"}),
        "pathways": frozenset({"mutual_help"}),
        "availability": frozenset(Availability.values),
        "modes": frozenset(MeetingMode.values),
        "region": "North",
    }
    wishes = matching.Wishes(member_id=1, gender="woman", life_stage="adult", **every)
    offer = matching.Offer(
        supporter_id=2,
        gender="woman",
        life_stage="adult",
        capacity=4,
        active=0,
        accepting=True,
        **every,
    )
    assert matching.score(wishes, offer).total == matching.most_points()
    assert matching.misses(wishes, offer) == []


def test_a_new_criterion_is_one_entry_and_every_use_follows(monkeypatch):
    """The words, the points, the batch table, the scale and what did not match all
    come from the one definition in CRITERIA."""
    from peers.matching import rules

    extra = rules.Shared(
        "hobby",
        "areas",
        weight=7,
        describe=lambda shared: "likes " + ", ".join(sorted(shared)),
        miss="no shared hobby",
    )
    most_before = matching.most_points()
    monkeypatch.setattr(rules, "CRITERIA", (*rules.CRITERIA, extra))
    wish = Wishes(1, areas=frozenset({"Grief"}))
    fond = Offer(2, areas=frozenset({"Grief"}), capacity=1)
    apart = Offer(3, capacity=1)

    assert matching.most_points() == most_before + 7
    assert ("hobby", 7, "likes Grief") in [
        (p.name, p.points, p.words) for p in score(wish, fond).parts
    ]
    assert points(wish, fond) == score(wish, fond).total
    assert points_table([wish], [fond, apart]).tolist() == [
        [points(wish, fond), points(wish, apart)]
    ]
    assert "no shared hobby" in matching.misses(wish, apart)
