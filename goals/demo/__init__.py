"""Demo plans: months of one member's recovery plan, built the way the app would have
written them day by day.

The builders here are plain functions. They take the member, a `random.Random` and
the moment "now", and return unsaved rows (strengths, wellness tools, goals with
steps, check-ins and the journey events that `goals.services` would have written with
each of them). `PlanWriter` then saves many members' plans with a few bulk inserts,
so a programme of thousands of members over a year builds in minutes.

All wording is in the member's own voice: hopeful, person-first and non-clinical.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import models

from goals.demo.measures import measures_build
from goals.demo.words import (  # noqa: F401 - the words are part of this module's API
    FEELINGS,
    GOAL_IDEAS,
    IDEAS_BY_DOMAIN,
    NOTES,
    SETBACKS,
    SKIP_REASONS,
    STRENGTH_IDEAS,
    TOOL_IDEAS,
    GoalIdea,
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
    LifeDomain,
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

# --- Stories ---------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """How a member's months have gone: the shape of their check-ins."""

    start_level: float  # wellbeing they started around (0-10)
    rise: float  # how far that climbed by now: recovery is usually upward, not always
    volatility: float  # how much one day differs from the next
    hope_gap: float  # hope tends to sit a little above wellbeing
    checkin_rate: float  # share of days with a check-in or a skipped day
    skip_rate: float  # share of days marked skipped, often with a reason
    setback_rate: float  # chance of a hard day, any day
    hour: int  # the local hour they usually check in
    join_lag: int = 0  # days after the programme's first demo day that they joined
    steady_days: int = 0  # the days just before today, every one checked in
    quiet_days: int = 0  # the last days, today included, with no check-in at all
    today: bool = False  # checked in already today
    dip_days: int = 0  # a recent harder patch over the last days
    setbacks_at: tuple[float, ...] = ()  # setbacks that happen for sure (0 first day)


@dataclass(frozen=True)
class GoalScript:
    """One goal of a member's plan and where it has got to."""

    idea: str
    status: GoalStatus = GoalStatus.ACTIVE
    steps: int = 4  # how many of the idea's steps are on the plan
    done: int = 0  # how many of those are done
    ladder_level: int | None = None
    at: float = 0.0  # when in the member's months it was set (0 first day, 1 now)
    resumed: bool = False  # paused once, then picked up again
    shared: bool = True
    suggested: bool = False


@dataclass(frozen=True)
class Script:
    """A hand-written member for the demo, instead of a random one."""

    story: Story
    goals: tuple[GoalScript, ...]


# Maya's plan makes the demo: a few active goals with steps in hand (one paused for a
# while and picked up again), an achieved goal and a paused one, a hard day mid-way
# with what helped, and checking in every day lately. Today is left open so whoever
# signs in as Maya can check in themselves.
SCRIPT_MAYA = Script(
    Story(
        start_level=4.0,
        rise=2.8,
        volatility=0.5,
        hope_gap=1.0,
        checkin_rate=0.85,
        skip_rate=0.05,
        setback_rate=0.012,
        hour=20,
        steady_days=18,
        setbacks_at=(0.55,),
    ),
    (
        GoalScript("cook", GoalStatus.ACHIEVED, steps=5, done=5, ladder_level=1),
        GoalScript(
            "walk",
            steps=5,
            done=3,
            ladder_level=0,
            at=0.02,
            resumed=True,
            suggested=True,
        ),
        GoalScript("sister", steps=4, done=2, at=0.3),
        GoalScript("choir", GoalStatus.PAUSED, steps=4, done=1, at=0.4),
        GoalScript("course", steps=6, done=1, at=0.7, shared=False),
    ),
)
# Noor shows the supporter's side: a steady start, then a harder week lately with a
# setback and a wish to talk.
SCRIPT_NOOR = Script(
    Story(
        start_level=5.2,
        rise=1.2,
        volatility=0.7,
        hope_gap=0.8,
        checkin_rate=0.78,
        skip_rate=0.07,
        setback_rate=0.015,
        hour=9,
        steady_days=2,
        dip_days=6,
    ),
    (
        GoalScript("savings", steps=5, done=2, ladder_level=-1),
        GoalScript("meeting", steps=4, done=3, ladder_level=0, at=0.1),
        GoalScript("sleep", GoalStatus.LET_GO, steps=4, done=1, at=0.2),
        GoalScript("faith", steps=4, done=1, at=0.5),
    ),
)


