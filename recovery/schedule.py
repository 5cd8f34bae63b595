"""When something chosen for a wall-clock time is due, in a person's own zone.

Shared by reminders and digests. Due means the clock on the person's wall is at
or past the chosen time, on a chosen weekday, by less than LATE_BY_AT_MOST: so on
a day the clocks jump over the time it is due from the first minute after, a
time that happens twice is due from the first, and something the worker could
not send near its time is dropped rather than sent late in the day. Once a day
comes from the caller's email key (the person's date).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

LATE_BY_AT_MOST = timedelta(hours=2)
EVERY_DAY = "0123456"  # Monday is 0, as date.weekday() counts


def due_day(*, zone, at: time, now: datetime, weekdays: str = EVERY_DAY) -> date | None:
    """The person's date it is due for at `now`, or None."""
    wall = now.astimezone(zone).replace(tzinfo=None)
    day = wall.date()
    if str(day.weekday()) not in weekdays:
        return None
    late = wall - datetime.combine(day, at)
    if timedelta(0) <= late < LATE_BY_AT_MOST:
        return day
    return None
