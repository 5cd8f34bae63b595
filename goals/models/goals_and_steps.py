"""The member's goals in their own words, in life areas, with their steps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.models.owned import (
    KeptManager,
    OwnedQuerySet,
    RemovableQuerySet,
    removed_index,
)
from goals.models.strengths_and_tools import Strength


class Dimension(models.TextChoices):
    """SAMHSA's four dimensions of recovery."""

    HEALTH = "health", _("Health")
    HOME = "home", _("Home")
    PURPOSE = "purpose", _("Purpose")
    COMMUNITY = "community", _("Community")


class LifeDomain(models.TextChoices):
    """Life areas adapted from the Strengths Model's assessment."""

    DAILY_LIVING = "daily_living", _("Daily living")
    MONEY = "money", _("Money")
    WORK_LEARNING = "work_learning", _("Work and learning")
    FAMILY = "family", _("Family and relationships")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social life and leisure")
    RECOVERY = "recovery", _("Recovery")
    SPIRITUALITY = "spirituality", _("Spirituality and culture")

    @property
    def dimension(self) -> Dimension:
        return DOMAIN_DIMENSION[self]


DOMAIN_DIMENSION: dict[str, Dimension] = {
    LifeDomain.DAILY_LIVING: Dimension.HOME,
    LifeDomain.MONEY: Dimension.HOME,
    LifeDomain.WORK_LEARNING: Dimension.PURPOSE,
    LifeDomain.FAMILY: Dimension.COMMUNITY,
    LifeDomain.HEALTH: Dimension.HEALTH,
    LifeDomain.SOCIAL: Dimension.COMMUNITY,
    LifeDomain.RECOVERY: Dimension.HEALTH,
    LifeDomain.SPIRITUALITY: Dimension.PURPOSE,
}


class Chime(models.TextChoices):
    """CHIME recovery processes (Leamy et al. 2011)."""

    CONNECTEDNESS = "connectedness", _("Connectedness")
    HOPE = "hope", _("Hope")
    IDENTITY = "identity", _("Identity")
    MEANING = "meaning", _("Meaning")
    EMPOWERMENT = "empowerment", _("Empowerment")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    PAUSED = "paused", _("Paused")
    LET_GO = "let_go", _("Let go")


class GoalOrigin(models.TextChoices):
    MINE = "mine", _("My own")
    SUGGESTED = "suggested", _("A suggestion I accepted")


LADDER_LEVELS = (-2, -1, 0, 1, 2)


class GoalQuerySet(OwnedQuerySet):
    def active(self) -> GoalQuerySet:
        return self.filter(status=GoalStatus.ACTIVE)

    def with_progress(self) -> GoalQuerySet:
        return self.annotate(
            steps_total=Count(
                "steps", filter=Q(steps__removed_at__isnull=True), distinct=True
            ),
            steps_done=Count(
                "steps",
                filter=Q(steps__done=True, steps__removed_at__isnull=True),
                distinct=True,
            ),
        )


class Goal(models.Model):
    """A goal in the member's own words."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("my goal"), max_length=200)
    why = models.TextField(_("why it matters to me"), blank=True, max_length=2000)
    domain = models.CharField(_("life area"), max_length=20, choices=LifeDomain.choices)
    chime_tags = models.JSONField(_("recovery themes"), default=list, blank=True)
    strengths = models.ManyToManyField(
        Strength,
        blank=True,
        related_name="goals",
        verbose_name=_("strengths it draws on"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GoalStatus.choices,
        default=GoalStatus.ACTIVE,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    shared = models.BooleanField(_("shared with my supporter"), default=True)
    origin = models.CharField(
        max_length=10, choices=GoalOrigin.choices, default=GoalOrigin.MINE
    )
    # Goal-attainment ladder, written by the member: what -2 ... +2 would look like.
    ladder_much_less = models.CharField(
        _("much less than expected (-2)"), max_length=200, blank=True
    )
    ladder_less = models.CharField(
        _("less than expected (-1)"), max_length=200, blank=True
    )
    ladder_expected = models.CharField(
        _("what I expect (0)"), max_length=200, blank=True
    )
    ladder_more = models.CharField(
        _("more than expected (+1)"), max_length=200, blank=True
    )
    ladder_much_more = models.CharField(
        _("much more than expected (+2)"), max_length=200, blank=True
    )
    ladder_level = models.SmallIntegerField(_("where I am now"), null=True, blank=True)
    # Goes up by one with every edit of the goal's words, so a form opened before
    # another tab's save can tell (goals.services.goal_update).
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values),
                name="goal_status_valid",
                violation_error_message=_(
                    "Please choose one of the statuses a goal can have."
                ),
            ),
            models.CheckConstraint(
                condition=Q(domain__in=LifeDomain.values),
                name="goal_domain_valid",
                violation_error_message=_("Please choose a life area from the list."),
            ),
            models.CheckConstraint(
                condition=Q(ladder_level__isnull=True)
                | Q(ladder_level__gte=-2, ladder_level__lte=2),
                name="goal_ladder_level_range",
                violation_error_message=_("Please choose a level from −2 to +2."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == GoalStatus.ACTIVE

    @property
    def dimension(self) -> Dimension:
        return DOMAIN_DIMENSION[self.domain]

    @property
    def chime_labels(self) -> list[str]:
        labels = dict(Chime.choices)
        return [labels[tag] for tag in self.chime_tags if tag in labels]

    @property
    def ladder(self) -> list[tuple[int, str]]:
        """The written ladder, highest rung first, leaving out rungs left blank."""
        rungs = [
            (2, self.ladder_much_more),
            (1, self.ladder_more),
            (0, self.ladder_expected),
            (-1, self.ladder_less),
            (-2, self.ladder_much_less),
        ]
        return [(level, text) for level, text in rungs if text]

    @property
    def has_ladder(self) -> bool:
        return bool(self.ladder)


class StepQuerySet(RemovableQuerySet):
    def for_user(self, user) -> StepQuerySet:
        return self.filter(goal__member=user)


class Step(models.Model):
    """A small step towards a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=200)
    origin = models.CharField(
        max_length=10, choices=GoalOrigin.choices, default=GoalOrigin.MINE
    )
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeptManager.from_queryset(StepQuerySet)()
    all_objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [removed_index("step_removed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=False, done_at__isnull=True)
                | Q(done=True, done_at__isnull=False),
                name="step_done_has_time",
                violation_error_message=_(
                    "A step marked done needs the time it was done."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title
