"""The member's own recovery plan, one module for each part of it:

- `owned`: what every member's row shares: `for_user(user)` querysets, and
  removal with a way back (Undo)
- `strengths_and_tools`: Strength, WellnessTool
- `goals_and_steps`: life areas, Goal, Step
- `checkins`: CheckIn, and the journey's moments (JourneyEvent)
- `sharing`: Sharing, Consent
- `reminder_settings`: Reminder (its rules: goals/reminders.py)
- `measure_results`: MeasureChoice, MeasureResult (the questionnaires
  themselves: goals/measures.py)
- `safety_and_wellness`: Plan, PlanItem, PlanVersion (the services:
  goals/plans.py)

Every model that holds a member's data has a queryset method `for_user(user)` that
returns only that person's own rows. Supporter-facing reads live in `peers`.

Import from here (`from goals.models import Goal`): every model and choice is
named below, so no one needs to know which module holds it.
"""

from goals.models.checkins import (
    CHECKIN_CHANGEABLE_DAYS,
    SCALE_MAX,
    SCALE_MIN,
    CheckIn,
    EventKind,
    JourneyEvent,
)
from goals.models.goals_and_steps import (
    DOMAIN_DIMENSION,
    LADDER_LEVELS,
    Chime,
    Dimension,
    Goal,
    GoalOrigin,
    GoalQuerySet,
    GoalStatus,
    LifeDomain,
    Step,
    StepQuerySet,
)
from goals.models.measure_results import (
    EVERY_MONTHS_CHOICES,
    MEASURE_CHOICES,
    MeasureChoice,
    MeasureResult,
    MeasureResultQuerySet,
)
from goals.models.owned import (
    REMOVED_KEPT_FOR,
    UNDO_OFFERED,
    KeptManager,
    OwnedQuerySet,
    RemovableQuerySet,
)
from goals.models.reminder_settings import Reminder
from goals.models.safety_and_wellness import (
    PHONE_SECTIONS,
    PLAN_SECTIONS,
    Plan,
    PlanItem,
    PlanItemQuerySet,
    PlanKind,
    PlanSection,
    PlanVersion,
    PlanVersionQuerySet,
    tel_of,
)
from goals.models.sharing import CONSENT_TO_WHOM, Consent, ConsentTo, Sharing
from goals.models.strengths_and_tools import Strength, StrengthCategory, WellnessTool

__all__ = [
    "CHECKIN_CHANGEABLE_DAYS",
    "CONSENT_TO_WHOM",
    "DOMAIN_DIMENSION",
    "EVERY_MONTHS_CHOICES",
    "LADDER_LEVELS",
    "MEASURE_CHOICES",
    "PHONE_SECTIONS",
    "PLAN_SECTIONS",
    "REMOVED_KEPT_FOR",
    "SCALE_MAX",
    "SCALE_MIN",
    "UNDO_OFFERED",
    "CheckIn",
    "Chime",
    "Consent",
    "ConsentTo",
    "Dimension",
    "EventKind",
    "Goal",
    "GoalOrigin",
    "GoalQuerySet",
    "GoalStatus",
    "JourneyEvent",
    "KeptManager",
    "LifeDomain",
    "MeasureChoice",
    "MeasureResult",
    "MeasureResultQuerySet",
    "OwnedQuerySet",
    "Plan",
    "PlanItem",
    "PlanItemQuerySet",
    "PlanKind",
    "PlanSection",
    "PlanVersion",
    "PlanVersionQuerySet",
    "Reminder",
    "RemovableQuerySet",
    "Sharing",
    "Step",
    "StepQuerySet",
    "Strength",
    "StrengthCategory",
    "WellnessTool",
    "tel_of",
]