def story_random(rng: random.Random, *, days: int) -> Story:
    """A plausible story for a member of a `days`-long programme."""
    hopeful = rng.random() < 0.8
    return Story(
        start_level=rng.uniform(3.5, 6.5),
        rise=rng.uniform(0.5, 2.5) if hopeful else rng.uniform(-0.6, 0.5),
        volatility=rng.uniform(0.45, 1.0),
        hope_gap=rng.uniform(0.3, 1.5),
        checkin_rate=rng.uniform(0.6, 0.95),
        skip_rate=rng.uniform(0.02, 0.08),
        setback_rate=rng.uniform(0.01, 0.04),
        hour=rng.choice((8, 9, 12, 19, 20, 21, 22)),
        join_lag=rng.randint(0, days // 4),
        steady_days=rng.randint(3, 12) if rng.random() < 0.3 else 0,
        # A few go quiet lately: the supporter's caseload should notice them.
        quiet_days=rng.randint(3, 10) if rng.random() < 0.15 else 0,
        today=rng.random() < 0.45,
        dip_days=rng.randint(4, 8) if rng.random() < 0.1 else 0,
    )


GOAL_FATES = {"active": 55, "achieved": 18, "paused": 12, "let_go": 8, "resumed": 7}
LADDER_BY_STATUS: dict[str, dict[int | None, int]] = {
    GoalStatus.ACTIVE: {None: 4, -1: 2, 0: 3, 1: 1},
    GoalStatus.ACHIEVED: {None: 2, 1: 3, 2: 2},
    GoalStatus.PAUSED: {None: 3, -2: 1, -1: 2},
    GoalStatus.LET_GO: {None: 4, -2: 1, -1: 1},
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def goals_random(rng: random.Random) -> tuple[GoalScript, ...]:
    """Two to five goals in different life areas, most active, some achieved, paused
    or let go."""
    domains = rng.sample(LifeDomain.values, rng.randint(2, 5))
    scripts = []
    for index, domain in enumerate(domains):
        key = rng.choice(IDEAS_BY_DOMAIN[domain])
        steps = rng.randint(2, min(6, len(GOAL_IDEAS[key].steps)))
        # The first goal stays active so every member's home has a goal on it.
        kind = "active" if index == 0 else _pick(rng, GOAL_FATES)
        status = GoalStatus.ACTIVE if kind == "resumed" else GoalStatus(kind)
        done = steps if status == GoalStatus.ACHIEVED else rng.randint(0, steps - 1)
        scripts.append(
            GoalScript(
                key,
                status,
                steps=steps,
                done=done,
                ladder_level=_pick(rng, LADDER_BY_STATUS[status]),
                at=0.0 if index == 0 else rng.uniform(0.0, 0.75),
                resumed=kind == "resumed",
                shared=rng.random() < 0.85,
                suggested=rng.random() < 0.15,
            )
        )
    return tuple(scripts)


# --- Building one member's plan --------------------------------------------------

GoalStrength = Goal.strengths.through
CheckInTool = CheckIn.tools_used.through


@dataclass
class Plan:
    """One or more members' unsaved rows, in the order they must be saved."""

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

    def extend(self, other: Plan) -> None:
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
) -> Plan:
    """Everything `member` wrote from `member.date_joined` until `now`, with the
    timeline events the services would have written alongside."""
    plan = Plan()
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
    plan: Plan, *, member: User, rng: random.Random, at: datetime
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
    plan: Plan, *, member: User, rng: random.Random, at: datetime
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
    plan: Plan, *, member: User, rng: random.Random, start: datetime, now: datetime
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
    plan: Plan,
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
    plan: Plan,
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
    plan: Plan,
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


# --- Saving many plans -----------------------------------------------------------


@contextmanager
def historical_timestamps() -> Iterator[None]:
    """Let the builders' own `created_at`/`updated_at` through to the database.

    `auto_now_add` would stamp every demo row with the moment of seeding, and months
    of history would collapse into one second on the timeline. Only for seeding:
    the fields are restored on the way out.
    """
    saved = []
    for model in (
        Strength,
        WellnessTool,
        Goal,
        Step,
        CheckIn,
        MeasureChoice,
        MeasureResult,
    ):
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.DateTimeField):
                saved.append(
                    (model_field, model_field.auto_now, model_field.auto_now_add)
                )
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in saved:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


class PlanWriter:
    """Saves plans with bulk inserts, `batch_size` rows to a statement.

    Plans pile up until about `flush_rows` check-ins are waiting, then go to the
    database parents first, so each row's foreign keys are known when it is written
    (bulk_create sets primary keys on PostgreSQL and SQLite). Use inside
    `transaction.atomic()` and `historical_timestamps()`.
    """

    def __init__(self, *, batch_size: int = 5000, flush_rows: int = 20_000) -> None:
        self.batch_size = batch_size
        self.flush_rows = flush_rows
        self.pending = Plan()
        self.counts: Counter[str] = Counter()

    def add(self, plan: Plan) -> None:
        self.pending.extend(plan)
        if len(self.pending.checkins) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, Plan()
        for kind in fields(pending):
            rows = getattr(pending, kind.name)
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=self.batch_size)
                self.counts[kind.name] += len(rows)
