from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery.forms import AccountForm
from recovery.models import Role
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
