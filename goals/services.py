"""Rules for changing a member's plan. Views call these; they never write models
directly, so each change also lands on the member's timeline in the same
transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from goals import extensions
from goals.models import (
    CheckIn,
    Consent,
    ConsentTo,
    EventKind,
    Goal,
    GoalOrigin,
    GoalStatus,
    JourneyEvent,
    Sharing,
    Step,
    Strength,
    WellnessTool,
)
from recovery.models import Invitation, Role, User
from recovery.security import forget_sign_in_traces

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
def goal_update(
    *,
    goal: Goal,
    fields: Iterable[str],
    strengths: Iterable[Strength] | None = None,
    version: int | None,
) -> bool:
    """Save the edited `fields` of `goal` (an instance holding the new values),
    and its strengths, if nobody saved the goal since `version` was read.

    The check and the write are one UPDATE ... WHERE version = n, so two tabs
    saving at the same moment cannot both win. Returns False, writing nothing,
    when the goal changed meanwhile. `version=None` (a client that sends none)
    saves over whatever is there.
    """
    values = {name: getattr(goal, name) for name in fields}
    values["updated_at"] = timezone.now()
    rows = Goal.objects.filter(pk=goal.pk, member_id=goal.member_id)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(**values, version=F("version") + 1):
        return False
    if strengths is not None:
        goal.strengths.set([s for s in strengths if s.member_id == goal.member_id])
    goal.refresh_from_db(fields=["version", "updated_at"])
    return True


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


def step_add(
    *, goal: Goal, title: str, origin: GoalOrigin | str = GoalOrigin.MINE
) -> Step:
    return Step.objects.create(goal=goal, title=title, origin=origin)


class StepGone(Exception):
    """The step was removed (in another tab) before this change reached it."""


@transaction.atomic
def step_set_done(*, step: Step, done: bool) -> Step:
    """Tick a step done (a moment on the timeline) or untick it (the moment goes)."""
    # Lock the row so a double click cannot write two "step done" moments.
    locked = Step.objects.select_for_update().select_related("goal").filter(pk=step.pk)
    if (step := locked.first()) is None:
        # Removed in another tab between the page's read and this lock.
        raise StepGone
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
    now = timezone.now()
    fields = {
        "skipped": False,
        "skip_reason": "",
        "wellbeing": wellbeing,
        "hope": hope,
        "feelings": feelings,
        "had_setback": had_setback,
        "note": note,
        "note_shared": note_shared,
        "wants_to_talk": wants_to_talk,
    }
    checkin, created = CheckIn.objects.update_or_create(
        member=member,
        day=day,
        # An ask to talk keeps the time it was first made through later edits.
        defaults=fields | {"talk_asked_at": Coalesce(F("talk_asked_at"), Value(now))}
        if wants_to_talk
        else fields | {"talk_asked_at": None},
        create_defaults=fields | {"talk_asked_at": now if wants_to_talk else None},
    )
    if not created and wants_to_talk:
        checkin.refresh_from_db(fields=["talk_asked_at"])
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


# --- Sharing and consent --------------------------------------------------------


def _sharing_locked(member: User) -> Sharing:
    """The member's sharing row, made if need be and locked to the end of the
    transaction, so changes to one member's choices and consents happen in turn."""
    sharing, _created = Sharing.objects.select_for_update().get_or_create(member=member)
    return sharing


# The Sharing fields that copy an open consent, for supporters' pages to read.
CONSENT_COPIES = {
    ConsentTo.NUMBERS_TO_SUPPORTER: "numbers_shared",
    ConsentTo.MEASURES_TO_SUPPORTER: "measures_shared",
}


def _copies_follow_consent(sharing: Sharing) -> None:
    """Consent records are the source of truth; `Sharing.numbers_shared` and
    `measures_shared` are the copies supporters' pages read, rewritten here from
    them."""
    given = set(
        Consent.objects.filter(
            member_id=sharing.member_id,
            what__in=list(CONSENT_COPIES),
            withdrawn_at__isnull=True,
        ).values_list("what", flat=True)
    )
    changed = []
    for what, name in CONSENT_COPIES.items():
        if getattr(sharing, name) != (what in given):
            setattr(sharing, name, what in given)
            changed.append(name)
    if changed:
        sharing.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def consent_give(*, member: User, what: ConsentTo | str) -> Consent:
    """Record that the member consents to `what`, to whom and when. Consent already
    given stays as it is: the open record is returned."""
    what = ConsentTo(what)
    sharing = _sharing_locked(member)
    consent = Consent.objects.filter(
        member=member, what=what, withdrawn_at__isnull=True
    ).first()
    if consent is None:
        consent = Consent.objects.create(member=member, what=what, to_whom=what.to_whom)
    _copies_follow_consent(sharing)
    return consent


