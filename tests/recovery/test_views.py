"""The project-level pages: the role-based start, account settings, the
public crisis page and health check, and Django's sign-in and password pages as
wired in recovery/urls.py."""

import datetime
import html
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import DatabaseError
from django.test import Client
from django.urls import URLPattern, reverse
from pytest_django.asserts import assertRedirects

from recovery import crisis, health
from recovery import urls as recovery_urls
from recovery.models import CrisisLine
from tests.factories import PASSWORD, GoalFactory, JourneyEventFactory

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Who may open what ----------------------------------------------------------

SIGN_IN_REQUIRED = [
    "/",
    "/account/",
    "/accounts/password_change/",
    "/accounts/password_change/done/",
]
PUBLIC = {
    "/crisis/": "Urgent help, any time",
    "/accounts/login/": "Forgot your password?",
    "/accounts/password_reset/": "Send the link",
    "/accounts/password_reset/done/": "a link to set a new password is on its way",
    "/accounts/reset/done/": "Your new password is set.",
    "/accounts/reset/MQ/bad-token/": "This link has been used or has expired.",
}


@pytest.mark.parametrize("url", SIGN_IN_REQUIRED)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)

    assertRedirects(response, f"/accounts/login/?next={url}")


@pytest.mark.parametrize("url", SIGN_IN_REQUIRED)
def test_anonymous_post_is_sent_to_sign_in(client, url):
    response = client.post(url, {"first_name": "Intruder", "time_zone": "UTC"})

    assertRedirects(response, f"/accounts/login/?next={url}")


@pytest.mark.parametrize(("url", "words"), PUBLIC.items())
def test_public_pages_answer_without_sign_in(client, url, words):
    response = client.get(url)

    assert response.status_code == 200
    assert words in page_text(response)
    assert "Sign out" not in page_text(response)


def test_healthz_answers_json_without_sign_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_unavailable_when_the_database_does_not_answer(
    client, monkeypatch
):
    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", BrokenCursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_the_admin_is_not_open_to_anonymous_or_members(client, member):
    assertRedirects(client.get("/admin/"), "/admin/login/?next=/admin/")

    response = signed_in(member).get("/admin/")

    assertRedirects(response, "/admin/login/?next=/admin/")


# --- Start page by role ---------------------------------------------------------


def test_a_member_starts_at_today(client, member):
    client.force_login(member)

    assertRedirects(client.get("/"), reverse("goals:home"))


@pytest.mark.parametrize(
    ("role", "start"),
    [("supporter", "peers:caseload"), ("coordinator", "peers:waiting")],
)
def test_supporters_and_coordinators_start_on_their_own_page(request, role, start):
    client = signed_in(request.getfixturevalue(role))

    response = client.get("/")

    assertRedirects(response, reverse(start))
    assert response.url != reverse("goals:home")


def test_every_recovery_route_is_covered():
    """The project's own pages, as listed in recovery/urls.py (included apps have
    their own tests)."""
    own = {p.name for p in recovery_urls.urlpatterns if isinstance(p, URLPattern)}
    # logout: tests/recovery/test_sessions.py; the audit pages: their own tests;
    # password_reset: tests/recovery/test_hardening.py; the others: the test
    # module named for them (test_invitations.py, test_getting_back_in.py,
    # test_two_factor.py, test_notifications.py, test_crisis_lines.py).
    assert own == {
        "password_reset",
        "home",
        "account",
        "crisis",
        "healthz",
        "readyz",
        "logout",
        "data-views",
        "security-events",
        "invitation-accept",
        "password-link",
        "two-factor",
        "two-factor-start",
        "two-factor-confirm",
        "two-factor-off",
        "two-factor-verify",
        "two-factor-backup-codes",
        "notifications",
        "notification-open",
        "notifications-read",
        "notification-bell",
        "notification-settings",
        "crisis-lines",
        "crisis-line-edit",
        "crisis-line-remove",
        "crisis-line-move",
    }


# --- Crisis page ----------------------------------------------------------------


def test_crisis_page_shows_988_signed_out(client):
    response = client.get(reverse("crisis"))

    text = page_text(response)
    assert response.status_code == 200
    assert "988 Suicide &amp; Crisis Lifeline (US)" in response.content.decode()
    assert '<a class="button" href="tel:988">Call 988</a>' in text
    assert '<a class="button secondary" href="sms:988">Text 988</a>' in text
    assert "Call or text 988, any time, day or night." in text
    assert "call your local emergency number" in text
    assert "default lines" not in text  # people in crisis see only help
    assert "Back to my plan" not in text


def test_only_coordinators_are_told_the_lines_are_the_default(member, coordinator):
    for person, told in [(member, False), (coordinator, True)]:
        text = page_text(signed_in(person).get(reverse("crisis")))
        assert ("For coordinators: these are the default lines." in text) is told


def test_crisis_page_signed_in_links_back_to_the_plan(member):
    text = page_text(signed_in(member).get(reverse("crisis")))

    assert 'href="tel:988"' in text
    assert "Back to my plan" in text


def test_crisis_page_honours_the_programmes_own_lines(client, coordinator):
    samaritans = crisis.crisis_line_save(
        line=CrisisLine(
            name="Samaritans (UK)", contact="116 123", kind="call", hours="any time"
        ),
        by=coordinator,
    )
    crisis.crisis_line_remove(line=CrisisLine.objects.exclude(pk=samaritans.pk).get())

    text = page_text(client.get(reverse("crisis")))

    assert "Samaritans (UK)" in text and "116 123" in text
    assert "988" not in text
    assert "default lines" not in text


