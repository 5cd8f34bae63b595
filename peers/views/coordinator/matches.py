"""Matches: making one (or a re-match), ending one, and the history of all."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peers import selectors, services
from peers.forms_coordinator import MatchCreateForm, MatchEndForm
from peers.models import Match
from peers.views.coordinator.lookup import (
    PAGE_SIZE,
    coordinator_only,
    get_member,
    get_supporter,
)
from recovery import audit
from recovery.types import AuthedRequest


@coordinator_only
@require_POST
def match_create(request: AuthedRequest) -> HttpResponse:
    form = MatchCreateForm(request.POST)
    if not form.is_valid():
        raise Http404
    member = get_member(form.cleaned_data["member"], active_only=True)
    supporter = get_supporter(form.cleaned_data["supporter"])
    back = reverse("peers:suggestions", args=[member.pk])
    try:
        services.match_or_rematch(
            member=member,
            supporter=supporter,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except services.MatchError as refused:
        messages.error(
            request, _("Nothing was changed. %(reason)s") % {"reason": refused}
        )
        return redirect(back)
    messages.success(
        request,
        _("%(member)s and %(supporter)s are matched. They will both hear about it.")
        % {"member": member, "supporter": supporter},
    )
    return redirect("peers:waiting")


@coordinator_only
def match_end(request: AuthedRequest, match_id: int) -> HttpResponse:
    match = get_object_or_404(
        Match.objects.select_related("member", "supporter"), pk=match_id
    )
    back = reverse("peers:member-history", args=[match.member_id])
    if not match.is_active:
        messages.info(request, _("This match has already ended."))
        return redirect(back)
    form = MatchEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_end(
                match=match, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.MatchError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("The match of %(member)s with %(supporter)s has ended.")
                % {"member": match.member, "supporter": match.supporter},
            )
        return redirect(back)
    context = {"match": match, "form": form}
    audit.viewed(request, match.member, audit.Seen.MATCH_END)
    return render(request, "peers/coordinator/match_end.html", context)


@coordinator_only
def match_list(request: AuthedRequest) -> HttpResponse:
    """Every match, newest first, in pages, with each conversation's figures."""
    page = Paginator(selectors.match_history(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_conversation_figures(page.object_list)
    return render(request, "peers/coordinator/match_list.html", {"page": page})