@transaction.atomic
def consent_withdraw(*, member: User, what: ConsentTo | str) -> Consent | None:
    """Close the member's open consent to `what` (the record stays, with the moment
    it was withdrawn). Returns it, or None if there was none to withdraw."""
    what = ConsentTo(what)
    sharing = _sharing_locked(member)
    consent = Consent.objects.filter(
        member=member, what=what, withdrawn_at__isnull=True
    ).first()
    if consent is not None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    _copies_follow_consent(sharing)
    return consent


@transaction.atomic
def sharing_update(
    *,
    member: User,
    goals_shared: bool,
    notes_shared: bool,
    numbers_shared: bool,
    crisis_flag: bool,
    measures_shared: bool,
) -> Sharing:
    """Save the member's choices from their privacy page: the defaults for new
    goals and check-in notes, and the consents for numbers, the crisis flag and
    recovery measure totals."""
    sharing = _sharing_locked(member)
    sharing.goals_shared = goals_shared
    sharing.notes_shared = notes_shared
    sharing.save(update_fields=["goals_shared", "notes_shared", "updated_at"])
    for what, wanted in (
        (ConsentTo.NUMBERS_TO_SUPPORTER, numbers_shared),
        (ConsentTo.CRISIS_FLAG_TO_SUPPORTER, crisis_flag),
        (ConsentTo.MEASURES_TO_SUPPORTER, measures_shared),
    ):
        if wanted:
            consent_give(member=member, what=what)
        else:
            consent_withdraw(member=member, what=what)
    sharing.refresh_from_db()
    return sharing


# --- Deleting an account --------------------------------------------------------


class AccountGone(Exception):
    """The account was deleted (or never was) by the time its row was locked."""


@transaction.atomic
def account_delete(*, member: User) -> None:
    """Delete a member's account and everything that is theirs, all or nothing.

    Apps built on `goals` first do what they must (`before_account_delete`: peers
    ends the member's match, so their supporter's count of members stays true).
    Then the account row goes, and with it every row that belongs to it: goals,
    steps, strengths, tools, check-ins, the timeline, sharing and consents, and
    peers' matches, preferences, requests, encouragement, suggestions and every
    contact note about the member.
    """
    locked = User.objects.select_for_update().filter(pk=member.pk).first()
    if locked is None:  # deleted meanwhile (the same form sent from two tabs)
        raise AccountGone
    member = locked
    if member.role != Role.MEMBER:
        raise ValueError("only a member's account is deleted this way")
    for prepare in extensions.before_account_delete:
        prepare(member)
    # The invitation they joined by holds their name and email; its work is done.
    Invitation.objects.filter(user=member).delete()
    # Counted sign-in failures and live sessions name the account too.
    forget_sign_in_traces(member)
    User.objects.filter(pk=member.pk).delete()


# --- The member's own lists: strengths, wellness tools, steps --------------------


def strength_add(*, member: User, strength: Strength) -> Strength:
    """Save a new strength (an unsaved instance from the form) for `member`."""
    strength.member = member
    strength.save()
    return strength


def strength_remove(*, strength: Strength) -> None:
    """Remove a strength; goals that drew on it simply no longer list it."""
    strength.delete()


class ToolAlreadyListed(Exception):
    """The member already has a wellness tool of that name."""


def tool_add(*, member: User, tool: WellnessTool) -> WellnessTool:
    """Save a new wellness tool for `member`. The database keeps names unique per
    member (in any case), also when the same form is sent twice at once."""
    tool.member = member
    try:
        with transaction.atomic():
            tool.save()
    except IntegrityError:
        raise ToolAlreadyListed from None
    return tool


def tool_set_in_use(*, tool: WellnessTool, in_use: bool) -> WellnessTool:
    """Set a tool aside (it leaves the check-in form, stays in past check-ins) or
    bring it back."""
    tool.in_use = in_use
    tool.save(update_fields=["in_use", "updated_at"])
    return tool


def step_rename(*, step: Step, title: str) -> Step:
    """New words for a step: the same step, done or not, on the same goal."""
    step.title = title.strip()
    step.save(update_fields=["title"])
    return step


def step_remove(*, step: Step) -> None:
    """Remove a step; its "step done" moment leaves the timeline with it."""
    step.delete()
