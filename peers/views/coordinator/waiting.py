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
from peers.views.coordinator.lookup import PAGE_SIZE, coordinator_only, get_member
from peers.views.coordinator.people import password_link_context
from recovery import audit
from recovery.models import User
from recovery.types import AuthedRequest


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
    """One member as the programme knows them: what they would like, their
    matches, requests, crisis follow-ups, reasons answered and contact log."""
    person = get_member(member_id)
    audit.viewed(request, person, audit.Seen.MATCH_HISTORY)
    history = selectors.member_history(person)
    context = {
        **password_link_context(request, person),
        "member": person,
        "preferences": selectors.preference_words(selectors.preferences_of(person)),
        "matches": history.matches,
        "requests": history.requests,
        "notes": contact_notes(request.user, person),
        "follow_ups": history.follow_ups,
        "answered": history.answered,
    }
    return render(request, "peers/coordinator/member_history.html", context)


@coordinator_only
def suggestion_list(request: AuthedRequest, member_id: int) -> HttpResponse:
    """The supporters who would fit one member best, with the reasons for each
    score, and a button to match them."""
    member = get_member(member_id, active_only=True)
    audit.viewed(request, member, audit.Seen.MATCH_SUGGESTIONS)
    found = selectors.suggestions_for(member)
    rows = [(fit, _match_create_form(member, fit.supporter)) for fit in found.fits]
    context = {
        "member": member,
        "found": found,
        "rows": rows,
        "most_points": matching.most_points(),
    }
    return render(request, "peers/coordinator/suggestion_list.html", context)


def _match_create_form(member: User, supporter: User) -> MatchCreateForm:
    """One row's "Match" form; its ids end with the supporter's, so that each
    row's are unique on the page."""
    return MatchCreateForm(
        initial={"member": member.pk, "supporter": supporter.pk},
        auto_id=f"match-{supporter.pk}-%s",
    )
