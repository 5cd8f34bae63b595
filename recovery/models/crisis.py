"""The programme's crisis lines (rules: recovery.crisis)."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class CrisisLineKind(models.TextChoices):
    """How a crisis line is reached."""

    CALL = "call", _("Calls")
    TEXT = "text", _("Texts")
    BOTH = "both", _("Calls and texts")


# A number as people write it: digits, spaces, dashes, dots, brackets, a leading +.
CRISIS_CONTACT_PATTERN = r"^\+?[0-9][0-9 ().-]*$"


class CrisisLine(models.Model):
    """One of the programme's crisis lines, shown on the crisis page, to a member
    after a very hard day, and on the page shown while the planner is down.

    A new programme starts with the 988 line (`is_default`); once a coordinator
    saves a line of the programme's own, the "these are the default lines" note
    goes. Read through recovery.crisis, which keeps them in the shared cache.
    """

    name = models.CharField(_("name"), max_length=120)
    contact = models.CharField(
        _("number"),
        max_length=40,
        help_text=_("The number people call or text, as it is written: 988, 116 123."),
    )
    kind = models.CharField(
        _("takes"),
        max_length=8,
        choices=CrisisLineKind.choices,
        default=CrisisLineKind.BOTH,
    )
    hours = models.CharField(
        _("hours"),
        max_length=120,
        blank=True,
        help_text=_(
            "When it answers, as it follows the number: “any time, day or night”, "
            "“weekdays 9am to 5pm”."
        ),
    )
    position = models.PositiveSmallIntegerField(_("place in the list"), default=0)
    # The line the planner started with, as it came: not yet the programme's own.
    is_default = models.BooleanField(default=False, editable=False)
    updated_by = models.ForeignKey(
        "recovery.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CrisisLineKind.values),
                name="crisis_line_kind_valid",
                violation_error_message=_("Please choose calls, texts or both."),
            ),
            models.CheckConstraint(
                condition=~models.Q(name=""),
                name="crisis_line_has_a_name",
                violation_error_message=_("A crisis line needs its name."),
            ),
            models.CheckConstraint(
                condition=models.Q(contact__regex=CRISIS_CONTACT_PATTERN),
                name="crisis_line_contact_is_a_number",
                violation_error_message=_(
                    "Write the number with digits (spaces, dashes and a leading + "
                    "are fine)."
                ),
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="crisis_line_name_once",
                violation_error_message=_("A line with this name is already listed."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.contact}"
