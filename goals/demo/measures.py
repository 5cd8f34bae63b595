"""Demo recovery questionnaires: who chose BARC-10 and how often, and their answers
over the months, following the same story as their check-ins (goals.demo).

Maya chose it every two months and has answered it three times since she joined,
her totals rising as her check-ins do; most other members chose it too, so the
programme report has figures to show (and cells it keeps back).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from goals.measures import BARC_10
from goals.models import MeasureChoice, MeasureResult
from recovery.models import User

MAYAS_RESULTS = 3
CHOOSES = 0.75  # share of the other members who chose BARC-10
SKIPS_ONE = 0.06  # chance an answer set has one statement skipped


def measures_build(
    plan,
    *,
    member: User,
    rng: random.Random,
    story,
    start: datetime,
    now: datetime,
) -> None:
    """The member's BARC-10 choice and finished results, from `start` to `now`."""
    maya = member.username == "maya"
    if not maya and rng.random() >= CHOOSES:
        return
    zone = member.zone
    first_day, today = member.local_date(start), member.local_date(now)
    span = (today - first_day).days
    every = 2 if maya else rng.choices((1, 2, 3), weights=(3, 2, 1))[0]
    chosen_at = start + timedelta(minutes=55)
    plan.measure_choices.append(
        MeasureChoice(
            member=member,
            measure=BARC_10.key,
            every_months=every,
            created_at=chosen_at,
            updated_at=chosen_at,
        )
    )
    if maya:
        # Three, evenly over her months, the last a few days ago.
        last = max(span - 4, 0)
        offsets = sorted({round(last * k / (MAYAS_RESULTS - 1)) for k in range(3)})
    else:
        step = 30 * every
        offsets = list(range(rng.randint(0, 10), span + 1, step))
        offsets = [min(o + rng.randint(-4, 4), span) for o in offsets if o >= 0]
        offsets = sorted({max(o, 0) for o in offsets})
    for offset in offsets:
        day = first_day + timedelta(days=offset)
        moment = datetime.combine(day, time(story.hour, rng.randint(0, 59)), zone)
        moment = min(max(moment, chosen_at + timedelta(minutes=5)), now)
        if member.local_date(moment) != day:
            continue
        level = story.start_level + story.rise * offset / max(span, 1)
        answers: list[int | None] = [
            min(6, max(1, round(1 + 5 * level / 10 + rng.gauss(0, 0.8))))
            for _item in BARC_10.items
        ]
        if not maya and rng.random() < SKIPS_ONE:
            answers[rng.randrange(len(answers))] = None
        given = [a for a in answers if a is not None]
        total = sum(given) if len(given) == len(answers) else None
        plan.measure_results.append(
            MeasureResult(
                member=member,
                measure=BARC_10.key,
                started_at=moment - timedelta(minutes=rng.randint(3, 9)),
                updated_at=moment,
                completed_at=moment,
                day=day,
                position=len(answers),
                total=total,
                **{f"item_{n}": a for n, a in enumerate(answers, start=1)},
            )
        )
