"""Invitations: how a coordinator brings in a new member or peer supporter.

The coordinator makes an invitation (peers' coordinator pages); the person opens the
link, chooses a username and a password, and their account is made with the role the
coordinator chose. A link works once and only for `settings.INVITATION_DAYS` days.

This module holds the rules; the page a link opens is
recovery.views.invitations, its form recovery.forms.AcceptForm.
"""

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from recovery.models import Invitation, Role, User

if TYPE_CHECKING:
    from recovery.forms import AcceptForm

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
