"""The planner's own pages: each person's start, their account settings, the
public crisis page, the public health checks, sign-out, and the 500 page."""

import secrets
import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from recovery.crisis import programme_lines
from recovery.decorators import two_factor_exempt
from recovery.forms import AccountForm
from recovery.models import Role
from recovery.security import DATABASE_UNAVAILABLE, database_unavailable_response
from recovery.types import AuthedRequest

START_PAGE = {
    Role.MEMBER: "goals:home",
    Role.SUPPORTER: "peers:caseload",
    Role.COORDINATOR: "peers:waiting",
}


def home_redirect(request: AuthedRequest) -> HttpResponse:
    """Send each person to the start page of their role."""
    return redirect(START_PAGE[request.user.role])


def account_edit(request: AuthedRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("account")
    return render(request, "recovery/account.html", {"form": form})


@login_not_required
def crisis_detail(request: HttpRequest) -> HttpResponse:
    """Crisis resources: public, so they are one tap away even when signed out."""
    lines = programme_lines()
    context = {"lines": lines.lines, "configured": lines.configured}
    return render(request, "recovery/crisis.html", context)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


@login_not_required
@never_cache
def health_check(request: HttpRequest) -> HttpResponse:
    """Public liveness check: 200 when the database answers, 503 when it does not."""
    if not _database_answers():
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _cache_answers() -> bool:
    """A value written to the shared cache reads back (a Redis that is down
    answers every read as a miss: recovery.cache)."""
    key, token = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, 10)
    answered = cache.get(key) == token
    cache.delete(key)
    return answered


def _tasks_waiting() -> int | None:
    """How many tasks wait for a worker, or None if the queue does not answer."""
    try:
        return DBTaskResult.objects.ready().count()
    except DatabaseError:
        return None


@login_not_required
@never_cache
def readiness_check(request: HttpRequest) -> HttpResponse:
    """Public readiness check, for a load balancer: whether the database, the
    shared cache and the task queue answer. It says "ok" or "unavailable" of each
    and how many tasks wait; never an address. Without the database or the queue
    the server is not ready (503); without the cache it serves every page, only
    slower, so it stays ready (200, "degraded"): a balancer that took every
    server out while Redis is down would turn a slow hour into an outage."""
    waiting = _tasks_waiting()
    parts = {
        "database": _database_answers(),
        "cache": _cache_answers(),
        "tasks": waiting is not None,
    }
    body: dict[str, object] = {
        name: "ok" if answers else "unavailable" for name, answers in parts.items()
    }
    body["tasks_waiting"] = waiting
    ready = parts["database"] and parts["tasks"]
    body["status"] = (
        "unavailable" if not ready else "ok" if parts["cache"] else "degraded"
    )
    return JsonResponse(body, status=200 if ready else 503)


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


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the cause is an unreachable database (say while
    loading the session, before any view ran), else the plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return database_unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))
