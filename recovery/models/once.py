"""The one-time key a create form claims (rules: recovery.once)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """The one-time key a create form carries, claimed by its first submission.

    A double click, a form sent again from the back button, or two tabs sending the
    same page land on what the first one made instead of making it twice
    (recovery.once). Rows are a day's memory, no more: each new claim clears the
    person's older ones.
    """

    user = models.ForeignKey(
        "recovery.User", on_delete=models.CASCADE, related_name="+"
    )
    key = models.UUIDField()
    made_model = models.CharField(max_length=100, blank=True)
    made_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="form_submission_once_per_key",
                violation_error_message=_("This form was already sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.made_model}:{self.made_id}"
