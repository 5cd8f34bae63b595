"""The audit log's pages: a member's "who viewed my data", and the coordinators'
security events (sign-ins, failures, sign-outs, refusals)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from recovery import audit, email
from recovery.decorators import role_required
from recovery.models import SECURITY_KINDS, AuditEvent, Role
from recovery.types import AuthedRequest

AUDIT_PAGE_SIZE = 50
DAYS_OF_VIEWS_PAGE_SIZE = 20


@role_required(Role.MEMBER)
@never_cache
def data_view_list(request: AuthedRequest) -> HttpResponse:
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
def security_event_list(request: AuthedRequest) -> HttpResponse:
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
