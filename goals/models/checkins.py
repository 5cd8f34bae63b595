"""How each day went (one check-in a day), and the journey's moments that the
services write as things happen (goals/timeline.py reads them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models.goals_and_steps import Goal, Step
from goals.models.owned import OwnedQuerySet
from goals.models.strengths_and_tools import WellnessTool

SCALE_MIN, SCALE_MAX = 0, 10

# A member can fill in a day they missed, or change a check-in, for this many
# days back from today in their own time zone (goals.services.checkin_day_refusal).
CHECKIN_CHANGEABLE_DAYS = 7


class CheckIn(models.Model):
    """How a day went, in a few taps. One per member per day in their time zone."""

    # No index of its own: the one-a-day constraint's index (member, day) serves
    # every lookup by member, and with both the planner read a caseload's whole
    # history through this one and filtered the days out.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="checkins",
        db_index=False,
    )
    day = models.DateField(_("day"))
    skipped = models.BooleanField(_("skipped this day"), default=False)
    skip_reason = models.CharField(_("reason (optional)"), max_length=200, blank=True)
    wellbeing = models.SmallIntegerField(_("overall wellbeing"), null=True, blank=True)
    hope = models.SmallIntegerField(_("hope"), null=True, blank=True)
    feelings = models.CharField(_("words for how I feel"), max_length=200, blank=True)
    tools_used = models.ManyToManyField(
        WellnessTool,
        blank=True,
        related_name="checkins",
        verbose_name=_("what helped today"),
    )
    had_setback = models.BooleanField(_("today had a setback"), default=False)
    note = models.TextField(_("journal note"), blank=True, max_length=4000)
    note_shared = models.BooleanField(
        _("share this note with my supporter"), default=False
    )
    wants_to_talk = models.BooleanField(
        _("I'd like to talk with my supporter"), default=False
    )
    # When the member asked to talk (set when wants_to_talk turns on, kept through
    # later edits of the same check-in): what a supporter's message answers.
    talk_asked_at = models.DateTimeField(null=True, blank=True)
    # Its numbers were written after its day (a day missed, filled in later); the
    # journey says so, for the member and their supporter.
    filled_in_later = models.BooleanField(
        _("filled in later"),
        default=False,
        help_text=_("Written after its day, for a day missed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "day"],
                name="one_checkin_a_day",
                violation_error_message=_("There is already a check-in for this day."),
            ),
            models.CheckConstraint(
                condition=Q(wellbeing__isnull=True)
                | Q(wellbeing__gte=SCALE_MIN, wellbeing__lte=SCALE_MAX),
                name="checkin_wellbeing_range",
                violation_error_message=_(
                    "Please choose your wellbeing on the scale from 0 to 10."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hope__isnull=True)
                | Q(hope__gte=SCALE_MIN, hope__lte=SCALE_MAX),
                name="checkin_hope_range",
                violation_error_message=_(
                    "Please choose your hope on the scale from 0 to 10."
                ),
            ),
            models.CheckConstraint(
                condition=Q(wants_to_talk=True) | Q(talk_asked_at__isnull=True),
                name="checkin_talk_asked_only_when_asking",
                violation_error_message=_(
                    "A check-in that does not ask to talk has no time it asked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(skipped=True, wellbeing__isnull=True, hope__isnull=True)
                | Q(skipped=False, wellbeing__isnull=False, hope__isnull=False),
                name="checkin_skipped_or_scored",
                violation_error_message=_(
                    "A check-in needs both numbers, or to be marked as skipped."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.day}"


class EventKind(models.TextChoices):
    CHECKIN = "checkin", _("Checked in")
    GOAL_SET = "goal_set", _("Set a goal")
    STEP_DONE = "step_done", _("Finished a step")
    GOAL_ACHIEVED = "goal_achieved", _("Achieved a goal")
    GOAL_PAUSED = "goal_paused", _("Paused a goal")
    GOAL_LET_GO = "goal_let_go", _("Let a goal go")
    GOAL_RESUMED = "goal_resumed", _("Picked a goal up again")


class JourneyEvent(models.Model):
    """One moment on the member's timeline.

    Written by the services as things happen, so the timeline is one indexed query
    however long the history is, and a goal paused then picked up again keeps both
    moments.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journey"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    checkin = models.OneToOneField(
        CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="event"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(
                fields=["member", "-occurred_at", "-id"], name="journey_newest"
            ),
            # The programme report counts one kind of moment (goals achieved) by
            # month across all members (make bench: 41 ms scan -> 8 ms).
            models.Index(fields=["kind", "occurred_at"], name="journey_kind_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="journey_kind_valid",
                violation_error_message=_(
                    "This kind of moment is not one the journey knows."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="checkin", checkin__isnull=False)
                | (~Q(kind="checkin") & Q(goal__isnull=False)),
                name="journey_event_has_subject",
                violation_error_message=_(
                    "A moment on the journey needs what it is about."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"
