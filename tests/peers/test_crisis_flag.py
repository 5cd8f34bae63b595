"""The crisis flag: a check-in that says things are very hard (wellbeing 0 or 1)
puts the member first on their supporter's caseload for a week, and only if the
member consented to their supporter being told."""

import datetime
import html

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from goals.models import CheckIn, ConsentTo
from goals.services import consent_give, consent_withdraw
from peers.caseload import Reason, caseload
from tests.factories import (
    CheckInFactory,
    ContactNoteFactory,
    MatchFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 17)  # a Wednesday
CRISIS = ConsentTo.CRISIS_FLAG_TO_SUPPORTER


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 17, 12, tzinfo=datetime.UTC))


def matched(supporter, name, *, flag_consent=True):
    """A member matched a while ago, contacted yesterday, checking in daily."""
    member = MemberFactory(first_name=name)
    match = MatchFactory(
        member=member,
        supporter=supporter,
        started_at=datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC),
    )
    ContactNoteFactory(match=match, contact_date=TODAY - datetime.timedelta(days=1))
    if flag_consent:
        consent_give(member=member, what=CRISIS)
    return member


def checkin(member, wellbeing, *, days_ago=0, **fields):
    return CheckInFactory(
        member=member,
        day=TODAY - datetime.timedelta(days=days_ago),
        wellbeing=wellbeing,
        hope=5,
        **fields,
    )


def row_of(rows, name):
    return next(r for r in rows if r.member.first_name == name)


def test_a_very_hard_day_puts_the_member_first_with_the_reason_first(supporter):
    talk = matched(supporter, "Tal")
    checkin(talk, 6, wants_to_talk=True)
    hard = matched(supporter, "Hana")
    checkin(hard, 1, days_ago=2)
    checkin(hard, 5, wants_to_talk=True)

    rows = caseload(supporter)

    assert [r.member.first_name for r in rows] == ["Hana", "Tal"]
    assert [a.reason for a in rows[0].attention] == [
        Reason.CRISIS_FLAG,
        Reason.ASKED_TO_TALK,
    ]
    assert (
        rows[0].attention[0].words == "crisis flag: a very hard day on Monday 15 June"
    )


def test_the_flag_ranks_before_asking_to_talk():
    others = [r for r in Reason if r is not Reason.CRISIS_FLAG]
    assert all(r > Reason.CRISIS_FLAG for r in others)


@pytest.mark.parametrize("wellbeing", [0, 1])
def test_zero_and_one_are_very_hard_days(supporter, wellbeing):
    member = matched(supporter, "Hana")
    checkin(member, wellbeing)
    assert Reason.CRISIS_FLAG in [a.reason for a in caseload(supporter)[0].attention]


def test_two_is_hard_but_not_a_crisis_flag(supporter):
    member = matched(supporter, "Hana")
    checkin(member, 2)
    assert caseload(supporter)[0].attention == []


def test_without_consent_there_is_no_flag(supporter):
    member = matched(supporter, "Hana", flag_consent=False)
    checkin(member, 0)
    row = caseload(supporter)[0]
    assert Reason.CRISIS_FLAG not in [a.reason for a in row.attention]


def test_a_withdrawn_consent_takes_the_flag_away(supporter):
    member = matched(supporter, "Hana")
    checkin(member, 0)
    consent_withdraw(member=member, what=CRISIS)
    assert caseload(supporter)[0].attention == []


def test_the_flag_lasts_a_week(supporter):
    member = matched(supporter, "Hana")
    checkin(member, 1, days_ago=settings.CRISIS_FLAG_DAYS - 1)
    checkin(member, 6)
    assert Reason.CRISIS_FLAG in [a.reason for a in caseload(supporter)[0].attention]

    CheckIn.objects.filter(member=member, wellbeing=1).update(
        day=TODAY - datetime.timedelta(days=settings.CRISIS_FLAG_DAYS)
    )
    assert caseload(supporter)[0].attention == []


def test_a_skipped_day_is_no_flag(supporter):
    member = matched(supporter, "Hana")
    CheckInFactory(member=member, day=TODAY, skipped=True, wellbeing=None, hope=None)
    assert Reason.CRISIS_FLAG not in [
        a.reason for a in caseload(supporter)[0].attention
    ]


def test_the_flag_does_not_give_away_unshared_numbers(supporter):
    member = matched(supporter, "Hana")
    checkin(member, 0)
    row = caseload(supporter)[0]
    assert row.numbers_shared is False and row.sparkline == []
    assert "0" not in row.attention[0].words.replace("2026", "")


def test_only_the_members_own_consent_counts(supporter, other_supporter):
    consenting = matched(other_supporter, "Other")  # someone else's member
    checkin(consenting, 0)
    member = matched(supporter, "Hana", flag_consent=False)
    checkin(member, 0)
    assert caseload(supporter)[0].attention == []
    assert row_of(caseload(other_supporter), "Other").attention[0].reason == (
        Reason.CRISIS_FLAG
    )


def test_the_caseload_still_costs_two_queries(supporter, django_assert_num_queries):
    supporter.supporter_profile.capacity = 40
    supporter.supporter_profile.save()

    def grow(count, start):
        for n in range(start, start + count):
            member = matched(supporter, f"M{n}", flag_consent=bool(n % 2))
            checkin(member, n % 3)

    grow(2, 0)
    with django_assert_num_queries(2):
        caseload(supporter)
    grow(12, 2)
    with django_assert_num_queries(2):
        rows = caseload(supporter)
    flagged = [r for r in rows if r.attention and r.attention[0].reason == 0]
    assert len(flagged) == len([n for n in range(14) if n % 2 and n % 3 <= 1])


def test_the_supporters_page_shows_the_flag(supporter):
    member = matched(supporter, "Hana")
    checkin(member, 1)
    client = Client()
    client.force_login(supporter)
    text = html.unescape(client.get(reverse("peers:caseload")).content.decode())
    assert "crisis flag: a very hard day on Wednesday 17 June" in text
