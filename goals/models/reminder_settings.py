"""The member's own check-in reminder (its rules: goals/reminders.py)."""

from __future__ import annotations

from datetime import time as dt_time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """A member's own check-in reminder by email: on the weekdays and at the
    wall-clock time they chose, in their own time zone; off until they turn it on
    (goals/reminders.py has the rules)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    on = models.BooleanField(_("remind me to check in"), default=False)
    # Monday is 0, as date.weekday() counts.
    weekdays = models.CharField(max_length=7, default="0123456")
    at = models.TimeField(_("at"), default=dt_time(19, 0))
    # No reminder up to and including this day (the member's own date).
    paused_until = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[0-6]{0,7}$"),
                name="reminder_weekdays_valid",
                violation_error_message=_("Please choose days of the week."),
            ),
        ]

    def __str__(self) -> str:
        return f"reminder of {self.member_id} ({'on' if self.on else 'off'})"
