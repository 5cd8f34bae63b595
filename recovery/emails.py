"""Emails of the recovery app: the password-reset link (recovery.email).

The link is made when the email is written, by the worker: the database never
holds a working reset token, and the hour it lasts starts then.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from recovery.email import Letter, email_kind, email_person, link
from recovery.models import User


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
        "Someone, we hope you, asked to set a new password for your account on the "
        "recovery planner. This link works once, for an hour:\n\n%(link)s\n\n"
        "If it was not you, you can leave this email: your password stays as it is.\n"
    ) % {"link": link(path)}
    return Letter(_("Set a new password for the recovery planner"), body)


class PasswordResetByWorkerForm(PasswordResetForm):
    """Django's reset form, with the email asked of the worker instead of sent in
    the request. At most one a minute per person, however often it is asked for."""

    def send_mail(self, *args, **kwargs) -> None:
        context = args[2] if len(args) > 2 else kwargs["context"]
        key = f"reset-{timezone.now():%Y%m%d%H%M}"
        email_person(context["user"], "password_reset", key)
