"""Peer supporter pages: the caseload, one member's shared plan, encouragement,
suggestions and the contact log.

Every member is reached through `access.get_member_for_supporter`: a member without
an active match to the supporter asking answers 404, from the next request after a
match ends.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals.models import CheckIn, PlanKind, Sharing
from goals.timeline import Cursor
from peers import access, conversations, services
from peers.caseload import caseload, with_reason
from peers.forms import (
    CaseloadSearchForm,
    ContactNoteForm,
    CrisisFollowUpForm,
    EncouragementForm,
    GoalSuggestionForm,
    StepSuggestionForm,
)
from peers.models import Message, Suggestion
from recovery import audit, once
from recovery.decorators import role_required
from recovery.fields import parse_id
from recovery.models import Role
from recovery.types import AuthedRequest

supporter_only = role_required(Role.SUPPORTER)


CASELOAD_PAGE_SIZE = 50


@supporter_only
@vary_on_headers("HX-Request")
def caseload_list(request: AuthedRequest) -> HttpResponse:
    """The members matched with this supporter, who may welcome contact first;
    found by name or by reason with a GET form (htmx swaps the list alone)."""
    search = CaseloadSearchForm(request.GET)
    chosen = search.chosen()
    rows = caseload(request.user, name=chosen.get("q", ""))
    if "reason" in chosen:
        rows = with_reason(rows, chosen["reason"])
    page = Paginator(rows, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit.viewed_many(request, [row.member for row in shown], audit.Seen.CASELOAD_ROW)
    context = {"rows": shown, "page": page, "search": search}
    template = "peers/supporter/caseload.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


# Views of the member page less than this apart are one visit: "since your last
# visit" starts where the previous visit ended, so reloads do not empty it.
VISIT_GAP = timedelta(minutes=30)
CONTACTS_ON_PAGE = 2
CONVERSATION_ON_PAGE = 1
SUGGESTIONS_ON_PAGE = 6
CONTACTS_PER_PAGE = 20


def _journey_context(request: AuthedRequest, member, match) -> dict:
    """What the journey part of the member page needs (and "load earlier" alone)."""
    viewer = request.user
    sharing = Sharing.for_member(member)
    before = Cursor.decode(request.GET.get("before"))
    journey = access.shared_journey(
        viewer,
        match,
        sharing=sharing,
        before=before,
        size=settings.SUPPORTER_JOURNEY_PAGE_SIZE,
    )
    return {
        "member": member,
        "match": match,
        "sharing": sharing,
        "journey": journey,
        "answered_checkins": access.checkins_answered(viewer, match),
    }


@supporter_only
@vary_on_headers("HX-Request")
def member_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One member as their supporter sees them, in the order a round needs on a
    phone: what changed since the last visit, the conversation and "log a
    contact", strengths and shared goals, then the journey and the contact log."""
    viewer = request.user
    member, match = access.get_member_for_supporter(viewer, pk)
    context = _journey_context(request, member, match)
    if request.htmx and request.GET.get("before"):
        audit.viewed(request, member, audit.Seen.EARLIER_MOMENTS)
        return render(request, "peers/supporter/member.html#moments", context)
    last_visit = audit.last_visit(
        viewer, member, audit.Seen.MEMBER_PAGE, now=timezone.now(), gap=VISIT_GAP
    )
    audit.viewed(request, member, audit.Seen.timeline(request.GET.get("before")))
    # The page shows each note short, without the goals it talked about.
    notes = list(
        access.contact_notes(viewer, member, match).prefetch_related(None)[
            : CONTACTS_ON_PAGE + 1
        ]
    )
    context |= {
        "changes": access.changes_since(viewer, match, last_visit),
        "kept_private": access.kept_private(viewer, match),
        "latest_messages": conversations.latest(
            Message.objects.filter(match=match), size=CONVERSATION_ON_PAGE
        ),
        "strengths": access.member_strengths(viewer, match),
        "plans": access.shared_plans(viewer, match),
        "goals": list(access.shared_goals(viewer, match)),
        "notes": notes[:CONTACTS_ON_PAGE],
        "more_notes": len(notes) > CONTACTS_ON_PAGE,
        "suggestions": Suggestion.objects.filter(member=member, supporter=viewer)[
            :SUGGESTIONS_ON_PAGE
        ],
        "goal_suggestion_form": GoalSuggestionForm(),
        "open_goal": parse_id(request.GET.get("goal", "")),
        "row": next(iter(caseload(viewer, only=member)), None),
        "crisis_guidance": settings.CRISIS_FOLLOW_UP_GUIDANCE,
    }
    if context["row"] and context["row"].crisis_day:
        context["follow_up_form"] = CrisisFollowUpForm()
    return render(request, "peers/supporter/member.html", context)


