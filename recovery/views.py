import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from recovery import audit, email
from recovery.crisis import programme_lines
from recovery.decorators import role_required
from recovery.forms import AccountForm
from recovery.models import SECURITY_KINDS, AuditEvent, Role
from recovery.types import AuthedRequest

START_PAGE = {
    Role.MEMBER: "goals:home",
    Role.SUPPORTER: "peers:caseload",
    Role.COORDINATOR: "peers:waiting",
}


def home(request: AuthedRequest) -> HttpResponse:
    """Send each person to the start page of their role."""
    return redirect(START_PAGE[request.user.role])


def account(request: AuthedRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("account")
    return render(request, "recovery/account.html", {"form": form})


@login_not_required
def crisis(request: HttpRequest) -> HttpResponse:
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
def healthz(request: HttpRequest) -> HttpResponse:
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
def readyz(request: HttpRequest) -> HttpResponse:
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


AUDIT_PAGE_SIZE = 50
DAYS_OF_VIEWS_PAGE_SIZE = 20


@role_required(Role.MEMBER)
@never_cache
def my_data_views(request: AuthedRequest) -> HttpResponse:
    """Who viewed my data: by person and day ("Sam opened your member page 25
    times on Tuesday 2 December"), each with what they saw and when one tap
    away; or, with ?each=1, every view one by one."""
    member = request.user
    if request.GET.get("each"):
        events = AuditEvent.objects.views_of(member)
        page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "recovery/data_views.html", {"page": page, "each": True})
    rows = audit.views_by_day(member)
    page = Paginator(rows, DAYS_OF_VIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    days = audit.days_of_views(member, page.object_list, detail=True)
    return render(request, "recovery/data_views.html", {"page": page, "days": days})


@role_required(Role.COORDINATOR)
@never_cache
def security_events(request: AuthedRequest) -> HttpResponse:
    """Sign-ins, failed sign-ins, sign-outs and refused attempts, newest first."""
    kinds = [(kind.value, kind.label) for kind in SECURITY_KINDS]
    kind = request.GET.get("kind", "")
    events = AuditEvent.objects.security()
    if kind in dict(kinds):
        events = events.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": kinds,
        "kind": kind,
        "failed_emails": email.failed_count(),
    }
    return render(request, "recovery/security_events.html", context)
