"""One-time "set your password" links: how someone without an email address gets
back in when they forget their password.

A coordinator makes the link on the person's page (peers' coordinator pages) and
hands it over in person; the person opens it, sees their sign-in name, and chooses
a new password. A link works once, for settings.PASSWORD_LINK_HOURS; a new one for
the same person withdraws the one before. Only a hash of the token is kept, and
both the making and the using are in the audit log.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from recovery import audit
from recovery.models import AuditKind, Invitation, PasswordLink, Role, User

# Whom a coordinator may make a link for: not another coordinator (each of them
# has their own way back through the programme's own administrator).
FOR_ROLES = (Role.MEMBER, Role.SUPPORTER)


@transaction.atomic
def password_link_create(
    *, user: User, by: User, request: HttpRequest | None = None
) -> tuple[PasswordLink, str]:
    """Make a link for `user` and return it with its token (shown once, never
    stored: only its hash is). An open link made before is withdrawn."""
    now = timezone.now()
    PasswordLink.objects.filter(
        user=user, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    token = secrets.token_urlsafe(32)
    link = PasswordLink.objects.create(
        user=user,
        created_by=by,
        created_at=now,
        token_hash=Invitation.hash_token(token),
        expires_at=now + timedelta(hours=settings.PASSWORD_LINK_HOURS),
    )
    audit.record(
        request,
        kind=AuditKind.PASSWORD_LINK_MADE,
        subject=user,
        actor=by,
        what="set-your-password link",
    )
    return link, token


def password_link_for_token(token: str) -> PasswordLink | None:
    """The link a token opens, open or not; None for one we never made."""
    return (
        PasswordLink.objects.select_related("user")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


class LinkClosed(Exception):
    """The link was used, withdrawn or ran out while the form was filled in."""


@transaction.atomic
def password_link_use(
    *, link: PasswordLink, form: SetPasswordForm, request: HttpRequest | None = None
) -> User:
    """Set the new password, once: the row lock makes a second tab's submission
    find the link used."""
    locked = PasswordLink.objects.select_for_update().filter(pk=link.pk).first()
    if locked is None or not locked.is_usable or not link.user.is_active:
        raise LinkClosed
    user = form.save()
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    audit.record(
        request,
        kind=AuditKind.PASSWORD_LINK_USED,
        subject=user,
        actor=user,
        what="set-your-password link",
        path="/set-password/…/",  # never the token, even a used one
    )
    return user


class NewPasswordForm(SetPasswordForm):
    """Django's, with our words; its password validators apply."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Choose a new password")
        self.fields["new_password2"].label = _("The same password again")


@login_not_required
@never_cache
def password_link_open(request: HttpRequest, token: str) -> HttpResponse:
    """The public page a set-your-password link opens."""
    link = password_link_for_token(token)
    if link is None:
        return render(request, "recovery/password_link_closed.html", status=404)
    if not link.is_usable or not link.user.is_active:
        return render(request, "recovery/password_link_closed.html")
    if request.user.is_authenticated:
        return render(request, "recovery/password_link_signed_in.html")
    form = NewPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = password_link_use(link=link, form=form, request=request)
        except LinkClosed:
            return render(request, "recovery/password_link_closed.html")
        messages.success(
            request,
            _(
                "Your new password is set. Sign in with your sign-in name, "
                "%(username)s, and your new password."
            )
            % {"username": user.get_username()},
        )
        return redirect("login")
    context = {"form": form, "person": link.user, "link": link}
    return render(request, "recovery/password_link.html", context)


urlpatterns = [
    path("set-password/<str:token>/", password_link_open, name="password-link"),
]
