"""Rules for the people around a member: matching, change requests, encouragement,
suggestions and the contact log.

Match changes lock the supporter's profile row and run in one transaction; the
database refuses anything over capacity or a second active match, also when two
coordinators act at the same moment. Notifications go out only after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import services as goal_services
from goals.models import CheckIn, Goal, GoalOrigin, Step
from peers import caseload, matching, notifications
from peers.emails import tell_match_ended, tell_match_started
from peers.models import (
    AnsweredBy,
    ChangeRequest,
    ContactNote,
    CrisisFollowUp,
    Encouragement,
    ExperienceArea,
    Match,
    MatchPreferences,
    Suggestion,
    SuggestionStatus,
    SupporterProfile,
)
from recovery.models import Role, User


class MatchError(Exception):
    """A match change that cannot be made, with a message for the coordinator."""


@transaction.atomic
def match_create(
    *,
    member: User,
    supporter: User,
    by: User | None,
    score: int | None = None,
    rematch: bool = False,
) -> Match:
    """Match a waiting member with a supporter who has a free place (`rematch`:
    straight after their previous match ended, which only changes the email)."""
    if member.role != Role.MEMBER:
        raise MatchError(_("Only members can be matched with a supporter."))
    profile = (
        SupporterProfile.objects.select_for_update(of=("self",))
        .select_related("user")
        .prefetch_related("experience_areas")
        .filter(user=supporter)
        .first()
    )
    if profile is None or not supporter.is_active:
        raise MatchError(
            _("%(name)s is not an active peer supporter.") % {"name": supporter}
        )
    if not profile.accepting:
        raise MatchError(
            _("%(name)s is not accepting new members.") % {"name": supporter}
        )
    # The kept count lets the database refuse a match over capacity; counted again
    # here, under the lock, it heals if anything ever made it drift.
    counted = Match.objects.active().filter(supporter=supporter).count()
    if counted != profile.active_matches:
        SupporterProfile.objects.filter(pk=profile.pk).update(active_matches=counted)
        profile.active_matches = counted
    if profile.active_matches >= profile.capacity:
        raise MatchError(
            _("%(name)s has no place free (%(load)d of %(capacity)d).")
            % {
                "name": supporter,
                "load": profile.active_matches,
                "capacity": profile.capacity,
            }
        )
    # Checked here, under the lock, so an old page or a stale batch row can never
    # break a member's "must".
    prefs = (
        MatchPreferences.objects.filter(member=member)
        .prefetch_related("experience_areas")
        .first()
    )
    wishes = matching.wishes_from_preferences(member.pk, prefs)
    offer = matching.offer_from_profile(profile)
    if blocked := matching.unmet_requirements(wishes, offer):
        raise MatchError(
            _("%(member)s and %(supporter)s cannot be matched: %(reasons)s.")
            % {"member": member, "supporter": supporter, "reasons": "; ".join(blocked)}
        )
    if score is None:
        score = matching.points(wishes, offer)
    try:
        with transaction.atomic():
            match = Match.objects.create(
                member=member, supporter=supporter, started_by=by, score=score
            )
    except IntegrityError:
        raise MatchError(
            _("%(name)s already has a supporter. End that match first.")
            % {"name": member}
        ) from None
    SupporterProfile.objects.filter(pk=profile.pk).update(
        active_matches=F("active_matches") + 1
    )
    ChangeRequest.objects.open().filter(member=member).update(
        resolved_at=timezone.now()
    )
    tell_match_started(match, rematch=rematch)
    notifications.match_started(match)
    return match


@transaction.atomic
def match_end(
    *, match: Match, by: User | None, reason: str, tell_member: bool = True
) -> Match:
    """End an active match. It stays in the history; nothing is deleted. The
    member is not told when a new match follows at once (rematch): one email, of
    the new supporter, says it all."""
    SupporterProfile.objects.select_for_update().filter(
        user_id=match.supporter_id
    ).first()
    locked = Match.objects.select_for_update().filter(pk=match.pk).first()
    # Gone with the member's account meanwhile, or ended from another tab.
    if locked is None or not locked.is_active:
        raise MatchError(_("This match has already ended."))
    match = locked
    match.ended_at = timezone.now()
    match.ended_by = by
    match.end_reason = reason
    match.save(update_fields=["ended_at", "ended_by", "end_reason"])
    SupporterProfile.objects.filter(user_id=match.supporter_id).update(
        active_matches=F("active_matches") - 1
    )
    # Ideas from a supporter who is no longer theirs stop waiting for an answer.
    Suggestion.objects.filter(
        member_id=match.member_id,
        supporter_id=match.supporter_id,
        status=SuggestionStatus.OPEN,
    ).update(status=SuggestionStatus.DECLINED, answered_at=match.ended_at)
    tell_match_ended(match, tell_member=tell_member)
    notifications.match_ended(match, tell_member=tell_member)
    return match


@transaction.atomic
def rematch(
    *,
    member: User,
    supporter: User,
    by: User | None,
    reason: str,
    score: int | None = None,
) -> Match:
    """End the member's current match (if any) and start one with `supporter`, all
    or nothing."""
    current = Match.objects.active().filter(member=member).first()
    # Lock both caseloads up front, in one order, so two coordinators moving members
    # between the same two supporters in opposite directions cannot deadlock.
    involved = {supporter.pk} | ({current.supporter_id} if current else set())
    list(
        SupporterProfile.objects.select_for_update()
        .filter(user_id__in=involved)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if current is not None:
        if current.supporter_id == supporter.pk:
            raise MatchError(
                _("%(name)s is already this member's supporter.") % {"name": supporter}
            )
        match_end(match=current, by=by, reason=reason, tell_member=False)
    return match_create(
        member=member, supporter=supporter, by=by, score=score, rematch=True
    )


@transaction.atomic
def match_or_rematch(
    *, member: User, supporter: User, by: User | None, reason: str = ""
) -> Match:
    """Match a member with `supporter`: a new match for someone waiting, or a
    re-match (ending the current one) for someone who has a supporter. Without a
    reason, the history says what happened: the member asked, or a coordinator
    chose."""
    if not Match.objects.active().filter(member=member).exists():
        return match_create(member=member, supporter=supporter, by=by)
    if not reason:
        asked = ChangeRequest.objects.open().filter(member=member).exists()
        reason = (
            _("the member asked for a change")
            if asked
            else _("changed by a coordinator")
        )
    return rematch(member=member, supporter=supporter, by=by, reason=reason)


@transaction.atomic
def account_deactivate(*, person: User, by: User) -> int:
    """Deactivate a member's or supporter's account, ending their active matches
    with the reason "account deactivated", all or nothing. Returns how many matches
    ended."""
    locked = User.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None:  # the member deleted their own account meanwhile
        raise goal_services.AccountGone
    person = locked
    active = list(Match.objects.active().with_person(person))
    for match in active:
        match_end(match=match, by=by, reason=_("account deactivated"))
    person.is_active = False
    person.save(update_fields=["is_active"])
    return len(active)


@transaction.atomic
def supporter_profile_save(
    *,
    supporter: User,
    capacity: int,
    accepting: bool,
    languages: list[str],
    experience_areas: Iterable[ExperienceArea],
    pathways: list[str],
    life_stage: str,
    gender: str,
    availability: list[str],
    meeting_modes: list[str],
    region: str,
    contact: str,
    intro: str,
) -> SupporterProfile:
    """Save a supporter's profile as a coordinator sets it (made if they have
    none yet). The row is locked, so a match made meanwhile cannot slip under a
    lowered capacity: a capacity below the active matches is refused with a
    ValidationError on `capacity`, and nothing is saved."""
    profile = (
        SupporterProfile.objects.select_for_update().filter(user=supporter).first()
    ) or SupporterProfile(user=supporter)
    if capacity < profile.active_matches:
        raise ValidationError(
            {
                "capacity": ValidationError(
                    _(
                        "This supporter has %(active)d active matches now, so the "
                        "capacity cannot be lower than %(active)d. End or move a "
                        "match first."
                    ),
                    params={"active": profile.active_matches},
                    code="below_load",
                )
            }
        )
    profile.capacity = capacity
    profile.accepting = accepting
    profile.languages = languages
    profile.pathways = pathways
    profile.life_stage = life_stage
    profile.gender = gender
    profile.availability = availability
    profile.meeting_modes = meeting_modes
    profile.region = region
    profile.contact = contact
    profile.intro = intro
    profile.save()
    profile.experience_areas.set(experience_areas)
    return profile


@dataclass(frozen=True)
class RowResult:
    member_id: int
    supporter_id: int
    match: Match | None
    refused: str = ""


def batch_confirm(
    *, rows: Iterable[tuple[int, int, int | None]], by: User
) -> list[RowResult]:
    """Apply confirmed rows of a batch proposal, each row on its own: a row that
    went stale (the supporter filled up, the member was matched meanwhile) is
    refused with the reason and changes nothing; the others are applied."""
    results = []
    members = {u.pk: u for u in User.objects.filter(pk__in=[r[0] for r in rows])}
    supporters = {u.pk: u for u in User.objects.filter(pk__in=[r[1] for r in rows])}
    for member_id, supporter_id, score in rows:
        member, supporter = members.get(member_id), supporters.get(supporter_id)
        if member is None or supporter is None:
            results.append(
                RowResult(member_id, supporter_id, None, _("No longer here."))
            )
            continue
        try:
            match = match_create(member=member, supporter=supporter, by=by, score=score)
        except MatchError as refused:
            results.append(RowResult(member_id, supporter_id, None, str(refused)))
        else:
            results.append(RowResult(member_id, supporter_id, match))
    return results


@transaction.atomic
def change_request_withdraw(*, member: User) -> ChangeRequest | None:
    """The member takes back their open request for a change (None: none open)."""
    request = (
        ChangeRequest.objects.open().select_for_update().filter(member=member).first()
    )
    if request is not None:
        request.resolved_at = request.withdrawn_at = timezone.now()
        request.save(update_fields=["resolved_at", "withdrawn_at"])
    return request


@transaction.atomic
def suggestion_take_back(*, suggestion: Suggestion) -> Suggestion:
    """The member takes back leaving an idea aside: it waits for their answer
    again, while the supporter who suggested it is still theirs."""
    # The match first, as match_end locks it before leaving its ideas aside:
    # an idea cannot be reopened while its match is ending.
    current = (
        Match.objects.active()
        .select_for_update()
        .filter(member_id=suggestion.member_id, supporter_id=suggestion.supporter_id)
        .first()
    )
    locked = Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if locked is None:
        raise SuggestionGone
    if current is None or not (
        Suggestion.objects.left_aside_in(current).filter(pk=locked.pk).exists()
    ):
        raise SuggestionAlreadyAnswered(locked)
    locked.status = SuggestionStatus.OPEN
    locked.answered_at = None
    locked.answer_words = ""
    locked.save(update_fields=["status", "answered_at", "answer_words"])
    return locked


@transaction.atomic
def change_request_create(*, member: User, reason: str = "") -> ChangeRequest:
    """A member asks for a (different) supporter. One open request at a time."""
    request, created = ChangeRequest.objects.open().get_or_create(
        member=member, defaults={"reason": reason}
    )
    if created:
        notifications.change_requested(request)
    if not created and reason and request.reason != reason:
        request.reason = reason
        request.save(update_fields=["reason"])
    return request


@transaction.atomic
def preferences_save(
    *,
    member: User,
    languages: list[str],
    language_must: bool,
    supporter_gender: str,
    gender_must: bool,
    experience_areas: Iterable[ExperienceArea],
    pathways: list[str],
    life_stage: str,
    availability: list[str],
    meeting_modes: list[str],
    region: str,
) -> MatchPreferences:
    """Save what a member would like in a supporter: the row and its list of
    lived-experience areas, or neither. A second save (another tab, a double
    click) changes the first row; a member has one."""
    prefs, _created = MatchPreferences.objects.update_or_create(
        member=member,
        defaults={
            "languages": languages,
            "language_must": language_must,
            "supporter_gender": supporter_gender,
            "gender_must": gender_must,
            "pathways": pathways,
            "life_stage": life_stage,
            "availability": availability,
            "meeting_modes": meeting_modes,
            "region": region,
        },
    )
    prefs.experience_areas.set(experience_areas)
    return prefs


class NotYourMember(PermissionDenied):
    """The match given is not an active one: its supporter no longer supports
    this member, so nothing may be written in their name (a view answers 403)."""


def _active(match: Match) -> Match:
    """Asked of the database, not of the object in hand: the match may have ended
    since the page was loaded."""
    if not Match.objects.active().filter(pk=match.pk).exists():
        raise NotYourMember
    return match


def encouragement_send(
    *,
    match: Match,
    text: str,
    checkin: CheckIn | None = None,
    goal: Goal | None = None,
) -> Encouragement:
    """A short reply from the supporter of an active match to a check-in or a goal
    the member shares. Exactly one of `checkin` and `goal` is answered."""
    _active(match)
    if (checkin is None) == (goal is None):
        raise ValueError("answer either a check-in or a goal")
    if checkin is not None and (
        checkin.member_id != match.member_id or checkin.skipped
    ):
        raise ValueError("check-in is not this member's")
    if goal is not None and (goal.member_id != match.member_id or not goal.shared):
        raise ValueError("goal is not shared by this member")
    try:
        with transaction.atomic():
            sent = Encouragement.objects.create(
                supporter_id=match.supporter_id,
                member_id=match.member_id,
                checkin=checkin,
                goal=goal,
                text=text,
            )
            notifications.encouragement_sent(sent)
            return sent
    except IntegrityError:  # this check-in was answered already (a double send)
        return Encouragement.objects.get(
            supporter_id=match.supporter_id, checkin=checkin
        )


def suggestion_make(
    *, match: Match, title: str, goal: Goal | None = None, domain: str = ""
) -> Suggestion:
    """Suggest a goal (with a life area) or a step under one of the member's shared
    goals, from the supporter of an active match. It waits for the member to accept
    or decline."""
    _active(match)
    if goal is not None and (goal.member_id != match.member_id or not goal.shared):
        raise ValueError("goal is not shared by this member")
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            supporter_id=match.supporter_id,
            member_id=match.member_id,
            goal=goal,
            title=title,
            domain=domain,
        )
        notifications.suggestion_made(suggestion)
    return suggestion


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion) -> Goal | Step:
    """The member accepts: the goal or step becomes part of their own plan."""
    suggestion = _open_suggestion_locked(suggestion)
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.answered_at = timezone.now()
    suggestion.save(update_fields=["status", "answered_at"])
    notifications.suggestion_answered(suggestion, accepted=True)
    if suggestion.goal is not None:
        return goal_services.step_add(
            goal=suggestion.goal, title=suggestion.title, origin=GoalOrigin.SUGGESTED
        )
    return goal_services.goal_create(
        member=suggestion.member,
        goal=Goal(
            title=suggestion.title,
            domain=suggestion.domain,
            origin=GoalOrigin.SUGGESTED,
        ),
    )


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, words: str = "") -> Suggestion:
    """The member says no, perhaps with a few words for their supporter: the
    suggestion stays answered, their plan unchanged."""
    suggestion = _open_suggestion_locked(suggestion)
    suggestion.status = SuggestionStatus.DECLINED
    suggestion.answered_at = timezone.now()
    suggestion.answer_words = words.strip()
    suggestion.save(update_fields=["status", "answered_at", "answer_words"])
    notifications.suggestion_answered(suggestion, accepted=False)
    return suggestion


class SuggestionAlreadyAnswered(Exception):
    """A second answer to one suggestion (a double click, or accept and decline
    from two tabs): the first answer stands."""

    def __init__(self, suggestion: Suggestion):
        super().__init__(f"suggestion {suggestion.pk} is already answered")
        self.suggestion = suggestion


class SuggestionGone(Exception):
    """The suggestion was deleted (with an account) before it could be answered."""


def _open_suggestion_locked(suggestion: Suggestion) -> Suggestion:
    """The suggestion, re-read under a row lock and still open, or
    SuggestionAlreadyAnswered: the status is checked inside the lock, so of two
    answers at once exactly one is written."""
    locked = Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if locked is None:  # gone with an account deleted meanwhile
        raise SuggestionGone
    if locked.status != SuggestionStatus.OPEN:
        raise SuggestionAlreadyAnswered(locked)
    return locked


@transaction.atomic
def contact_log(
    *,
    match: Match,
    contact_date: date,
    mode: str,
    reached: bool = True,
    minutes: int | None = None,
    goals: Iterable[Goal] = (),
    next_step: str = "",
    follow_up: date | None = None,
    note: str = "",
    shared_with_member: bool = False,
) -> ContactNote:
    """Log a contact (or an attempt) by the supporter of an active match. Only goals
    the member shares can be named as talked about."""
    _active(match)
    # A contact made answers "asked to talk" and the contact reasons; an attempt
    # answers nothing, and the history says which reasons a contact answered.
    with caseload.answers_recorded(match, how=AnsweredBy.CONTACT, by=match.supporter):
        contact = ContactNote.objects.create(
            member_id=match.member_id,
            author_id=match.supporter_id,
            match=match,
            contact_date=contact_date,
            mode=mode,
            reached=reached,
            minutes=minutes,
            next_step=next_step,
            follow_up=follow_up,
            note=note,
            shared_with_member=shared_with_member,
        )
    contact.goals_discussed.set(
        [g for g in goals if g.member_id == match.member_id and g.shared]
    )
    return contact


@transaction.atomic
def crisis_follow_up(*, match: Match, by: User, day: date, note: str) -> CrisisFollowUp:
    """Record that the supporter of an active match followed up the crisis flag
    of `day`. Sent twice (a double click, two tabs), the first record stands."""
    locked = Match.objects.select_for_update().filter(pk=match.pk).first()
    if locked is None or not locked.is_active or locked.supporter_id != by.pk:
        raise NotYourMember
    follow_up, _created = CrisisFollowUp.objects.get_or_create(
        match=locked, day=day, defaults={"by": by, "note": note.strip()}
    )
    return follow_up
