"""Two coordinators filling the last place at the same moment, on two real
PostgreSQL connections: one wins, the other gets a clear message."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from goals.models import Goal
from peers import services
from peers.models import Match, SuggestionStatus, SupporterProfile
from tests.factories import MemberFactory, SupporterProfileFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (CI runs this on PostgreSQL)",
    ),
]


def in_thread(work):
    """Run `work` on its own database connection and keep its result or error."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_two_coordinators_fill_the_last_place_at_once():
    supporter = SupporterProfileFactory(capacity=1).user
    first_member, second_member = MemberFactory(), MemberFactory()
    first_holds_lock = threading.Event()

    def first():
        with transaction.atomic():
            match = services.match_create(
                member=first_member, supporter=supporter, by=None
            )
            first_holds_lock.set()
            time.sleep(0.5)  # the second coordinator's request arrives meanwhile
            return match

    def second():
        first_holds_lock.wait(5)
        return services.match_create(member=second_member, supporter=supporter, by=None)

    thread_a, outcome_a = in_thread(first)
    thread_b, outcome_b = in_thread(second)
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in outcome_a, outcome_a
    assert isinstance(outcome_b.get("error"), services.MatchError)
    assert "no place free" in str(outcome_b["error"])
    assert list(Match.objects.values_list("member", flat=True)) == [first_member.pk]
    assert SupporterProfile.objects.get(user=supporter).active_matches == 1


def test_one_member_matched_by_two_coordinators_at_once_gets_one_supporter():
    member = MemberFactory()
    one, two = SupporterProfileFactory().user, SupporterProfileFactory().user
    first_inserted = threading.Event()

    def first():
        with transaction.atomic():
            match = services.match_create(member=member, supporter=one, by=None)
            first_inserted.set()
            time.sleep(0.5)
            return match

    def second():
        first_inserted.wait(5)
        return services.match_create(member=member, supporter=two, by=None)

    thread_a, outcome_a = in_thread(first)
    thread_b, outcome_b = in_thread(second)
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in outcome_a, outcome_a
    assert "already has a supporter" in str(outcome_b.get("error"))
    assert Match.objects.filter(member=member).count() == 1
    loads = dict(SupporterProfile.objects.values_list("user", "active_matches"))
    assert (loads[one.pk], loads[two.pk]) == (1, 0)


def test_crossed_rematches_at_the_same_moment_never_deadlock():
    """Two coordinators move members between the same two supporters in opposite
    directions at once: both moves happen, neither gets a database error."""
    for _ in range(5):
        one = SupporterProfileFactory(capacity=5).user
        two = SupporterProfileFactory(capacity=5).user
        first_member, second_member = MemberFactory(), MemberFactory()
        services.match_create(member=first_member, supporter=one, by=None)
        services.match_create(member=second_member, supporter=two, by=None)
        start = threading.Barrier(2)

        def move(member, to, start=start):
            def work():
                start.wait(5)
                return services.rematch(member=member, supporter=to, by=None, reason="")

            return work

        thread_a, outcome_a = in_thread(move(first_member, two))
        thread_b, outcome_b = in_thread(move(second_member, one))
        thread_a.join(20)
        thread_b.join(20)
        assert "error" not in outcome_a, outcome_a
        assert "error" not in outcome_b, outcome_b
        loads = dict(SupporterProfile.objects.values_list("user", "active_matches"))
        assert (loads[one.pk], loads[two.pk]) == (1, 1)


def test_accept_and_decline_of_one_suggestion_at_once_give_one_answer():
    match = services.match_create(
        member=MemberFactory(), supporter=SupporterProfileFactory().user, by=None
    )
    suggestion = services.suggestion_make(
        match=match, title="Join the walking group", domain="social"
    )
    first_holds_lock = threading.Event()

    def accept():
        with transaction.atomic():
            goal = services.suggestion_accept(suggestion=suggestion)
            first_holds_lock.set()
            time.sleep(0.5)  # the decline from the other tab arrives meanwhile
            return goal

    def decline():
        first_holds_lock.wait(5)
        return services.suggestion_decline(suggestion=suggestion)

    thread_a, outcome_a = in_thread(accept)
    thread_b, outcome_b = in_thread(decline)
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in outcome_a
    assert isinstance(outcome_b.get("error"), services.SuggestionAlreadyAnswered)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert Goal.objects.filter(member=match.member).count() == 1
