"""What a supporter or coordinator may see of a member, always through the viewer.

A supporter sees only members with an *active* match to them, and of those only what
the member shares. Nothing here returns a private goal, a private check-in note,
unshared numbers, a safety or wellness plan the member does not share, or another
supporter's private contact notes. A coordinator sees
programme data (matches, preferences, contact history), not the member's plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from goals.measures import QUESTIONNAIRES, Questionnaire
from goals.models import (
    CheckIn,
    EventKind,
    Goal,
    JourneyEvent,
    MeasureResult,
    Plan,
    PlanKind,
    Sharing,
    Step,
    Strength,
)
from goals.plans import PlanSheet, sheet_of
from goals.timeline import Cursor, Moment, keyset_page
from peers.models import ContactNote, Encouragement, Match, Message
from recovery.models import Role, User


def get_member_for_supporter(viewer: User, pk: int) -> tuple[User, Match]:
    """The member and their active match with `viewer`, or 404 for anyone else,
    including a member whose match with the viewer has ended."""
    match = (
        Match.objects.active()
        .select_related("member", "member__sharing")
        .filter(supporter=viewer, member_id=pk, member__is_active=True)
        .first()
    )
    if match is None or viewer.role != Role.SUPPORTER:
        raise Http404
    return match.member, match


def _member_of_match(viewer: User, match: Match) -> User:
    """The member of `match`, if the match is the viewer's own and active: the proof
    every read below asks for. Anything else is a 404."""
    if match.supporter_id != viewer.pk or not match.is_active:
        raise Http404
    return match.member


def checkins_answered(viewer: User, match: Match) -> set[int]:
    """The ids of the member's check-ins the viewer has encouraged already: each
    check-in gets one answer."""
    member = _member_of_match(viewer, match)
    return set(
        Encouragement.objects.filter(member=member, supporter=viewer)
        .exclude(checkin=None)
        .values_list("checkin_id", flat=True)
    )


def shared_goals(viewer: User, match: Match) -> QuerySet[Goal]:
    """The member's shared goals, with progress and steps, for their supporter."""
    member = _member_of_match(viewer, match)
    return (
        Goal.objects.for_user(member)
        .filter(shared=True)
        .with_progress()
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("created_at", "pk"))
        )
    )


def member_strengths(viewer: User, match: Match) -> QuerySet[Strength]:
    """Strengths lead the supporter's view: a member's strengths are part of what
    they share with their supporter."""
    return Strength.objects.for_user(_member_of_match(viewer, match))


def shared_plans(viewer: User, match: Match) -> list[Plan]:
    """Which of their plans the member shares, and when each last changed, for
    the member page (not what they say): one query. A plan the member stopped
    sharing is not among them from that moment."""
    member = _member_of_match(viewer, match)
    return list(Plan.objects.for_user(member).filter(shared=True))


def shared_plan(viewer: User, match: Match, kind: PlanKind | str) -> PlanSheet:
    """The member's safety or wellness plan, whole, if they share it with their
    supporter; a 404 if they do not (or no longer do)."""
    member = _member_of_match(viewer, match)
    plan = Plan.objects.for_user(member).filter(kind=kind, shared=True).first()
    if plan is None:
        raise Http404
    return sheet_of(plan)


@dataclass(frozen=True)
class SharedJourneyPage:
    moments: list[Moment]
    earlier: Cursor | None


def shared_journey(
    viewer: User, match: Match, *, sharing: Sharing, before: Cursor | None, size: int
) -> SharedJourneyPage:
    """One page of the member's timeline with only what they share: moments of shared
    goals, and check-ins (their numbers only if the member shares numbers, their
    note only if that note is shared)."""
    member = _member_of_match(viewer, match)
    events = _shared_events(member).select_related("goal", "step", "checkin")
    rows, earlier = keyset_page(events, before=before, size=size)
    moments = [
        Moment(
            event=event,
            own=False,
            show_numbers=sharing.numbers_shared,
            show_note=bool(event.checkin and event.checkin.note_shared),
        )
        for event in rows
    ]
    return SharedJourneyPage(moments, earlier)


def _shared_events(member: User) -> QuerySet[JourneyEvent]:
    return JourneyEvent.objects.for_user(member).filter(
        Q(kind=EventKind.CHECKIN) | Q(goal__shared=True)
    )


