"""Email, sent by the worker, never inside a request; once per key; retried.

A change that should tell someone asks for an email with `email_person(...)`
inside its own transaction: an OutgoingEmail row (its kind, a key that makes it
once-only, and a few ids) and, once the change commits, a task that sends it.
The task writes the message then, from the kind's writer (registered with
`@email_kind` in each app's `emails.py`), so nothing a member wrote is ever
stored for an email or put in one: writers use ids, first names and links.

A mail server that is down loses nothing: the row waits, and the worker's
minute tick (`send_due_emails`) tries again after 1, 5, 15, 60 and 240 minutes;
after that it is marked failed, logged by kind and id only, and counted for
coordinators.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from recovery.models import EmailStatus, Invitation, OutgoingEmail, User

logger = logging.getLogger(__name__)

# Minutes to wait after each failed attempt; one more failure and it is given up.
RETRY_MINUTES = (1, 5, 15, 60, 240)
# What a mail server being away looks like: these are retried, anything else is a
# bug and fails at once (still logged without the message).
SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


# A writer gets the person (or, for the invitation email, the invitation: its
# person has no account yet) and the row's params.
type Writer = Callable[[User | Invitation, dict], Letter | None]
WRITERS: dict[str, Writer] = {}


def link(path: str) -> str:
    """An address on this site for an email (SITE_URL: there is no request)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def sign_in_to_see(what: str, path: str) -> str:
    return _("Sign in to %(programme)s to see %(what)s:\n\n%(link)s\n") % {
        "programme": settings.PROGRAMME_NAME,
        "what": what,
        "link": link(path),
    }


def signed(body: str) -> str:
    """Every email ends with the programme's name, after the usual "-- " line
    that mail programs fold away."""
    return f"{body.rstrip()}\n\n-- \n{settings.PROGRAMME_NAME}\n"


def email_kind(kind: str) -> Callable[[Writer], Writer]:
    """Register the writer of one kind of email. It gets the person and the row's
    params and returns the letter, or None when there is nothing left to say (the
    thing it was about is gone)."""

    def register(writer: Writer) -> Writer:
        if kind in WRITERS:
            raise ValueError(f"email kind {kind!r} is registered twice")
        WRITERS[kind] = writer
        return writer

    return register


def email_person(
    user: User, kind: str, key: str, params: dict | None = None
) -> OutgoingEmail | None:
    """Ask for one email to `user`, sent after the current transaction commits.
    Returns None when the person has no address, or when this kind and key was
    asked for already (it is not sent twice)."""
    if kind not in WRITERS:
        raise ValueError(f"no writer for email kind {kind!r}")
    if not user.email:
        return None
    return _ask(kind, key, params, user=user)


def email_invitation(
    invitation: Invitation, kind: str, key: str, params: dict | None = None
) -> OutgoingEmail | None:
    """Ask for one email to the address on an invitation (the person has no
    account yet), sent after the current transaction commits; None when it has
    no address or was asked for already."""
    if kind not in WRITERS:
        raise ValueError(f"no writer for email kind {kind!r}")
    if not invitation.email:
        return None
    return _ask(kind, key, params, invitation=invitation)


def _ask(kind: str, key: str, params: dict | None, **recipient) -> OutgoingEmail | None:
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                kind=kind, key=key, params=params or {}, **recipient
            )
    except IntegrityError:
        return None
    from recovery.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(email_id=email.pk))
    return email


def _still_wanted(recipient: User | Invitation) -> bool:
    """An account still open, or an invitation still open (not used, withdrawn
    or expired)."""
    if isinstance(recipient, Invitation):
        return recipient.is_usable
    return recipient.is_active


def send(email_id: int) -> bool:
    """Send one waiting email whose time has come. True if this call sent it;
    False if it was sent already, is not due, or failed (and will be retried)."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(of=("self",))
            .select_related("user", "invitation")
            .filter(pk=email_id, status=EmailStatus.WAITING)
            .first()
        )
        if email is None or email.next_attempt_at > timezone.now():
            return False
        recipient = email.user or email.invitation
        try:
            with translation.override(settings.LANGUAGE_CODE):
                letter = WRITERS[email.kind](recipient, email.params)
        except Exception as error:  # a bug in a writer: give up on this one, say so
            email.attempts += 1
            _failed(email, error, retry=False)
            return False
        if letter is None or not recipient.email or not _still_wanted(recipient):
            # Nothing left to say, or nobody to say it to: kept as dropped, so
            # the same kind and key is not asked for again today.
            email.status = EmailStatus.DROPPED
            email.save(update_fields=["status"])
            return False
        message = EmailMessage(
            letter.subject,
            signed(letter.body),
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
        )
        email.attempts += 1
        try:
            message.send()
        except SEND_ERRORS as error:  # the mail server is away: try again later
            _failed(email, error, retry=True)
            return False
        except Exception as error:  # a bug: retrying would not help
            _failed(email, error, retry=False)
            return False
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return True


def _failed(email: OutgoingEmail, error: Exception, *, retry: bool) -> None:
    email.last_error = type(error).__name__[:100]
    if retry and email.attempts <= len(RETRY_MINUTES):
        wait = timedelta(minutes=RETRY_MINUTES[email.attempts - 1])
        email.next_attempt_at = timezone.now() + wait
        logger.warning(
            "Email %s (%s) not sent, attempt %d: %s; trying again in %s",
            email.pk,
            email.kind,
            email.attempts,
            email.last_error,
            wait,
        )
    else:
        email.status = EmailStatus.FAILED
        logger.error(
            "Email %s (%s) given up after %d attempts: %s",
            email.pk,
            email.kind,
            email.attempts,
            email.last_error,
        )
    email.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])


def due_ids(now=None) -> list[int]:
    """Waiting emails whose next attempt is due (for the worker's tick)."""
    now = now or timezone.now()
    waiting = OutgoingEmail.objects.filter(
        status=EmailStatus.WAITING, next_attempt_at__lte=now
    )
    oldest_first = waiting.order_by("next_attempt_at", "pk")
    return list(oldest_first.values_list("pk", flat=True)[:500])


def failed_count(since: timedelta = timedelta(days=7)) -> int:
    """Emails given up on lately: coordinators see this number, never the emails."""
    return OutgoingEmail.objects.filter(
        status=EmailStatus.FAILED, created_at__gte=timezone.now() - since
    ).count()
