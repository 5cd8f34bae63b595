"""Hardening: sign-in lockout, password hashing and reset links, security headers
on every page, `check --deploy`, no person's words marked safe, no member text in
logs or emails, error pages that reveal nothing, and a friendly 503 when the
database is down."""

import datetime
import html
import io
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.db import IntegrityError, OperationalError, connections
from django.template.loader import render_to_string
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django.asserts import assertRedirects

from goals.models import Goal, JourneyEvent
from recovery.log import NoMemberTextFormatter
from recovery.security import slow_down_seconds
from tests.factories import PASSWORD, CheckInFactory, GoalFactory, MemberFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
START = datetime.datetime(2031, 3, 4, 9, 0, tzinfo=datetime.UTC)
MARKER = "PRIVATE-MEMBER-WORDS-7Q"


def text(response) -> str:
    return html.unescape(response.content.decode())


def production_env(**extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            # Set for the browser journeys in this process; never in production.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return (
        env
        | {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "planner.example.org",
            "DATABASE_URL": "postgresql://planner:secret@db.internal:5432/planner",
            "SITE_URL": "https://planner.example.org",
        }
        | extra
    )


# --- Passwords --------------------------------------------------------------------


def test_argon2id_hashes_passwords_first_outside_the_tests():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import recovery.settings as s; print(s.PASSWORD_HASHERS[0])",
        ],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    encoded = Argon2PasswordHasher().encode("a passphrase", "somesaltsomesalt")

    assert result.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert encoded.startswith("argon2$argon2id$")


def _reset_link(client: Client, person) -> str:
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's part
        client.post(reverse("password_reset"), {"email": person.email})
    (message,) = mail.outbox
    return re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)


def _set_password(client: Client, link: str, password: str):
    form_url = client.get(link).url  # Django moves the token into the session
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_a_password_reset_link_works_once(client):
    person = MemberFactory(email="maya@example.org")
    link = _reset_link(client, person)

    first = _set_password(client, link, "a-fresh-passphrase-1")
    again = Client().get(link, follow=True)

    assertRedirects(first, reverse("password_reset_complete"))
    assert "This link has been used or has expired." in text(again)


