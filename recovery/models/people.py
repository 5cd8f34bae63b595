"""The people who use the planner: a User with a role and a time zone."""

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


# Supporters and coordinators: they see other people's data, so more is asked of
# them (two-step sign-in where REQUIRE_STAFF_2FA, a shorter idle time). Not
# Django's `is_staff`, which opens the admin.
STAFF_ROLES = frozenset({Role.SUPPORTER, Role.COORDINATOR})


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
                condition=models.Q(role__in=Role.values),
                name="user_role_valid",
                violation_error_message=_("Please choose a role from the list."),
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
    def has_staff_role(self) -> bool:
        """A supporter or a coordinator (STAFF_ROLES)."""
        return self.role in STAFF_ROLES

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_date(self, moment: datetime | None = None) -> date:
        """The calendar day it is (or was, at `moment`) where this person lives."""
        return timezone.localdate(moment or timezone.now(), self.zone)
