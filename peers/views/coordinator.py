"""Coordinator pages: waiting list, supporters, suggestions, matches, batch matching,
programme report, invitations."""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from goals.services import AccountGone
from peers import conversations, matching, report, selectors, services
from peers.access import contact_notes
from peers.forms_coordinator import (
    BatchConfirmForm,
    ExperienceAreaForm,
    InvitationForm,
    MatchCreateForm,
    MatchEndForm,
    SupporterProfileForm,
    WaitingSearchForm,
)
from peers.models import (
    AnsweredReason,
    ChangeRequest,
    CrisisFollowUp,
    ExperienceArea,
    Match,
    ReasonAnswered,
    SupporterProfile,
)
from recovery import audit
from recovery.decorators import role_required
from recovery.invitations import invitation_create
from recovery.invitations import invitation_withdraw as withdraw
from recovery.models import Invitation, PasswordLink, Role, User
from recovery.password_links import FOR_ROLES, password_link_create
from recovery.types import AuthedRequest

coordinator_only = role_required(Role.COORDINATOR)

PAGE_SIZE = 50
SUGGESTIONS = 5
INVITATION_LINK = "coordinator_new_invitation_link"
GET_BACK_IN_LINK = "coordinator_new_get_back_in_link"


def _get_member(pk: int, *, active_only: bool = False) -> User:
    """A member (with their preferences), or 404 for anyone else."""
    people = (
        User.objects.filter(role=Role.MEMBER)
        .select_related("match_preferences")
        .prefetch_related("match_preferences__experience_areas")
    )
    if active_only:
        people = people.filter(is_active=True)
    return get_object_or_404(people, pk=pk)


def _get_supporter(pk: int) -> User:
    return get_object_or_404(User.objects.filter(role=Role.SUPPORTER), pk=pk)


# --- Waiting list and supporters ------------------------------------------------


@coordinator_only
@vary_on_headers("HX-Request")
def waiting(request: AuthedRequest) -> HttpResponse:
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
def supporters(request: AuthedRequest) -> HttpResponse:
    people = (
        User.objects.filter(role=Role.SUPPORTER, is_active=True)
        .select_related("supporter_profile")
        .prefetch_related("supporter_profile__experience_areas")
        .order_by("first_name", "username")
    )
    rows = []
    for person in people:
        profile = _profile_of(person)
        busy = profile is not None and profile.load_ratio > settings.BUSY_LOAD
        rows.append((person, profile, busy))
    context = {"rows": rows, "busy_percent": round(settings.BUSY_LOAD * 100)}
    return render(request, "peers/coordinator/supporter_list.html", context)


def _profile_of(person: User) -> SupporterProfile | None:
    try:
        return person.supporter_profile
    except SupporterProfile.DoesNotExist:
        return None


@coordinator_only
def supporter_edit(request: AuthedRequest, supporter_id: int) -> HttpResponse:
    supporter = _get_supporter(supporter_id)
    if request.method == "POST":
        with transaction.atomic():
            # Locked, so a match made meanwhile cannot slip under a lowered capacity.
            profile = (
                SupporterProfile.objects.select_for_update()
                .filter(user=supporter)
                .first()
            ) or SupporterProfile(user=supporter)
            form = SupporterProfileForm(request.POST, instance=profile)
            if form.is_valid():
                form.save()
                messages.success(
                    request,
                    _("%(name)s's profile is saved.") % {"name": supporter},
                )
                return redirect("peers:supporters")
    else:
        profile = _profile_of(supporter) or SupporterProfile(user=supporter)
        form = SupporterProfileForm(instance=profile)
    members = (
        Match.objects.active()
        .filter(supporter=supporter)
        .select_related("member")
        .order_by("started_at")
    )
    context = {
        **_password_link_context(request, supporter),
        "supporter": supporter,
        "profile": profile,
        "form": form,
        "matches": members,
    }
    return render(request, "peers/coordinator/supporter_form.html", context)


@coordinator_only
def areas(request: AuthedRequest) -> HttpResponse:
    form = ExperienceAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        area = form.save()
        messages.success(
            request, _("“%(name)s” is added to the list.") % {"name": area.name}
        )
        return redirect("peers:areas")
    listed = ExperienceArea.objects.annotate(
        supporters=Count("supporterprofile", distinct=True)
    )
    return render(
        request, "peers/coordinator/area_list.html", {"form": form, "areas": listed}
    )


@coordinator_only
@require_POST
def area_remove(request: AuthedRequest, area_id: int) -> HttpResponse:
    """Take an area off the list; supporters and members who named it no longer
    do, and matching stops counting it."""
    area = get_object_or_404(ExperienceArea, pk=area_id)
    area.delete()
    messages.success(request, _("“%(name)s” is off the list.") % {"name": area.name})
    return redirect("peers:areas")


