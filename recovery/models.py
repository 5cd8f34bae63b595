import zoneinfo
from datetime import date, datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a time zone we know."), params={"zone": value}
        )


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPPORTER = "supporter", _("Peer supporter")
    COORDINATOR = "coordinator", _("Coordinator")


class User(AbstractUser):
    """A person who uses the planner: a member, a peer supporter or a coordinator."""

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Days (like one check-in a day) follow this time zone."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.first_name or self.username

    @property
    def is_member(self) -> bool:
        return self.role == Role.MEMBER

    @property
    def is_supporter(self) -> bool:
        return self.role == Role.SUPPORTER

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_date(self, moment: datetime | None = None) -> date:
        """The calendar day it is (or was, at `moment`) where this person lives."""
        return timezone.localdate(moment or timezone.now(), self.zone)


class InvitationQuerySet(models.QuerySet):
    def usable(self) -> "InvitationQuerySet":
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
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
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        # The token is long and random, so a fast hash is enough to make a copy of
        # the database useless for accepting invitations.
        import hashlib

        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_used and not self.is_expired
