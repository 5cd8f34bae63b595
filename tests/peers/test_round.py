"""A supporter's round closes its loops: a contact or a message answers the
reasons it should, and a crisis flag leaves the top once followed up, with a
note in the supporters' record and the follow-up in the member's history."""

import datetime
import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from goals.models import ConsentTo
from goals.services import checkin_record, consent_give
from peers.caseload import Reason, caseload
from peers.conversations import message_send
from peers.models import AnsweredBy, AnsweredReason, CrisisFollowUp, ReasonAnswered
from peers.services import contact_log
from recovery.models import User
from tests.factories import CoordinatorFactory, MatchFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def reasons(supporter, member) -> set[Reason]:
    (row,) = [r for r in caseload(supporter) if r.member == member]
    return {a.reason for a in row.attention}


@pytest.fixture
def match(member, supporter):
    return MatchFactory(member=member, supporter=supporter)


def test_a_message_from_the_supporter_answers_asked_to_talk_and_not_contacted(match):
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)
    before = reasons(match.supporter, match.member)

    message_send(match=match, author=match.supporter, text="I'm here. Call at 6?")

    after = reasons(match.supporter, match.member)
    assert {Reason.ASKED_TO_TALK, Reason.NOT_CONTACTED} <= before
    assert not after & {Reason.ASKED_TO_TALK, Reason.NOT_CONTACTED}


def test_a_message_from_the_member_answers_nothing(match):
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)
    message_send(match=match, author=match.member, text="Are you around?")
    assert Reason.ASKED_TO_TALK in reasons(match.supporter, match.member)
    assert not ReasonAnswered.objects.exists()


def test_a_message_before_the_ask_the_same_morning_does_not_answer_it(
    match, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 2, 8, tzinfo=datetime.UTC))
    message_send(match=match, author=match.supporter, text="Morning! How are you?")
    time_machine.move_to(datetime.datetime(2026, 6, 2, 11, tzinfo=datetime.UTC))
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)
    assert Reason.ASKED_TO_TALK in reasons(match.supporter, match.member)

    time_machine.move_to(datetime.datetime(2026, 6, 2, 12, tzinfo=datetime.UTC))
    message_send(match=match, author=match.supporter, text="Call at 6?")
    assert Reason.ASKED_TO_TALK not in reasons(match.supporter, match.member)


def test_editing_an_answered_check_in_does_not_ask_again(match, time_machine):
    def at(hour):
        time_machine.move_to(datetime.datetime(2026, 6, 2, hour, tzinfo=datetime.UTC))

    at(9)
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)
    at(10)
    message_send(match=match, author=match.supporter, text="Call at 6?")
    at(11)
    checkin_record(
        member=match.member, wellbeing=5, hope=5, wants_to_talk=True, note="later"
    )
    assert Reason.ASKED_TO_TALK not in reasons(match.supporter, match.member)
    at(12)
    message_send(match=match, author=match.supporter, text="See you at 6.")
    assert (
        ReasonAnswered.objects.filter(reason=AnsweredReason.ASKED_TO_TALK).count() == 1
    )

    # Taking the ask back and making it again is a new ask.
    at(13)
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=False)
    at(14)
    checkin_record(member=match.member, wellbeing=4, hope=5, wants_to_talk=True)
    assert Reason.ASKED_TO_TALK in reasons(match.supporter, match.member)


def test_what_a_message_answered_is_kept_with_who_and_how(match):
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)

    message_send(match=match, author=match.supporter, text="Call at 6?")
    message_send(match=match, author=match.supporter, text="Or 7, if easier.")

    kept = ReasonAnswered.objects.order_by("reason")
    assert [(a.reason, a.how, a.by) for a in kept] == [
        (AnsweredReason.ASKED_TO_TALK, AnsweredBy.MESSAGE, match.supporter),
        (AnsweredReason.NOT_CONTACTED, AnsweredBy.MESSAGE, match.supporter),
    ]  # the second message had nothing left to answer
    assert {a.words for a in kept} == {"asked to talk", "new match, not contacted yet"}


def test_a_contact_made_answers_but_an_attempt_does_not(match):
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)
    today = match.supporter.local_date()

    contact_log(match=match, contact_date=today, mode="phone", reached=False)
    assert not ReasonAnswered.objects.exists()
    contact_log(match=match, contact_date=today, mode="phone", reached=True)

    assert set(ReasonAnswered.objects.values_list("reason", "how")) == {
        (AnsweredReason.ASKED_TO_TALK, AnsweredBy.CONTACT),
        (AnsweredReason.NOT_CONTACTED, AnsweredBy.CONTACT),
    }


def test_reasons_answered_are_in_the_coordinators_history_not_the_members(match):
    checkin_record(member=match.member, wellbeing=5, hope=5, wants_to_talk=True)
    message_send(match=match, author=match.supporter, text="Here for you.")

    history = text(
        signed_in(CoordinatorFactory()).get(
            reverse("peers:member-history", args=[match.member.pk])
        )
    )
    mine = text(signed_in(match.member).get(reverse("peers:my-supporter")))

    # A gap without contact is programme data; an ask to talk is from the plan.
    assert "“new match, not contacted yet”: answered when Sam sent a message" in history
    assert "asked to talk" not in history
    assert "answered when" not in mine


