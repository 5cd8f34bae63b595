"""What the member shares with their peer supporter, and the consents they gave
and withdrew (goals.services writes both)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models.owned import OwnedQuerySet


class Sharing(models.Model):
    """What the member shares with their peer supporter by default.

    Each goal and each check-in note can still be switched one by one. A member who
    never changed anything has no row and gets the fields' defaults.

    `numbers_shared` is a copy of whether the member has an open
    `ConsentTo.NUMBERS_TO_SUPPORTER` consent, and `measures_shared` of an open
    `ConsentTo.MEASURES_TO_SUPPORTER` one: the `Consent` rows are the record that
    counts, and only `goals.services.consent_give` / `consent_withdraw` write these
    copies, in the same transaction. They are kept so the supporter's pages read
    them in the queries they already make.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing"
    )
    goals_shared = models.BooleanField(_("new goals are shared"), default=True)
    notes_shared = models.BooleanField(_("check-in notes are shared"), default=False)
    numbers_shared = models.BooleanField(
        _("my wellbeing and hope numbers are shared"),
        default=False,
        help_text=_("Only while you consent to it; see your consent records."),
    )
    # A copy, like numbers_shared, of an open MEASURES_TO_SUPPORTER consent.
    measures_shared = models.BooleanField(
        _("my recovery questionnaire totals are shared"),
        default=False,
        help_text=_("Only while you consent to it; see your consent records."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "sharing"

    def __str__(self) -> str:
        return f"sharing of {self.member}"

    @classmethod
    def for_member(cls, member) -> Sharing:
        """The member's sharing choices, or the defaults (unsaved) if none yet."""
        try:
            return member.sharing
        except cls.DoesNotExist:
            return cls(member=member)


class ConsentTo(models.TextChoices):
    """What a member can consent to. Each is given and withdrawn on its own."""

    NUMBERS_TO_SUPPORTER = (
        "numbers_to_supporter",
        _("My peer supporter sees my wellbeing and hope numbers"),
    )
    CRISIS_FLAG_TO_SUPPORTER = (
        "crisis_flag_to_supporter",
        _("My peer supporter is told when a check-in says things are very hard"),
    )
    EMAIL_REMINDERS = "email_reminders", _("Reminders by email")
    MEASURES_TO_SUPPORTER = (
        "measures_to_supporter",
        _("My peer supporter sees my recovery questionnaire totals"),
    )

    @property
    def to_whom(self) -> str:
        return str(CONSENT_TO_WHOM[self])


CONSENT_TO_WHOM = {
    ConsentTo.NUMBERS_TO_SUPPORTER: _("my peer supporter"),
    ConsentTo.CRISIS_FLAG_TO_SUPPORTER: _("my peer supporter"),
    ConsentTo.EMAIL_REMINDERS: _("the programme, by email"),
    ConsentTo.MEASURES_TO_SUPPORTER: _("my peer supporter"),
}


class Consent(models.Model):
    """One consent the member gave: what, to whom, when, and when they withdrew it.

    Rows are never edited except to close them: giving consent again after
    withdrawing it opens a new row, so the history stays whole. The database holds
    at most one open consent per member and kind.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    what = models.CharField(_("what"), max_length=32, choices=ConsentTo.choices)
    to_whom = models.CharField(
        _("to whom"),
        max_length=100,
        help_text=_("Who may see or do it, in the words shown when it was given."),
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("Empty while the consent is still given."),
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "what"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_consent_per_member_and_what",
                violation_error_message=_("This permission is already given."),
            ),
            models.CheckConstraint(
                condition=Q(what__in=ConsentTo.values),
                name="consent_what_valid",
                violation_error_message=_("Please choose a permission from the list."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
                violation_error_message=_(
                    "A permission can be withdrawn only after it was given."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()} ({self.member})"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None
