import logging
import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from recovery import log
from recovery.models import pseudonym

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("recovery.request")

# An id a load balancer sent along (HAProxy's unique-id, nginx's $request_id).
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """First of all: give the request an id (the balancer's, if it sent a sane
    one), put it on every log line written meanwhile and in the `X-Request-ID`
    response header, and write one line for the request: method, the URL pattern
    it matched (never the path: tokens), status, duration and the pseudonym."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = log.request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            request_logger.info(
                "%s %s %s",
                request.method,
                _path_seen(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": _path_seen(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "person": _person_seen(request),
                },
            )
            return response
        finally:
            log.request_id.reset(token)


def _path_seen(request: HttpRequest) -> str:
    """The URL pattern the request matched ("/invite/<str:token>/"), never the
    path itself: paths carry invitation, password-reset and stop-link tokens.
    A path that matched nothing is logged as such, not as it was sent."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.route is None:
        return "(no page)" if not request.path.startswith("/static/") else "/static/"
    return "/" + match.route


def _person_seen(request: HttpRequest) -> str | None:
    """The signed-in person's pseudonym, if the request already looked them up
    (never a query of its own: a static file does not load the session)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = user.__dict__.get("_wrapped", empty)
    if user is None or user is empty or not user.is_authenticated:
        return None
    return pseudonym(user)


class UserTimezoneMiddleware:
    """Show times in the signed-in person's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class HtmxSignInRedirectMiddleware:
    """When an htmx request needs sign-in (say the session ran out), send the whole
    page to the sign-in form instead of swapping the form into a fragment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


class SessionTimeoutMiddleware:
    """End a session after a while without activity (shorter for supporters and
    coordinators, who see other people's data) and, in any case, some hours after
    sign-in. The person lands on the sign-in page, told why.

    The time of the latest request is written at most once a minute, so an
    ordinary page costs no extra database write; the idle limit is kept to within
    that minute.
    """

    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request: HttpRequest, user) -> None:
        from recovery.security import LAST_SEEN_AT, SIGNED_IN_AT

        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen_at = session.get(LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            # A session from before these clocks existed: start them now.
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now
            return
        idle_minutes = (
            settings.SESSION_IDLE_STAFF_MINUTES
            if user.has_staff_role
            else settings.SESSION_IDLE_MEMBER_MINUTES
        )
        if now - last_seen_at > idle_minutes * 60:
            message = _(
                "You were signed out after %(minutes)d minutes without activity, "
                "to keep your information safe. Sign in again to carry on."
            ) % {"minutes": idle_minutes}
        elif now - signed_in_at > settings.SESSION_ABSOLUTE_HOURS * 60 * 60:
            message = _(
                "You were signed out because you signed in %(hours)d hours ago. "
                "Sign in again to carry on."
            ) % {"hours": settings.SESSION_ABSOLUTE_HOURS}
        else:
            # A page asking for news by itself (the bell, a conversation: "?poll=1")
            # is not the person being there: it never keeps the session awake.
            polling = request.GET.get("poll") == "1"
            if not polling and now - last_seen_at >= self.TOUCH_EVERY_SECONDS:
                session[LAST_SEEN_AT] = now
            return
        logout(request)
        messages.info(request, message, fail_silently=True)


class TwoFactorMiddleware:
    """Ask for a two-step code before any page, from anyone who set up an
    authenticator app, and send supporters and coordinators without one to set
    it up when `REQUIRE_STAFF_2FA` is on.

    Whether a person owes a code is worked out once per session (at sign-in) and
    kept in the session, so ordinary pages cost no extra query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        from recovery import two_factor

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True) or getattr(
            view_func, "two_factor_exempt", False
        ):
            return None
        page = two_factor.page_owed(request)
        if page is None:
            return None
        url = resolve_url(page)
        if request.method == "GET" and request.headers.get("HX-Request") != "true":
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of any page shown to a signed-in
    person, so a member's data never sits in a cache on a shared computer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            signed_in = request.user.is_authenticated
        except DatabaseError:
            signed_in = True  # unknown: be careful
        except AttributeError:
            signed_in = False
        if signed_in or response.status_code >= 500:
            add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503, not a 500, when the database cannot be reached or is
    busy, wherever that happens: in a view's query (`process_exception`), or in a
    middleware inside this one (the audit log's write, the session's save), which
    Django turns into an error response before it gets here; then
    `recovery.security.note_database_unavailable` has marked the request. The same
    with DEBUG on or off.

    Nothing half-written is left: every change of several rows runs inside
    `transaction.atomic`, which rolls back when the connection breaks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from recovery.security import database_unavailable_response

        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return database_unavailable_response()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        from recovery.security import (
            DATABASE_UNAVAILABLE,
            database_unavailable_response,
        )

        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.error(
            "Database unavailable at %s: %s",
            request.path,
            exception.__class__.__name__,
        )
        return database_unavailable_response()
