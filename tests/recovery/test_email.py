"""Email through the worker (recovery.email): once per key, never in a request,
nothing lost while the mail server is down, no member text in any email."""

import datetime
import logging
import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from peers import services as peer_services
from peers.models import DigestSetting
from recovery import email
from recovery.models import EmailStatus, OutgoingEmail
from recovery.tasks import send_email, tick
from tests.factories import (
    CoordinatorFactory,
    MemberFactory,
    OutgoingEmailFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


class AwayBackend(EmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def mail_server_away(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.AwayBackend"}}
    yield
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }


@pytest.fixture
def people(db):
    member = MemberFactory(first_name="Maya", email="maya@example.org")
    supporter = SupporterFactory(first_name="Sam", email="sam@example.org")
    SupporterProfileFactory(user=supporter)
    return member, supporter, CoordinatorFactory()


def ask(person, key="k1"):
    return email.email_person(person, "password_reset", key)


def test_the_same_kind_and_key_is_asked_for_once_and_sent_once(
    people, django_capture_on_commit_callbacks
):
    member, *_ = people
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(member)
        again = ask(member)
    assert first is not None and again is None
    assert send_email.call(email_id=first.pk) is False  # run twice: sends once

    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert (first.status, first.attempts) == (EmailStatus.SENT, 1)


def test_nobody_without_an_address_is_asked_for():
    assert ask(MemberFactory(email="")) is None
    assert not OutgoingEmail.objects.exists()


def test_an_unknown_kind_is_a_bug_said_at_once(people):
    with pytest.raises(ValueError, match="no writer"):
        email.email_person(people[0], "no_such_kind", "k")


def test_no_email_leaves_while_its_change_is_not_committed(
    people, django_capture_on_commit_callbacks
):
    member, supporter, coordinator = people
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        peer_services.match_create(member=member, supporter=supporter, by=coordinator)

    assert mail.outbox == []
    assert len(waiting) == 2


def test_with_the_mail_server_down_the_page_answers_and_the_email_follows(
    people, clock, mail_server_away, settings, django_capture_on_commit_callbacks
):
    member, supporter, coordinator = people
    DigestSetting.objects.create(user=supporter, on=False)  # only the match emails
    client = Client()
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("peers:match-create"),
            {"member": member.pk, "supporter": supporter.pk},
        )

    assert response.status_code == 302
    waiting = OutgoingEmail.objects.filter(status=EmailStatus.WAITING)
    assert waiting.count() == 2
    assert {e.last_error for e in waiting} == {"SMTPServerDisconnected"}
    tick.call()  # too soon: the first retry waits a minute
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 0

    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    clock.shift(datetime.timedelta(minutes=1))
    tick.call()
    tick.call()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "maya@example.org",
        "sam@example.org",
    ]
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 2


def test_after_every_retry_it_is_given_up_logged_without_text_and_counted(
    people, clock, mail_server_away, caplog, django_capture_on_commit_callbacks
):
    member, *_ = people
    with django_capture_on_commit_callbacks(execute=True):
        asked = ask(member)
    for minutes in email.RETRY_MINUTES:
        clock.shift(datetime.timedelta(minutes=minutes))
        with caplog.at_level(logging.WARNING, logger="recovery.email"):
            tick.call()

    asked.refresh_from_db()
    assert asked.status == EmailStatus.FAILED
    assert asked.attempts == len(email.RETRY_MINUTES) + 1
    assert email.failed_count() == 1
    logged = caplog.text
    assert "given up after 6 attempts: SMTPServerDisconnected" in logged
    assert "maya@example.org" not in logged and "Connection unexpectedly" not in logged


def test_a_new_supporter_is_one_email_to_the_member_not_two(
    people, django_capture_on_commit_callbacks
):
    member, first, coordinator = people
    peer_services.match_create(member=member, supporter=first, by=coordinator)
    second = SupporterFactory(first_name="Ria", email="ria@example.org")
    SupporterProfileFactory(user=second)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        peer_services.rematch(
            member=member, supporter=second, by=coordinator, reason="moved"
        )

    sent = {(m.to[0], m.subject) for m in mail.outbox}
    assert sent == {
        ("maya@example.org", "You have a new peer supporter"),
        ("sam@example.org", "A peer support match has ended"),
        ("ria@example.org", "You have a new peer support match"),
    }


def test_the_worker_sends_what_a_request_asked_for(tmp_path):
    """The real thing: the database backend and `manage.py worker`, in processes
    of their own, on a database file."""
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "recovery.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-key-for-this-test-only-" + "x" * 40,
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }

    def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            **kwargs,
        )

    run("manage.py", "migrate", "--no-input")
    run(
        "-c",
        "import django; django.setup()\n"
        "from recovery.email import email_person\n"
        "from recovery.models import User\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "person = User.objects.create(username='w', email='w@example.org')\n"
        "email_person(person, 'password_reset', 'k')\n"
        "assert DBTaskResult.objects.count() == 1, 'enqueued, not sent'\n",
    )
    worker = run("manage.py", "worker", "--batch", "--no-startup-delay")
    left = run(
        "-c",
        "import django; django.setup()\n"
        "from recovery.models import OutgoingEmail\n"
        "print(OutgoingEmail.objects.get().status)\n",
    )

    assert "Subject: Set a new password for Recovery planner" in worker.stdout
    assert "To: w@example.org" in worker.stdout
    assert left.stdout.strip() == "sent"


def test_coordinators_see_how_many_emails_failed_never_which(coordinator):
    OutgoingEmailFactory(status=EmailStatus.FAILED, last_error="SMTPDataError")
    OutgoingEmailFactory(status=EmailStatus.SENT, sent_at=START)
    client = Client()
    client.force_login(coordinator)

    page = client.get(reverse("security-events")).content.decode()

    assert "could not be sent, even after trying again for five hours: 1." in page
    assert "someone@example.org" not in page


def test_a_broken_writer_fails_its_own_email_and_the_others_still_go(
    people, clock, monkeypatch
):
    member, supporter, _coordinator = people
    broken = ask(member, "broken")
    fine = ask(supporter, "fine")

    def breaks(person, params):
        if person == member:
            raise RuntimeError("a bug")
        return email.Letter("Hello", "A link.")

    monkeypatch.setitem(email.WRITERS, "password_reset", breaks)
    tick.call()

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == EmailStatus.FAILED and broken.last_error == "RuntimeError"
    assert fine.status == EmailStatus.SENT
