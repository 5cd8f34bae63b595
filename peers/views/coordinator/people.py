"""People: supporters and their profiles, lived-experience areas, invitations,
set-your-password links and deactivating an account."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals.services import AccountGone
from peers import selectors, services
from peers.forms_coordinator import (
    ExperienceAreaForm,
    InvitationForm,
    SupporterProfileForm,
)
from peers.models import ExperienceArea, Match, SupporterProfile
from peers.views.coordinator.lookup import PAGE_SIZE, coordinator_only, get_supporter
from recovery import audit
from recovery.invitations import invitation_create
from recovery.invitations import invitation_withdraw as withdraw
from recovery.models import Invitation, PasswordLink, Role, User
from recovery.password_links import FOR_ROLES, password_link_create
from recovery.types import AuthedRequest

INVITATION_LINK = "coordinator_new_invitation_link"
GET_BACK_IN_LINK = "coordinator_new_get_back_in_link"


@coordinator_only
def supporter_list(request: AuthedRequest) -> HttpResponse:
    """Every active supporter with their caseload against their capacity."""
    context = {
        "rows": selectors.supporters_with_profiles(),
        "busy_percent": round(settings.BUSY_LOAD * 100),
    }
    return render(request, "peers/coordinator/supporter_list.html", context)


@coordinator_only
def supporter_edit(request: AuthedRequest, supporter_id: int) -> HttpResponse:
    """A supporter's profile, capacity included, as a coordinator keeps it."""
    supporter = get_supporter(supporter_id)
    profile = selectors.profile_of(supporter) or SupporterProfile(user=supporter)
    # As saved: the form below writes what was typed into `profile`.
    places = {"taken": profile.active_matches, "of": profile.capacity}
    form = SupporterProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.supporter_profile_save(supporter=supporter, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request, _("%(name)s's profile is saved.") % {"name": supporter}
            )
            return redirect("peers:supporters")
    context = {
        **password_link_context(request, supporter),
        "supporter": supporter,
        "places": places,
        "form": form,
        "matches": selectors.caseload_matches(supporter),
    }
    return render(request, "peers/coordinator/supporter_form.html", context)


@coordinator_only
def area_list(request: AuthedRequest) -> HttpResponse:
    form = ExperienceAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        area = form.save()
        messages.success(
            request, _("“%(name)s” is added to the list.") % {"name": area.name}
        )
        return redirect("peers:areas")
    context = {"form": form, "areas": selectors.areas_with_supporter_counts()}
    return render(request, "peers/coordinator/area_list.html", context)


@coordinator_only
@require_POST
def area_remove(request: AuthedRequest, area_id: int) -> HttpResponse:
    """Take an area off the list; supporters and members who named it no longer
    do, and matching stops counting it."""
    area = get_object_or_404(ExperienceArea, pk=area_id)
    area.delete()
    messages.success(request, _("“%(name)s” is off the list.") % {"name": area.name})
    return redirect("peers:areas")


@coordinator_only
def invitation_list(request: AuthedRequest) -> HttpResponse:
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


def password_link_context(request: AuthedRequest, person: User) -> dict:
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
def person_deactivate(request: AuthedRequest, user_id: int) -> HttpResponse:
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
    active = Match.objects.active().with_person(person)
    context = {
        "person": person,
        "active_matches": active.select_related("member", "supporter"),
    }
    audit.viewed(request, person, audit.Seen.DEACTIVATE_PAGE)
    return render(request, "peers/coordinator/account_deactivate.html", context)
