"""Invitations: how a coordinator brings in a new member or peer supporter.

The coordinator makes an invitation (peers' coordinator pages); the person opens the
link, chooses a username and a password, and their account is made with the role the
coordinator chose. A link works once and only for `settings.INVITATION_DAYS` days.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from recovery.models import Invitation, Role, User
from recovery.time_zones import TimeZoneField

# The emailed link's token is signed, not stored: the worker writes the email
# after the request that showed the stored token's link once is long gone.
EMAIL_LINK_SALT = "recovery.invitation-email"


@transaction.atomic
def invitation_create(
    *, name: str, role: Role | str, by: User | None, email: str = ""
) -> tuple[Invitation, str]:
    """Make an invitation and return it with its token. The token is not stored,
    only its hash: the caller shows the link once. With an address, the link is
    also emailed (by the worker, once)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        name=name,
        email=email,
        role=role,
        created_by=by,
        token_hash=Invitation.hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    if invitation.email:
        from recovery.email import email_invitation

        email_invitation(invitation, "invitation", f"invitation-{invitation.pk}")
    return invitation, token


def invitation_email_token(invitation: Invitation) -> str:
    """The token of the emailed link: the invitation's id and the start of its
    stored hash, signed with SECRET_KEY. It opens what the shown link opens, for as
    long as the invitation is open."""
    return signing.dumps(
        [invitation.pk, invitation.token_hash[:16]], salt=EMAIL_LINK_SALT
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link points to, used or not; None for a link we never made."""
    found = Invitation.objects.filter(token_hash=Invitation.hash_token(token)).first()
    if found is not None:
        return found
    try:
        pk, hash_start = signing.loads(token, salt=EMAIL_LINK_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return Invitation.objects.filter(pk=pk, token_hash__startswith=hash_start).first()


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> bool:
    """Close an open invitation: its links (shown and emailed) open the calm
    "closed" page from now on. False when it was used, expired or withdrawn
    already."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None or not locked.is_usable:
        return False
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    return True


class InvitationUsed(Exception):
    """The invitation was used (or expired) while the person filled in the form."""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, form: "AcceptForm") -> User:
    """Make the account the invitation is for, once: the row lock makes two tabs
    submitting at the same moment produce one account, not two."""
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None or not locked.is_usable:
        raise InvitationUsed
    invitation = locked
    user = form.save()
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    # A new supporter's profile is written by a coordinator (peers), who sees them
    # on the supporters page; they are offered for matching once it exists.
    return user


class AcceptForm(UserCreationForm):
    """Choose a username, a password and a time zone; Django's password validators
    apply."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "time_zone"]
        labels = {"username": gettext_lazy("Choose a username")}
        help_texts = {
            "username": gettext_lazy(
                "You sign in with it. Letters, digits and @ . + - _ only."
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The programme's usual zone to start with: most people live there.
        self.initial["time_zone"] = settings.USUAL_TIME_ZONES[0]
        self.fields["time_zone"] = TimeZoneField(
            required=False,
            help_text=gettext_lazy(
                "Your days (like one check-in a day) follow it. Choose the place "
                "nearest you; you can change it later in Settings."
            ),
        )

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"] or settings.USUAL_TIME_ZONES[0]


@login_not_required
@never_cache
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The public page an invitation link opens."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "recovery/invitation_closed.html", status=404)
    if not invitation.is_usable:
        return render(request, "recovery/invitation_closed.html")
    if request.user.is_authenticated:
        return render(request, "recovery/invitation_signed_in.html")
    # The new account carries the name and email now, so the password validators
    # can refuse a password too close to them.
    person = User(
        first_name=invitation.name, email=invitation.email, role=invitation.role
    )
    form = AcceptForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=invitation, form=form)
        except InvitationUsed:
            return render(request, "recovery/invitation_closed.html")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome, %(name)s. Your account is ready.")
            % {"name": user.display_name},
        )
        return redirect("home")
    context = {"form": form, "invitation": invitation}
    return render(request, "recovery/invitation_accept.html", context)


urlpatterns = [
    path("invite/<str:token>/", accept, name="invitation-accept"),
]
