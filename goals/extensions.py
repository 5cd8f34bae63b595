"""Places where apps built on top of `goals` add to the member's own pages, without
`goals` importing them (imports go one way: recovery <- goals <- peers).

An app registers its functions in its AppConfig.ready():

- `home_panels`: each takes the member and returns a `Panel` to show on their home
  page, or None. Each runs a fixed number of queries.
- `journey_replies`: each takes the member and one page of their journey events and
  returns {event id: [Reply, ...]}, e.g. a supporter's encouragement answering a
  check-in. One query per page, not per event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from goals.models import JourneyEvent
from recovery.models import User


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    author: str
    text: str
    at: datetime


home_panels: list[Callable[[User], Panel | None]] = []
journey_replies: list[Callable[[User, list[JourneyEvent]], dict[int, list[Reply]]]] = []


def panels_for(member: User) -> list[Panel]:
    return [p for p in (panel(member) for panel in home_panels) if p is not None]


def replies_for(member: User, events: list[JourneyEvent]) -> dict[int, list[Reply]]:
    replies: dict[int, list[Reply]] = {}
    if not events:
        return replies
    for source in journey_replies:
        for event_id, items in source(member, events).items():
            replies.setdefault(event_id, []).extend(items)
    return replies
