"""The kinds of notification peers sends (recovery.notifications), and who gets
which. Members get email only for messages, and only if they turn it on."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recovery.models import Role, User
from recovery.notifications import Kind, notify, register

MEMBER = frozenset({Role.MEMBER})
SUPPORTER = frozenset({Role.SUPPORTER})
COORDINATOR = frozenset({Role.COORDINATOR})

MESSAGE = register(
    Kind(
        "message",
        _("%(who)s wrote to you"),
        _("A new message"),
        roles=MEMBER | SUPPORTER,
        email_roles=MEMBER | SUPPORTER,
    )
)
ENCOURAGEMENT = register(
    Kind(
        "encouragement",
        _("%(who)s sent you a few encouraging words"),
        _("Encouragement from your supporter"),
        roles=MEMBER,
    )
)
SUGGESTION = register(
    Kind(
        "suggestion",
        _("%(who)s suggested an idea for your plan"),
        _("An idea from your supporter"),
        roles=MEMBER,
    )
)
SUGGESTION_ACCEPTED = register(
    Kind(
        "suggestion_accepted",
        _("%(who)s took on your suggestion"),
        _("A member takes on your suggestion"),
        roles=SUPPORTER,
    )
)
SUGGESTION_DECLINED = register(
    Kind(
        "suggestion_declined",
        _("%(who)s left your suggestion aside"),
        _("A member leaves your suggestion aside"),
        roles=SUPPORTER,
    )
)
MATCH_STARTED = register(
    Kind(
        "match_started",
        _("You are matched with %(who)s"),
        _("A new match"),
        roles=MEMBER | SUPPORTER,
    )
)
MATCH_ENDED = register(
    Kind(
        "match_ended",
        _("Your match with %(who)s has ended"),
        _("A match ends"),
        roles=MEMBER | SUPPORTER,
    )
)
CHANGE_REQUEST = register(
    Kind(
        "change_request",
        _("%(who)s asked for a change of supporter"),
        _("A member asks for a change of supporter"),
        roles=COORDINATOR,
        email_roles=COORDINATOR,
        email_default=True,
    )
)


# --- Who hears of what ---------------------------------------------------------


def message_sent(message) -> None:
    match = message.match
    if message.author_id == match.member_id:
        url = reverse("peers:member-conversation", args=[match.member_id])
        notify(match.supporter, MESSAGE.key, actor=match.member, url=url)
    else:
        url = reverse("peers:conversation")
        notify(match.member, MESSAGE.key, actor=match.supporter, url=url)


def encouragement_sent(encouragement) -> None:
    notify(
        encouragement.member,
        ENCOURAGEMENT.key,
        actor=encouragement.supporter,
        url=reverse("goals:home"),
    )


def suggestion_made(suggestion) -> None:
    notify(
        suggestion.member,
        SUGGESTION.key,
        actor=suggestion.supporter,
        url=reverse("peers:my-supporter"),
    )


def suggestion_answered(suggestion, *, accepted: bool) -> None:
    kind = SUGGESTION_ACCEPTED if accepted else SUGGESTION_DECLINED
    notify(
        suggestion.supporter,
        kind.key,
        actor=suggestion.member,
        url=reverse("peers:member", args=[suggestion.member_id]),
    )


def match_started(match) -> None:
    notify(
        match.member,
        MATCH_STARTED.key,
        actor=match.supporter,
        url=reverse("peers:my-supporter"),
    )
    notify(
        match.supporter,
        MATCH_STARTED.key,
        actor=match.member,
        url=reverse("peers:member", args=[match.member_id]),
    )


def match_ended(match, *, tell_member: bool) -> None:
    if tell_member:
        notify(
            match.member,
            MATCH_ENDED.key,
            actor=match.supporter,
            url=reverse("peers:my-supporter"),
        )
    notify(
        match.supporter,
        MATCH_ENDED.key,
        actor=match.member,
        url=reverse("peers:caseload"),
    )


def change_requested(request) -> None:
    url = reverse("peers:member-history", args=[request.member_id])
    for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True):
        notify(coordinator, CHANGE_REQUEST.key, actor=request.member, url=url)
