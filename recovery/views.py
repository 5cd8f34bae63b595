from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery import email
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
    context = {
        "lines": settings.CRISIS_LINES,
        "configured": settings.CRISIS_LINES_CONFIGURED,
    }
    return render(request, "recovery/crisis.html", context)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Public health check: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


AUDIT_PAGE_SIZE = 50


@role_required(Role.MEMBER)
@never_cache
def my_data_views(request: AuthedRequest) -> HttpResponse:
    """Who viewed my data: every time someone else opened a page with it."""
    events = AuditEvent.objects.views_of(request.user)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recovery/data_views.html", {"page": page})


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
