"""Sign-in hardening: the lockout page, the address a sign-in comes from, sign-out
that clears the browser, and the pages shown when something goes wrong.

The rules themselves are settings (AXES_*, SESSION_*, REQUIRE_STAFF_2FA) and
middleware (recovery.middleware); this module holds the small pieces they call.
"""

import sys
import time

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import LogoutView
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator

from recovery.decorators import two_factor_exempt

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


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The calm 429 page django-axes shows to a locked-out sign-in.

    Each failed try while locked out starts the wait again (axes records it), so
    "now + the cool-off" is when signing in opens again at the latest.
    """
    cool_off = get_cool_off(request)
    # In minutes, not as a clock time: the server's zone is rarely the person's.
    context = {"minutes": max(1, round(cool_off.total_seconds() / 60))}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
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


# --- Sign-out --------------------------------------------------------------------


@method_decorator(two_factor_exempt, name="dispatch")
class SignOutView(LogoutView):
    """Django's sign-out, and the browser is told to forget this site's cache,
    cookies and storage, so nothing of the session stays on a shared device."""

    def post(self, request, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


sign_out = SignOutView.as_view()


# --- Pages when something goes wrong ---------------------------------------------


def database_unavailable_response() -> HttpResponse:
    """A friendly 503 that needs neither the database nor the request: no user,
    no session, no context processors. It carries the crisis lines itself, since
    the crisis page may be out of reach too."""
    html = render_to_string("503.html", {"crisis_lines": settings.CRISIS_LINES})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the cause is an unreachable database (say while
    loading the session, before any view ran), else the plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))
