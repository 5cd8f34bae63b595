"""Emails of the recovery app: the password-reset link and the invitation link
(recovery.email).

Each link is made when the email is written, by the worker: the database never
holds a working token, and a reset link's hour starts then.
"""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recovery.email import Letter, email_kind, email_person, link
from recovery.invitations import invitation_email_token
from recovery.models import Invitation, Role, User


@email_kind("password_reset")
def _password_reset(person: User, params: dict) -> Letter:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    body = _(
        "Hello,\n\n"
        "Someone, we hope you, asked to set a new password for your account on "
        "%(programme)s. This link works once, for %(time)s:\n\n%(link)s\n\n"
        "You sign in with the name %(username)s.\n\n"
        "If it was not you, you can leave this email: your password stays as it is.\n"
    ) % {
        "programme": settings.PROGRAMME_NAME,
        "time": _how_long(settings.PASSWORD_RESET_TIMEOUT),
        "link": link(path),
        "username": person.get_username(),
    }
    return Letter(
        _("Set a new password for %(programme)s")
        % {"programme": settings.PROGRAMME_NAME},
        body,
    )


def _how_long(seconds: int) -> str:
    """ "an hour", "3 hours", "2 days": how long a link works, in words."""
    hours = max(1, round(seconds / 3600))
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("a day", "%(n)d days", days) % {"n": days}
    return ngettext("an hour", "%(n)d hours", hours) % {"n": hours}


@email_kind("invitation")
def _invitation(invitation: Invitation, params: dict) -> Letter | None:
    """The invitation's link, to the address the coordinator gave. Names only the
    programme and the person's own name as the coordinator wrote it."""
    if not invitation.is_usable:
        return None
    path = reverse("invitation-accept", args=[invitation_email_token(invitation)])
    joins_as = (
        _("as a peer supporter")
        if invitation.role == Role.SUPPORTER
        else _("to plan your own goals, with a peer supporter when you would like one")
    )
    body = _(
        "Hello %(name)s,\n\n"
        "You are invited to join %(programme)s %(joins_as)s. Open this link to "
        "choose your sign-in name and password:\n\n%(link)s\n\n"
        "It works once, until %(until)s. If it has closed by the time you open it, "
        "ask the coordinator who invited you for a new one.\n\n"
        "If you were not expecting this, you can leave this email.\n"
    ) % {
        "name": invitation.name,
        "programme": settings.PROGRAMME_NAME,
        "joins_as": joins_as,
        "link": link(path),
        "until": formats.date_format(
            timezone.localtime(invitation.expires_at), "j F Y"
        ),
    }
    return Letter(
        _("Your invitation to %(programme)s") % {"programme": settings.PROGRAMME_NAME},
        body,
    )


class PasswordResetByWorkerForm(PasswordResetForm):
    """Django's reset form, with the email asked of the worker instead of sent in
    the request. At most one a minute per person, however often it is asked for."""

    def send_mail(self, *args, **kwargs) -> None:
        context = args[2] if len(args) > 2 else kwargs["context"]
        key = f"reset-{timezone.now():%Y%m%d%H%M}"
        email_person(context["user"], "password_reset", key)
