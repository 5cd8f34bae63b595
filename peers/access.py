"""What a supporter or coordinator may see of a member, always through the viewer.

A supporter sees only members with an *active* match to them, and of those only what
the member shares. Nothing here returns a private goal, a private check-in note,
unshared numbers, or another supporter's private contact notes. A coordinator sees
programme data (matches, preferences, contact history), not the member's plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from goals.models import (
    EventKind,
    Goal,
    JourneyEvent,
    Sharing,
    Step,
    Strength,
)
from goals.timeline import Cursor, keyset_page
from peers.models import ContactNote, Match
from recovery.models import Role, User


def get_member_for_supporter(viewer: User, pk: int) -> tuple[User, Match]:
    """The member and their active match with `viewer`, or 404 for anyone else,
    including a member whose match with the viewer has ended."""
    match = (
        Match.objects.active()
        .select_related("member")
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


@dataclass(frozen=True)
class SharedMoment:
    """A moment of the member's journey as their supporter may see it."""

    event: JourneyEvent
    show_numbers: bool
    show_note: bool


@dataclass(frozen=True)
class SharedJourneyPage:
    moments: list[SharedMoment]
    earlier: Cursor | None


def shared_journey(
    viewer: User, match: Match, *, sharing: Sharing, before: Cursor | None, size: int
) -> SharedJourneyPage:
    """One page of the member's timeline with only what they share: moments of shared
    goals, and check-ins (their numbers only if the member shares numbers, their
    note only if that note is shared)."""
    member = _member_of_match(viewer, match)
    events = (
        JourneyEvent.objects.for_user(member)
        .filter(Q(kind=EventKind.CHECKIN) | Q(goal__shared=True))
        .select_related("goal", "step", "checkin")
    )
    rows, earlier = keyset_page(events, before=before, size=size)
    moments = [
        SharedMoment(
            event=event,
            show_numbers=sharing.numbers_shared,
            show_note=bool(event.checkin and event.checkin.note_shared),
        )
        for event in rows
    ]
    return SharedJourneyPage(moments, earlier)


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
