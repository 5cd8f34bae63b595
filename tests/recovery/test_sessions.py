"""Sessions: a new key at sign-in, idle and absolute time limits, ended elsewhere
by a password change, and a sign-out that clears the browser."""

import datetime
import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
START = datetime.datetime(2031, 3, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_signing_in_gives_a_new_session_key(member):
    client = Client()
    session = client.session
    session["before"] = "anonymous visit"
    session.save()
    before = session.session_key

    response = client.post(
        reverse("login"), {"username": member.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not SessionStore().exists(before)


def test_the_session_cookie_is_http_only_and_same_site_lax(member):
    client = Client()

    response = client.post(
        reverse("login"), {"username": member.username, "password": PASSWORD}
    )

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Idle and absolute limits ----------------------------------------------------


def test_a_member_stays_signed_in_while_active(member, clock):
    client = signed_in(member)

    for _ in range(5):
        clock.shift(minutes(29))
        assert client.get(reverse("goals:home")).status_code == 200


def test_a_member_is_signed_out_after_30_idle_minutes_and_told_why(member, clock):
    client = signed_in(member)
    clock.shift(minutes(29))
    assert client.get(reverse("goals:home")).status_code == 200

    clock.shift(minutes(31))
    response = client.get(reverse("goals:list"))

    assertRedirects(
        response,
        f"{reverse('login')}?next={reverse('goals:list')}",
        fetch_redirect_response=False,
    )
    page = text(client.get(response.url))
    assert "You were signed out after 30 minutes without activity" in page
    assert client.get(reverse("goals:home")).status_code == 302


def test_the_bell_and_conversation_asking_for_news_never_keep_a_session_awake(
    member, clock
):
    """A tab left open on a shared computer polls about once a minute; that is
    not the person being there."""
    from tests.factories import MatchFactory

    MatchFactory(member=member)
    client = signed_in(member)
    bell = reverse("notification-bell") + "?poll=1"
    talk = reverse("peers:conversation") + "?poll=1"
    for _ in range(31):
        clock.shift(minutes(1))
        assert client.get(bell, headers={"HX-Request": "true"}).status_code < 400
        client.get(talk, headers={"HX-Request": "true"})

    response = client.get(reverse("goals:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["supporter", "coordinator"])
def test_supporters_and_coordinators_are_signed_out_after_15_idle_minutes(
    request, role, clock
):
    client = signed_in(request.getfixturevalue(role))
    clock.shift(minutes(14))
    assert client.get(reverse("account")).status_code == 200

    clock.shift(minutes(16))

    assert client.get(reverse("account")).status_code == 302


def test_the_idle_limits_come_from_settings(member, clock, settings):
    settings.SESSION_IDLE_MEMBER_MINUTES = 5
    client = signed_in(member)

    clock.shift(minutes(6))

    assert client.get(reverse("goals:home")).status_code == 302


def test_every_session_ends_12_hours_after_sign_in_however_active(member, clock):
    client = signed_in(member)
    for _ in range(11 * 3 + 2):
        clock.shift(minutes(20))
        assert client.get(reverse("goals:home")).status_code == 200
    clock.shift(minutes(19))  # 11:59 after sign-in
    assert client.get(reverse("goals:home")).status_code == 200

    clock.shift(minutes(2))
    response = client.get(reverse("goals:home"))

    assert response.status_code == 302
    assert "because you signed in 12 hours ago" in text(client.get(response.url))


def test_an_htmx_request_after_the_limit_moves_the_whole_page_to_sign_in(member, clock):
    client = signed_in(member)
    clock.shift(minutes(31))

    response = client.get(reverse("goals:timeline"), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"].startswith(reverse("login"))


def test_an_ordinary_page_writes_the_session_at_most_once_a_minute(
    member, clock, django_assert_num_queries
):
    client = signed_in(member)
    client.get(reverse("account"))
    clock.shift(datetime.timedelta(seconds=20))

    # The session, the person and the bell's count, nothing else.
    with django_assert_num_queries(3):
        client.get(reverse("account"))


# --- Password change and sign-out -------------------------------------------------


def test_changing_the_password_ends_every_other_session(member):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(
            reverse("login"), {"username": member.username, "password": PASSWORD}
        )
    assert elsewhere.get(reverse("goals:home")).status_code == 200

    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )

    assertRedirects(response, reverse("password_change_done"))
    assert here.get(reverse("goals:home")).status_code == 200
    assert elsewhere.get(reverse("goals:home")).status_code == 302


def test_signing_out_ends_the_session_and_clears_the_browser(member_client):
    key = member_client.session.session_key

    response = member_client.post(reverse("logout"))

    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assertRedirects(response, reverse("login"), fetch_redirect_response=False)
    assert not SessionStore().exists(key)
    assert member_client.get(reverse("goals:home")).status_code == 302


def test_signing_out_takes_a_post(member_client):
    assert member_client.get(reverse("logout")).status_code == 405


# --- Production cookies -----------------------------------------------------------


def test_production_cookies_are_secure_host_only_and_http_only():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    script = (
        "import recovery.settings as s; print(s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SESSION_COOKIE_AGE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env | {"DEBUG": "0", "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "Lax",
        str(12 * 60 * 60),
    ]
