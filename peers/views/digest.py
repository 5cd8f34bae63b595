"""A supporter's or coordinator's digest: on or off with one click, and its time."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peers.digests import digest_turn, setting_of
from peers.forms import DigestForm
from recovery.decorators import role_required
from recovery.models import Role
from recovery.types import AuthedRequest

staff_only = role_required(Role.SUPPORTER, Role.COORDINATOR)


@staff_only
def digest_edit(request: AuthedRequest) -> HttpResponse:
    setting = setting_of(request.user)
    form = DigestForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The digest's time is saved."))
        return redirect("peers:digest")
    weekly = request.user.role == Role.COORDINATOR
    context = {"form": form, "setting": setting, "weekly": weekly}
    return render(request, "peers/digest.html", context)


@staff_only
@require_POST
def digest_toggle(request: AuthedRequest) -> HttpResponse:
    """One click: the button says what it asks for ("on" or "off"), so a double
    click asks for the same thing twice."""
    setting = digest_turn(user=request.user, on=request.POST.get("on") == "1")
    if setting.on:
        messages.success(request, _("The digest is on."))
    else:
        messages.success(request, _("The digest is off. Nothing else changes."))
    return redirect("peers:digest")
