"""The member's goals and their steps: listing by life area, setting, editing,
a status or a ladder level, and each step added, ticked, renamed, removed and
brought back. Another member's id answers 404."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals import services
from goals.forms import GoalForm, GoalStatusForm, LadderLevelForm, StepForm
from goals.models import Goal, GoalStatus, Sharing, Step
from goals.selectors import get_goal_for_user, get_step_for_user, goals_by_area
from goals.views.common import member_only, undo_and_say
from recovery import once
from recovery.types import AuthedRequest

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
def goal_set_status(request: AuthedRequest, pk: int) -> HttpResponse:
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
def goal_set_ladder(request: AuthedRequest, pk: int) -> HttpResponse:
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


@member_only
@require_POST
@vary_on_headers("HX-Request")
def step_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    step = get_step_for_user(request.user, pk, removed_too=True)
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
    step = get_step_for_user(request.user, pk, removed_too=True)
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
def step_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """Remove a step. Its place says so and offers Undo, with htmx or without."""
    step = get_step_for_user(request.user, pk, removed_too=True)
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
    step = get_step_for_user(request.user, pk, removed_too=True)
    level, announce = undo_and_say(
        lambda: services.step_restore(step=step), text=step.title
    )
    if request.htmx:
        context = _goal_detail_context(
            request, step.goal, announce=announce, focus=f"step-toggle-{step.pk}"
        )
        return render(request, "goals/goal_detail.html#steps", context)
    messages.add_message(request, level, announce)
    return redirect(f"{step.goal.get_absolute_url()}#step-{step.pk}")
