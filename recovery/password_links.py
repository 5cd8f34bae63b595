"""One-time "set your password" links: how someone without an email address gets
back in when they forget their password.

A coordinator makes the link on the person's page (peers' coordinator pages) and
hands it over in person; the person opens it, sees their sign-in name, and chooses
a new password. A link works once, for settings.PASSWORD_LINK_HOURS; a new one for
the same person withdraws the one before. Only a hash of the token is kept, and
both the making and the using are in the audit log.

This module holds the rules; the page a link opens is
recovery.views.password_links, its form recovery.forms.NewPasswordForm.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from recovery import audit
from recovery.models import AuditKind, PasswordLink, Role, User

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
        token_hash=PasswordLink.hash_token(token),
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
        .filter(token_hash=PasswordLink.hash_token(token))
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
    locked = (
        PasswordLink.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=link.pk)
        .first()
    )
    if locked is None or not locked.opens:
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