# --- Suggestions and match changes ----------------------------------------------


@coordinator_only
def suggestions(request: AuthedRequest, member_id: int) -> HttpResponse:
    member = _get_member(member_id, active_only=True)
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


@coordinator_only
@require_POST
def match_create(request: AuthedRequest) -> HttpResponse:
    form = MatchCreateForm(request.POST)
    if not form.is_valid():
        raise Http404
    member = _get_member(form.cleaned_data["member"], active_only=True)
    supporter = _get_supporter(form.cleaned_data["supporter"])
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


# --- History --------------------------------------------------------------------


@coordinator_only
def matches(request: AuthedRequest) -> HttpResponse:
    history = Match.objects.select_related(
        "member", "supporter", "started_by", "ended_by"
    ).order_by("-started_at", "-pk")
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_conversation_figures(page.object_list)
    return render(request, "peers/coordinator/match_list.html", {"page": page})


def _with_conversation_figures(matches) -> None:
    """Each match's conversation counts and last date (never its text), as
    `match.talk`, in one query."""
    matches = list(matches)
    figures = conversations.figures_by_match(matches)
    for match in matches:
        match.talk = figures.get(match.pk)


@coordinator_only
def member(request: AuthedRequest, member_id: int) -> HttpResponse:
    person = _get_member(member_id)
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


# --- Batch matching -------------------------------------------------------------


