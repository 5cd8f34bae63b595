"""Digests: a supporter's daily list of who may welcome contact (first names and
reasons, nothing a member wrote), a coordinator's weekly figures; once a day or
week; off with one click."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from goals.services import checkin_record
from peers.conversations import message_send
from peers.digests import programme_figures
from peers.models import DigestSetting, SupporterProfile
from recovery.models import EmailStatus, OutgoingEmail
from recovery.tasks import tick
from tests.factories import (
    ChangeRequestFactory,
    ContactNoteFactory,
    CoordinatorFactory,
    MatchFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")
MARKER = "ZZ-MAYAS-OWN-WORDS-ZZ"


def at(time_machine, day: int, hour: int, minute: int = 5):
    moment = datetime.datetime(2026, 12, day, hour, minute, tzinfo=NY)
    time_machine.move_to(moment, tick=False)


@pytest.fixture
def round_(time_machine):
    at(time_machine, 1, 9)
    sam = SupporterFactory(
        first_name="Sam", email="sam@example.org", time_zone="America/New_York"
    )
    SupporterProfileFactory(user=sam)
    maya = MemberFactory(first_name="Maya", time_zone="America/New_York")
    noor = MemberFactory(first_name="Noor", time_zone="America/New_York")
    calm = MemberFactory(first_name="Calm", time_zone="America/New_York")
    match = MatchFactory(member=maya, supporter=sam)
    MatchFactory(member=noor, supporter=sam)
    calm_match = MatchFactory(member=calm, supporter=sam)
    ContactNoteFactory(match=calm_match, contact_date=datetime.date(2026, 12, 1))
    at(time_machine, 3, 8, 0)
    checkin_record(member=calm, wellbeing=6, hope=6)
    checkin_record(member=maya, wellbeing=4, hope=5, note=MARKER, wants_to_talk=True)
    message_send(match=match, author=maya, text=MARKER)
    return sam, match


def test_a_supporter_digest_lists_who_may_welcome_contact_and_waiting_messages(
    round_, time_machine, django_capture_on_commit_callbacks
):
    sam, _match = round_
    at(time_machine, 3, 8, 2)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
        tick.call()

    (email,) = mail.outbox
    assert email.subject == "Your caseload today"
    assert "- Maya: asked to talk; new match, not contacted yet" in email.body
    assert "- Noor:" in email.body
    assert "Calm" not in email.body
    assert "1 message from your members is waiting." in email.body
    assert MARKER not in email.body
    assert "/digest/" in email.body


def test_no_digest_on_a_day_with_nothing_to_say(
    time_machine, django_capture_on_commit_callbacks
):
    at(time_machine, 3, 8, 2)
    SupporterProfileFactory(
        user=SupporterFactory(email="quiet@example.org", time_zone="America/New_York")
    )
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
        at(time_machine, 3, 8, 3)
        tick.call()  # the next minute does not ask again
    assert mail.outbox == []
    (quiet,) = OutgoingEmail.objects.all()
    assert quiet.status == EmailStatus.DROPPED


def test_off_with_one_click(round_, time_machine, django_capture_on_commit_callbacks):
    sam, _match = round_
    client = Client()
    client.force_login(sam)
    client.post(reverse("peers:digest-toggle"), {"on": "0"})
    client.post(reverse("peers:digest-toggle"), {"on": "0"})  # a double click
    at(time_machine, 3, 8, 2)

    with django_capture_on_commit_callbacks(execute=True):
        tick.call()

    assert not DigestSetting.objects.get(user=sam).on
    assert mail.outbox == []
    page = client.get(reverse("peers:digest")).content.decode()
    assert "The digest is off." in page


def test_at_the_time_they_choose(
    round_, time_machine, django_capture_on_commit_callbacks
):
    sam, _match = round_
    client = Client()
    client.force_login(sam)
    client.post(reverse("peers:digest"), {"at": "17:30"})

    at(time_machine, 3, 8, 2)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
    assert mail.outbox == []
    at(time_machine, 3, 17, 31)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
    assert [m.subject for m in mail.outbox] == ["Your caseload today"]


def test_the_coordinator_digest_is_weekly_figures_without_names(
    round_, time_machine, django_capture_on_commit_callbacks
):
    CoordinatorFactory(email="cora@example.org", time_zone="America/New_York")
    ChangeRequestFactory(member=MemberFactory(first_name="Wren"), reason=MARKER)
    at(time_machine, 7, 8, 2)  # a Monday
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
    at(time_machine, 8, 8, 2)  # Tuesday: nothing more for Cora
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()

    weekly = [m for m in mail.outbox if m.to == ["cora@example.org"]]
    (email,) = weekly
    assert email.subject == "The programme this week"
    assert "1 member waiting for a supporter, the longest for" in email.body
    assert "1 change request waiting" in email.body
    assert "0 emails that could not be sent in the last 7 days" in email.body
    assert "Wren" not in email.body and MARKER not in email.body
    assert "Maya" not in email.body


def test_programme_figures_count_silent_matches_and_matches_without_contact(
    time_machine,
):
    at(time_machine, 1, 9)
    old = MatchFactory(started_at=datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC))
    SupporterProfile.objects.filter(user=old.supporter).update(capacity=1)
    figures = programme_figures(datetime.date(2026, 12, 1))
    assert "1 match with no contact logged for 14 days" in figures
    assert "1 conversation silent for 21 days" in figures
    assert "1 supporter over 80% of their capacity" in figures


def test_the_digest_counts_busy_supporters_as_the_supporters_page_marks_them(
    coordinator,
):
    """One rule (SupporterProfile.is_busy): above 80% of their places, or no
    places at all, as the supporters page and the programme report say too."""
    full = SupporterProfileFactory(capacity=1)
    MatchFactory(supporter=full.user)
    SupporterProfileFactory(capacity=0)  # on leave: no places
    SupporterProfileFactory(capacity=5)  # room

    figures = programme_figures(datetime.date(2026, 12, 1))
    page = signed_in(coordinator).get(reverse("peers:supporters")).content.decode()

    assert "2 supporters over 80% of their capacity" in figures
    assert page.count('<tr class="busy">') == 2


def test_members_have_no_digest_page(member_client):
    assert member_client.get(reverse("peers:digest")).status_code == 403


def test_a_crisis_flag_is_never_named_in_an_email(
    round_, time_machine, django_capture_on_commit_callbacks
):
    from goals.models import ConsentTo
    from goals.services import consent_give

    sam, match = round_
    consent_give(member=match.member, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
    checkin_record(member=match.member, wellbeing=1, hope=2)
    at(time_machine, 3, 8, 2)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()

    (email,) = mail.outbox
    assert "Maya: please look in on the planner today" in email.body
    assert "crisis" not in email.body.lower() and "hard day" not in email.body
