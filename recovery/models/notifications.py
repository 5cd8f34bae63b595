"""The bell's notifications and each person's choices of them (rules:
recovery.notifications)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something for one person to know about, shown under the bell: who did what,
    and where to look. It holds no text anyone wrote; its words come from its kind
    (recovery.notifications) and the actor's first name."""

    recipient = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationChoice(models.Model):
    """A person's choice for one kind of notification; no row means the kind's
    default (recovery.notifications.Kind)."""

    user = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="notification_choices"
    )
    kind = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    by_email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="one_notification_choice_per_kind",
                violation_error_message=_("This choice is already made."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"
