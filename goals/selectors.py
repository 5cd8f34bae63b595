"""Reads of the member's own plan, shaped for the pages that show them.

Each function takes the member and reads only their rows, in a fixed number of
queries whatever the size of their history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from goals.models import (
    CHECKIN_CHANGEABLE_DAYS,
    DOMAIN_DIMENSION,
    CheckIn,
    Consent,
    ConsentTo,
    Goal,
    GoalStatus,
    LifeDomain,
    Plan,
    PlanKind,
    Sharing,
    Step,
    Strength,
    StrengthCategory,
    WellnessTool,
)
from recovery.models import User


def get_goal_for_user(user: User, pk: int) -> Goal:
    """The member's own goal, or 404 for anyone else's."""
    return get_object_or_404(Goal.objects.for_user(user), pk=pk)


# With `removed_too`, the getters below also find a row the member removed and
# can still bring back (goals.models.KeptManager): its page answers calmly, or
# Undo restores it. Anyone else's id is a 404 either way.


def get_step_for_user(user: User, pk: int, *, removed_too: bool = False) -> Step:
    """The member's own step, with its goal; 404 for anyone else's."""
    steps = Step.all_objects if removed_too else Step.objects
    return get_object_or_404(steps.for_user(user).select_related("goal"), pk=pk)


def get_strength_for_user(
    user: User, pk: int, *, removed_too: bool = False
) -> Strength:
    """The member's own strength; 404 for anyone else's."""
    strengths = Strength.all_objects if removed_too else Strength.objects
    return get_object_or_404(strengths.for_user(user), pk=pk)


def get_tool_for_user(
    user: User, pk: int, *, removed_too: bool = False
) -> WellnessTool:
    """The member's own wellness tool; 404 for anyone else's. A removed one is
    kept for as long as a past check-in ticked it."""
    tools = WellnessTool.all_objects if removed_too else WellnessTool.objects
    return get_object_or_404(tools.for_user(user), pk=pk)


@dataclass
class Area:
    """The goals of one life area, with the area's combined step progress."""

    domain: LifeDomain
    goals: list[Goal] = field(default_factory=list)

    @property
    def dimension_label(self) -> str:
        return DOMAIN_DIMENSION[self.domain].label

    @property
    def steps_total(self) -> int:
        return sum(goal.steps_total for goal in self.goals)

    @property
    def steps_done(self) -> int:
        return sum(goal.steps_done for goal in self.goals)

    @property
    def active_count(self) -> int:
        return sum(1 for goal in self.goals if goal.status == GoalStatus.ACTIVE)


def goals_by_area(member: User) -> list[Area]:
    """The member's goals grouped by life area, areas in the order of the domain list,
    active goals first within each area. One query."""
    status_order = {s: i for i, s in enumerate(GoalStatus.values)}
    areas = {domain: Area(LifeDomain(domain)) for domain in LifeDomain.values}
    goals = Goal.objects.for_user(member).with_progress().order_by("-created_at")
    for goal in goals:
        areas[goal.domain].goals.append(goal)
    for area in areas.values():
        area.goals.sort(key=lambda g: status_order[g.status])
    return [area for area in areas.values() if area.goals]


@dataclass
class Home:
    latest_checkin: CheckIn | None
    checked_in_today: bool
    active_goals: list[Goal]
    next_steps: list[Step]
    # A past day the member has just filled in as very hard: help is for now too.
    hard_day_filled_in: CheckIn | None = None

    @property
    def needs_crisis_resources(self) -> bool:
        """Today's check-in said things are very hard."""
        checkin = self.latest_checkin
        return bool(
            self.checked_in_today
            and checkin
            and not checkin.skipped
            and checkin.wellbeing is not None
            and checkin.wellbeing <= settings.CRISIS_WELLBEING
        )


@dataclass(frozen=True)
class CheckInDay:
    """A day the member can check in for, with its check-in if there is one."""

    day: date
    checkin: CheckIn | None

    @property
    def filled(self) -> bool:
        return self.checkin is not None and not self.checkin.skipped


def checkin_days(member: User) -> list[CheckInDay]:
    """Today and the CHECKIN_CHANGEABLE_DAYS days before it, newest first, each
    with its check-in: the days the member can check in for, fill in or change.
    One query."""
    today = member.local_date()
    first = today - timedelta(days=CHECKIN_CHANGEABLE_DAYS)
    by_day = {
        checkin.day: checkin
        for checkin in CheckIn.objects.for_user(member).filter(
            day__gte=first, day__lte=today
        )
    }
    days = (today - timedelta(days=n) for n in range(CHECKIN_CHANGEABLE_DAYS + 1))
    return [CheckInDay(day, by_day.get(day)) for day in days]


NEXT_STEPS_SHOWN = 5


