"""Demo plans: months of one member's recovery plan, built the way the app would have
written them day by day.

The builders here are plain functions. They take the member, a `random.Random` and
the moment "now", and return unsaved rows (strengths, wellness tools, goals with
steps, check-ins and the journey events that `goals.services` would have written with
each of them). `PlanWriter` then saves many members' plans with a few bulk inserts,
so a programme of thousands of members over a year builds in minutes.

All wording is in the member's own voice: hopeful, person-first and non-clinical.

The parts, kept apart from the app's own code (as saleor keeps its random
data): `stories` (how each member's months go), `builders` (one member's rows),
`writer` (saving many members' rows), `measures` (their questionnaires),
`plans` (Maya's safety and wellness plans) and `words` (everything they write).
Here: what seed_demo and the bench build with.
"""

from goals.demo.builders import joined_at, plan_build
from goals.demo.stories import (
    SCRIPT_MAYA,
    SCRIPT_NOOR,
    GoalScript,
    Script,
    Story,
    goals_random,
    story_random,
)
from goals.demo.writer import PlanWriter, historical_timestamps

__all__ = [
    "SCRIPT_MAYA",
    "SCRIPT_NOOR",
    "GoalScript",
    "PlanWriter",
    "Script",
    "Story",
    "goals_random",
    "historical_timestamps",
    "joined_at",
    "plan_build",
    "story_random",
]