@pytest.fixture
def flagged(match):
    consent_give(member=match.member, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
    checkin_record(member=match.member, wellbeing=1, hope=2)
    return match


def test_a_crisis_flag_stays_on_top_until_followed_up_with_a_note(flagged):
    sam = signed_in(flagged.supporter)
    page = sam.get(reverse("peers:member", args=[flagged.member.pk]))
    assert "After a crisis flag" in text(page)
    assert "Reach out today" in text(page)  # the guidance, from the settings
    assert caseload(flagged.supporter)[0].attention[0].reason == Reason.CRISIS_FLAG

    url = reverse("peers:crisis-follow-up", args=[flagged.member.pk])
    day = flagged.member.local_date().isoformat()
    empty = sam.post(url, {"day": day, "note": " "})
    assert not CrisisFollowUp.objects.exists()
    done = sam.post(url, {"day": day, "note": "Called her; she is safe tonight."})
    again = sam.post(url, {"day": day, "note": "a double click"})

    assert empty.status_code == done.status_code == again.status_code == 302
    follow_up = CrisisFollowUp.objects.get()
    assert follow_up.by == flagged.supporter
    assert follow_up.note == "Called her; she is safe tonight."
    assert Reason.CRISIS_FLAG not in reasons(flagged.supporter, flagged.member)
    after = text(sam.get(reverse("peers:member", args=[flagged.member.pk])))
    assert "After a crisis flag" not in after


def test_the_follow_up_stays_in_the_members_history_for_coordinators_only(flagged):
    day = flagged.member.local_date()
    CrisisFollowUp.objects.create(
        match=flagged, day=day, by=flagged.supporter, note="ZZ-SUPPORTERS-RECORD-ZZ"
    )

    history = text(
        signed_in(CoordinatorFactory()).get(
            reverse("peers:member-history", args=[flagged.member.pk])
        )
    )
    own = signed_in(flagged.member)
    members_pages = [
        own.get(reverse("peers:my-supporter")),
        own.get(reverse("goals:timeline")),
        own.get(reverse("goals:home")),
    ]

    assert "followed up by Sam" in history and "ZZ-SUPPORTERS-RECORD-ZZ" in history
    for page in members_pages:
        assert "ZZ-SUPPORTERS-RECORD-ZZ" not in page.content.decode()


def test_a_new_hard_day_raises_the_flag_again(flagged, time_machine):
    day = flagged.member.local_date()
    CrisisFollowUp.objects.create(
        match=flagged, day=day, by=flagged.supporter, note="ok"
    )
    time_machine.move_to(
        datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        + datetime.timedelta(days=2)
    )
    checkin_record(member=flagged.member, wellbeing=0, hope=1)
    assert Reason.CRISIS_FLAG in reasons(flagged.supporter, flagged.member)


def test_another_supporter_cannot_follow_up(flagged, other_supporter):
    response = signed_in(other_supporter).post(
        reverse("peers:crisis-follow-up", args=[flagged.member.pk]),
        {"day": flagged.member.local_date().isoformat(), "note": "not mine"},
    )
    assert response.status_code == 404
    assert not CrisisFollowUp.objects.exists()


def test_the_demo_has_a_crisis_flag_waiting_on_sams_caseload():
    call_command("seed_demo", stdout=StringIO())
    sam = User.objects.get(username="sam")
    top = caseload(sam)[0]
    assert top.member.username == "eli"
    assert top.attention[0].reason == Reason.CRISIS_FLAG


def test_after_a_rematch_the_former_supporters_words_no_longer_greet_the_member(
    match, coordinator, other_supporter
):
    from peers import services
    from tests.factories import ContactNoteFactory, EncouragementFactory, GoalFactory

    EncouragementFactory(
        member=match.member,
        supporter=match.supporter,
        goal=GoalFactory(member=match.member),
        text="ZZ-FROM-SAM-ZZ",
    )
    ContactNoteFactory(match=match, shared_with_member=True, note="Shared by Sam")
    services.rematch(
        member=match.member, supporter=other_supporter, by=coordinator, reason="x"
    )
    maya = signed_in(match.member)

    home = text(maya.get(reverse("goals:home")))
    notes = text(maya.get(reverse("peers:my-supporter")))

    assert "A word from" not in home and "ZZ-FROM-SAM-ZZ" not in home
    assert "Shared by Sam" in notes and "from Sam" in notes


def test_a_forged_day_cannot_clear_flags_yet_to_come(flagged):
    sam = signed_in(flagged.supporter)
    url = reverse("peers:crisis-follow-up", args=[flagged.member.pk])

    sam.post(url, {"day": "2099-12-31", "note": "trying to clear every flag"})

    (follow_up,) = CrisisFollowUp.objects.all()
    assert follow_up.day == flagged.member.local_date()  # the flag that stood
    nothing = sam.post(url, {"note": "again"}, follow=True)
    assert "There is no crisis flag to follow up now." in text(nothing)
