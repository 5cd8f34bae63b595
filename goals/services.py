"""Rules for changing a member's plan. Views call these; they never write models
directly, so each change also lands on the member's timeline in the same
transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from goals.models import (
    CheckIn,
    EventKind,
    Goal,
    GoalStatus,
    JourneyEvent,
    Step,
    Strength,
    WellnessTool,
)
from recovery.models import User

STATUS_EVENT = {
    GoalStatus.ACHIEVED: EventKind.GOAL_ACHIEVED,
    GoalStatus.PAUSED: EventKind.GOAL_PAUSED,
    GoalStatus.LET_GO: EventKind.GOAL_LET_GO,
    GoalStatus.ACTIVE: EventKind.GOAL_RESUMED,
}


@transaction.atomic
def goal_create(
    *, member: User, goal: Goal, strengths: Iterable[Strength] = ()
) -> Goal:
    """Save a new goal for `member` (from an unsaved instance) and mark the moment
    on their timeline."""
    goal.member = member
    goal.status = GoalStatus.ACTIVE
    goal.save()
    goal.strengths.set([s for s in strengths if s.member_id == member.pk])
    JourneyEvent.objects.create(
        member=member, kind=EventKind.GOAL_SET, goal=goal, occurred_at=goal.created_at
    )
    return goal


@transaction.atomic
def goal_set_status(*, goal: Goal, status: GoalStatus | str) -> Goal:
    """Move a goal to achieved, paused, let go, or back to active.

    Nothing is ever "failed": letting a goal go is a choice, and a paused or let-go
    goal can be picked up again.
    """
    status = GoalStatus(status)
    if goal.status == status:
        return goal
    now = timezone.now()
    goal.status = status
    goal.status_changed_at = now
    goal.save(update_fields=["status", "status_changed_at", "updated_at"])
    JourneyEvent.objects.create(
        member_id=goal.member_id, kind=STATUS_EVENT[status], goal=goal, occurred_at=now
    )
    return goal


def goal_set_ladder_level(*, goal: Goal, level: int | None) -> Goal:
    goal.ladder_level = level
    goal.save(update_fields=["ladder_level", "updated_at"])
    return goal


def step_add(*, goal: Goal, title: str) -> Step:
    return Step.objects.create(goal=goal, title=title)


@transaction.atomic
def step_set_done(*, step: Step, done: bool) -> Step:
    """Tick a step done (a moment on the timeline) or untick it (the moment goes)."""
    # Lock the row so a double click cannot write two "step done" moments.
    step = Step.objects.select_for_update().select_related("goal").get(pk=step.pk)
    if step.done == done:
        return step
    step.done = done
    step.done_at = timezone.now() if done else None
    step.save(update_fields=["done", "done_at"])
    if done:
        JourneyEvent.objects.create(
            member_id=step.goal.member_id,
            kind=EventKind.STEP_DONE,
            goal_id=step.goal_id,
            step=step,
            occurred_at=step.done_at,
        )
    else:
        JourneyEvent.objects.filter(step=step, kind=EventKind.STEP_DONE).delete()
    return step


@transaction.atomic
def checkin_record(
    *,
    member: User,
    wellbeing: int,
    hope: int,
    feelings: str = "",
    tools: Iterable[WellnessTool] = (),
    had_setback: bool = False,
    note: str = "",
    note_shared: bool = False,
    wants_to_talk: bool = False,
    day: date | None = None,
) -> tuple[CheckIn, bool]:
    """Record today's check-in (in the member's own time zone).

    A second check-in the same day updates the first: the database holds one per
    member per day, so a form sent twice never makes two rows. Returns the check-in
    and whether it was new.
    """
    day = day or member.local_date()
    checkin, created = CheckIn.objects.update_or_create(
        member=member,
        day=day,
        defaults={
            "skipped": False,
            "skip_reason": "",
            "wellbeing": wellbeing,
            "hope": hope,
            "feelings": feelings,
            "had_setback": had_setback,
            "note": note,
            "note_shared": note_shared,
            "wants_to_talk": wants_to_talk,
        },
    )
    checkin.tools_used.set([t for t in tools if t.member_id == member.pk])
    _checkin_on_timeline(checkin)
    return checkin, created


@transaction.atomic
def checkin_skip(*, member: User, reason: str = "", day: date | None = None) -> CheckIn:
    """Mark a day as skipped. A day already checked in keeps its check-in."""
    day = day or member.local_date()
    checkin, created = CheckIn.objects.get_or_create(
        member=member, day=day, defaults={"skipped": True, "skip_reason": reason}
    )
    if not created and checkin.skipped and checkin.skip_reason != reason:
        checkin.skip_reason = reason
        checkin.save(update_fields=["skip_reason", "updated_at"])
    _checkin_on_timeline(checkin)
    return checkin


def _checkin_on_timeline(checkin: CheckIn) -> None:
    JourneyEvent.objects.get_or_create(
        checkin=checkin,
        defaults={
            "member_id": checkin.member_id,
            "kind": EventKind.CHECKIN,
            "occurred_at": checkin.created_at,
        },
    )