@dataclass(frozen=True)
class Changes:
    """What changed in what the member shares since a moment (the supporter's
    last visit, or the start of the match): counts only."""

    since: datetime
    first_visit: bool
    checkins: int = 0
    steps_done: int = 0
    goals_set: int = 0
    goals_achieved: int = 0
    messages: int = 0
    # Messages from the member the supporter has not had on screen yet.
    unread: int = 0

    @property
    def anything(self) -> bool:
        counts = (self.checkins, self.steps_done, self.goals_set, self.goals_achieved)
        return any(counts) or bool(self.messages)


def changes_since(viewer: User, match: Match, since: datetime | None) -> Changes:
    """Check-ins, shared steps done, shared goals set and achieved, and messages
    from the member, since `since` (None: since the match began), and how many of
    their messages are unread. Two queries."""
    member = _member_of_match(viewer, match)
    # Never from before the match: a visit in an earlier match is not this one's.
    if since is not None and since < match.started_at:
        since = None
    start = since or match.started_at
    by_kind = dict(
        _shared_events(member)
        .filter(occurred_at__gt=start)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    messages = Message.objects.filter(match=match, author=member).aggregate(
        since=Count("pk", filter=Q(created_at__gt=start)),
        unread=Count("pk", filter=Q(seen_at__isnull=True)),
    )
    return Changes(
        since=start,
        first_visit=since is None,
        checkins=by_kind.get(EventKind.CHECKIN, 0),
        steps_done=by_kind.get(EventKind.STEP_DONE, 0),
        goals_set=by_kind.get(EventKind.GOAL_SET, 0),
        goals_achieved=by_kind.get(EventKind.GOAL_ACHIEVED, 0),
        messages=messages["since"],
        unread=messages["unread"],
    )


@dataclass(frozen=True)
class KeptPrivate:
    """That the member keeps something to themselves, never what: counts only."""

    goals: int
    notes: bool

    @property
    def anything(self) -> bool:
        return bool(self.goals) or self.notes


def kept_private(viewer: User, match: Match) -> KeptPrivate:
    """How many goals the member keeps private, and whether some check-in notes
    are kept private: one query."""
    member = _member_of_match(viewer, match)
    of_member = OuterRef("pk")
    row = (
        User.objects.filter(pk=member.pk)
        .annotate(
            private_goals=Coalesce(
                Subquery(
                    Goal.objects.filter(member=of_member, shared=False)
                    .order_by()
                    .values("member")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
            private_notes=Exists(
                CheckIn.objects.filter(member=of_member, note_shared=False).exclude(
                    note=""
                )
            ),
        )
        .values("private_goals", "private_notes")
        .get()
    )
    return KeptPrivate(goals=row["private_goals"], notes=row["private_notes"])


@dataclass(frozen=True)
class SharedTotals:
    """One questionnaire's totals as the member shares them: (day, total) pairs,
    newest first; total None when a statement was skipped. Never the answers."""

    questionnaire: Questionnaire
    totals: list[tuple[date, int | None]]


def measure_totals(viewer: User, match: Match) -> list[SharedTotals] | None:
    """The member's finished recovery questionnaire totals, if they share them
    now (None when they keep them private): days and totals only, read as they
    stand, so a member who stops sharing is private from the next request. One
    query (the sharing switch comes with the match)."""
    member = _member_of_match(viewer, match)
    if not Sharing.for_member(member).measures_shared:
        return None
    rows = (
        MeasureResult.objects.for_user(member)
        .completed()
        .order_by("measure", "-day")
        .values_list("measure", "day", "total")
    )
    by_measure: dict[str, list] = {}
    for key, day, total in rows:
        by_measure.setdefault(key, []).append((day, total))
    return [
        SharedTotals(q, by_measure[key])
        for key, q in QUESTIONNAIRES.items()
        if key in by_measure
    ]


def contact_notes(
    viewer: User, member: User, match: Match | None = None
) -> QuerySet[ContactNote]:
    """Contact notes about a member that this viewer may read.

    A supporter with an active match reads their own notes and notes shared with the
    member (also a previous supporter's); never another supporter's private notes. A
    coordinator reads the whole history.
    """
    notes = (
        ContactNote.objects.filter(member=member)
        .select_related("author")
        .prefetch_related(
            # A goal the member has since made private no longer shows by name.
            Prefetch("goals_discussed", queryset=Goal.objects.filter(shared=True))
        )
    )
    if viewer.role == Role.COORDINATOR:
        return notes
    if match is None or _member_of_match(viewer, match).pk != member.pk:
        raise Http404
    return notes.filter(Q(author=viewer) | Q(shared_with_member=True))


def notes_shared_with_member(member: User) -> QuerySet[ContactNote]:
    """What the member reads of their own contact log: shared notes only."""
    return ContactNote.objects.filter(
        member=member, shared_with_member=True
    ).select_related("author")
