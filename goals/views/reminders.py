"""The member's reminder settings, and the stop link from a reminder email (which
works without signing in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals import reminders
from goals.forms import ReminderForm
from goals.views.common import member_only
from recovery.types import AuthedRequest


@member_only
def reminder_edit(request: AuthedRequest) -> HttpResponse:
    reminder = reminders.reminder_or_default(request.user)
    form = ReminderForm(request.POST or None, instance=reminder)
    if request.method == "POST" and form.is_valid():
        chosen = {name: form.cleaned_data[name] for name in ("on", "weekdays", "at")}
        saved = reminders.reminder_save(member=request.user, **chosen)
        if saved.on:
            messages.success(request, _("Your reminder is on."))
        else:
            messages.success(request, _("Reminders are off."))
        return redirect("goals:reminders")
    context = {
        "form": form,
        "reminder": reminder,
        "has_email": bool(request.user.email),
    }
    return render(request, "goals/reminders.html", context)


@member_only
@require_POST
def reminder_pause(request: AuthedRequest) -> HttpResponse:
    if request.POST.get("resume"):
        reminders.resume(request.user)
        messages.success(request, _("Reminders are back on."))
    else:
        reminder = reminders.pause_for_a_week(request.user)
        messages.success(
            request,
            _("Reminders are paused until %(day)s.")
            % {"day": date_format(reminder.paused_until, "l j F")},
        )
    return redirect("goals:reminders")


@login_not_required
def reminder_stop(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link in a reminder email. A button, so that a mail program
    opening links to check them stops nothing."""
    if request.method == "POST" and reminders.stop_by_token(token):
        return render(request, "goals/reminder_stopped.html")
    if reminders.member_of_stop_token(token) is None:
        return render(request, "goals/reminder_stop.html", {"bad": True}, status=400)
    return render(request, "goals/reminder_stop.html", {"token": token})
