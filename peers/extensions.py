"""What peers adds to the member's own pages, their download and the deletion of
their account (registered in PeersConfig.ready)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.export import YOU
from goals.extensions import Export, Panel, Reply
from goals.models import EventKind, JourneyEvent
from peers import access, services
from peers.models import (
    ChangeRequest,
    ContactNote,
    Encouragement,
    Match,
    MatchPreferences,
    Message,
    ReasonAnswered,
    Suggestion,
    SuggestionStatus,
)
from recovery.models import User


def member_home_panel(member: User) -> Panel | None:
    """The latest encouragement from the member's current supporter (a former
    one's words no longer greet them) and how many suggestions wait."""
    latest = (
        Encouragement.objects.filter(
            member=member,
            supporter__supported__member=member,
            supporter__supported__ended_at__isnull=True,
        )
        .select_related("supporter")
        .first()
    )
    waiting = Suggestion.objects.filter(
        member=member, status=SuggestionStatus.OPEN
    ).count()
    if latest is None and not waiting:
        return None
    return Panel(
        "peers/member/home_panel.html",
        {"encouragement": latest, "suggestions": waiting},
    )


def encouragement_replies(
    member: User, events: list[JourneyEvent]
) -> dict[int, list[Reply]]:
    """Encouragement answering a check-in shows under it; encouragement on a goal
    shows under the moment the goal was set."""
    by_checkin = {e.checkin_id: e.pk for e in events if e.checkin_id}
    by_goal = {e.goal_id: e.pk for e in events if e.kind == EventKind.GOAL_SET}
    if not by_checkin and not by_goal:
        return {}
    replies: dict[int, list[Reply]] = {}
    answers = (
        Encouragement.objects.filter(member=member)
        .filter(Q(checkin_id__in=by_checkin) | Q(goal_id__in=by_goal))
        .select_related("supporter")
        .annotate(
            # Only the current supporter's words can be answered in the conversation.
            answerable=Exists(
                Match.objects.active().filter(
                    member=member, supporter=OuterRef("supporter")
                )
            )
        )
        .order_by("created_at")
    )
    talk = reverse("peers:conversation")
    for answer in answers:
        event_id = by_checkin.get(answer.checkin_id) or by_goal.get(answer.goal_id)
        url = f"{talk}?reply=e{answer.pk}#compose" if answer.answerable else ""
        reply = Reply(
            answer.supporter.display_name, answer.text, answer.created_at, url
        )
        replies.setdefault(event_id, []).append(reply)
    return replies


def privacy_panel(member: User) -> Panel:
    """Who supports the member now, for the top of their privacy page."""
    match = Match.objects.active().filter(member=member).select_related("supporter")
    return Panel("peers/member/privacy_panel.html", {"match": match.first()})


def end_match_before_account_delete(member: User) -> None:
    """A member deleting their account ends their match first, the usual way, so
    their supporter's count of members stays true."""
    for match in Match.objects.active().filter(member=member):
        services.match_end(match=match, by=None, reason=_("account deleted"))


# Peers' part of "download my data": each kind of row about the member that is
# theirs to take. A supporter's private contact notes are the supporter's record
# and stay out; the coordinators who made or ended a match are named nowhere.
EXPORTS = [
    Export(
        key="messages",
        model=Message,
        rows=lambda member: Message.objects.for_member(member).order_by(
            "created_at", "pk"
        ),
        about=gettext_lazy(
            "The messages between you and your peer supporters, each with who wrote "
            "it, which match it belongs to, and the encouragement or suggestion it "
            "replies to."
        ),
        fields=(
            "id",
            "match",
            "author",
            "text",
            "created_at",
            "seen_at",
            "replying_to_encouragement",
            "replying_to_suggestion",
        ),
    ),
    Export(
        key="match_preferences",
        model=MatchPreferences,
        rows=lambda member: MatchPreferences.objects.filter(member=member),
        about=gettext_lazy("What you would like in a peer supporter."),
        left_out={"member": YOU},
        single=True,
    ),
    Export(
        key="matches",
        model=Match,
        rows=lambda member: Match.objects.filter(member=member).order_by(
            "started_at", "pk"
        ),
        about=gettext_lazy("Your matches with peer supporters, past and present."),
        fields=(
            "id",
            "supporter",
            "started_at",
            "score",
            "ended_at",
            "end_reason",
        ),
        left_out={
            "member": YOU,
            "started_by": gettext_lazy("the coordinator's account, not yours"),
            "ended_by": gettext_lazy("the coordinator's account, not yours"),
        },
    ),
    Export(
        key="change_requests",
        model=ChangeRequest,
        rows=lambda member: ChangeRequest.objects.filter(member=member).order_by(
            "created_at", "pk"
        ),
        about=gettext_lazy("Times you asked for a (different) supporter."),
        left_out={"member": YOU},
    ),
    Export(
        key="encouragements",
        model=Encouragement,
        rows=lambda member: Encouragement.objects.filter(member=member).order_by(
            "created_at", "pk"
        ),
        about=gettext_lazy("Encouragement your supporters sent you."),
        left_out={"member": YOU},
    ),
    Export(
        key="suggestions",
        model=Suggestion,
        rows=lambda member: Suggestion.objects.filter(member=member).order_by(
            "created_at", "pk"
        ),
        about=gettext_lazy(
            "Goals and steps your supporters suggested, and your answer."
        ),
        left_out={"member": YOU},
    ),
    Export(
        key="reasons_answered",
        model=ReasonAnswered,
        rows=lambda member: ReasonAnswered.objects.filter(
            match__member=member
        ).order_by("at", "pk"),
        about=gettext_lazy(
            "When a contact or a message from your supporter answered why you came "
            "first on their list (you asked to talk, or had not heard from them "
            "for a while)."
        ),
    ),
    Export(
        key="contact_notes",
        model=ContactNote,
        rows=lambda member: access.notes_shared_with_member(member).order_by(
            "contact_date", "created_at", "pk"
        ),
        about=gettext_lazy(
            "Contact notes your supporters shared with you (notes they keep for "
            "supporters' records are not included)."
        ),
        fields=(
            "id",
            "author",
            "contact_date",
            "mode",
            "reached",
            "minutes",
            "goals_discussed",
            "next_step",
            "follow_up",
            "note",
            "created_at",
        ),
        left_out={
            "member": YOU,
            "match": gettext_lazy("the match's id; the author says who wrote it"),
            "shared_with_member": gettext_lazy("always yes here"),
        },
    ),
]
