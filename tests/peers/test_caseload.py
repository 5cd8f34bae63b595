"""The caseload's order: each reason for attention, with a frozen clock."""

import datetime

import pytest

from goals.models import CheckIn, ConsentTo, Sharing
from goals.services import consent_give
from peers.caseload import Reason, caseload, wellbeing_sparkline
from tests.factories import (
    CheckInFactory,
    ContactNoteFactory,
    GoalFactory,
    MatchFactory,
    MemberFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 17)  # a Wednesday
MATCHED = datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 17, 12, tzinfo=datetime.UTC))


def matched(supporter, name, *, contacted_days_ago=1, **member_fields):
    member = MemberFactory(first_name=name, **member_fields)
    match = MatchFactory(member=member, supporter=supporter, started_at=MATCHED)
    if contacted_days_ago is not None:
        ContactNoteFactory(
            match=match,
            contact_date=TODAY - datetime.timedelta(days=contacted_days_ago),
        )
    return member


def checkins(member, scores, *, newest_days_ago=0, **fields):
    """Daily check-ins, the last score the newest."""
    for offset, score in enumerate(reversed(scores)):
        CheckInFactory(
            member=member,
            day=TODAY - datetime.timedelta(days=newest_days_ago + offset),
            wellbeing=score,
            hope=5,
            **fields,
        )


def reasons(rows, name):
    row = next(r for r in rows if r.member.first_name == name)
    return [a.reason for a in row.attention]


def test_a_settled_member_needs_nothing(supporter):
    settled = matched(supporter, "Ada")
    checkins(settled, [6, 6, 7])
    assert reasons(caseload(supporter), "Ada") == []


def test_asking_to_talk_comes_first(supporter):
    talk = matched(supporter, "Tal")
    checkins(talk, [6])
    CheckIn.objects.filter(member=talk).update(wants_to_talk=True)
    quiet = matched(supporter, "Quinn")
    checkins(quiet, [6], newest_days_ago=9)
    rows = caseload(supporter)
    assert [r.member.first_name for r in rows] == ["Tal", "Quinn"]
    assert rows[0].attention[0].words == "asked to talk"


def test_a_request_to_talk_answered_by_a_contact_no_longer_counts(supporter):
    member = matched(supporter, "Tal", contacted_days_ago=0)
    checkins(member, [6], newest_days_ago=1)
    CheckIn.objects.filter(member=member).update(wants_to_talk=True)
    assert Reason.ASKED_TO_TALK not in reasons(caseload(supporter), "Tal")


def test_falling_wellbeing_is_noticed_when_the_numbers_are_shared(supporter):
    member = matched(supporter, "Fen")
    consent_give(member=member, what=ConsentTo.NUMBERS_TO_SUPPORTER)
    checkins(member, [8, 8, 7, 5, 4, 4])
    rows = caseload(supporter)
    assert reasons(rows, "Fen") == [Reason.FALLING]
    assert rows[0].sparkline == [8, 8, 7, 5, 4, 4]


def test_unshared_numbers_are_neither_used_nor_shown(supporter):
    member = matched(supporter, "Fen")
    Sharing.objects.create(member=member, numbers_shared=False)
    checkins(member, [8, 8, 7, 5, 4, 4])
    row = caseload(supporter)[0]
    assert row.attention == [] and row.sparkline == []


def test_a_member_quiet_for_a_week(supporter):
    member = matched(supporter, "Quinn")
    checkins(member, [5], newest_days_ago=7)
    row = caseload(supporter)[0]
    assert [a.reason for a in row.attention] == [Reason.QUIET]
    assert row.attention[0].words == "no check-in for 7 days"


def test_six_quiet_days_are_not_yet_a_reason(supporter):
    member = matched(supporter, "Quinn")
    checkins(member, [5], newest_days_ago=6)
    assert reasons(caseload(supporter), "Quinn") == []


def test_a_quiet_spell_older_than_the_window_still_counts_its_days(supporter):
    member = matched(supporter, "Old")
    checkins(member, [5], newest_days_ago=40)
    row = caseload(supporter)[0]
    assert row.last_checkin.day == TODAY - datetime.timedelta(days=40)
    assert row.attention[0].words == "no check-in for 40 days"


def test_no_contact_for_two_weeks(supporter):
    member = matched(supporter, "Nico", contacted_days_ago=14)
    checkins(member, [6])
    row = caseload(supporter)[0]
    assert [a.reason for a in row.attention] == [Reason.NO_CONTACT_LATELY]
    assert row.attention[0].words == "no contact for 14 days"


def test_a_new_match_not_yet_contacted(supporter):
    member = matched(supporter, "Neve", contacted_days_ago=None)
    checkins(member, [6])
    assert reasons(caseload(supporter), "Neve") == [Reason.NOT_CONTACTED]


def test_an_attempt_is_not_a_contact(supporter):
    member = matched(supporter, "Neve", contacted_days_ago=None)
    checkins(member, [6])
    match = member.matches.get()
    ContactNoteFactory(match=match, contact_date=TODAY, reached=False)
    assert reasons(caseload(supporter), "Neve") == [Reason.NOT_CONTACTED]


def test_the_order_follows_the_most_pressing_reason(supporter):
    for name, days_quiet in [("Zed", 0), ("Bea", 9)]:
        checkins(matched(supporter, name), [6], newest_days_ago=days_quiet)
    falling = matched(supporter, "Cy")
    consent_give(member=falling, what=ConsentTo.NUMBERS_TO_SUPPORTER)
    checkins(falling, [9, 9, 9, 5, 5, 5])
    assert [r.member.first_name for r in caseload(supporter)] == ["Cy", "Bea", "Zed"]


def test_the_row_counts_shared_goals_and_steps_done_this_week(supporter):
    member = matched(supporter, "Gia")
    checkins(member, [6])
    shared = GoalFactory(member=member)
    GoalFactory(member=member, shared=False)
    monday = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
    StepFactory(goal=shared, done=True, done_at=monday)
    StepFactory(goal=shared, done=True, done_at=monday - datetime.timedelta(days=3))
    row = caseload(supporter)[0]
    assert (row.active_shared_goals, row.steps_done_this_week) == (1, 1)


def test_only_the_supporters_own_active_members(supporter, other_supporter):
    matched(other_supporter, "Other")
    ended = matched(supporter, "Ended")
    ended.matches.update(ended_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    assert caseload(supporter) == []


def test_the_caseload_costs_the_same_queries_for_a_larger_caseload(
    supporter, django_assert_num_queries
):
    def grow(count):
        for n in range(count):
            member = matched(supporter, f"M{n}{count}")
            checkins(member, [5, 6, 7])
            StepFactory(goal=GoalFactory(member=member), done=True, done_at=MATCHED)

    supporter.supporter_profile.capacity = 40
    supporter.supporter_profile.save()
    grow(2)
    with django_assert_num_queries(2):
        caseload(supporter)
    grow(12)
    with django_assert_num_queries(2):
        assert len(caseload(supporter)) == 14


def test_the_sparkline_spans_its_box():
    points = wellbeing_sparkline([0, 10]).points.split()
    assert points == ["0.0,22.0", "96.0,2.0"]
    assert wellbeing_sparkline([]).points == ""
