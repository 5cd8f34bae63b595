"""Rules for changing a member's plan. Views call these; they never write models
directly, so each change also lands on the member's timeline in the same
transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from goals import extensions
from goals.models import (
    CHECKIN_CHANGEABLE_DAYS,
    REMOVED_KEPT_FOR,
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
from recovery import audit
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


def checkin_day_refusal(*, member: User, day: date) -> str | None:
    """Why the member cannot check in for `day` themselves, in words, or None.

    A member checks in for today, and can fill in a day they missed or change a
    check-in for the CHECKIN_CHANGEABLE_DAYS days before it, in their own time
    zone; never for a day to come. (`checkin_record` writes any day it is given:
    the demo and the tests write history through it.)
    """
    today = member.local_date()
    if day > today:
        return _(
            "That day has not come yet. You can check in for today, or fill in "
            "one of the last %(days)s days."
        ) % {"days": CHECKIN_CHANGEABLE_DAYS}
    if day < today - timedelta(days=CHECKIN_CHANGEABLE_DAYS):
        return _(
            "%(day)s is more than %(days)s days ago. Check-ins can be filled in "
            "or changed for %(days)s days; your journey keeps the days before."
        ) % {
            "day": formats.date_format(day, "l j F Y"),
            "days": CHECKIN_CHANGEABLE_DAYS,
        }
    return None


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
    """Record the check-in of `day`, today by default (in the member's own time
    zone).

    A second check-in the same day updates the first: the database holds one per
    member per day, so a form sent twice never makes two rows. Numbers written for
    a day already gone, when that day had none (missed, or skipped), are marked
    `filled_in_later`; a check-in made on its day and changed later is not.
    Returns the check-in and whether it was new.

    A very hard day filled in later (wellbeing at or below CRISIS_WELLBEING) is a
    very hard day like any other: the member sees the crisis lines at once, and,
    if they consented to it, their supporter is told, with the day's date
    (peers.caseload), while the day is within CRISIS_FLAG_DAYS. The member agreed
    to their supporter knowing of very hard days, not of days checked in on time;
    a supporter who hears on Thursday that Monday was very hard can still reach
    out, and the flag's week counts from the day itself, so a late entry never
    keeps it up longer than one made on time.
    """
    today = member.local_date()
    day = day or today
    late = day < today
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
    # Late when the day had no numbers yet: a skipped day filled in counts too.
    # (The UPDATE reads `skipped` as it was before this change.)
    update_late = Case(
        When(skipped=True, then=Value(late)), default=F("filled_in_later")
    )
    checkin, created = CheckIn.objects.update_or_create(
        member=member,
        day=day,
        # An ask to talk keeps the time it was first made through later edits.
        defaults=fields
        | {
            "filled_in_later": update_late,
            "talk_asked_at": Coalesce(F("talk_asked_at"), Value(now))
            if wants_to_talk
            else None,
        },
        create_defaults=fields
        | {"filled_in_later": late, "talk_asked_at": now if wants_to_talk else None},
    )
    if not created:
        checkin.refresh_from_db(fields=["talk_asked_at", "filled_in_later"])
    # A tool removed from the list since stays on the check-ins that ticked it:
    # changing a check-in never takes back what helped that day.
    kept = checkin.tools_used(manager="all_objects").exclude(removed_at=None)
    checkin.tools_used.set([*(t for t in tools if t.member_id == member.pk), *kept])
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
def account_delete(*, member: User, request: HttpRequest | None = None) -> None:
    """Delete a member's account and everything that is theirs, all or nothing.

    The audit log says so first, under a pseudonym only, in the same transaction:
    the event stays if (and only if) the account really goes. Apps built on
    `goals` then do what they must (`before_account_delete`: peers ends the
    member's match, so their supporter's count of members stays true). Then the
    account row goes, and with it every row that belongs to it: goals, steps,
    strengths, tools, check-ins, the timeline, sharing and consents, and peers'
    matches, preferences, requests, encouragement, suggestions and every contact
    note about the member.
    """
    locked = User.objects.select_for_update().filter(pk=member.pk).first()
    if locked is None:  # deleted meanwhile (the same form sent from two tabs)
        raise AccountGone
    member = locked
    if member.role != Role.MEMBER:
        raise ValueError("only a member's account is deleted this way")
    audit.record(request, kind=audit.AuditKind.ACCOUNT_DELETED, subject=member)
    for prepare in extensions.before_account_delete:
        prepare(member)
    # The invitation they joined by holds their name and email; its work is done.
    Invitation.objects.filter(user=member).delete()
    # Counted sign-in failures and live sessions name the account too.
    forget_sign_in_traces(member)
    User.objects.filter(pk=member.pk).delete()


# --- The member's own lists: strengths, wellness tools, steps --------------------
#
# Removing one is never final at once: the row is stamped `removed_at` and every
# read leaves it out (goals.models.KeptManager); Undo clears the stamp while the
# row is kept (REMOVED_KEPT_FOR), and `removed_forget`, on the worker's tick,
# deletes it after that.


class TooLateToUndo(Exception):
    """What was removed was removed too long ago to be brought back."""


def _remove(rows: models.QuerySet, *, now: datetime | None = None) -> bool:
    """Stamp the row of `rows` (one row, by its pk) removed, unless it is already.
    Returns whether this call removed it (a second click finds it removed)."""
    return bool(rows.filter(removed_at=None).update(removed_at=now or timezone.now()))


def _restore(rows: models.QuerySet, *, now: datetime | None = None) -> bool:
    """Bring the row of `rows` (one row, by its pk, from `all_objects`) back.

    Returns True when this call brought it back, False when it was back already
    (an Undo sent twice: the second waits for the first and finds the row kept).
    Raises TooLateToUndo when it was removed longer ago than REMOVED_KEPT_FOR.
    """
    cutoff = (now or timezone.now()) - REMOVED_KEPT_FOR
    if rows.filter(removed_at__gte=cutoff).update(removed_at=None):
        return True
    if rows.filter(removed_at=None).exists():
        return False
    raise TooLateToUndo


def strength_add(*, member: User, strength: Strength) -> Strength:
    """Save a new strength (an unsaved instance from the form) for `member`."""
    strength.member = member
    strength.save()
    return strength


def strength_remove(*, strength: Strength) -> bool:
    """Remove a strength; goals that drew on it no longer list it (and list it
    again if it comes back)."""
    return _remove(Strength.all_objects.filter(pk=strength.pk))


def strength_restore(*, strength: Strength) -> bool:
    """Undo: the strength is back in its place, and on the goals that drew on it."""
    return _restore(Strength.all_objects.filter(pk=strength.pk))


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


def tool_remove(*, tool: WellnessTool) -> bool:
    """Remove a tool from the list and the check-in form. The check-ins that
    ticked it keep it, so what helped on a past day never changes; a tool no
    check-in ticked is forgotten after a while (removed_forget)."""
    return _remove(WellnessTool.all_objects.filter(pk=tool.pk))


def tool_restore(*, tool: WellnessTool) -> bool:
    """Undo: the tool is back on the list as it was (in use or set aside).
    Raises ToolAlreadyListed if a tool of the same name was added meanwhile."""
    try:
        with transaction.atomic():
            return _restore(WellnessTool.all_objects.filter(pk=tool.pk))
    except IntegrityError:
        raise ToolAlreadyListed from None


def step_rename(*, step: Step, title: str) -> Step:
    """New words for a step: the same step, done or not, on the same goal."""
    step.title = title.strip()
    step.save(update_fields=["title"])
    return step


@transaction.atomic
def step_remove(*, step: Step) -> bool:
    """Remove a step: it leaves the goal, and its "step done" moment leaves the
    timeline (step_restore writes it again)."""
    removed = _remove(Step.all_objects.filter(pk=step.pk))
    if removed:
        JourneyEvent.objects.filter(step_id=step.pk, kind=EventKind.STEP_DONE).delete()
    return removed


@transaction.atomic
def step_restore(*, step: Step) -> bool:
    """Undo: the step is back in its place on its goal, done or not as it was,
    and a done step's moment is back on the timeline, at the time it was done."""
    restored = _restore(Step.all_objects.filter(pk=step.pk))
    if restored:
        step.refresh_from_db(fields=["done", "done_at", "removed_at"])
        if step.done:
            JourneyEvent.objects.create(
                member_id=step.goal.member_id,
                kind=EventKind.STEP_DONE,
                goal_id=step.goal_id,
                step=step,
                occurred_at=step.done_at,
            )
    return restored


def removed_forget(*, now: datetime | None = None) -> int:
    """Delete what members removed longer ago than REMOVED_KEPT_FOR: steps,
    strengths, and tools no check-in ticked (a tool a check-in ticked stays, for
    that day's history). Returns how many rows went. The worker's tick runs it."""
    cutoff = (now or timezone.now()) - REMOVED_KEPT_FOR
    forgotten = 0
    for rows in (
        Step.all_objects.filter(removed_at__lt=cutoff),
        Strength.all_objects.filter(removed_at__lt=cutoff),
        WellnessTool.all_objects.filter(removed_at__lt=cutoff, checkins=None),
    ):
        _total, per_model = rows.delete()
        forgotten += per_model.get(rows.model._meta.label, 0)
    return forgotten