@supporter_only
def contact_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """The whole contact log about one member that this supporter may read,
    newest first, in pages."""
    member, match = access.get_member_for_supporter(request.user, pk)
    page = Paginator(
        access.contact_notes(request.user, member, match), CONTACTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    audit.viewed(request, member, audit.Seen.CONTACT_LOG)
    return render(
        request, "peers/supporter/contact_list.html", {"member": member, "page": page}
    )


PLAN_SEEN = {
    PlanKind.SAFETY: audit.Seen.SAFETY_PLAN,
    PlanKind.WELLNESS: audit.Seen.WELLNESS_PLAN,
}


@supporter_only
def member_plan_detail(request: AuthedRequest, pk: int, kind: PlanKind) -> HttpResponse:
    """A member's safety or wellness plan, while they share it (404 otherwise),
    read by their supporter: recorded in the audit log, which the member reads."""
    member, match = access.get_member_for_supporter(request.user, pk)
    sheet = access.shared_plan(request.user, match, kind)
    audit.viewed(request, member, PLAN_SEEN[kind])
    context = {"member": member, "sheet": sheet}
    return render(request, "peers/supporter/member_plan.html", context)


@supporter_only
def measure_total_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """The member's recovery questionnaire totals, only while they share them.
    Recorded in their "who viewed my data" only when totals were shown."""
    member, match = access.get_member_for_supporter(request.user, pk)
    shared = access.measure_totals(request.user, match)
    if shared is not None:
        audit.viewed(request, member, audit.Seen.MEASURE_TOTALS)
    context = {"member": member, "shared": shared}
    return render(request, "peers/supporter/measure_totals.html", context)


@supporter_only
@require_POST
def crisis_flag_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    """The supporter followed up a crisis flag: it leaves the caseload's top."""
    member, match = access.get_member_for_supporter(request.user, pk)
    form = CrisisFollowUpForm(request.POST)
    back = reverse("peers:member", args=[member.pk])
    row = next(iter(caseload(request.user, only=member)), None)
    if row is None or row.crisis_day is None:
        messages.info(request, _("There is no crisis flag to follow up now."))
    elif form.is_valid():
        services.crisis_follow_up(
            match=match,
            by=request.user,
            day=row.crisis_day,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Followed up. Thank you for checking in on them."))
    else:
        messages.error(request, _("Please say in a few words what you did."))
    return redirect(f"{back}#crisis")


@supporter_only
@require_POST
@vary_on_headers("HX-Request")
def encouragement_send(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer a shared check-in (or goal) with a few encouraging words, in place."""
    member, match = access.get_member_for_supporter(request.user, pk)
    checkin = goal = None
    if checkin_id := parse_id(request.POST.get("checkin", "")):
        checkin = get_object_or_404(
            CheckIn.objects.for_user(member), pk=checkin_id, skipped=False
        )
    elif goal_id := parse_id(request.POST.get("goal", "")):
        goal = get_object_or_404(access.shared_goals(request.user, match), pk=goal_id)
    else:
        raise Http404
    form = EncouragementForm(request.POST)
    sent = None
    if form.is_valid():
        sent, _made = once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.encouragement_send(
                match=match,
                text=form.cleaned_data["text"],
                checkin=checkin,
                goal=goal,
            ),
        )
    if request.htmx:
        audit.viewed(request, member, audit.Seen.ENCOURAGEMENT)
        context = {"sent": sent, "form": form, "member": member, "checkin": checkin}
        context["goal"] = goal
        return render(request, "peers/supporter/member.html#encourage-result", context)
    if sent:
        messages.success(request, _("Your encouragement is on its way."))
    else:
        messages.error(request, _("Please write a few words first."))
    return redirect("peers:member", pk=member.pk)


@supporter_only
@require_POST
def goal_suggest(request: AuthedRequest, pk: int) -> HttpResponse:
    member, match = access.get_member_for_supporter(request.user, pk)
    form = GoalSuggestionForm(request.POST)
    if form.is_valid():
        once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.suggestion_make(
                match=match,
                title=form.cleaned_data["title"],
                domain=form.cleaned_data["domain"],
            ),
        )
        messages.success(
            request,
            _("Suggested. %(name)s decides whether to take it on.")
            % {"name": member.display_name},
        )
    else:
        messages.error(
            request, _("A suggested goal needs a few words and a life area.")
        )
    return redirect(reverse("peers:member", args=[member.pk]) + "#suggest")


@supporter_only
@require_POST
def step_suggest(request: AuthedRequest, pk: int, goal_pk: int) -> HttpResponse:
    member, match = access.get_member_for_supporter(request.user, pk)
    goal = get_object_or_404(access.shared_goals(request.user, match), pk=goal_pk)
    form = StepSuggestionForm(request.POST)
    if form.is_valid():
        once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.suggestion_make(
                match=match, goal=goal, title=form.cleaned_data["title"]
            ),
        )
        messages.success(
            request,
            _("Suggested. %(name)s decides whether to take it on.")
            % {"name": member.display_name},
        )
    else:
        messages.error(request, _("A suggested step needs a few words."))
    # Back to the goal's fold, open (?goal=), where the suggestion was made.
    back = reverse("peers:member", args=[member.pk])
    return redirect(f"{back}?goal={goal.pk}#goal-{goal.pk}")


@supporter_only
def contact_add(request: AuthedRequest, pk: int) -> HttpResponse:
    member, match = access.get_member_for_supporter(request.user, pk)
    shared = access.shared_goals(request.user, match)
    form = ContactNoteForm(request.POST or None, shared_goals=shared)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        once.submit_once(
            request.user,
            once.key_from(request),
            lambda: services.contact_log(
                match=match,
                contact_date=data["contact_date"],
                mode=data["mode"],
                reached=data["reached"],
                minutes=data["minutes"],
                goals=data["goals_discussed"],
                next_step=data["next_step"],
                follow_up=data["follow_up"],
                note=data["note"],
                shared_with_member=data["shared_with_member"],
            ),
        )
        messages.success(request, _("Contact logged."))
        return redirect(reverse("peers:member", args=[member.pk]) + "#contacts")
    audit.viewed(request, member, audit.Seen.CONTACT_FORM)
    return render(
        request, "peers/supporter/contact_form.html", {"form": form, "member": member}
    )
