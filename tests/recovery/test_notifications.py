"""The bell: what each person hears about, in the planner and by email, as they
choose; opening one reads it; no email carries what anyone wrote."""

import html
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from peers import services as peer_services
from peers.conversations import message_send
from recovery.models import Notification
from recovery.notifications import choices_save
from tests.factories import (
    CoordinatorFactory,
    MatchFactory,
    MemberFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "ZZ-WORDS-OF-MAYA-ZZ"


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def match(member, supporter):
    member.email, supporter.email = "maya@example.org", "sam@example.org"
    member.save()
    supporter.save()
    return MatchFactory(member=member, supporter=supporter)


def test_a_message_rings_the_other_persons_bell_and_opening_it_reads_it(match):
    message_send(match=match, author=match.member, text=MARKER)
    sam = signed_in(match.supporter)

    page = sam.get(reverse("peers:caseload")).content.decode()
    listed = text(sam.get(reverse("notifications")))
    note = Notification.objects.get(recipient=match.supporter)
    opened = sam.get(reverse("notification-open", args=[note.pk]))
    after = sam.get(reverse("peers:caseload")).content.decode()

    assert '<span class="badge">1</span>' in page
    assert "Maya wrote to you" in listed and MARKER not in listed
    assert opened["Location"] == reverse(
        "peers:member-conversation", args=[match.member.pk]
    )
    assert 'class="badge"' not in after
    assert not Notification.objects.filter(recipient=match.member).exists()


def test_mark_all_as_read(match):
    message_send(match=match, author=match.member, text="one")
    message_send(match=match, author=match.member, text="two")
    sam = signed_in(match.supporter)

    sam.post(reverse("notifications-read"))

    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_bell_refreshes_alone_with_htmx_and_is_the_list_without(match):
    sam = signed_in(match.supporter)
    message_send(match=match, author=match.member, text="new")

    bell = sam.get(reverse("notification-bell"), headers={"HX-Request": "true"})
    plain = sam.get(reverse("notification-bell"))

    assert bell.content.decode().startswith('<a id="bell"')
    assert '<span class="badge">1</span>' in bell.content.decode()
    assert plain["Location"] == reverse("notifications")


def test_each_kind_can_be_turned_off_in_the_planner(match):
    choices_save(match.supporter, {"message": (False, False)})

    message_send(match=match, author=match.member, text="quietly")

    assert not Notification.objects.filter(recipient=match.supporter).exists()


def test_members_get_email_only_for_messages_and_only_if_they_turn_it_on(
    match, django_capture_on_commit_callbacks
):
    maya = signed_in(match.member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(match=match, author=match.supporter, text="first")
    assert mail.outbox == []  # off until she chooses it

    maya.post(
        reverse("notification-settings"),
        {
            "message-app": "on",
            "message-email": "on",
            "encouragement-app": "on",
            "encouragement-email": "on",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_send(match=match, author=match.supporter, text=MARKER)
        peer_services.encouragement_send(
            match=match, text=MARKER, goal=_shared_goal(match)
        )

    (email,) = mail.outbox
    assert email.to == ["maya@example.org"]
    assert email.subject == "A new message"  # names nobody, on a lock screen
    assert "Sam" not in email.subject + email.body
    assert MARKER not in email.subject + email.body
    assert "/my-supporter/conversation/" in email.body
    settings_page = text(maya.get(reverse("notification-settings")))
    assert "not by email" in settings_page


def _shared_goal(match):
    from tests.factories import GoalFactory

    return GoalFactory(member=match.member, shared=True)


def test_coordinators_hear_of_change_requests_by_email_unless_they_turn_it_off(
    django_capture_on_commit_callbacks,
):
    cora = CoordinatorFactory(first_name="Cora", email="cora@example.org")
    quiet = CoordinatorFactory(email="quiet@example.org")
    choices_save(quiet, {"change_request": (True, False)})
    noor = MemberFactory(first_name="Noor")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        peer_services.change_request_create(member=noor, reason=MARKER)

    assert [m.to for m in mail.outbox] == [["cora@example.org"]]
    assert mail.outbox[0].subject == "A member asks for a change of supporter"
    assert MARKER not in mail.outbox[0].body
    assert Notification.objects.filter(recipient=quiet).count() == 1
    assert (
        text(signed_in(cora).get(reverse("notifications"))).count(
            "Noor asked for a change of supporter"
        )
        == 1
    )


def test_a_supporter_hears_what_became_of_a_suggestion(match):
    suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)

    peer_services.suggestion_decline(suggestion=suggestion)

    note = Notification.objects.get(
        recipient=match.supporter, kind="suggestion_declined"
    )
    assert note.url == reverse("peers:member", args=[match.member.pk])
    listed = text(signed_in(match.supporter).get(reverse("notifications")))
    assert "Maya left your suggestion aside" in listed


def test_nobody_opens_or_reads_another_persons_notifications(match, other_member):
    message_send(match=match, author=match.supporter, text="for maya")
    note = Notification.objects.get(recipient=match.member)
    other = signed_in(other_member)

    assert other.get(reverse("notification-open", args=[note.pk])).status_code == 404
    assert "Sam wrote to you" not in text(other.get(reverse("notifications")))
    note.refresh_from_db()
    assert note.read_at is None
