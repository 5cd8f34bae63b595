"""The member's own pages. Every view is for members only and reads through
queries scoped to the person asking: anyone else's id answers 404."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals import services
from goals.extensions import panels_for, replies_for
from goals.forms import (
    CheckInForm,
    GoalForm,
    GoalStatusForm,
    LadderLevelForm,
    SkipDayForm,
    StepForm,
    StrengthForm,
    WellnessToolForm,
)
from goals.models import (
    CheckIn,
    Goal,
    GoalStatus,
    Sharing,
    Step,
    Strength,
    WellnessTool,
)
from goals.selectors import (
    checkin_days,
    get_goal_for_user,
    goals_by_area,
    listed_tools,
    member_home,
    strengths_by_category,
    tool_rows,
)
from goals.timeline import (
    DEFAULT_PERIOD,
    PERIODS,
    Cursor,
    chart_geometry,
    journey_page,
    wellbeing_series,
)
from recovery import once
from recovery.decorators import role_required
from recovery.models import Role, User
from recovery.types import AuthedRequest

member_only = role_required(Role.MEMBER)


STATUS_MESSAGES = {
    GoalStatus.ACHIEVED: gettext_lazy("Well done: this goal is achieved."),
    GoalStatus.PAUSED: gettext_lazy(
        "This goal is paused. It will be here when you are ready."
    ),
    GoalStatus.LET_GO: gettext_lazy(
        "You let this goal go. Making room is a choice too."
    ),
    GoalStatus.ACTIVE: gettext_lazy("Welcome back to this goal."),
}

UNDO_TOO_LATE = gettext_lazy(
    "“%(text)s” was removed a while ago, and cannot come back now."
)


@member_only
def home(request: AuthedRequest) -> HttpResponse:
    # After a past day is filled in, the check-in sends the member here with that
    # day, so a very hard one is answered with help now (goals.services.checkin_record).
    filled_in = _day_from(request.GET.get(FILLED_IN))
    context = {
        "home": member_home(request.user, filled_in=filled_in),
        "panels": panels_for(request.user),
    }
    return render(request, "goals/home.html", context)


FILLED_IN = "filled-in"


def _day_from(value: str | None) -> date | None:
    """A day from a URL, or None for anything that is not one."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- Goals and steps ------------------------------------------------------------


@member_only
def goal_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "goals/goal_list.html", {"areas": goals_by_area(request.user)}
    )


@member_only
def goal_create(request: AuthedRequest) -> HttpResponse:
    shared = Sharing.for_member(request.user).goals_shared
    form = GoalForm(
        request.POST or None, member=request.user, initial={"shared": shared}
    )
    if request.method == "POST" and form.is_valid():
        goal, _made = once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.goal_create(
                member=request.user,
                goal=form.save(commit=False),
                strengths=form.cleaned_data["strengths"],
            ),
        )
        messages.success(
            request, _("Your goal is set. What could a first small step be?")
        )
        return redirect(goal)
    return render(request, "goals/goal_form.html", {"form": form})


@member_only
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, pk)
    form = GoalForm(request.POST or None, instance=goal, member=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.goal_update(
            goal=form.instance,
            fields=form.goal_columns,
            strengths=form.cleaned_data["strengths"],
            version=form.cleaned_data["version"],
        )
        if saved:
            messages.success(request, _("Your goal is saved."))
            return redirect(goal)
        # Saved meanwhile in another tab: show the latest, and keep what this
        # person wrote in the form, ready to save over it if they choose.
        latest = get_goal_for_user(request.user, pk)
        data = request.POST.copy()
        data["version"] = str(latest.version)
        form = GoalForm(
            data, instance=get_goal_for_user(request.user, pk), member=request.user
        )
        context = {"form": form, "goal": latest, "latest": latest}
        return render(request, "goals/goal_form.html", context, status=409)
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal})


def _goal_detail_context(request: AuthedRequest, goal, **extra) -> dict:
    # A step removed a moment ago keeps its place, with Undo (goals.models).
    rows = list(Step.all_objects.filter(goal=goal).shown_at(timezone.now()))
    steps = [step for step in rows if step.removed_at is None]
    return {
        "goal": goal,
        "step_rows": rows,
        "steps": steps,
        "steps_done": sum(1 for step in steps if step.done),
        "step_form": StepForm(),
        "ladder_form": LadderLevelForm(initial={"level": goal.ladder_level}),
        "statuses": GoalStatus,
        **extra,
    }


@member_only
def goal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, pk)
    goal_strengths = list(goal.strengths.all())
    context = _goal_detail_context(request, goal, goal_strengths=goal_strengths)
    return render(request, "goals/goal_detail.html", context)


@member_only
@require_POST
def goal_status(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, pk)
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        services.goal_set_status(goal=goal, status=form.cleaned_data["status"])
        messages.success(request, STATUS_MESSAGES[goal.status])
    else:
        messages.error(request, _("That change could not be made. Please try again."))
    return redirect(goal)