def test_a_password_reset_link_lasts_an_hour(client, time_machine, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    time_machine.move_to(START, tick=False)
    person = MemberFactory(email="maya@example.org")
    link = _reset_link(client, person)

    time_machine.shift(datetime.timedelta(minutes=61))
    response = client.get(link, follow=True)

    assert "This link has been used or has expired." in text(response)


def test_a_reset_email_carries_only_the_link(client, settings):
    settings.SITE_URL = "https://planner.example.org"
    person = MemberFactory(email="maya@example.org")
    GoalFactory(member=person, title=MARKER, why=MARKER)
    CheckInFactory(member=person, note=MARKER)

    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker's part
        client.post(reverse("password_reset"), {"email": person.email})

    (message,) = mail.outbox
    assert MARKER not in message.subject + message.body
    assert "https://planner.example.org/accounts/reset/" in message.body


# --- Lockout ----------------------------------------------------------------------


WRONG = "not-the-password"


def _try(client: Client, username: str, password: str = WRONG, ip="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def test_five_failed_sign_ins_lock_the_account_with_a_calm_429(member, clock):
    client = Client()
    for _ in range(4):
        assert _try(client, member.username).status_code == 200

    locked = _try(client, member.username)

    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    page = text(locked)
    assert "Signing in is paused for a little while" in page
    assert "Please try again in about 15 minutes." in page
    assert "09:15" not in page and "UTC" not in page
    assert f'href="{reverse("password_reset")}"' in page
    assert f'href="{reverse("crisis")}"' in page
    assert member.username not in page


def test_the_pause_ends_on_time_however_often_it_is_tried(member, clock):
    client = Client()
    for _ in range(5):
        _try(client, member.username)

    clock.shift(datetime.timedelta(minutes=10))
    for _ in range(20):
        refused = _try(client, member.username)
    clock.shift(datetime.timedelta(minutes=4))
    still_paused = _try(client, member.username, PASSWORD)
    clock.shift(datetime.timedelta(minutes=1, seconds=1))
    after = _try(client, member.username, PASSWORD)

    assert refused.status_code == 429
    assert "about 5 minutes" in text(refused)
    assert still_paused.status_code == 429
    assertRedirects(after, reverse("home"), fetch_redirect_response=False)


def test_guesses_for_other_names_from_one_address_never_refuse_maya(member, clock):
    shared_computer = "203.0.113.7"
    for _ in range(8):
        _try(Client(), "noor", ip=shared_computer)
    for n in range(40):
        _try(Client(), f"guess-{n}", ip=shared_computer)

    response = _try(Client(), member.username, PASSWORD, ip=shared_computer)

    assertRedirects(response, reverse("home"), fetch_redirect_response=False)


def test_five_wrong_for_noor_from_one_address_pause_noor_there(clock):
    noor = MemberFactory(username="noor")
    for _ in range(5):
        _try(Client(), noor.username, ip="203.0.113.7")

    there = _try(Client(), noor.username, PASSWORD, ip="203.0.113.7")
    elsewhere_at_once = _try(Client(), noor.username, PASSWORD, ip="198.51.100.2")
    clock.shift(datetime.timedelta(seconds=2))
    elsewhere_soon = _try(Client(), noor.username, PASSWORD, ip="198.51.100.2")

    assert there.status_code == 429
    assert "about 15 minutes" in text(there)
    assert elsewhere_at_once.status_code == 429  # slowed: one second to wait
    assert "Please try again in 1 second." in text(elsewhere_at_once)
    assert elsewhere_at_once["Retry-After"] == "1"
    assertRedirects(elsewhere_soon, reverse("home"), fetch_redirect_response=False)


def test_one_account_guessed_from_many_addresses_is_slowed_not_locked(clock):
    noor = MemberFactory(username="noor")
    waits = []
    for n in range(10):
        clock.shift(datetime.timedelta(seconds=waits[-1] if waits else 0))
        assert _try(Client(), noor.username, ip=f"10.0.{n}.9").status_code == 200
        waits.append(slow_down_seconds(None, noor.username))

    at_once = _try(Client(), noor.username, PASSWORD, ip="192.0.2.44")
    clock.shift(datetime.timedelta(seconds=29))
    nearly = _try(Client(), noor.username, PASSWORD, ip="192.0.2.44")
    clock.shift(datetime.timedelta(seconds=1))
    after_the_wait = _try(Client(), noor.username, PASSWORD, ip="192.0.2.44")

    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 30]  # doubling, capped
    assert at_once.status_code == 429
    assert "Please try again in 30 seconds." in text(at_once)
    assert nearly.status_code == 429  # refused tries do not grow the delay
    assert "Please try again in 1 second." in text(nearly)
    assertRedirects(after_the_wait, reverse("home"), fetch_redirect_response=False)


def test_an_address_guessing_many_names_gets_one_try_each(member, clock):
    prowler = "203.0.113.66"
    for n in range(30):
        _try(Client(), f"guess-{n}", ip=prowler)
    _try(Client(), "noor", ip=prowler)

    again = _try(Client(), "guess-3", PASSWORD, ip=prowler)
    noor_again = _try(Client(), "noor", ip=prowler)
    maya_first_time = _try(Client(), member.username, PASSWORD, ip=prowler)

    assert again.status_code == 429
    assert noor_again.status_code == 429
    assertRedirects(maya_first_time, reverse("home"), fetch_redirect_response=False)


def test_behind_a_trusted_proxy_the_forwarded_address_counts(member, settings, clock):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        Client().post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, 203.0.113.{n}",
        )

    response = Client().post(
        reverse("login"),
        {"username": member.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )

    assert response.status_code == 302  # the proxy's own address is not locked


# --- Headers on every page --------------------------------------------------------


def simple_routes() -> list[tuple[str, str]]:
    """Every URL without parameters, found by walking the URL resolver."""
    found = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or "(" in route or "^" in route:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append(("/" + prefix + route, entry.name or ""))

    walk(get_resolver().url_patterns)
    return found


SIGNED_IN = ["member", "supporter", "coordinator"]


def test_the_walk_finds_the_pages_of_every_role():
    urls = {url for url, _name in simple_routes()}
    assert {
        reverse("goals:home"),
        reverse("peers:caseload"),
        reverse("peers:waiting"),
        reverse("account"),
        reverse("crisis"),
        reverse("healthz"),
    } <= urls


@pytest.mark.parametrize("who", ["anonymous", *SIGNED_IN])
def test_every_page_sends_csp_nosniff_referrer_policy_and_hsts(request, who):
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url, _name in simple_routes():
        response = client.get(url, secure=True)
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        assert policy.startswith("default-src 'self'; script-src 'self'"), url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        if headers["Content-Type"].startswith("text/html") and response.content:
            # A page's scripts run only with this response's nonce.
            assert "script-src 'self' 'nonce-" in policy, url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url


@pytest.mark.parametrize("who", SIGNED_IN)
def test_nothing_shown_to_a_signed_in_person_may_be_stored(request, who):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    for url, _name in simple_routes():
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), url


