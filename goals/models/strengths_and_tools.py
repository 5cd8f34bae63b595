"""What the member draws on: their strengths inventory and their wellness tools
("what helps me"), each removable with Undo."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from goals.models.owned import KeptManager, RemovableQuerySet, removed_index


class StrengthCategory(models.TextChoices):
    PERSONAL = "personal", _("Personal qualities")
    SKILLS = "skills", _("Skills and talents")
    INTERESTS = "interests", _("Interests and hopes")
    PEOPLE_PLACES = "people_places", _("People and places")
    WORKED_BEFORE = "worked_before", _("What worked before")


class Strength(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strengths"
    )
    category = models.CharField(
        _("kind of strength"), max_length=20, choices=StrengthCategory.choices
    )
    text = models.CharField(_("strength"), max_length=200)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeptManager.from_queryset(RemovableQuerySet)()
    all_objects = RemovableQuerySet.as_manager()

    class Meta:
        ordering = ["category", "created_at", "pk"]
        indexes = [
            models.Index(fields=["member", "category"]),
            removed_index("strength_removed"),
        ]

    def __str__(self) -> str:
        return self.text


class WellnessTool(models.Model):
    """Something that helps this member: a walk, journaling, calling a friend."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="wellness_tools",
    )
    name = models.CharField(_("what helps me"), max_length=100)
    description = models.CharField(_("how I use it"), max_length=300, blank=True)
    # A tool set aside stays in past check-ins but leaves the check-in form.
    in_use = models.BooleanField(_("in use"), default=True)
    # A tool removed leaves the list too; past check-ins that ticked it keep it.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeptManager.from_queryset(RemovableQuerySet)()
    all_objects = RemovableQuerySet.as_manager()

    class Meta:
        ordering = ["-in_use", Lower("name")]
        indexes = [removed_index("wellness_tool_removed")]
        constraints = [
            # Among the tools on the list: one removed, kept by past check-ins,
            # leaves its name free for a new one.
            models.UniqueConstraint(
                "member",
                Lower("name"),
                condition=Q(removed_at__isnull=True),
                name="wellness_tool_name_unique_per_member",
                violation_error_message=_("This is already on your list."),
            )
        ]

    def __str__(self) -> str:
        return self.name
