"""Checking in: today, or a day of the last week filled in or changed; skipping
today."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals import services
from goals.forms import CheckInForm, SkipDayForm
from goals.models import CheckIn, Sharing
from goals.selectors import checkin_days
from goals.views.common import FILLED_IN, day_from, member_only
from recovery.models import User
from recovery.types import AuthedRequest


@member_only
def checkin_form(request: AuthedRequest) -> HttpResponse:
    """Today's check-in, or with ?day= one of the last week's: a day missed is
    filled in (its moment says so), a check-in made is changed."""
    member = request.user
    today = member.local_date()
    days = checkin_days(member)
    if request.method == "POST":
        day = day_from(request.POST.get("day")) or today
    else:
        day = day_from(request.GET.get("day")) or today
    refusal = services.checkin_day_refusal(member=member, day=day)
    if refusal and request.method != "POST":
        # A link to a day out of reach: say why, and offer today instead.
        messages.error(request, refusal)
        day = today
    existing = next((d.checkin for d in days if d.day == day), None)
    if request.method == "POST":
        form = CheckInForm(request.POST, member=member, day=day, existing=existing)
        if form.is_valid():
            data = form.cleaned_data
            services.checkin_record(
                member=member,
                day=data["day"],
                wellbeing=data["wellbeing"],
                hope=data["hope"],
                feelings=data["feelings"],
                tools=data["tools"],
                had_setback=data["had_setback"],
                note=data["note"],
                note_shared=data["note_shared"],
                wants_to_talk=data["wants_to_talk"],
            )
            if data["day"] == today:
                messages.success(request, _("Thank you for checking in."))
                return redirect("goals:home")
            when = formats.date_format(data["day"], "l j F")
            if existing is not None and not existing.skipped:
                said = _("Thank you: your check-in for %(day)s is changed.")
            else:
                said = _("Thank you: %(day)s is filled in.")
            messages.success(request, said % {"day": when})
            home = reverse("goals:home")
            return redirect(f"{home}?{FILLED_IN}={data['day'].isoformat()}")
    else:
        form = CheckInForm(
            member=member,
            day=day,
            existing=existing,
            initial=_checkin_initial(existing, member),
        )
    context = {
        "form": form,
        "day": day,
        "is_today": day == today,
        "existing": existing,
        "days": [d for d in days if d.day != today],
        "skip_form": SkipDayForm(),
    }
    return render(request, "goals/checkin_form.html", context)


def _checkin_initial(existing: CheckIn | None, member: User) -> dict:
    if existing is None or existing.skipped:
        return {"note_shared": Sharing.for_member(member).notes_shared}
    return {
        "wellbeing": existing.wellbeing,
        "hope": existing.hope,
        "feelings": existing.feelings,
        "tools": list(existing.tools_used.all()),
        "had_setback": existing.had_setback,
        "note": existing.note,
        "note_shared": existing.note_shared,
        "wants_to_talk": existing.wants_to_talk,
    }


@member_only
@require_POST
def checkin_skip(request: AuthedRequest) -> HttpResponse:
    form = SkipDayForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    checkin = services.checkin_skip(member=request.user, reason=reason)
    if checkin.skipped:
        messages.success(request, _("Today is marked as skipped. That is fine."))
    else:
        messages.info(request, _("You already checked in today."))
    return redirect("goals:home")
