"""The recovery questionnaires a member chose, and their answers and totals.

The questionnaires themselves (statements, scales, scoring) are data in
goals/measures.py; the rules for answering them are goals/measure_services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from goals.measures import EVERY_MONTHS, MOST_ITEMS, QUESTIONNAIRES
from goals.models.owned import OwnedQuerySet

MEASURE_CHOICES = [(q.key, q.name) for q in QUESTIONNAIRES.values()]
EVERY_MONTHS_CHOICES = [
    (1, _("Every month")),
    (2, _("Every 2 months")),
    (3, _("Every 3 months")),
]


def _item_field(n: int) -> models.SmallIntegerField:
    return models.SmallIntegerField(
        format_lazy("{} {}", _("answer to statement"), n),
        null=True,
        blank=True,
        help_text=_("Empty when the statement was skipped (or not reached yet)."),
    )


def _answers_on_their_scale() -> Q:
    """Each questionnaire's answers are on its own scale, in its own columns."""
    cases = Q()
    for q in QUESTIONNAIRES.values():
        case = Q(measure=q.key)
        for n in range(1, MOST_ITEMS + 1):
            item = f"item_{n}"
            if n <= len(q.items):
                on_scale = Q(**{f"{item}__gte": q.lowest, f"{item}__lte": q.highest})
                case &= Q(**{f"{item}__isnull": True}) | on_scale
            else:
                case &= Q(**{f"{item}__isnull": True})
        cases |= case
    return cases


def _total_is_the_sum() -> Q:
    """A total, when there is one, is in range and the sum of the answers."""
    cases = Q(total__isnull=True)
    for q in QUESTIONNAIRES.values():
        items = [models.F(f"item_{n}") for n in range(1, len(q.items) + 1)]
        added = items[0]
        for item in items[1:]:
            added = added + item
        cases |= Q(
            measure=q.key,
            total__gte=q.total_min,
            total__lte=q.total_max,
            total=added,
        )
    return cases


class MeasureChoice(models.Model):
    """A recovery measure the member chose to answer, and how often. None by
    default; a due one is told under the bell (goals/measure_due.py)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_choices",
        db_index=False,  # the one-per-measure constraint's index leads with member
    )
    measure = models.CharField(
        _("questionnaire"), max_length=16, choices=MEASURE_CHOICES
    )
    every_months = models.PositiveSmallIntegerField(
        _("how often"), choices=EVERY_MONTHS_CHOICES, default=3
    )
    # The due day the member was last told of: told once per due day.
    notified_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "measure"],
                name="one_choice_per_measure",
                violation_error_message=_("You chose this questionnaire already."),
            ),
            models.CheckConstraint(
                condition=Q(measure__in=list(QUESTIONNAIRES)),
                name="measure_choice_measure_valid",
                violation_error_message=_(
                    "Please choose a questionnaire from the list."
                ),
            ),
            models.CheckConstraint(
                condition=Q(every_months__in=EVERY_MONTHS),
                name="measure_choice_every_valid",
                violation_error_message=_("Please choose every 1, 2 or 3 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} every {self.every_months} months"


class MeasureResultQuerySet(OwnedQuerySet):
    def completed(self) -> MeasureResultQuerySet:
        return self.filter(completed_at__isnull=False)

    def drafts(self) -> MeasureResultQuerySet:
        return self.filter(completed_at__isnull=True)


class MeasureResult(models.Model):
    """One time the member answered a questionnaire: a draft while they answer
    (kept across screens, "finish later"), completed once they finish. One
    completed result per questionnaire per day, in their own time zone."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="measure_results",
        db_index=False,  # the constraints' indexes lead with member
    )
    measure = models.CharField(
        _("questionnaire"), max_length=16, choices=MEASURE_CHOICES
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("finished"), null=True, blank=True)
    day = models.DateField(
        _("day"), null=True, blank=True, help_text=_("Your own date it was finished.")
    )
    # The statement the member is at (0 the first): one before it left empty was
    # skipped, one from it on is not answered yet.
    position = models.PositiveSmallIntegerField(default=0, editable=False)
    total = models.SmallIntegerField(
        _("total"),
        null=True,
        blank=True,
        help_text=_("Empty while answering, or when a statement was skipped."),
    )
    item_1 = _item_field(1)
    item_2 = _item_field(2)
    item_3 = _item_field(3)
    item_4 = _item_field(4)
    item_5 = _item_field(5)
    item_6 = _item_field(6)
    item_7 = _item_field(7)
    item_8 = _item_field(8)
    item_9 = _item_field(9)
    item_10 = _item_field(10)

    objects = MeasureResultQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-pk"]
        indexes = [
            # The programme report reads each questionnaire's finished totals.
            models.Index(
                fields=["measure", "member", "day"],
                condition=Q(completed_at__isnull=False, total__isnull=False),
                name="measure_result_totals",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "measure", "day"],
                condition=Q(completed_at__isnull=False),
                name="one_measure_result_a_day",
                violation_error_message=_(
                    "There is already a finished questionnaire for this day."
                ),
            ),
            models.UniqueConstraint(
                fields=["member", "measure"],
                condition=Q(completed_at__isnull=True),
                name="one_measure_draft",
                violation_error_message=_("This questionnaire is already started."),
            ),
            models.CheckConstraint(
                condition=Q(measure__in=list(QUESTIONNAIRES)),
                name="measure_result_measure_valid",
                violation_error_message=_(
                    "Please choose a questionnaire from the list."
                ),
            ),
            models.CheckConstraint(
                condition=_answers_on_their_scale(),
                name="measure_answers_on_scale",
                violation_error_message=_("Please choose an answer on the scale."),
            ),
            models.CheckConstraint(
                condition=Q(position__lte=MOST_ITEMS),
                name="measure_position_in_range",
                violation_error_message=_("There is no such statement."),
            ),
            models.CheckConstraint(
                condition=_total_is_the_sum(),
                name="measure_total_is_the_sum",
                violation_error_message=_("A total is the sum of the answers."),
            ),
            models.CheckConstraint(
                condition=Q(
                    completed_at__isnull=True, day__isnull=True, total__isnull=True
                )
                | Q(completed_at__isnull=False, day__isnull=False),
                name="measure_finished_has_day",
                violation_error_message=_(
                    "A finished questionnaire has its day; one still being answered "
                    "has no total yet."
                ),
            ),
        ]

    def __str__(self) -> str:
        state = self.day.isoformat() if self.day else "started"
        return f"{self.get_measure_display()} {state}"

    @property
    def questionnaire(self):
        return QUESTIONNAIRES[self.measure]

    @property
    def answers(self) -> list[int | None]:
        """One answer per statement (None: skipped, or not reached yet)."""
        count = len(self.questionnaire.items)
        return [getattr(self, f"item_{n}") for n in range(1, count + 1)]

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
