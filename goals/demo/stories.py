"""How each demo member's months go: a `Story` (the shape of their check-ins)
and the goals of their plan (`GoalScript`), written by hand for Maya and Noor
and drawn at random for everyone else."""

from __future__ import annotations

import random
from dataclasses import dataclass

from goals.demo.words import GOAL_IDEAS, IDEAS_BY_DOMAIN
from goals.models import GoalStatus, LifeDomain


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
