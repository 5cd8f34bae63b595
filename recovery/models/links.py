"""One-time links into the planner: invitations for new people, and the "set
your password" links a coordinator hands over (rules: recovery.invitations,
recovery.password_links).

Both work the same way, written once in OneTimeLink: only a hash of the token is
stored, and a link opens until it is used, withdrawn or out of time.
"""

import hashlib
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recovery.models.people import Role


class OneTimeLinkQuerySet(models.QuerySet):
    def usable(self) -> "OneTimeLinkQuerySet":
        """Not used, not withdrawn, not out of time (as OneTimeLink.is_usable)."""
        return self.filter(
            used_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class OneTimeLink:
    """What an invitation and a set-your-password link share: a model with
    `token_hash`, `expires_at`, `used_at` and `withdrawn_at`, and
    OneTimeLinkQuerySet (or one made from it) as its manager."""

    used_at: datetime | None
    withdrawn_at: datetime | None
    expires_at: datetime

    @staticmethod
    def hash_token(token: str) -> str:
        """What is stored of a link's token. The token is long and random, so a
        fast hash is enough to make a copy of the database useless for opening
        links."""
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_usable(self) -> bool:
        return not self.is_used and not self.is_expired and not self.is_withdrawn


class InvitationQuerySet(OneTimeLinkQuerySet):
    def closed(self) -> "InvitationQuerySet":
        """Used, withdrawn or expired: what the list shows as history."""
        return self.exclude(pk__in=self.usable().values("pk"))


class Invitation(OneTimeLink, models.Model):
    """A single-use link a coordinator gives to a new member or peer supporter, so
    they choose their own username and password.

    Only a hash of the token is stored: the link is shown once, when it is made.
    """

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email (optional)"), blank=True)
    role = models.CharField(_("joins as"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_made",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # A coordinator took the link back before it was used: it opens nothing now.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="invitation_role_valid",
                violation_error_message=_("Please choose a role from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
                violation_error_message=_(
                    "An invitation must end after the moment it is made."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class PasswordLink(OneTimeLink, models.Model):
    """A one-time "set your password" link a coordinator makes for someone who
    cannot reset their password by email (no address on their account), and
    hands over in person. It works once, for settings.PASSWORD_LINK_HOURS.

    Only a hash of the token is stored: the link is shown once, when it is made.
    A new link for the same person withdraws the one before.
    """

    user = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="password_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = OneTimeLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="password_link_expires_after_creation",
                violation_error_message=_(
                    "A link must end after the moment it is made."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_password_link_per_person",
                violation_error_message=_(
                    "This person already has an open link: it was withdrawn first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"password link for {self.user_id} ({self.created_at:%Y-%m-%d})"

    @property
    def opens(self) -> bool:
        """Whether the link sets a password now: usable, and its person's account
        still open."""
        return self.is_usable and self.user.is_active
