"""For people who are not in yet: the password pages in our own words, and a
one-time "set your password" link a coordinator makes for someone without an
email address and hands over in person (audited, usable once, for a while)."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from recovery.models import AuditEvent, AuditKind, PasswordLink, pseudonym
from recovery.password_links import password_link_create
from tests.factories import MemberFactory
from tests.helpers import page_text, signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-harbour-lantern-42"

# Django's own page titles in these flows: none of ours may be one.
STOCK_TITLES = [
    "Password reset",
    "Password reset sent",
    "Enter new password",
    "Password reset unsuccessful",
    "Password reset complete",
    "Password change",
    "Password change successful",
    "Logged out",
]


def title_of(response) -> str:
    return re.search(r"<title>(.*?) · ", page_text(response), re.S).group(1).strip()


# --- The password pages ------------------------------------------------------------


def test_every_page_of_the_password_flows_names_itself_in_our_words(member, client):
    signed_in_member = signed_in(member)
    pages = {
        "Forgot your password?": client.get(reverse("password_reset")),
        "Check your email": client.get(reverse("password_reset_done")),
        "This link is no longer open": client.get(
            reverse("password_reset_confirm", args=["MQ", "bad-token"])
        ),
        "Your new password is set": client.get(reverse("password_reset_complete")),
        "Change my password": signed_in_member.get(reverse("password_change")),
        "Your password is changed": signed_in_member.get(
            reverse("password_change_done")
        ),
    }
    for words, response in pages.items():
        assert title_of(response) == words
        assert f"<h1>{words}</h1>" in page_text(response)
        assert title_of(response) not in STOCK_TITLES


def test_signing_out_says_so_in_our_words(member):
    response = signed_in(member).post(reverse("logout"), follow=True)
    assert "Logged out" not in page_text(response)


def test_the_reset_pages_point_people_without_email_to_their_coordinator(client):
    for name in ("password_reset", "password_reset_done"):
        text = page_text(client.get(reverse(name)))
        assert "Your coordinator can give you a link to set a new password" in text


def test_the_sign_in_page_already_says_what_to_do_about_a_forgotten_sign_in_name(
    client,
):
    text = page_text(client.get(reverse("login")))

    assert "New here, or forgot your sign-in name?" in text
    assert "can tell you your sign-in name if you have forgotten it" in text


# --- A set-your-password link ---------------------------------------------------------


@pytest.fixture
def lee(db):
    """A member invited without an email address."""
    return MemberFactory(username="lee-r", first_name="Lee", email="")


def make_link(coordinator, person) -> tuple[Client, str]:
    client = signed_in(coordinator)
    client.post(reverse("peers:password-link-make", args=[person.pk]))
    page = page_text(client.get(reverse("peers:member-history", args=[person.pk])))
    found = re.search(r">(http://testserver/set-password/[^<]+/)</textarea>", page)
    assert found, "the link is shown on the person's page"
    return client, found.group(1).removeprefix("http://testserver")


class TestMakingALink:
    def test_anonymous_is_sent_to_sign_in_and_nothing_is_made(self, client, lee):
        url = reverse("peers:password-link-make", args=[lee.pk])
        assertRedirects(
            client.post(url),
            f"{reverse('login')}?next={url}",
            fetch_redirect_response=False,
        )
        assert not PasswordLink.objects.exists()

    @pytest.mark.parametrize("who", ["member", "supporter"])
    def test_members_and_supporters_cannot_make_one(self, request, who, lee):
        person = signed_in(request.getfixturevalue(who))
        url = reverse("peers:password-link-make", args=[lee.pk])

        assert person.post(url).status_code == 403
        assert not PasswordLink.objects.exists()

    def test_a_coordinator_cannot_make_one_for_a_coordinator(self, coordinator):
        from tests.factories import CoordinatorFactory

        other = CoordinatorFactory()
        url = reverse("peers:password-link-make", args=[other.pk])

        assert signed_in(coordinator).post(url).status_code == 404
        assert signed_in(coordinator).get(url).status_code == 405
        assert not PasswordLink.objects.exists()

    def test_the_link_is_shown_once_and_only_its_hash_is_kept(self, coordinator, lee):
        client, path = make_link(coordinator, lee)
        token = path.split("/")[2]
        again = page_text(client.get(reverse("peers:member-history", args=[lee.pk])))

        link = PasswordLink.objects.get()
        assert token not in again and token not in link.token_hash
        assert link.user == lee and link.created_by == coordinator
        assert "A link made" in again and "A new one closes it." in again
        assert link.expires_at - link.created_at == datetime.timedelta(hours=24)

    def test_making_it_is_in_the_audit_log_without_the_token(self, coordinator, lee):
        _client, path = make_link(coordinator, lee)

        made = AuditEvent.objects.get(kind=AuditKind.PASSWORD_LINK_MADE)
        assert made.subject_key == pseudonym(lee)
        assert made.actor_name == str(coordinator)
        assert path.split("/")[2] not in made.path

    def test_a_new_link_closes_the_one_before(self, coordinator, lee):
        _client, first = make_link(coordinator, lee)
        _client, second = make_link(coordinator, lee)

        assert "no longer open" in page_text(Client().get(first))
        assert "Choose a new password" in page_text(Client().get(second))
        assert PasswordLink.objects.usable().count() == 1

    def test_a_supporters_link_is_made_on_their_profile_page(
        self, coordinator, supporter
    ):
        client = signed_in(coordinator)
        response = client.post(reverse("peers:password-link-make", args=[supporter.pk]))

        assertRedirects(
            response,
            reverse("peers:supporter-edit", args=[supporter.pk]),
            fetch_redirect_response=False,
        )
        page = page_text(client.get(response.url))
        assert "/set-password/" in page and "Copy the link" in page


class TestUsingALink:
    def test_the_person_sees_their_sign_in_name_and_sets_a_password_once(
        self, coordinator, lee
    ):
        _client, path = make_link(coordinator, lee)
        client = Client()

        page = page_text(client.get(path))
        response = client.post(
            path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        again = page_text(Client().get(path))

        assert "Your sign-in name is <strong>lee-r</strong>" in page
        assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        lee.refresh_from_db()
        assert lee.check_password(NEW_PASSWORD)
        assert "This link is no longer open" in again
        signed_in_page = page_text(client.get(reverse("login")))
        assert "Sign in with your sign-in name, lee-r, and your new password." in (
            signed_in_page
        )
        used = AuditEvent.objects.get(kind=AuditKind.PASSWORD_LINK_USED)
        assert used.subject_key == pseudonym(lee)
        assert path.split("/")[2] not in used.path

    def test_a_weak_password_is_refused_in_words_and_the_link_stays_open(
        self, coordinator, lee
    ):
        _client, path = make_link(coordinator, lee)

        response = Client().post(path, {"new_password1": "lee", "new_password2": "lee"})

        assert response.status_code == 200
        assert "This password is too short." in page_text(response)
        assert PasswordLink.objects.usable().exists()

    def test_a_link_that_ran_out_of_time_is_closed(
        self, coordinator, lee, time_machine
    ):
        start = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
        time_machine.move_to(start, tick=False)
        _client, path = make_link(coordinator, lee)
        time_machine.move_to(start + datetime.timedelta(hours=24, minutes=1))

        response = Client().post(
            path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

        assert "This link is no longer open" in page_text(response)
        lee.refresh_from_db()
        assert not lee.check_password(NEW_PASSWORD)

    def test_a_link_we_never_made_is_not_found(self, client):
        response = client.get(reverse("password-link", args=["made-up"]))

        assert response.status_code == 404
        assert "This link is no longer open" in page_text(response)

    def test_someone_signed_in_is_asked_to_sign_out_first(
        self, coordinator, lee, member
    ):
        _client, path = make_link(coordinator, lee)

        response = signed_in(member).post(
            path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )

        assert "please sign out first" in page_text(response)
        lee.refresh_from_db()
        assert not lee.check_password(NEW_PASSWORD)

    def test_a_deactivated_account_gets_no_way_back_in(self, coordinator, lee):
        _client, path = make_link(coordinator, lee)
        lee.is_active = False
        lee.save()

        assert "This link is no longer open" in page_text(Client().get(path))

    def test_the_service_refuses_a_second_use(self, coordinator, lee):
        from recovery.forms import NewPasswordForm
        from recovery.password_links import LinkClosed, password_link_use

        link, _token = password_link_create(user=lee, by=coordinator)
        data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        first = NewPasswordForm(lee, data)
        second = NewPasswordForm(lee, data)
        assert first.is_valid() and second.is_valid()

        password_link_use(link=link, form=first)
        with pytest.raises(LinkClosed):
            password_link_use(link=link, form=second)

    def test_an_account_deactivated_while_the_form_was_open_gets_no_password(
        self, coordinator, lee
    ):
        from recovery.forms import NewPasswordForm
        from recovery.password_links import (
            LinkClosed,
            password_link_for_token,
            password_link_use,
        )

        _link, token = password_link_create(user=lee, by=coordinator)
        link = password_link_for_token(token)  # as the page read it: lee active
        data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        form = NewPasswordForm(link.user, data)
        assert form.is_valid()
        type(lee).objects.filter(pk=lee.pk).update(is_active=False)  # meanwhile

        with pytest.raises(LinkClosed):
            password_link_use(link=link, form=form)
        lee.refresh_from_db()
        assert not lee.check_password(NEW_PASSWORD)
        assert PasswordLink.objects.usable().filter(user=lee).exists()


@pytest.mark.parametrize("page", ["peers:member-history", "peers:supporter-edit"])
def test_the_button_works_with_csrf_checks_on(coordinator, lee, supporter, page):
    person = lee if page == "peers:member-history" else supporter
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    text = page_text(client.get(reverse(page, args=[person.pk])))
    action = reverse("peers:password-link-make", args=[person.pk])
    form = re.search(rf'<form method="post" action="{action}">(.*?)</form>', text, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))

    response = client.post(action, {"csrfmiddlewaretoken": token.group(1)})

    assert response.status_code == 302
    assert PasswordLink.objects.filter(user=person).exists()
