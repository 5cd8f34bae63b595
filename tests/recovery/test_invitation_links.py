"""Invitations a coordinator can hand over and take back: the link is text to
select (and a Copy button with our script), the open ones are listed with
Withdraw (a withdrawn link opens the calm "closed" page), and an invitation with
an address is emailed by the worker, once."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from recovery import email
from recovery.invitations import (
    invitation_create,
    invitation_email_token,
    invitation_for_token,
)
from recovery.models import EmailStatus, Invitation, OutgoingEmail, User
from tests.helpers import page_text, signed_in

pytestmark = pytest.mark.django_db

LIST = reverse("peers:invitations")
GOOD_PASSWORD = "quiet-harbour-lantern-42"


def withdraw_url(invitation) -> str:
    return reverse("peers:invitation-withdraw", args=[invitation.pk])


# --- The link to hand over -------------------------------------------------------


def test_the_new_link_is_selectable_text_with_a_copy_button_for_our_script(
    coordinator,
):
    client = signed_in(coordinator)
    client.post(LIST, {"name": "Jo", "role": "member"})
    response = client.get(LIST)
    text = page_text(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])

    assert re.search(
        r'<textarea id="invitation-link" class="link-text" rows="3" readonly>'
        r"http://testserver/invite/[^<]+/</textarea>",
        text,
    )
    assert '<button type="button" class="secondary" data-copy="invitation-link"' in text
    assert "hidden>Copy the link</button>" in text  # shown by the script alone
    assert f'src="/static/js/copy.js" nonce="{nonce.group(1)}" defer' in text


# --- Open invitations and withdrawing --------------------------------------------


def test_open_invitations_are_listed_with_withdraw_and_closed_ones_apart(
    coordinator, time_machine
):
    invitation_create(name="Jo", role="member", by=coordinator)
    used, _ = invitation_create(name="Kai", role="supporter", by=coordinator)
    Invitation.objects.filter(pk=used.pk).update(used_at=used.created_at)

    text = page_text(signed_in(coordinator).get(LIST))

    open_part = text.split("Open invitations")[1].split("Used, withdrawn or expired")[0]
    assert "Jo" in open_part and "Kai" not in open_part
    assert "Withdraw" in open_part and "the invitation for Jo" in open_part
    assert "Kai" in text.split("Used, withdrawn or expired")[1]


def test_a_withdrawn_link_opens_the_calm_closed_page(coordinator, client):
    invitation, token = invitation_create(name="Jo", role="member", by=coordinator)

    response = signed_in(coordinator).post(withdraw_url(invitation), follow=True)
    closed = client.get(reverse("invitation-accept", args=[token]))
    tried = client.post(
        reverse("invitation-accept", args=[token]),
        {"username": "jo", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert "The invitation for Jo is withdrawn" in page_text(response)
    assert "Withdrawn " in page_text(response).split("Used, withdrawn or expired")[1]
    assert closed.status_code == 200
    assert "This invitation link has been used, withdrawn" in page_text(closed)
    assert "This invitation link has been used, withdrawn" in page_text(tried)
    assert not User.objects.filter(username="jo").exists()


def test_withdrawing_a_used_invitation_changes_nothing_and_says_so(coordinator):
    invitation, _ = invitation_create(name="Jo", role="member", by=coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=invitation.created_at)

    response = signed_in(coordinator).post(withdraw_url(invitation), follow=True)

    assert "was already closed" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_only_a_coordinator_withdraws_and_only_by_post(
    coordinator, member, supporter, client
):
    invitation, _ = invitation_create(name="Jo", role="member", by=coordinator)
    url = withdraw_url(invitation)

    assertRedirects(
        client.post(url),
        f"{reverse('login')}?next={url}",
        fetch_redirect_response=False,
    )
    assert signed_in(member).post(url).status_code == 403
    assert signed_in(supporter).post(url).status_code == 403
    assert signed_in(coordinator).get(url).status_code == 405
    assert (
        signed_in(coordinator)
        .post(reverse("peers:invitation-withdraw", args=[999999]))
        .status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.is_usable


# --- The email ---------------------------------------------------------------------


def test_an_invitation_with_an_address_is_emailed_once_by_the_worker(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(coordinator).post(
            LIST, {"name": "Jo", "email": "jo@example.org", "role": "member"}
        )
    invitation = Invitation.objects.get()

    (sent,) = mail.outbox
    assert sent.to == ["jo@example.org"]
    assert sent.subject == "Your invitation to Recovery planner"
    assert "Hello Jo," in sent.body
    row = OutgoingEmail.objects.get()
    assert (row.invitation, row.user, row.status) == (
        invitation,
        None,
        EmailStatus.SENT,
    )
    # Asked again (a retry, a second worker): nothing new is sent.
    assert (
        email.email_invitation(invitation, "invitation", f"invitation-{invitation.pk}")
        is None
    )
    assert email.send(row.pk) is False
    assert len(mail.outbox) == 1


def test_an_invitation_without_an_address_sends_nothing(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(coordinator).post(LIST, {"name": "Lee", "role": "member"})

    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_the_emailed_link_opens_the_invitation_until_it_closes(
    coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _ = invitation_create(
            name="Jo", email="jo@example.org", role="member", by=coordinator
        )
    path = re.search(r"http://127\.0\.0\.1:8000(/invite/[^/\s]+/)", mail.outbox[0].body)
    client = Client()

    page = page_text(client.get(path.group(1)))
    client.post(
        path.group(1),
        {"username": "jo", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )

    assert "Welcome, Jo" in page
    joined = User.objects.get(username="jo")
    assert joined.email == "jo@example.org"
    assert "has been used" in page_text(Client().get(path.group(1)))


def test_an_emailed_link_is_not_sent_for_an_invitation_withdrawn_meanwhile(
    coordinator,
):
    # Asked for, then withdrawn before the worker wrote it: nothing goes.
    invitation, _ = invitation_create(
        name="Jo", email="jo@example.org", role="member", by=coordinator
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        withdrawn_at=invitation.created_at
    )
    row = OutgoingEmail.objects.get()

    assert email.send(row.pk) is False
    row.refresh_from_db()
    assert row.status == EmailStatus.DROPPED
    assert mail.outbox == []


@pytest.mark.parametrize(
    "token",
    [
        "WzEyLCJhYmMiXQ:1xahgX:forged",
        "not:a:signed:token",
        "",
    ],
)
def test_a_forged_emailed_link_opens_nothing(coordinator, token):
    invitation_create(name="Jo", email="jo@example.org", role="member", by=coordinator)
    assert invitation_for_token(token) is None


def test_an_emailed_link_names_its_own_invitation_only(coordinator):
    jo, _ = invitation_create(name="Jo", role="member", by=coordinator)
    kai, _ = invitation_create(name="Kai", role="member", by=coordinator)

    assert invitation_for_token(invitation_email_token(jo)) == jo
    assert invitation_for_token(invitation_email_token(kai)) == kai