@coordinator_only
def batch(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = BatchConfirmForm(request.POST)
        if form.is_valid():
            _confirm_batch(request, form.cleaned_data["rows"])
            return redirect("peers:batch")
        for errors in form.errors.values():
            for error in dict.fromkeys(errors):
                messages.error(request, error)
        return redirect("peers:batch")
    rows, left = selectors.batch_proposal()
    audit.viewed_many(
        request, [r.member for r in rows] + left, audit.Seen.BATCH_PROPOSAL
    )
    context = {"rows": rows, "left": left}
    return render(request, "peers/coordinator/batch_review.html", context)


def _confirm_batch(request: AuthedRequest, rows) -> None:
    results = services.batch_confirm(rows=rows, by=request.user)
    names = User.objects.in_bulk(
        [r.member_id for r in results] + [r.supporter_id for r in results]
    )
    applied = 0
    for result in results:
        people = {
            "member": names.get(result.member_id, _("someone")),
            "supporter": names.get(result.supporter_id, _("someone")),
        }
        if result.match is not None:
            applied += 1
            messages.success(
                request, _("%(member)s and %(supporter)s are matched.") % people
            )
        else:
            messages.error(
                request,
                _("%(member)s and %(supporter)s were not matched: %(reason)s")
                % {**people, "reason": result.refused},
            )
    messages.info(
        request,
        _("%(applied)d of %(total)d proposed matches were made.")
        % {"applied": applied, "total": len(results)},
    )


# --- Programme report -----------------------------------------------------------


@coordinator_only
def programme_report(request: AuthedRequest) -> HttpResponse:
    figures = report.programme_figures_cached()
    context = {
        "figures": figures,
        "charts": report.Charts(figures),
        "busy_percent": round(settings.BUSY_LOAD * 100),
        "min_contributors": report.MIN_CONTRIBUTORS,
        # The figures' part of the page is cached as long as the figures are.
        "cache_seconds": settings.REPORT_CACHE_SECONDS,
    }
    return render(request, "peers/coordinator/report.html", context)


@coordinator_only
def programme_report_csv(request: AuthedRequest) -> HttpResponse:
    figures = report.programme_figures_cached()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"programme-report-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(report.CSV_HEADER)
    writer.writerows(report.csv_rows(figures))
    return response


# --- People: invitations and deactivation ---------------------------------------


@coordinator_only
def invitations(request: AuthedRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, token = invitation_create(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            by=request.user,
        )
        # Shown once, on the next page, then gone: only its hash is kept.
        request.session[INVITATION_LINK] = {
            "url": request.build_absolute_uri(
                reverse("invitation-accept", args=[token])
            ),
            "name": invitation.name,
            "emailed": bool(invitation.email),
        }
        return redirect("peers:invitations")
    invitations = Invitation.objects.select_related("user", "created_by")
    context = {
        "form": form,
        "new_link": request.session.pop(INVITATION_LINK, None),
        "open_invitations": invitations.usable().order_by("expires_at", "pk")[
            :PAGE_SIZE
        ],
        "invitations": invitations.closed()[:PAGE_SIZE],
        "days": settings.INVITATION_DAYS,
        "now": timezone.now(),
    }
    return render(request, "peers/coordinator/invitation_list.html", context)


@coordinator_only
@require_POST
def invitation_withdraw(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    """Take back an invitation that has not been used: its links open the calm
    "closed" page from now on."""
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    if withdraw(invitation=invitation):
        messages.success(
            request,
            _("The invitation for %(name)s is withdrawn: its link opens nothing now.")
            % {"name": invitation.name},
        )
    else:
        messages.info(
            request,
            _(
                "The invitation for %(name)s was already closed: used, withdrawn "
                "or expired."
            )
            % {"name": invitation.name},
        )
    return redirect("peers:invitations")


def _password_link_context(request: AuthedRequest, person: User) -> dict:
    """The person's open set-your-password link, if any, and a new one's address
    to show once, just after it was made."""
    shown = request.session.get(GET_BACK_IN_LINK)
    new_link = None
    if shown and shown.get("user_id") == person.pk:
        new_link = request.session.pop(GET_BACK_IN_LINK)
    return {
        "new_password_link": new_link,
        "open_password_link": PasswordLink.objects.usable()
        .filter(user=person)
        .select_related("created_by")
        .first(),
        "password_link_hours": settings.PASSWORD_LINK_HOURS,
    }


@coordinator_only
@require_POST
def password_link_make(request: AuthedRequest, user_id: int) -> HttpResponse:
    """A one-time "set your password" link for a member or supporter who cannot
    reset theirs by email, to hand over in person: shown once on their page."""
    person = get_object_or_404(
        User.objects.filter(role__in=FOR_ROLES, is_active=True), pk=user_id
    )
    _link, token = password_link_create(user=person, by=request.user, request=request)
    request.session[GET_BACK_IN_LINK] = {
        "user_id": person.pk,
        "url": request.build_absolute_uri(reverse("password-link", args=[token])),
    }
    if person.role == Role.SUPPORTER:
        return redirect("peers:supporter-edit", person.pk)
    return redirect("peers:member-history", person.pk)


@coordinator_only
def deactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(
        User.objects.filter(
            role__in=[Role.MEMBER, Role.SUPPORTER], is_active=True
        ).exclude(pk=request.user.pk),
        pk=user_id,
    )
    if request.method == "POST":
        try:
            ended = services.account_deactivate(person=person, by=request.user)
        except AccountGone:
            messages.info(request, _("This account was deleted meanwhile."))
            return redirect("peers:waiting")
        messages.success(
            request,
            _("%(name)s's account is deactivated. Matches ended: %(ended)d.")
            % {"name": person, "ended": ended},
        )
        if person.role == Role.SUPPORTER:
            return redirect("peers:supporters")
        return redirect("peers:member-history", person.pk)
    active = Match.objects.active().filter(
        **{"supporter" if person.role == Role.SUPPORTER else "member": person}
    )
    context = {
        "person": person,
        "active_matches": active.select_related("member", "supporter"),
    }
    audit.viewed(request, person, audit.Seen.DEACTIVATE_PAGE)
    return render(request, "peers/coordinator/account_deactivate.html", context)


urlpatterns = [
    path("coordinator/", waiting, name="waiting"),
    path("coordinator/supporters/", supporters, name="supporters"),
    path(
        "coordinator/supporters/<id:supporter_id>/",
        supporter_edit,
        name="supporter-edit",
    ),
    path("coordinator/areas/", areas, name="areas"),
    path("coordinator/areas/<id:area_id>/remove/", area_remove, name="area-remove"),
    path("coordinator/members/<id:member_id>/", member, name="member-history"),
    path(
        "coordinator/members/<id:member_id>/suggestions/",
        suggestions,
        name="suggestions",
    ),
    path("coordinator/matches/", matches, name="match-history"),
    path("coordinator/matches/new/", match_create, name="match-create"),
    path("coordinator/matches/<id:match_id>/end/", match_end, name="match-end"),
    path("coordinator/batch/", batch, name="batch"),
    path("coordinator/report/", programme_report, name="report"),
    path("coordinator/report.csv", programme_report_csv, name="report-csv"),
    path("coordinator/invitations/", invitations, name="invitations"),
    path(
        "coordinator/invitations/<id:invitation_id>/withdraw/",
        invitation_withdraw,
        name="invitation-withdraw",
    ),
    path(
        "coordinator/people/<id:user_id>/deactivate/",
        deactivate,
        name="deactivate",
    ),
    path(
        "coordinator/people/<id:user_id>/password-link/",
        password_link_make,
        name="password-link-make",
    ),
]
