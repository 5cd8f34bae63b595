"""The planner's own pages: each person's start, their account settings, the
public crisis page, the public health checks, sign-out, and the 500 page."""

import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery import health
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


@login_not_required
@never_cache
def health_check(request: HttpRequest) -> HttpResponse:
    """Public liveness check: 200 when the database answers, 503 when it does not."""
    if not health.database_answers():
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readiness_check(request: HttpRequest) -> HttpResponse:
    """Public readiness check, for a load balancer (recovery.health.readiness):
    503 when the server is not ready, 200 when it is, even without the cache."""
    ready, body = health.readiness()
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
