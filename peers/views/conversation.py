"""The conversation pages: the member's (with their supporter, and every earlier
one kept), and the supporter's with one member of their active caseload.

One template serves both, with partials: `messages` (what htmx polls about once a
minute while the tab is shown, static/js/poll.js) and `compose` (the box, which
also works as a plain form without JavaScript).
"""

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from peers import access, conversations
from peers.forms import MessageForm
from peers.models import Encouragement, Match, Message, Suggestion
from recovery import audit, once
from recovery.decorators import role_required
from recovery.fields import parse_id
from recovery.models import Role
from recovery.types import AuthedRequest

member_only = role_required(Role.MEMBER)
supporter_only = role_required(Role.SUPPORTER)


def _send_or_show(
    request: AuthedRequest,
    *,
    match: Match | None,
    shown,
    url: str,
    other_name: str,
    earlier: list[Match] | None = None,
    replying_to: Encouragement | Suggestion | None = None,
) -> HttpResponse:
    """Send (POST) or show (GET) the conversation of `match`, whose messages the
    viewer may read as `shown`; a member's reply quotes `replying_to`."""
    form = MessageForm(request.POST or None)
    if request.method == "POST" and match is None:
        flash.info(request, _("This conversation has ended; nothing was sent."))
        return redirect(url)
    if request.method == "POST" and form.is_valid():
        try:
            once.submit_once(
                request.user,
                once.key_from(request),
                lambda: conversations.message_send(
                    match=match,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    replying_to=replying_to,
                ),
            )
        except conversations.ConversationClosed:
            flash.info(request, _("This conversation has ended; nothing was sent."))
            return redirect(url)
        if not request.htmx:
            return redirect(f"{url}#latest")
        form, replying_to = MessageForm(), None
    if match is not None:
        conversations.messages_seen(match=match, reader=request.user)
    before = parse_id(request.GET.get("before", ""))
    context = {
        "match": match,
        "thread": conversations.latest(shown, before=before),
        "form": form,
        "url": url,
        "other_name": other_name,
        "earlier": earlier or [],
        "replying_to": replying_to,
    }
    context["has_earlier"] = (
        bool(context["thread"])
        and shown.filter(pk__lt=context["thread"][0].pk).exists()
    )
    template = "peers/conversation.html"
    if request.htmx and request.method == "POST":
        return render(request, f"{template}#sent", context)
    if request.htmx and request.GET.get("poll"):
        return render(request, f"{template}#messages", context)
    status = 400 if form.errors else 200
    return render(request, template, context, status=status)


@member_only
@vary_on_headers("HX-Request")
def conversation_detail(request: AuthedRequest) -> HttpResponse:
    """The member's conversation with their supporter; earlier supporters'
    conversations stay theirs to read, below."""
    member = request.user
    match = (
        Match.objects.active().filter(member=member).select_related("supporter").first()
    )
    shown = (
        Message.objects.for_member(member).filter(match=match)
        if match
        else Message.objects.none()
    )
    reply = request.POST.get("reply") or request.GET.get("reply", "")
    return _send_or_show(
        request,
        match=match,
        shown=shown,
        url=reverse("peers:conversation"),
        other_name=match.supporter.display_name if match else "",
        earlier=conversations.earlier_with_messages(member),
        replying_to=conversations.reply_target(match, reply)
        if match and reply
        else None,
    )


@member_only
def conversation_earlier_detail(request: AuthedRequest, match_id: int) -> HttpResponse:
    """A conversation with a former supporter: the member's to read, no longer to
    write to."""
    ended = Match.objects.filter(member=request.user, ended_at__isnull=False)
    match = get_object_or_404(ended.select_related("supporter"), pk=match_id)
    context = {
        "match": None,
        "ended": match,
        "thread": conversations.whole(match),
        "other_name": match.supporter.display_name,
        "url": reverse("peers:conversation"),
    }
    return render(request, "peers/conversation.html", context)


@supporter_only
@vary_on_headers("HX-Request")
def member_conversation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A supporter's conversation with one member of their active caseload."""
    member, match = access.get_member_for_supporter(request.user, pk)
    if request.method == "GET" and not request.GET.get("poll"):
        audit.viewed(request, member, audit.Seen.CONVERSATION)
    return _send_or_show(
        request,
        match=match,
        shown=Message.objects.filter(match=match),
        url=reverse("peers:member-conversation", args=[member.pk]),
        other_name=member.display_name,
    )
