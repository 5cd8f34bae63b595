"""What helps the member (their wellness tools): adding one, setting one aside,
removing one with Undo."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals import services
from goals.forms import WellnessToolForm
from goals.models import WellnessTool
from goals.selectors import get_tool_for_user, listed_tools, tool_rows
from goals.views.common import member_only, undo_and_say
from recovery import once
from recovery.types import AuthedRequest


@member_only
def tool_list(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST" and once.made_already(
        request.user, once.key_from(request)
    ):
        return redirect("goals:tools")  # sent twice: the first one added it
    form = WellnessToolForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tool, _made = once.submit_once(
                request.user,
                once.key_from(request),
                lambda: services.tool_add(
                    member=request.user, tool=form.save(commit=False)
                ),
            )
        except services.ToolAlreadyListed:  # the same name sent twice at once
            form.add_error("name", _("This is already on your list."))
        else:
            messages.success(
                request, _("Added “%(name)s” to what helps you.") % {"name": tool.name}
            )
            return redirect("goals:tools")
    tools = listed_tools(request.user, now=timezone.now())
    return render(request, "goals/tool_list.html", {"form": form, "tools": tools})


def _tool_row(request: AuthedRequest, tool: WellnessTool, **extra) -> HttpResponse:
    tool = tool_rows(request.user).get(pk=tool.pk)
    context = {"tool": tool, **extra}
    return render(request, "goals/tool_list.html#tool-row", context)


@member_only
@require_POST
def tool_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    tool = get_tool_for_user(request.user, pk)
    tool = services.tool_set_in_use(tool=tool, in_use=not tool.in_use)
    if tool.in_use:
        messages.success(
            request, _("“%(name)s” is back on your check-in.") % {"name": tool.name}
        )
    else:
        messages.success(
            request,
            _("“%(name)s” is set aside. Past check-ins still show it.")
            % {"name": tool.name},
        )
    return redirect("goals:tools")


@member_only
@require_POST
@vary_on_headers("HX-Request")
def tool_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a tool from the list. Its place says so and offers Undo; the
    check-ins that ticked it keep it."""
    tool = get_tool_for_user(request.user, pk, removed_too=True)
    services.tool_remove(tool=tool)
    if request.htmx:
        announce = _("Removed “%(name)s”. Undo is in its place.") % {"name": tool.name}
        return _tool_row(request, tool, announce=announce, focus=f"undo-tool-{pk}")
    return redirect(f"{reverse('goals:tools')}#tool-{pk}")


@member_only
@require_POST
@vary_on_headers("HX-Request")
def tool_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    tool = get_tool_for_user(request.user, pk, removed_too=True)
    try:
        level, announce = undo_and_say(
            lambda: services.tool_restore(tool=tool), text=tool.name
        )
    except services.ToolAlreadyListed:
        level = messages.INFO
        announce = _(
            "“%(name)s” is on your list again already, so this one stays removed."
        ) % {"name": tool.name}
    if request.htmx:
        return _tool_row(request, tool, announce=announce, focus=f"remove-tool-{pk}")
    messages.add_message(request, level, announce)
    return redirect(f"{reverse('goals:tools')}#tool-{pk}")
