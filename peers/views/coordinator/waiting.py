"""Who waits for a supporter: the waiting list, one member's page (their matches,
requests and notes) and the ranked suggestions for them."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from peers import matching, selectors
from peers.access import contact_notes
from peers.forms_coordinator import MatchCreateForm, WaitingSearchForm
from peers.models import (
    AnsweredReason,
    ChangeRequest,
    CrisisFollowUp,
    Match,
    ReasonAnswered,
)
from peers.views.coordinator.lookup import PAGE_SIZE, coordinator_only, get_member
from peers.views.coordinator.matches import _with_conversation_figures
from peers.views.coordinator.people import _password_link_context
from recovery import audit
from recovery.models import User
from recovery.types import AuthedRequest

SUGGESTIONS = 5


@coordinator_only
@vary_on_headers("HX-Request")
def waiting_list(request: AuthedRequest) -> HttpResponse:
    """Who waits for a supporter, longest wait first; found by name, language,
    region or wait with a GET form (htmx swaps the list alone)."""
    languages, regions = selectors.waiting_languages_and_regions()
    search = WaitingSearchForm(request.GET, languages=languages, regions=regions)
    chosen = search.chosen()
    now = timezone.now()
    found = selectors.waiting_found(
        name=chosen.get("q", ""),
        language=chosen.get("language", ""),
        region=chosen.get("region", ""),
        waited_days=chosen.get("waited"),
        now=now,
    )
    members = selectors.waiting_page_rows(found)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.waiting_row(member, now) for member in page.object_list]
    audit.viewed_many(request, [row.member for row in rows], audit.Seen.WAITING_LIST)
    context = {"page": page, "rows": rows, "search": search}
    template = "peers/coordinator/waiting_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@coordinator_only
def member_detail(request: AuthedRequest, member_id: int) -> HttpResponse:
    person = get_member(member_id)
    audit.viewed(request, person, audit.Seen.MATCH_HISTORY)
    history = (
        Match.objects.filter(member=person)
        .select_related("supporter", "started_by", "ended_by")
        .order_by("-started_at", "-pk")
    )
    history = list(history)
    _with_conversation_figures(history)
    context = {
        **_password_link_context(request, person),
        "member": person,
        "preferences": selectors.preference_words(selectors.preferences_of(person)),
        "matches": history,
        "requests": ChangeRequest.objects.filter(member=person).order_by("-created_at"),
        "notes": contact_notes(request.user, person),
        "follow_ups": CrisisFollowUp.objects.filter(
            match__member=person
        ).select_related("by"),
        # Programme data only: "asked to talk" comes from a check-in, the plan.
        "answered": ReasonAnswered.objects.filter(match__member=person)
        .exclude(reason=AnsweredReason.ASKED_TO_TALK)
        .select_related("by")[:50],
    }
    return render(request, "peers/coordinator/member_history.html", context)


@coordinator_only
def suggestion_list(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = get_member(member_id, active_only=True)
    audit.viewed(request, member, audit.Seen.MATCH_SUGGESTIONS)
    prefs = selectors.preferences_of(member)
    current = Match.objects.active().filter(member=member).select_related("supporter")
    current = current.first()
    wishes = matching.wishes_from_preferences(member.pk, prefs)
    offers = selectors.supporter_offers(
        exclude=current.supporter_id if current else None
    )
    candidates = matching.allowed(wishes, offers.values())
    ranked = matching.rank(wishes, candidates, limit=SUGGESTIONS)
    supporters = User.objects.in_bulk([s.offer.supporter_id for s in ranked])
    rows = [
        {
            "supporter": supporters[s.offer.supporter_id],
            "score": s,
            "misses": matching.misses(wishes, s.offer),
            # No ids on the hidden inputs: one form per row, and ids must be unique.
            "form": MatchCreateForm(
                initial={"member": member.pk, "supporter": s.offer.supporter_id},
                auto_id=False,
            ),
        }
        for s in ranked
    ]
    context = {
        "most_points": matching.most_points(),
        "member": member,
        "preferences": selectors.preference_words(prefs),
        "current": current,
        "request_open": ChangeRequest.objects.filter(
            member=member, resolved_at__isnull=True
        ).first(),
        "rows": rows,
        "not_shown": len(offers) - len(candidates),
    }
    return render(request, "peers/coordinator/suggestion_list.html", context)
