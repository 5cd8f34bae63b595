"""Sign-in hardening: the lockout page, the address a sign-in comes from, and the
page shown when the database is away (sign-out that clears the browser and the
500 page are views: recovery.views.pages).

The rules themselves are settings (AXES_*, SESSION_*, REQUIRE_STAFF_2FA) and
middleware (recovery.middleware); this module holds the small pieces they call.
"""

import math
import sys
import time

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

# What the session remembers about the sign-in (recovery.middleware reads them).
SIGNED_IN_AT = "_signed_in_at"
LAST_SEEN_AT = "_last_seen_at"

# The database is unreachable or its connection broke: a wait, not a bug.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


@receiver(user_logged_in, dispatch_uid="recovery.security.stamp_session")
def stamp_session(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Start the session's clocks at sign-in (Django has just given it a new key)."""
    if request is None or not hasattr(request, "session"):
        return
    from recovery.two_factor import remember_at_sign_in

    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    remember_at_sign_in(request, user)


# --- Lockout (django-axes) -------------------------------------------------------
#
# Three rules, so that a shared computer never locks out a room and nobody can lock
# a member out by guessing their name:
# - failures are counted per (account, address) pair, and the pair is paused after
#   SIGN_IN_FAILURE_LIMIT of them (settings);
# - an address that has failed for SPREAD_ACCOUNTS different accounts within the
#   window gets one try per account: it is refused for every account it already
#   failed for, while an account with no failures from there still signs in;
# - an account that has failed SIGN_IN_FAILURE_LIMIT times in all, from any addresses,
#   is slowed rather than locked: each further try waits a delay that doubles with
#   each failure, up to SLOW_DOWN_CAP_SECONDS, counted from the latest failure.
# Tries refused while paused or slowed are not counted (the password is not
# checked), so hammering neither extends a pause nor grows the delay.

SPREAD_ACCOUNTS = 30
SLOW_DOWN_CAP_SECONDS = 30


def _recent_attempts(request: HttpRequest | None = None):
    """django-axes' failure records within the cool-off window."""
    from axes.models import AccessAttempt

    since = timezone.now() - get_cool_off(request)
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def _address(request: HttpRequest) -> str:
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def failure_limit(request: HttpRequest, credentials=None) -> int:
    """AXES_FAILURE_LIMIT: the usual limit, or 1 for an address that has failed
    for many different accounts lately (it is guessing names, not mistyping)."""
    accounts = (
        _recent_attempts(request)
        .filter(ip_address=_address(request))
        .values("username")
        .distinct()
        .count()
    )
    if accounts >= SPREAD_ACCOUNTS:
        return 1
    return settings.SIGN_IN_FAILURE_LIMIT


def slow_down_seconds(request: HttpRequest, username: str | None) -> int:
    """How long a try for this account must still wait, whatever its address:
    0 until the account has failed the limit in all, then a doubling delay since
    its latest failure (1, 2, 4 ... SLOW_DOWN_CAP_SECONDS seconds)."""
    if not username:
        return 0
    counted = _recent_attempts(request).filter(username=username)
    totals = counted.aggregate(
        failures=Sum("failures_since_start"), latest=Max("attempt_time")
    )
    over = (totals["failures"] or 0) - settings.SIGN_IN_FAILURE_LIMIT
    if over < 0:
        return 0
    delay = min(SLOW_DOWN_CAP_SECONDS, 2**over)
    waited = (timezone.now() - totals["latest"]).total_seconds()
    return max(0, math.ceil(delay - waited))


class SignInGuard(AxesDatabaseHandler):
    """AXES_HANDLER: django-axes' database handler with the account slow-down."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        wait = slow_down_seconds(request, get_client_username(request, credentials))
        request.sign_in_wait_seconds = wait
        return wait > 0


def _paused_seconds(request: HttpRequest, credentials) -> int:
    """What is left of the pause for this account at this address."""
    latest = (
        _recent_attempts(request)
        .filter(
            username=get_client_username(request, credentials),
            ip_address=_address(request),
        )
        .aggregate(latest=Max("attempt_time"))["latest"]
    )
    cool_off = get_cool_off(request).total_seconds()
    if latest is None:
        return int(cool_off)
    return max(1, math.ceil(cool_off - (timezone.now() - latest).total_seconds()))


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The calm 429 page django-axes shows to a paused or slowed sign-in, with the
    wait in words (minutes, or seconds when slowed), never as a clock time: the
    server's zone is rarely the person's."""
    seconds = getattr(request, "sign_in_wait_seconds", 0)
    if seconds:
        context = {"seconds": seconds}
    else:
        seconds = _paused_seconds(request, credentials)
        context = {"minutes": max(1, round(seconds / 60))}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def client_ip(request: HttpRequest) -> str:
    """The address a request comes from, for counting failed sign-ins per address.

    Behind `TRUSTED_PROXY_COUNT` reverse proxies, each adding the address it saw to
    X-Forwarded-For, the client is that many entries from the right; anything
    further left was written by the client and could be anything.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def forget_sign_in_traces(user) -> None:
    """Delete what sign-in keeps under a person's name: django-axes' counted
    failures and logs for their username, and every session signed in as them
    (so a deleted account is signed out on every device at once).

    Sessions carry the user's id only inside their encoded data, so the live ones
    are read one by one; this runs only when an account is deleted.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth import SESSION_KEY as USER_ID_KEY
    from django.contrib.sessions.models import Session

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.get_username()).delete()
    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get(USER_ID_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()


# --- Pages when something goes wrong ---------------------------------------------


def database_unavailable_response() -> HttpResponse:
    """A friendly 503 that needs neither the database nor the request: no user,
    no session, no context processors. It carries the crisis lines itself, since
    the crisis page may be out of reach too."""
    from recovery.crisis import lines_without_database

    lines = lines_without_database().lines
    html = render_to_string("503.html", {"crisis_lines": lines})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="recovery.security.note_db_unavailable")
def note_database_unavailable(sender, request: HttpRequest | None = None, **kwargs):
    """Mark a request whose error was the database, for
    recovery.middleware.DatabaseUnavailableMiddleware to answer with the 503.
    Django sends this signal while handling the error, so it is the current one."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        request.database_unavailable = True  # type: ignore[attr-defined]
