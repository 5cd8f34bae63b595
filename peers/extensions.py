"""What peers adds to the member's own pages (registered in PeersConfig.ready)."""

from django.db.models import Q

from goals.extensions import Panel, Reply
from goals.models import EventKind, JourneyEvent
from peers.models import Encouragement, Suggestion, SuggestionStatus
from recovery.models import User


def member_home_panel(member: User) -> Panel | None:
    """The latest encouragement and how many suggestions wait for the member."""
    latest = (
        Encouragement.objects.filter(member=member).select_related("supporter").first()
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
        .order_by("created_at")
    )
    for answer in answers:
        event_id = by_checkin.get(answer.checkin_id) or by_goal.get(answer.goal_id)
        reply = Reply(answer.supporter.display_name, answer.text, answer.created_at)
        replies.setdefault(event_id, []).append(reply)
    return replies
