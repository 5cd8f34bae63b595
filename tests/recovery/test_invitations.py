"""Invitations: a coordinator makes a single-use link; the person opens it, chooses a
username and password, and joins with the role the coordinator chose."""

import datetime
import html
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from peers.models import SupporterProfile
from recovery.invitations import invitation_create
from recovery.models import Invitation, Role, User

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "quiet-harbour-lantern-42"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def coordinator_client(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def accept_url(token: str) -> str:
    return reverse("invitation-accept", args=[token])


def choose(client: Client, token: str, username="jo-river", password=GOOD_PASSWORD):
    return client.post(
        accept_url(token),
        {"username": username, "password1": password, "password2": password},
    )


class TestMakingAnInvitation:
    def test_the_link_is_shown_once_and_only_its_hash_is_kept(
        self, coordinator_client, coordinator
    ):
        url = reverse("peers:invitations")

        response = coordinator_client.post(
            url, {"name": "Jo", "email": "jo@example.org", "role": "supporter"}
        )
        assertRedirects(response, url, fetch_redirect_response=False)
        page = page_text(coordinator_client.get(url))
        link = re.search(r">(http://testserver/invite/([^/<]+)/)</textarea>", page)
        again = page_text(coordinator_client.get(url))

        assert link is not None
        assert "it is shown only this once" in page
        token = link.group(2)
        assert token not in again
        invitation = Invitation.objects.get()
        assert invitation.token_hash == Invitation.hash_token(token)
        assert token not in invitation.token_hash
        assert (invitation.name, invitation.role) == ("Jo", Role.SUPPORTER)
        assert invitation.created_by == coordinator
        assert "Open until" in again

    def test_only_members_and_supporters_are_invited(self, coordinator_client):
        response = coordinator_client.post(
            reverse("peers:invitations"), {"name": "Al", "role": "coordinator"}
        )

        assert response.status_code == 200
        assert "Select a valid choice." in page_text(response)
        assert not Invitation.objects.exists()

    def test_a_name_is_needed(self, coordinator_client):
        response = coordinator_client.post(
            reverse("peers:invitations"), {"name": "", "role": "member"}
        )

        assert "This field is required." in page_text(response)

    def test_it_expires_after_the_configured_days(self, settings, time_machine):
        time_machine.move_to(
            datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False
        )
        invitation, _ = invitation_create(name="Jo", role=Role.MEMBER, by=None)
        assert invitation.expires_at == invitation.created_at + datetime.timedelta(7)

        settings.INVITATION_DAYS = 2
        invitation, _ = invitation_create(name="Jo", role=Role.MEMBER, by=None)
        assert invitation.expires_at == invitation.created_at + datetime.timedelta(2)


class TestAccepting:
    def test_a_member_chooses_a_username_and_password(self, client):
        _, token = invitation_create(
            name="Jo", email="jo@example.org", role=Role.MEMBER, by=None
        )

        page = client.get(accept_url(token))
        response = choose(client, token)

        assert "Welcome, Jo" in page_text(page)
        assert "Choose a username" in page_text(page)
        assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        person = User.objects.get(username="jo-river")
        assert person.role == Role.MEMBER
        assert (person.first_name, person.email) == ("Jo", "jo@example.org")
        assert person.check_password(GOOD_PASSWORD)
        assert int(client.session[SESSION_KEY]) == person.pk
        invitation = Invitation.objects.get()
        assert invitation.used_at is not None and invitation.user == person
        assert not SupporterProfile.objects.filter(user=person).exists()

    def test_a_new_supporter_waits_for_a_coordinator_to_fill_their_profile(
        self, client, coordinator
    ):
        _, token = invitation_create(name="Kai", role=Role.SUPPORTER, by=None)

        choose(client, token, username="kai")

        person = User.objects.get(username="kai")
        assert person.role == Role.SUPPORTER
        assert not SupporterProfile.objects.filter(user=person).exists()
        client.force_login(coordinator)
        page = client.get(reverse("peers:supporters")).content.decode()
        assert "No profile yet." in page and "kai" in page.lower()

    def test_a_link_works_once(self, client):
        _, token = invitation_create(name="Jo", role=Role.MEMBER, by=None)
        choose(client, token)
        later = Client()

        page = later.get(accept_url(token))
        second = choose(later, token, username="someone-else")

        assert page.status_code == 200
        assert "This invitation link has been used, withdrawn" in page_text(page)
        assert "This invitation link has been used" in page_text(second)
        assert not User.objects.filter(username="someone-else").exists()

    def test_an_expired_link_shows_a_calm_message(self, client, time_machine):
        time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
        _, token = invitation_create(name="Jo", role=Role.MEMBER, by=None)
        time_machine.move_to(datetime.datetime(2026, 6, 8, 11, tzinfo=datetime.UTC))
        assert "Choose a username" in page_text(client.get(accept_url(token)))

        time_machine.move_to(datetime.datetime(2026, 6, 8, 12, tzinfo=datetime.UTC))
        page = client.get(accept_url(token))
        response = choose(client, token)

        assert "ask the coordinator who invited you for a new link" in page_text(page)
        assert "ask the coordinator" in page_text(response)
        assert not User.objects.filter(username="jo-river").exists()

    @pytest.mark.parametrize("token", ["not-a-token", "x" * 43])
    def test_a_link_we_never_made_is_not_found(self, client, token):
        response = client.get(accept_url(token))

        assert response.status_code == 404
        assert "This invitation link has been used, withdrawn" in page_text(response)

    @pytest.mark.parametrize(
        ("password", "again", "error"),
        [
            ("short1", "short1", "This password is too short."),
            ("password123", "password123", "This password is too common."),
            ("8364092715364", "8364092715364", "This password is entirely numeric."),
            ("jo-river-jo", "jo-river-jo", "too similar to the username"),
            (GOOD_PASSWORD, GOOD_PASSWORD + "x", "The two password fields didn’t"),
        ],
    )
    def test_password_validators_apply(self, client, password, again, error):
        _, token = invitation_create(name="Jo", role=Role.MEMBER, by=None)

        response = client.post(
            accept_url(token),
            {"username": "jo-river", "password1": password, "password2": again},
        )

        assert response.status_code == 200
        assert error in page_text(response)
        assert not User.objects.filter(username="jo-river").exists()
        assert Invitation.objects.get().used_at is None

    def test_a_password_like_the_name_on_the_invitation_is_refused(self, client):
        _, token = invitation_create(
            name="Marigold", email="marigold@example.org", role=Role.MEMBER, by=None
        )

        response = choose(client, token, password="marigold12")

        assert "too similar to the" in page_text(response)

    def test_a_username_already_taken_is_refused(self, client, member):
        _, token = invitation_create(name="Jo", role=Role.MEMBER, by=None)

        response = choose(client, token, username=member.username.upper())

        assert "A user with that username already exists." in page_text(response)
        assert Invitation.objects.get().used_at is None

    def test_someone_signed_in_is_asked_to_sign_out_first(self, member_client):
        _, token = invitation_create(name="Jo", role=Role.SUPPORTER, by=None)

        response = choose(member_client, token)

        assert "please sign out first" in page_text(response)
        assert Invitation.objects.get().used_at is None
        assert not User.objects.filter(username="jo-river").exists()

    def test_the_invitation_list_shows_who_joined(self, coordinator_client, client):
        _, token = invitation_create(name="Jo", role=Role.MEMBER, by=None)
        choose(client, token)

        page = page_text(coordinator_client.get(reverse("peers:invitations")))

        assert "Joined" in page and "as Jo" in page