@member_only
@require_POST
def goal_ladder(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, pk)
    form = LadderLevelForm(request.POST)
    if form.is_valid():
        services.goal_set_ladder_level(goal=goal, level=form.cleaned_data["level"])
        messages.success(request, _("Saved where you are on your ladder."))
    else:
        messages.error(request, _("Please choose a level from -2 to +2."))
    return redirect(goal)


@member_only
@require_POST
@vary_on_headers("HX-Request")
def step_add(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, pk)
    form = StepForm(request.POST)
    announce = ""
    if form.is_valid():
        step, _made = once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.step_add(goal=goal, title=form.cleaned_data["title"]),
        )
        announce = _("Added the step “%(step)s”.") % {"step": step.title}
        form = StepForm()
        # Ready for the next step: the box takes the focus after htmx's swap.
        form.fields["title"].widget.attrs["autofocus"] = True
    if request.htmx:
        context = _goal_detail_context(request, goal, announce=announce)
        context["step_form"] = form
        return render(request, "goals/goal_detail.html#steps", context)
    if announce:
        messages.success(request, announce)
    else:
        messages.error(request, _("A step needs a few words. Please try again."))
    return redirect(goal)


def _get_step_for_user(user, pk: int) -> Step:
    """The member's own step, also one removed a moment ago (which the views
    answer calmly, or bring back); 404 for anyone else's."""
    return get_object_or_404(
        Step.all_objects.for_user(user).select_related("goal"), pk=pk
    )


@member_only
@require_POST
@vary_on_headers("HX-Request")
def step_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    step = _get_step_for_user(request.user, pk)
    done = request.POST.get("done") == "1"
    if step.removed_at is not None:
        return _step_gone(request, step.goal)
    try:
        step = services.step_set_done(step=step, done=done)
    except services.StepGone:
        return _step_gone(request, step.goal)
    if done:
        announce = _("“%(step)s” is done.") % {"step": step.title}
    else:
        announce = _("“%(step)s” is open again.") % {"step": step.title}
    if request.htmx:
        context = _goal_detail_context(request, step.goal, announce=announce)
        return render(request, "goals/goal_detail.html#steps", context)
    messages.success(request, announce)
    return redirect(step.goal)


def _step_gone(request: AuthedRequest, goal: Goal) -> HttpResponse:
    """A step removed in another tab while this one ticked it: say so, calmly,
    and show the goal as it is now."""
    announce = _("That step was removed, so there was nothing to tick.")
    if request.htmx:
        context = _goal_detail_context(request, goal, announce=announce)
        return render(request, "goals/goal_detail.html#steps", context)
    messages.info(request, announce)
    return redirect(goal)


@member_only
def step_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """New words for a step (a page of its own: it works without JavaScript)."""
    step = _get_step_for_user(request.user, pk)
    if step.removed_at is not None:
        messages.info(request, _("That step was removed, so there is nothing to edit."))
        return redirect(f"{step.goal.get_absolute_url()}#steps")
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        services.step_rename(step=step, title=form.cleaned_data["title"])
        messages.success(
            request, _("Saved the step “%(step)s”.") % {"step": step.title}
        )
        return redirect(f"{step.goal.get_absolute_url()}#steps")
    return render(
        request,
        "goals/step_form.html",
        {"form": form, "step": step, "goal": step.goal},
        status=400 if form.errors else 200,
    )


@member_only
@require_POST
@vary_on_headers("HX-Request")
def step_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a step. Its place says so and offers Undo, with htmx or without."""
    step = _get_step_for_user(request.user, pk)
    services.step_remove(step=step)
    if request.htmx:
        announce = _("Removed the step “%(step)s”. Undo is in its place.") % {
            "step": step.title
        }
        context = _goal_detail_context(
            request, step.goal, announce=announce, focus=f"undo-step-{step.pk}"
        )
        return render(request, "goals/goal_detail.html#steps", context)
    return redirect(f"{step.goal.get_absolute_url()}#step-{step.pk}")


@member_only
@require_POST
@vary_on_headers("HX-Request")
def step_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    step = _get_step_for_user(request.user, pk)
    level = messages.SUCCESS
    try:
        services.step_restore(step=step)
    except services.TooLateToUndo:
        level, announce = messages.INFO, str(UNDO_TOO_LATE) % {"text": step.title}
    else:
        announce = _("“%(step)s” is back.") % {"step": step.title}
    if request.htmx:
        context = _goal_detail_context(
            request, step.goal, announce=announce, focus=f"step-toggle-{step.pk}"
        )
        return render(request, "goals/goal_detail.html#steps", context)
    messages.add_message(request, level, announce)
    return redirect(f"{step.goal.get_absolute_url()}#step-{step.pk}")


# --- Strengths and wellness tools -----------------------------------------------


@member_only
def strength_list(request: AuthedRequest) -> HttpResponse:
    form = StrengthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.strength_add(
                member=request.user, strength=form.save(commit=False)
            ),
        )
        messages.success(request, _("Added to your strengths."))
        return redirect("goals:strengths")
    groups = strengths_by_category(request.user, now=timezone.now())
    return render(request, "goals/strength_list.html", {"form": form, "groups": groups})


def _get_strength_for_user(user, pk: int) -> Strength:
    """The member's own strength, also one removed a moment ago; 404 for anyone
    else's."""
    return get_object_or_404(Strength.all_objects.for_user(user), pk=pk)


