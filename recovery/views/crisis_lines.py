"""The coordinator's page for the programme's crisis lines: add, change, order and
remove them (the rules are in recovery.crisis)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recovery import crisis, once
from recovery.decorators import role_required
from recovery.forms import CrisisLineForm
from recovery.models import CrisisLine, Role
from recovery.types import AuthedRequest

coordinator_only = role_required(Role.COORDINATOR)


@coordinator_only
def crisis_line_list(request: AuthedRequest) -> HttpResponse:
    """The lines in the order people see them, and a form to add one."""
    if request.method == "POST" and once.made_already(
        request.user, once.key_from(request)
    ):
        return redirect("crisis-lines")  # sent twice: the first one added it
    form = CrisisLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        line, _made = once.submit_once(
            request.user,
            once.key_from(request),
            lambda: crisis.crisis_line_save(
                line=form.save(commit=False), by=request.user
            ),
        )
        messages.success(
            request,
            _("“%(name)s” is on the programme's crisis lines.") % {"name": line.name},
        )
        return redirect("crisis-lines")
    context = {
        "form": form,
        "lines": list(CrisisLine.objects.select_related("updated_by")),
        "configured": crisis.programme_lines().configured,
    }
    return render(request, "recovery/crisis_lines.html", context)


@coordinator_only
def crisis_line_edit(request: AuthedRequest, line_id: int) -> HttpResponse:
    line = get_object_or_404(CrisisLine, pk=line_id)
    form = CrisisLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        crisis.crisis_line_save(line=form.save(commit=False), by=request.user)
        messages.success(request, _("“%(name)s” is saved.") % {"name": line.name})
        return redirect("crisis-lines")
    return render(
        request, "recovery/crisis_line_form.html", {"form": form, "line": line}
    )


@coordinator_only
@require_POST
def crisis_line_remove(request: AuthedRequest, line_id: int) -> HttpResponse:
    line = get_object_or_404(CrisisLine, pk=line_id)
    try:
        crisis.crisis_line_remove(line=line)
    except crisis.LastLine:
        messages.error(
            request,
            _(
                "“%(name)s” is the only crisis line, so it stays: people in crisis "
                "need somewhere to turn. Add the line that replaces it first."
            )
            % {"name": line.name},
        )
    else:
        messages.success(
            request, _("“%(name)s” is off the list.") % {"name": line.name}
        )
    return redirect("crisis-lines")


@coordinator_only
@require_POST
def crisis_line_move(request: AuthedRequest, line_id: int) -> HttpResponse:
    """One place up or down the list (`direction`: "up" or "down")."""
    line = get_object_or_404(CrisisLine, pk=line_id)
    crisis.crisis_line_move(line=line, up=request.POST.get("direction") != "down")
    return redirect("crisis-lines")
