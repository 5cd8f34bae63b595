"""Building one member's demo plan: plain functions that take the member, a
`random.Random` and the moment "now", and return unsaved rows (strengths,
wellness tools, goals with steps, check-ins, consents, questionnaires, and the
journey events that `goals.services` would have written with each of them),
the way the app would have written them day by day."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models

from goals.demo.measures import measures_build
from goals.demo.stories import GoalScript, Story
from goals.demo.words import (
    FEELINGS,
    GOAL_IDEAS,
    NOTES,
    SETBACKS,
    SKIP_REASONS,
    STRENGTH_IDEAS,
    TOOL_IDEAS,
)
from goals.models import (
    SCALE_MAX,
    SCALE_MIN,
    CheckIn,
    Consent,
    ConsentTo,
    EventKind,
    Goal,
    GoalOrigin,
    GoalStatus,
    JourneyEvent,
    MeasureChoice,
    MeasureResult,
    Sharing,
    Step,
    Strength,
    StrengthCategory,
    WellnessTool,
)
from goals.services import STATUS_EVENT
from recovery.models import User

GoalStrength = Goal.strengths.through
CheckInTool = CheckIn.tools_used.through


@dataclass
class PlanRows:
    """One or more members' unsaved rows, in the order they must be saved (not a
    safety or wellness plan: those are goals.models.Plan, built in demo/plans.py)."""

    strengths: list[Strength] = field(default_factory=list)
    tools: list[WellnessTool] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    goal_strengths: list[models.Model] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    checkin_tools: list[models.Model] = field(default_factory=list)
    events: list[JourneyEvent] = field(default_factory=list)
    sharing: list[Sharing] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    measure_choices: list[MeasureChoice] = field(default_factory=list)
    measure_results: list[MeasureResult] = field(default_factory=list)

    def extend(self, other: PlanRows) -> None:
        for kind in fields(self):
            getattr(self, kind.name).extend(getattr(other, kind.name))


def joined_at(
    rng: random.Random, *, zone: ZoneInfo, day: date, now: datetime
) -> datetime:
    """When someone signed up on `day`: some time in the morning, never in the
    future."""
    moment = _at(day, rng.randint(9, 11), rng.randint(0, 59), zone)
    return min(moment, now - timedelta(hours=2))


def plan_build(
    *,
    member: User,
    rng: random.Random,
    now: datetime,
    story: Story,
    goals: Sequence[GoalScript],
) -> PlanRows:
    """Everything `member` wrote from `member.date_joined` until `now`, with the
    timeline events the services would have written alongside."""
    plan = PlanRows()
    start = min(member.date_joined, now - timedelta(hours=1))
    strengths_build(plan, member=member, rng=rng, at=start + timedelta(minutes=20))
    tools_build(plan, member=member, rng=rng, start=start, now=now)
    for script in goals:
        goal_build(plan, member=member, rng=rng, script=script, start=start, now=now)
    checkins_build(plan, member=member, rng=rng, story=story, start=start, now=now)
    consents_build(plan, member=member, rng=rng, at=start + timedelta(minutes=40))
    # The questionnaires draw on their own random numbers: adding them left every
    # other part of a seeded programme as it was.
    measures_rng = random.Random(f"{rng.random()}:measures")
    measures_build(
        plan, member=member, rng=measures_rng, story=story, start=start, now=now
    )
    return plan


# The named members share their numbers, so the supporter's demo shows them.
SHARES_NUMBERS = {"maya", "noor"}


def consents_build(
    plan: PlanRows, *, member: User, rng: random.Random, at: datetime
) -> None:
    """Most members let their supporter see their numbers; some also want to be
    flagged on a very hard day. Maya shares her questionnaire totals too. The
    sharing row keeps its copies of those consents, as
    `goals.services.consent_give` would."""
    numbers = member.username in SHARES_NUMBERS or rng.random() < 0.85
    crisis_flag = member.username == "maya" or rng.random() < 0.4
    measures = member.username == "maya"
    wanted = [
        (ConsentTo.NUMBERS_TO_SUPPORTER, numbers),
        (ConsentTo.CRISIS_FLAG_TO_SUPPORTER, crisis_flag),
        (ConsentTo.MEASURES_TO_SUPPORTER, measures),
    ]
    for what, given in wanted:
        if given:
            plan.consents.append(
                Consent(member=member, what=what, to_whom=what.to_whom, given_at=at)
            )
    plan.sharing.append(
        Sharing(member=member, numbers_shared=numbers, measures_shared=measures)
    )


def strengths_build(
    plan: PlanRows, *, member: User, rng: random.Random, at: datetime
) -> None:
    """A strengths inventory across three to five kinds of strength."""
    categories = rng.sample(StrengthCategory.values, rng.randint(3, 5))
    for category in sorted(categories, key=StrengthCategory.values.index):
        for text in rng.sample(STRENGTH_IDEAS[category], rng.randint(1, 2)):
            at += timedelta(seconds=rng.randint(20, 90))
            plan.strengths.append(
                Strength(
                    member=member,
                    category=category,
                    text=text,
                    created_at=at,
                    updated_at=at,
                )
            )


def tools_build(
    plan: PlanRows, *, member: User, rng: random.Random, start: datetime, now: datetime
) -> None:
    """Three to six wellness tools; now and then one set aside part-way."""
    at = start + timedelta(minutes=30)
    for index, (name, description) in enumerate(
        rng.sample(TOOL_IDEAS, rng.randint(3, 6))
    ):
        at += timedelta(seconds=rng.randint(20, 90))
        tool = WellnessTool(
            member=member,
            name=name,
            description=description,
            created_at=at,
            updated_at=at,
        )
        if index > 0 and rng.random() < 0.08:
            tool.in_use = False
            tool.updated_at = max(at, start + (now - start) * rng.uniform(0.3, 0.8))
        plan.tools.append(tool)


def goal_build(
    plan: PlanRows,
    *,
    member: User,
    rng: random.Random,
    script: GoalScript,
    start: datetime,
    now: datetime,
) -> Goal:
    """One goal with its steps, the strengths it draws on and its timeline events."""
    zone = member.zone
    idea = GOAL_IDEAS[script.idea]
    span = now - start
    created = max(
        start + timedelta(minutes=45),
        _daytime(
            rng, zone, start + span * script.at, start + span * (script.at + 0.05)
        ),
    )
    created = min(created, now)
    goal = Goal(
        member=member,
        title=idea.title,
        why=idea.why,
        domain=idea.domain,
        chime_tags=[str(tag) for tag in idea.chime],
        status=script.status,
        shared=script.shared,
        origin=GoalOrigin.SUGGESTED if script.suggested else GoalOrigin.MINE,
        created_at=created,
    )
    if rng.random() < 0.35:
        goal.target_date = member.local_date(created) + timedelta(
            days=rng.randint(30, 120)
        )
    if script.status == GoalStatus.ACTIVE and rng.random() < 0.5:
        goal.review_date = member.local_date(now) + timedelta(days=rng.randint(3, 28))
    if idea.ladder and script.ladder_level is not None:
        (
            goal.ladder_much_less,
            goal.ladder_less,
            goal.ladder_expected,
            goal.ladder_more,
            goal.ladder_much_more,
        ) = idea.ladder
        goal.ladder_level = script.ladder_level

    # Each change of status is a moment on the timeline, as goal_set_status writes
    # it. The steps done were ticked before the goal was achieved, paused or let go.
    changes: list[tuple[datetime, GoalStatus]] = []
    if script.status != GoalStatus.ACTIVE:
        moment = _daytime(rng, zone, created + (now - created) * 0.4, now)
        changes.append((moment, script.status))
    elif script.resumed:
        paused = _daytime(rng, zone, created + (now - created) * 0.3, now)
        changes.append((paused, GoalStatus.PAUSED))
        changes.append((_daytime(rng, zone, paused, now), GoalStatus.ACTIVE))
    steps_until = changes[0][0] if changes else now
    goal.status_changed_at = changes[-1][0] if changes else None
    goal.updated_at = goal.status_changed_at or created
    plan.goals.append(goal)
    plan.events.append(
        JourneyEvent(
            member=member, kind=EventKind.GOAL_SET, goal=goal, occurred_at=created
        )
    )

    drawn_on = rng.sample(plan.strengths, rng.randint(0, min(2, len(plan.strengths))))
    for strength in drawn_on:
        plan.goal_strengths.append(GoalStrength(goal=goal, strength=strength))

    done_times = sorted(
        _daytime(rng, zone, created + timedelta(minutes=30), steps_until)
        for _ in range(script.done)
    )
    step_created = created
    for index, title in enumerate(idea.steps[: script.steps]):
        step_created += timedelta(minutes=1)
        # Some to-do steps were added later, as the member saw what came next (in
        # order: steps are listed in the order they were added).
        if index >= max(script.done, 2) and rng.random() < 0.4:
            step_created = max(step_created, _daytime(rng, zone, created, now))
        step = Step(goal=goal, title=title, created_at=step_created)
        if index < script.done:
            step.done = True
            step.done_at = max(done_times[index], step_created)
            plan.events.append(
                JourneyEvent(
                    member=member,
                    kind=EventKind.STEP_DONE,
                    goal=goal,
                    step=step,
                    occurred_at=step.done_at,
                )
            )
        plan.steps.append(step)

    for moment, status in changes:
        plan.events.append(
            JourneyEvent(
                member=member, kind=STATUS_EVENT[status], goal=goal, occurred_at=moment
            )
        )
    return goal


def checkins_build(
    plan: PlanRows,
    *,
    member: User,
    rng: random.Random,
    story: Story,
    start: datetime,
    now: datetime,
) -> None:
    """A check-in (or a skipped day, or nothing) for each day from `start` to `now`
    in the member's own time zone, each with its one timeline event.

    Wellbeing follows a gentle random walk: pulled towards a baseline that climbs
    over the months and drifts in slow waves, with now and then a hard day.
    """
    zone = member.zone
    first_day, today = member.local_date(start), member.local_date(now)
    count = (today - first_day).days + 1
    tools = [
        (tool, rng.uniform(0.3, 3.0), None if tool.in_use else tool.updated_at)
        for tool in plan.tools
    ]
    level = story.start_level + rng.uniform(-0.5, 0.5)
    hope_level = level + story.hope_gap
    wave, phase = rng.uniform(25, 60), rng.uniform(0, 2 * math.pi)
    dip_from = count - min(story.dip_days, count // 2) if story.dip_days else count
    sure_setbacks = {round(at * (count - 1)) for at in story.setbacks_at}
    if story.dip_days and dip_from < count:
        sure_setbacks.add(dip_from)
    quiet_from = count - story.quiet_days
    steady_from = count - 1 - story.steady_days

    for index in range(count):
        day = first_day + timedelta(days=index)
        progress = index / max(count - 1, 1)
        baseline = story.start_level + story.rise * progress
        baseline += 0.8 * math.sin(2 * math.pi * index / wave + phase)
        in_dip = index >= dip_from
        if in_dip:
            baseline -= 1.5
        sure = index in sure_setbacks
        setback = sure or rng.random() < story.setback_rate
        level += 0.3 * (baseline - level) + rng.gauss(0, story.volatility)
        if setback:
            level -= rng.uniform(1.5, 3.0)
        level = _clamp(level)
        hope_level += 0.35 * (level + story.hope_gap - hope_level) + rng.gauss(0, 0.5)
        hope_level = _clamp(hope_level)

        if index >= quiet_from or (day == today and not story.today):
            continue
        every_day = sure or steady_from <= index < count - 1
        roll = rng.random()
        skipped = not every_day and roll < story.skip_rate
        if not every_day and not skipped and roll > story.checkin_rate:
            continue
        moment = _at(day, story.hour, rng.randint(0, 59), zone)
        moment += timedelta(minutes=rng.randint(-40, 40))
        # Not before they joined, not after now, and always on the day it is for.
        moment = max(moment, start + timedelta(minutes=50))
        if moment > now:
            moment = now - timedelta(minutes=rng.randint(1, 30))
        if moment < start or moment.astimezone(zone).date() != day:
            continue
        checkin = CheckIn(
            member=member,
            day=day,
            skipped=skipped,
            created_at=moment,
            updated_at=moment,
        )
        if skipped:
            checkin.skip_reason = rng.choice(SKIP_REASONS)
        else:
            _fill_checkin(
                plan,
                checkin,
                rng=rng,
                wellbeing=round(level),
                hope=round(hope_level),
                setback=setback,
                in_dip=in_dip,
                sure=sure,
                tools=[
                    (t, w) for t, w, until in tools if until is None or moment < until
                ],
            )
        plan.checkins.append(checkin)
        plan.events.append(
            JourneyEvent(
                member=member,
                kind=EventKind.CHECKIN,
                checkin=checkin,
                occurred_at=moment,
            )
        )


def _fill_checkin(
    plan: PlanRows,
    checkin: CheckIn,
    *,
    rng: random.Random,
    wellbeing: int,
    hope: int,
    setback: bool,
    in_dip: bool,
    sure: bool,
    tools: list[tuple[WellnessTool, float]],
) -> None:
    checkin.wellbeing, checkin.hope, checkin.had_setback = wellbeing, hope, setback
    band = "low" if wellbeing <= 3 else "mid" if wellbeing <= 6 else "high"
    if rng.random() < 0.7:
        checkin.feelings = ", ".join(rng.sample(FEELINGS[band], rng.randint(1, 2)))
    wanted = rng.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]
    if setback:
        wanted = max(wanted, 1)
    # Favourite tools come up more often: order by a weighted random key.
    ranked = sorted(tools, key=lambda pair: rng.random() ** (1 / pair[1]), reverse=True)
    used = [tool for tool, _ in ranked[:wanted]]
    for tool in used:
        plan.checkin_tools.append(CheckInTool(checkin=checkin, wellnesstool=tool))
    if setback:
        checkin.note = rng.choice(SETBACKS)
        if used:
            checkin.note += f" What helped: {_and([t.name.lower() for t in used])}."
        checkin.note_shared = sure or rng.random() < 0.65
    elif rng.random() < 0.3:
        checkin.note = rng.choice(NOTES[band])
        checkin.note_shared = rng.random() < 0.45
    talk = 0.02 + 0.3 * setback + 0.1 * (wellbeing <= 3) + 0.1 * in_dip
    checkin.wants_to_talk = sure or rng.random() < talk
    if checkin.wants_to_talk:
        checkin.talk_asked_at = checkin.created_at


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _clamp(value: float) -> float:
    return min(max(value, SCALE_MIN), SCALE_MAX)


def _at(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _daytime(
    rng: random.Random, zone: ZoneInfo, low: datetime, high: datetime
) -> datetime:
    """A moment between `low` and `high`, in waking hours where the window allows:
    people tick steps off in the day, not at four in the morning."""
    if high <= low:
        return low
    local = (low + (high - low) * rng.random()).astimezone(zone)
    if not 8 <= local.hour < 22:
        local = local.replace(hour=rng.randint(8, 21))
    return min(max(local, low), high)
