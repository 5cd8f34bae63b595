"""Email, one row an email from the moment it is asked for until it is sent
(rules: recovery.email)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    WAITING = "waiting", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("could not be sent")
    # By the time it was written there was nothing left to say (a digest on a
    # quiet day, a reminder after the check-in): kept, so it is not asked again.
    DROPPED = "dropped", _("not needed after all")


class OutgoingEmail(models.Model):
    """One email to one person, from the moment it is asked for until it is sent
    (recovery.email). Its key makes it once-only: the same person, kind and key
    (a match, a day) is never sent twice, however often a task runs.

    It holds no text: the message is written when it is sent, from its kind and
    `params` (ids and names of things, never what a member wrote).
    """

    # To a person, or to someone invited who has no account yet.
    user = models.ForeignKey(
        "recovery.User",
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    invitation = models.ForeignKey(
        "recovery.Invitation",
        on_delete=models.CASCADE,
        related_name="emails",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The class of the last error only: an error's message may quote an address.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                name="one_email_per_person_kind_and_key",
                violation_error_message=_("This email was already asked for."),
            ),
            models.UniqueConstraint(
                fields=["invitation", "kind", "key"],
                name="one_email_per_invitation_kind_and_key",
                violation_error_message=_("This email was already asked for."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, invitation__isnull=True)
                    | models.Q(user__isnull=True, invitation__isnull=False)
                ),
                name="outgoing_email_has_one_recipient",
                violation_error_message=_(
                    "An email goes to one person or one invitation."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values),
                name="outgoing_email_status_valid",
                violation_error_message=_("Please choose a status from the list."),
            ),
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True) | models.Q(status="sent"),
                name="outgoing_email_sent_has_time",
                violation_error_message=_("Only a sent email has a time it was sent."),
            ),
        ]

    def __str__(self) -> str:
        to = self.user_id or f"invitation {self.invitation_id}"
        return f"{self.kind} to {to} ({self.status})"
