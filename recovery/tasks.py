"""The recovery app's background tasks: sending email, and the minute tick.

The tick is the worker's own periodic task (`manage.py worker` enqueues it every
minute): it runs each job registered with `@every_minute` (emails due for a
retry here; reminders and digests in the apps that own them). Every job is
idempotent, so two workers ticking at once, or a tick run twice, send nothing
twice; a missed tick is caught up by the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.tasks import task
from django.utils import timezone

from recovery import email

logger = logging.getLogger(__name__)

EVERY_MINUTE: dict[str, Callable[[], int]] = {}


def every_minute(job: Callable[[], int]) -> Callable[[], int]:
    """Register a job for the tick; it returns how many things it did."""
    EVERY_MINUTE[f"{job.__module__}.{job.__qualname__}"] = job
    return job


@task
def send_email(*, email_id: int) -> bool:
    return email.send(email_id)


@every_minute
def send_due_emails() -> int:
    """Emails waiting for a retry (or never picked up) whose time has come."""
    sent = 0
    for pk in email.due_ids(timezone.now()):
        try:
            sent += email.send(pk)
        except Exception:  # one email's trouble never holds back the others
            logger.exception("Email %s could not be handled", pk)
    return sent


@task
def tick() -> dict[str, int]:
    """Run every registered job once; one failing never stops the others."""
    done = {}
    for name, job in EVERY_MINUTE.items():
        try:
            done[name] = job()
        except Exception:
            logger.exception("The tick's job %s failed", name)
    return done