def _strength_row(request: AuthedRequest, strength: Strength, **extra) -> HttpResponse:
    strength.refresh_from_db(fields=["removed_at"])
    context = {"strength": strength, **extra}
    return render(request, "goals/strength_list.html#strength-row", context)


@member_only
@require_POST
@vary_on_headers("HX-Request")
def strength_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a strength. Its place says so and offers Undo, with htmx or not."""
    strength = _get_strength_for_user(request.user, pk)
    services.strength_remove(strength=strength)
    if request.htmx:
        announce = _("Removed “%(text)s”. Undo is in its place.") % {
            "text": strength.text
        }
        return _strength_row(
            request, strength, announce=announce, focus=f"undo-strength-{pk}"
        )
    return redirect(f"{reverse('goals:strengths')}#strength-{pk}")


@member_only
@require_POST
@vary_on_headers("HX-Request")
def strength_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    strength = _get_strength_for_user(request.user, pk)
    level = messages.SUCCESS
    try:
        services.strength_restore(strength=strength)
    except services.TooLateToUndo:
        level, announce = messages.INFO, str(UNDO_TOO_LATE) % {"text": strength.text}
    else:
        announce = _("“%(text)s” is back.") % {"text": strength.text}
    if request.htmx:
        return _strength_row(
            request, strength, announce=announce, focus=f"remove-strength-{pk}"
        )
    messages.add_message(request, level, announce)
    return redirect(f"{reverse('goals:strengths')}#strength-{pk}")


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


def _get_tool_for_user(user, pk: int) -> WellnessTool:
    """The member's own tool, also one removed (kept by past check-ins); 404 for
    anyone else's."""
    return get_object_or_404(WellnessTool.all_objects.for_user(user), pk=pk)


def _tool_row(request: AuthedRequest, tool: WellnessTool, **extra) -> HttpResponse:
    tool = tool_rows(request.user).get(pk=tool.pk)
    context = {"tool": tool, **extra}
    return render(request, "goals/tool_list.html#tool-row", context)


@member_only
@require_POST
def tool_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    tool = get_object_or_404(WellnessTool.objects.for_user(request.user), pk=pk)
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
    tool = _get_tool_for_user(request.user, pk)
    services.tool_remove(tool=tool)
    if request.htmx:
        announce = _("Removed “%(name)s”. Undo is in its place.") % {"name": tool.name}
        return _tool_row(request, tool, announce=announce, focus=f"undo-tool-{pk}")
    return redirect(f"{reverse('goals:tools')}#tool-{pk}")


@member_only
@require_POST
@vary_on_headers("HX-Request")
def tool_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    tool = _get_tool_for_user(request.user, pk)
    level = messages.SUCCESS
    try:
        services.tool_restore(tool=tool)
    except services.TooLateToUndo:
        level, announce = messages.INFO, str(UNDO_TOO_LATE) % {"text": tool.name}
    except services.ToolAlreadyListed:
        level = messages.INFO
        announce = _(
            "“%(name)s” is on your list again already, so this one stays removed."
        ) % {"name": tool.name}
    else:
        announce = _("“%(name)s” is back.") % {"name": tool.name}
    if request.htmx:
        return _tool_row(request, tool, announce=announce, focus=f"remove-tool-{pk}")
    messages.add_message(request, level, announce)
    return redirect(f"{reverse('goals:tools')}#tool-{pk}")


# --- Check-in -------------------------------------------------------------------


@member_only
def checkin(request: AuthedRequest) -> HttpResponse:
    """Today's check-in, or with ?day= one of the last week's: a day missed is
    filled in (its moment says so), a check-in made is changed."""
    member = request.user
    today = member.local_date()
    days = checkin_days(member)
    if request.method == "POST":
        day = _day_from(request.POST.get("day")) or today
    else:
        day = _day_from(request.GET.get("day")) or today
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


# --- Timeline -------------------------------------------------------------------


@member_only
@vary_on_headers("HX-Request")
def timeline(request: AuthedRequest) -> HttpResponse:
    member = request.user
    before = Cursor.decode(request.GET.get("before"))
    page = journey_page(member=member, before=before, size=settings.TIMELINE_PAGE_SIZE)
    replies = replies_for(member, page.events)
    for event in page.events:
        event.replies = replies.get(event.pk, [])
    period = request.GET.get("period", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    if request.htmx and before is not None:
        context = {"page": page, "period": period}
        return render(request, "goals/timeline.html#events", context)
    series = wellbeing_series(member=member, period=period)
    context = {
        "page": page,
        "period": period,
        "series": series,
        # Drawn only when the page's cached chart is missing (see the template).
        "chart": SimpleLazyObject(lambda: chart_geometry(series)),
        "periods": [(key, label) for key, (label, _days) in PERIODS.items()],
        "chart_cache_seconds": settings.CHART_CACHE_SECONDS,
    }
    return render(request, "goals/timeline.html", context)