def test_pages_switch_off_htmx_history_snapshots(member_client):
    page = member_client.get(reverse("goals:home")).content.decode()

    assert re.search(r"<body[^>]* hx-history=\"false\"", page)


# --- check --deploy ---------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def check_deploy(**extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("extra", "check_id", "words"),
    [
        ({"REQUIRE_STAFF_2FA": "0"}, "recovery.W001", "with a password alone"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "recovery.W002", "X-Forwarded-For"),
        ({"SITE_URL": "http://127.0.0.1:8000"}, "recovery.W003", "links in emails"),
        ({"SITE_URL": "http://planner.example.org"}, "recovery.W003", "https://"),
    ],
)
def test_check_deploy_warns_of_settings_that_open_a_hole(extra, check_id, words):
    result = check_deploy(**extra)

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert check_id in output
    assert words in output


def test_a_deployment_can_name_a_warning_that_is_right_for_it():
    result = check_deploy(
        TRUSTED_PROXY_COUNT="1", SILENCED_SYSTEM_CHECKS="recovery.W002"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 silenced" in result.stdout


# --- Nobody's words marked safe ---------------------------------------------------

# Any use must be listed here with why it cannot carry a person's words.
SAFE_MARKING_ALLOWED: dict[str, str] = {}
SAFE_MARKING = re.compile(
    r"\|\s*safe\b|\|\s*safeseq\b|\{%\s*autoescape\s+off|mark_safe|SafeString|"
    r"format_html_join|html_safe"
)


def test_nothing_is_marked_safe_from_escaping():
    sources = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *(
            path
            for app in ("recovery", "goals", "peers")
            for pattern in ("*.py", "*.html", "*.txt")
            for path in ROOT.joinpath(app).rglob(pattern)
            if "migrations" not in path.parts
        ),
    ]
    found = []
    for path in sources:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if SAFE_MARKING.search(line) and where not in SAFE_MARKING_ALLOWED:
                found.append(f"{where}: {line.strip()}")

    assert len(sources) > 50
    assert found == []


# --- No member text in logs or emails ---------------------------------------------


@pytest.fixture
def log_output():
    """What the project's console handler writes, formatted as in production."""
    (handler,) = [
        handler
        for handler in logging.getLogger("django").handlers
        if isinstance(handler.formatter, NoMemberTextFormatter)
    ]
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(old)


def test_a_server_error_logs_the_path_but_not_what_was_posted(
    member, log_output, monkeypatch
):
    goal = GoalFactory(member=member)

    def broken(**kwargs):
        raise IntegrityError(f'DETAIL: Key (title)=("{MARKER}") already exists.')

    monkeypatch.setattr("goals.services.goal_update", broken)
    client = Client(raise_request_exception=False)
    client.force_login(member)

    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {"title": MARKER, "why": MARKER, "domain": "health"},
    )

    logged = log_output.getvalue()
    assert response.status_code == 500
    assert f"Internal Server Error: /goals/{goal.pk}/edit/" in logged
    assert "django.db.utils.IntegrityError: (message left out" in logged
    assert MARKER not in logged
    assert MARKER not in text(response)


def test_other_errors_keep_their_message_in_the_log():
    formatter = NoMemberTextFormatter()
    try:
        raise ValueError("a config value is wrong")
    except ValueError:
        formatted = formatter.formatException(sys.exc_info())

    assert "ValueError: a config value is wrong" in formatted