def test_every_page_links_to_the_crisis_page(client, member):
    for response in (client.get("/accounts/login/"), signed_in(member).get("/today/")):
        assert 'href="/crisis/">Need help now?</a>' in page_text(response)


# --- Account settings -----------------------------------------------------------


def test_account_page_shows_the_current_settings(member):
    member.time_zone = "Europe/Lisbon"
    member.save()

    response = signed_in(member).get(reverse("account"))

    text = page_text(response)
    assert 'name="first_name" value="Maya"' in text
    assert '<option value="Europe/Lisbon" selected>Lisbon (UTC' in text
    assert "Your days (like one check-in a day) follow your time zone." in text


@pytest.mark.parametrize("role", ["member", "supporter", "coordinator"])
def test_account_saves_first_name_and_time_zone(request, role):
    person = request.getfixturevalue(role)
    client = signed_in(person)

    response = client.post(
        reverse("account"),
        {"first_name": "Alex", "time_zone": "America/New_York", "role": "coordinator"},
    )

    assertRedirects(response, reverse("account"), fetch_redirect_response=False)
    person.refresh_from_db()
    assert person.first_name == "Alex"
    assert person.time_zone == "America/New_York"
    assert person.role == role  # not a field a person may set
    text = page_text(client.get(response.url))
    assert "Your settings are saved." in text
    assert '<option value="America/New_York" selected>New York (UTC−4' in text or (
        '<option value="America/New_York" selected>New York (UTC−5' in text
    )


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "utc; drop table"])
def test_account_rejects_an_unknown_time_zone(member, zone):
    response = signed_in(member).post(
        reverse("account"), {"first_name": "Changed", "time_zone": zone}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["time_zone"]
    assert errors
    assert errors[0] in page_text(response)
    member.refresh_from_db()
    assert member.first_name == "Maya"
    assert member.time_zone == "UTC"


def test_the_saved_time_zone_is_used_for_times_shown(member):
    JourneyEventFactory(
        goal=GoalFactory(member=member),
        occurred_at=datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC),
    )
    client = signed_in(member)
    assert "Sun 1 Mar 2026, 20:30" in page_text(client.get("/timeline/"))

    client.post(reverse("account"), {"first_name": "Maya", "time_zone": "Asia/Tokyo"})

    assert "Mon 2 Mar 2026, 05:30" in page_text(client.get("/timeline/"))


# --- Sign in, sign out, passwords -----------------------------------------------


def test_sign_in_with_the_right_password_goes_to_the_start_page(client, member):
    response = client.post(
        reverse("login"), {"username": member.username, "password": PASSWORD}
    )

    assertRedirects(response, "/", target_status_code=302)
    assert client.session[SESSION_KEY] == str(member.pk)
    assertRedirects(client.get("/"), reverse("goals:home"))


def test_sign_in_returns_to_the_page_asked_for(client, member):
    response = client.post(
        reverse("login"),
        {"username": member.username, "password": PASSWORD, "next": "/timeline/"},
    )

    assertRedirects(response, "/timeline/")


def test_sign_in_page_keeps_next(client):
    text = page_text(client.get("/accounts/login/?next=/goals/"))

    assert '<input type="hidden" name="next" value="/goals/">' in text


def test_sign_in_with_a_wrong_password_shows_an_error(client, member):
    response = client.post(
        reverse("login"), {"username": member.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert "Please enter a correct username and password." in page_text(response)
    assert SESSION_KEY not in client.session


def test_sign_out_is_a_post_and_ends_the_session(member):
    client = signed_in(member)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assertRedirects(response, reverse("login"))
    assert SESSION_KEY not in client.session
    assertRedirects(client.get("/today/"), "/accounts/login/?next=/today/")


def test_change_password(member):
    client = signed_in(member)
    new = "a-new-and-longer-passphrase"

    assert "Change password" in page_text(client.get(reverse("password_change")))
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assertRedirects(response, reverse("password_change_done"))
    member.refresh_from_db()
    assert member.check_password(new)
    assert "Your password is changed." in page_text(
        client.get(reverse("password_change_done"))
    )


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    member.email = "maya@example.org"
    member.save()

    with django_capture_on_commit_callbacks(execute=True):  # the worker's part
        response = client.post(reverse("password_reset"), {"email": "maya@example.org"})

    assertRedirects(response, reverse("password_reset_done"))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["maya@example.org"]
    link = re.search(r"http://[^/]+(/accounts/reset/\S+/)", mailoutbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert "Set my password" in page_text(form)
    new = "a-fresh-start-passphrase"
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assertRedirects(response, reverse("password_reset_complete"))
    member.refresh_from_db()
    assert member.check_password(new)


def test_password_reset_for_an_unknown_address_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assertRedirects(response, reverse("password_reset_done"))
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_members_footer_line_is_on_members_pages_only(client):
    from tests.factories import MemberFactory, SupporterFactory

    line = "You decide what your peer supporter sees."
    client.force_login(MemberFactory())
    assert line in page_text(client.get(reverse("crisis")))
    client.force_login(SupporterFactory())
    assert line not in page_text(client.get(reverse("crisis")))


def test_the_sign_in_page_says_how_to_join_and_whom_to_ask(client, settings):
    text = page_text(client.get("/accounts/login/"))
    assert "New here, or forgot your sign-in name?" in text
    assert "your peer support programme's coordinator can invite you" in text

    settings.PROGRAMME_CONTACT = "Jo at the Harbour Centre (555 0100)"
    text = page_text(client.get("/accounts/login/"))
    assert "Jo at the Harbour Centre (555 0100) can invite you" in text
