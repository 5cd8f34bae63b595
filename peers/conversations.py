"""The conversation of a match: a member and their peer supporter, and nobody else.

Rules:
- Only the match's two people write, and only while it is active.
- The supporter reads the active match's messages only: when the match ends they
  lose the conversation at once, and a new supporter never sees an old one.
- The member keeps every conversation of every match, each message labelled with
  who wrote it.
- Coordinators see that a conversation exists, its counts and dates, never text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from peers import caseload, notifications
from peers.models import AnsweredBy, Encouragement, Match, Message, Suggestion
from recovery.fields import parse_id
from recovery.models import User

PAGE_SIZE = 50


class ConversationClosed(Exception):
    """The match has ended (or is not this person's): nothing more can be sent."""


@transaction.atomic
def message_send(
    *,
    match: Match,
    author: User,
    text: str,
    replying_to: Encouragement | Suggestion | None = None,
) -> Message:
    """A message from the member or the supporter of an active match, perhaps a
    member's reply to an encouragement or a suggestion (quoted above it). The
    match row is locked, so a message cannot slip in after the match has ended.
    A message from the supporter answers the caseload's contact reasons."""
    locked = Match.objects.select_for_update().filter(pk=match.pk).first()
    if locked is None or not locked.is_active:
        raise ConversationClosed
    if author.pk not in (locked.member_id, locked.supporter_id):
        raise ConversationClosed
    if replying_to is not None and (
        replying_to.member_id != locked.member_id
        or replying_to.supporter_id != locked.supporter_id
    ):
        replying_to = None  # only what this match's supporter said can be quoted
    fields = {
        "match": locked,
        "author": author,
        "text": text.strip(),
        "replying_to_encouragement": (
            replying_to if isinstance(replying_to, Encouragement) else None
        ),
        "replying_to_suggestion": (
            replying_to if isinstance(replying_to, Suggestion) else None
        ),
    }
    if author.pk == locked.supporter_id:
        with caseload.answers_recorded(locked, how=AnsweredBy.MESSAGE, by=author):
            message = Message.objects.create(**fields)
    else:
        message = Message.objects.create(**fields)
    notifications.message_sent(message)
    return message


def reply_target(match: Match, ref: str) -> Encouragement | Suggestion | None:
    """What a member's "Reply" answers, from the `reply` parameter ("e12": an
    encouragement, "s7": a suggestion), if this match's supporter said it to this
    match's member."""
    kinds = {"e": Encouragement, "s": Suggestion}
    model = kinds.get(ref[:1])
    pk = parse_id(ref[1:])
    if model is None or pk is None:
        return None
    return model.objects.filter(
        member=match.member_id, supporter=match.supporter_id, pk=pk
    ).first()


def messages_seen(*, match: Match, reader: User) -> int:
    """Mark what the other person wrote as seen by `reader` (who has it on screen)."""
    return (
        Message.objects.filter(match=match, seen_at__isnull=True)
        .exclude(author=reader)
        .update(seen_at=timezone.now())
    )


def latest(
    messages: QuerySet[Message], *, before: int | None = None, size: int = PAGE_SIZE
) -> list[Message]:
    """The newest page of messages (before a message id, for "earlier"), oldest
    first as a conversation reads."""
    if before is not None:
        messages = messages.filter(pk__lt=before)
    page = list(_as_shown(messages).order_by("-created_at", "-pk")[:size])
    page.reverse()
    return page


def whole(match: Match) -> list[Message]:
    """Every message of a match, oldest first: an ended conversation, which its
    member keeps to read."""
    return list(_as_shown(match.messages.all()))


def _as_shown(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Messages with who wrote each and what it quotes, as a conversation shows
    them."""
    return messages.select_related(
        "author", "replying_to_encouragement", "replying_to_suggestion"
    )


def earlier_with_messages(member: User) -> list[Match]:
    """The member's ended matches that have a conversation, the latest ended first:
    each is theirs to read again."""
    return list(
        Match.objects.filter(
            member=member, ended_at__isnull=False, messages__isnull=False
        )
        .select_related("supporter")
        .distinct()
        .order_by("-ended_at")
    )


def unread_count(*, match: Match, reader: User) -> int:
    return (
        Message.objects.filter(match=match, seen_at__isnull=True)
        .exclude(author=reader)
        .count()
    )


@dataclass(frozen=True)
class ConversationFigures:
    """What a coordinator may know of a conversation: never its text."""

    from_member: int
    from_supporter: int
    last_at: datetime | None


def figures_by_match(matches: list[Match]) -> dict[int, ConversationFigures]:
    """Message counts and the latest date of each match's conversation, in one
    query, for the coordinators' match history."""
    rows = (
        Message.objects.filter(match__in=[m.pk for m in matches])
        .values("match")
        .annotate(
            from_member=Count("pk", filter=Q(author=F("match__member"))),
            total=Count("pk"),
            last_at=Max("created_at"),
        )
    )
    figures = {}
    for row in rows:
        figures[row["match"]] = ConversationFigures(
            from_member=row["from_member"],
            from_supporter=row["total"] - row["from_member"],
            last_at=row["last_at"],
        )
    return figures