def member_home(member: User, *, filled_in: date | None = None) -> Home:
    """The member's home page. `filled_in` is a past day they have just filled in
    or changed (one more query): if it was very hard, the page shows the crisis
    lines, as it does for a very hard today."""
    latest = CheckIn.objects.for_user(member).order_by("-day").first()
    goals = list(Goal.objects.for_user(member).active().with_progress())
    steps = list(
        Step.objects.for_user(member)
        .filter(goal__status=GoalStatus.ACTIVE, done=False)
        .select_related("goal")
        .order_by("created_at", "pk")[:NEXT_STEPS_SHOWN]
    )
    today = member.local_date()
    hard_day = None
    if filled_in is not None and filled_in < today:
        hard_day = (
            CheckIn.objects.for_user(member)
            .filter(
                day=filled_in,
                skipped=False,
                wellbeing__lte=settings.CRISIS_WELLBEING,
            )
            .first()
        )
    return Home(
        latest_checkin=latest,
        checked_in_today=latest is not None and latest.day == today,
        active_goals=goals,
        next_steps=steps,
        hard_day_filled_in=hard_day,
    )


def tool_rows(member: User) -> QuerySet[WellnessTool]:
    """All the member's wellness tools, removed ones too, in use first; each says
    whether a check-in ticked it (`ticked`): a tool removed then stays on the
    days it helped."""
    ticked = CheckIn.tools_used.through.objects.filter(wellnesstool=OuterRef("pk"))
    return WellnessTool.all_objects.for_user(member).annotate(ticked=Exists(ticked))


def listed_tools(member: User, *, now: datetime) -> QuerySet[WellnessTool]:
    """The tools on the member's list at `now`, with those removed so lately
    that their place offers Undo."""
    return tool_rows(member).shown_at(now)


def strengths_by_category(
    member: User, *, now: datetime | None = None
) -> list[tuple[str, list[Strength]]]:
    """The member's strengths by kind; with `now`, also those removed so lately
    that their place offers Undo. One query."""
    grouped: dict[str, list[Strength]] = {c: [] for c in StrengthCategory.values}
    strengths = (
        Strength.objects.for_user(member)
        if now is None
        else Strength.all_objects.for_user(member).shown_at(now)
    )
    for strength in strengths:
        grouped[strength.category].append(strength)
    labels = dict(StrengthCategory.choices)
    return [(labels[c], items) for c, items in grouped.items() if items]


@dataclass
class SharingPreview:
    """What a peer supporter sees of the member now, for the member's privacy page.

    The same rules the supporter's pages apply (peers.access): shared goals, the
    numbers only with the member's consent, a note only when it is shared.
    """

    sharing: Sharing
    shared_goals: list[str]
    private_goals: int
    shared_notes: int
    private_notes: int
    strengths: int
    consents: list[Consent]
    # The member's plans by kind, to say which are shared: none until started.
    plans: dict[str, Plan] = field(default_factory=dict)

    @property
    def safety_plan(self) -> Plan | None:
        return self.plans.get(PlanKind.SAFETY)

    @property
    def wellness_plan(self) -> Plan | None:
        return self.plans.get(PlanKind.WELLNESS)

    @property
    def numbers_shared(self) -> bool:
        return self.sharing.numbers_shared

    @property
    def measures_shared(self) -> bool:
        return self.sharing.measures_shared

    @property
    def crisis_flag(self) -> bool:
        return any(
            c.is_open and c.what == ConsentTo.CRISIS_FLAG_TO_SUPPORTER
            for c in self.consents
        )

    @property
    def choices(self) -> dict[str, bool]:
        """The privacy form's starting values."""
        return {
            "goals_shared": self.sharing.goals_shared,
            "notes_shared": self.sharing.notes_shared,
            "numbers_shared": self.numbers_shared,
            "crisis_flag": self.crisis_flag,
            "measures_shared": self.measures_shared,
        }


def sharing_preview(member: User) -> SharingPreview:
    """Six queries, whatever the size of the member's history."""
    goals = Goal.objects.for_user(member).order_by("-created_at", "-pk")
    shared, private = [], 0
    for title, is_shared in goals.values_list("title", "shared"):
        if is_shared:
            shared.append(title)
        else:
            private += 1
    notes = (
        CheckIn.objects.for_user(member)
        .exclude(note="")
        .aggregate(
            shared=Count("pk", filter=Q(note_shared=True)),
            private=Count("pk", filter=Q(note_shared=False)),
        )
    )
    return SharingPreview(
        sharing=Sharing.for_member(member),
        shared_goals=shared,
        private_goals=private,
        shared_notes=notes["shared"],
        private_notes=notes["private"],
        strengths=Strength.objects.for_user(member).count(),
        consents=list(Consent.objects.for_user(member)),
        plans={plan.kind: plan for plan in Plan.objects.for_user(member)},
    )
