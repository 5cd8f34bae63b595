"""The member's safety plan and wellness plan: sections of short lists in their
own words, and a version for each day a plan changed.

Changed only through goals/plans.py (the services), which keeps the versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.models.owned import OwnedQuerySet


class PlanKind(models.TextChoices):
    SAFETY = "safety", _("My safety plan")
    WELLNESS = "wellness", _("My wellness plan")


class PlanSection(models.TextChoices):
    """The parts of the two plans, each a short list in the member's own words.
    Our own wording throughout (goals/plans.py says what each part is for)."""

    # The safety plan
    REASONS = "reasons", _("My reasons for living")
    WARNING_SIGNS = "warning_signs", _("My warning signs")
    ON_MY_OWN = "on_my_own", _("Things I can do on my own")
    DISTRACTIONS = (
        "distractions",
        _("People and places that take my mind off things"),
    )
    HELPERS = "helpers", _("People I can ask for help")
    PROFESSIONALS = "professionals", _("Professionals and crisis lines")
    SAFER = "safer", _("Making my surroundings safer")
    # The wellness plan (its toolbox is the member's "what helps me" list)
    DAILY = "daily", _("What I do every day to stay well")
    KNOCKS = "knocks", _("What can knock me off balance")
    KNOCKS_PLAN = "knocks_plan", _("What I will do when that happens")
    EARLY_SIGNS = "early_signs", _("Early signs that things are slipping")
    EARLY_SIGNS_PLAN = "early_signs_plan", _("What I will do then")
    OTHERS_WHO = "others_who", _("If things break down: who I would like to step in")
    OTHERS_HELPS = "others_helps", _("What helps me then")
    OTHERS_NOT = "others_not", _("What does not help me then")


# The sections of each plan, in the order the plan shows them.
PLAN_SECTIONS: dict[str, tuple[PlanSection, ...]] = {
    PlanKind.SAFETY: (
        PlanSection.REASONS,
        PlanSection.WARNING_SIGNS,
        PlanSection.ON_MY_OWN,
        PlanSection.DISTRACTIONS,
        PlanSection.HELPERS,
        PlanSection.PROFESSIONALS,
        PlanSection.SAFER,
    ),
    PlanKind.WELLNESS: (
        PlanSection.DAILY,
        PlanSection.KNOCKS,
        PlanSection.KNOCKS_PLAN,
        PlanSection.EARLY_SIGNS,
        PlanSection.EARLY_SIGNS_PLAN,
        PlanSection.OTHERS_WHO,
        PlanSection.OTHERS_HELPS,
        PlanSection.OTHERS_NOT,
    ),
}
# Sections whose items are people to reach: each may carry a phone number.
PHONE_SECTIONS = (
    PlanSection.HELPERS,
    PlanSection.PROFESSIONALS,
    PlanSection.OTHERS_WHO,
)


class Plan(models.Model):
    """A member's safety plan or wellness plan: short lists in sections, in their
    own words. Private unless the member shares it with their peer supporter.

    Made when the member first adds to it (opening the page writes nothing);
    changed only through goals/plans.py, which also keeps its versions.
    """

    # No index of its own: the one-of-each-kind constraint's index serves.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plans",
        db_index=False,
    )
    kind = models.CharField(_("which plan"), max_length=10, choices=PlanKind.choices)
    shared = models.BooleanField(_("shared with my peer supporter"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When its words last changed (sharing it or not is no change to the plan).
    edited_at = models.DateTimeField(_("last updated"), default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"],
                name="one_plan_of_each_kind",
                violation_error_message=_("You have this plan already."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PlanKind.values),
                name="plan_kind_valid",
                violation_error_message=_("Please choose the safety or wellness plan."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def sections(self) -> tuple[PlanSection, ...]:
        return PLAN_SECTIONS[self.kind]


def tel_of(phone: str) -> str:
    """A phone number as a tel: link wants it: digits and a leading +."""
    digits = "".join(c for c in phone if c.isdigit())
    return ("+" if phone.lstrip().startswith("+") else "") + digits


class PlanItemQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanItemQuerySet:
        return self.filter(plan__member=user)


class PlanItem(models.Model):
    """One line of a plan's section: a warning sign, a person to call, a reason."""

    # No index of its own: the index below, led by the plan, serves every lookup.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    section = models.CharField(
        _("part of the plan"), max_length=20, choices=PlanSection.choices
    )
    text = models.CharField(_("in my words"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    # Its place in the section, first at 0; the member moves items up and down.
    position = models.PositiveIntegerField(_("place in the list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position", "pk"]
        indexes = [
            models.Index(
                fields=["plan", "section", "position"], name="plan_item_in_order"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__in=PlanSection.values),
                name="plan_item_section_valid",
                violation_error_message=_("Please choose a part of the plan."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="plan_item_has_words",
                violation_error_message=_("Please write a few words."),
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(section__in=PHONE_SECTIONS),
                name="plan_item_phone_only_for_people",
                violation_error_message=_(
                    "Only people and services to reach have a phone number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def tel(self) -> str:
        return tel_of(self.phone)


class PlanVersionQuerySet(models.QuerySet):
    def for_user(self, user) -> PlanVersionQuerySet:
        return self.filter(plan__member=user)


class PlanVersion(models.Model):
    """The plan as it stood at the end of one day the member changed it.

    What a version is: a snapshot of the whole plan (every section's items, and a
    wellness plan's toolbox), written by every change in the same transaction,
    at most one per plan per day in the member's own time zone. A second change on
    the same day rewrites that day's snapshot rather than adding one, so an
    evening of small edits (a typo, three items moved) is one version, not ten,
    and the list of versions stays one line per day the plan changed: readable
    when it matters, years later. The latest version is always the plan as it is
    now. A snapshot holds the words themselves, not references to the items, so
    an earlier version still reads whole after its items were removed.
    """

    # No index of its own: the one-a-day constraint's index (plan, day) serves.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    day = models.DateField(_("day"))
    made_at = models.DateTimeField(_("saved at"))
    content = models.JSONField(
        _("the plan as it was"),
        help_text=_(
            "Each part of the plan with its items (words and phone number), and a "
            "wellness plan's toolbox."
        ),
    )

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "day"],
                name="one_plan_version_a_day",
                violation_error_message=_("This plan has a version for this day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.day}"