def test_match_emails_carry_no_goal_or_note_text(
    member, supporter, mailoutbox, django_capture_on_commit_callbacks
):
    from peers import services as peer_services

    member.email, supporter.email = "maya@example.org", "sam@example.org"
    member.save()
    supporter.save()
    GoalFactory(member=member, title=MARKER, why=MARKER)
    CheckInFactory(member=member, note=MARKER, note_shared=True)

    with django_capture_on_commit_callbacks(execute=True):
        peer_services.match_create(member=member, supporter=supporter, by=None)

    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert MARKER not in message.subject + message.body


# --- Error pages ------------------------------------------------------------------


def test_a_missing_page_says_so_in_our_style_and_reveals_nothing(member_client):
    response = member_client.get(f"/goals/{MARKER}/nothing-here/")

    page = text(response)
    assert response.status_code == 404
    assert "We could not find that page" in page
    assert "Need help now?" in page and "site-header" in page
    assert MARKER not in page
    assert "Resolver404" not in page and "urlpatterns" not in page


def test_a_refused_page_says_so_in_our_style_and_reveals_nothing(supporter):
    client = Client()
    client.force_login(supporter)

    response = client.get(reverse("goals:list"))

    page = text(response)
    assert response.status_code == 403
    assert "This page is not available to you" in page
    assert "PermissionDenied" not in page


def test_the_500_page_needs_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = render_to_string("500.html")

    assert "Something went wrong on our side" in page
    assert "Need help now?" in page
    assert "<script" not in page


def test_an_unexpected_error_shows_the_500_page_without_details(member, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(f"internal detail {MARKER}")

    monkeypatch.setattr("goals.views.home.member_home", broken)
    client = Client(raise_request_exception=False)
    client.force_login(member)

    response = client.get(reverse("goals:home"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in text(response)
    assert MARKER not in text(response) and "Traceback" not in text(response)


# --- When the database is down ----------------------------------------------------


def test_a_page_whose_query_fails_answers_a_friendly_503(member_client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("goals.views.home.member_home", unreachable)

    response = member_client.get(reverse("goals:home"))

    page = text(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "The planner is taking a short break" in page
    assert "988" in page  # the crisis lines, without the database
    assert "could not connect" not in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_busy_database_in_the_audit_middleware_answers_the_same_503(
    member, monkeypatch, settings, debug
):
    """A refused page's audit write meeting a busy SQLite (a scanner's parallel
    requests) answered a 500, with DEBUG on even the debug page, where a view's
    own query would have answered the calm 503."""
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    client.force_login(member)

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("recovery.audit.AuditEvent.save", busy)
    response = client.get("/goals/nothing-here/")

    assert response.status_code == 503
    assert "The planner is taking a short break" in text(response)
    assert "Content-Security-Policy" in response.headers
    assert response["X-Frame-Options"] == "DENY"
    assert "database is locked" not in text(response)


def test_with_no_database_at_all_pages_answer_503_and_crisis_lines_stay(member):
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(member)
    anonymous = Client(raise_request_exception=False)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    # Even loading the session fails: this reaches handler500, not a view.
    with mock.patch.object(connections["default"], "cursor", unreachable):
        home = signed_in.get(reverse("goals:home"))
        crisis_signed_in = signed_in.get(reverse("crisis"))
        crisis = anonymous.get(reverse("crisis"))
        health = anonymous.get(reverse("healthz"))

    assert home.status_code == 503
    assert "The planner is taking a short break" in text(home)
    assert "connection refused" not in text(home)
    assert crisis_signed_in.status_code == 503 and "988" in text(crisis_signed_in)
    assert crisis.status_code == 200 and "988" in text(crisis)
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable"}


def test_a_change_cut_off_by_the_database_leaves_nothing_half_written(
    member_client, member, monkeypatch
):
    def cut_off(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The goal row is written, then the timeline moment fails.
    monkeypatch.setattr(JourneyEvent.objects, "create", cut_off)

    response = member_client.post(
        reverse("goals:create"), {"title": MARKER, "domain": "health"}
    )

    assert response.status_code == 503
    assert not Goal.objects.filter(member=member).exists()


def test_no_template_comment_spans_lines():
    """`{# ... #}` must close on its own line: Django prints one that does not
    (a page would show the comment). Longer notes use {% comment %}."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.joinpath("templates").rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.count("{#") != line.count("#}")
    ]
    assert found == []
