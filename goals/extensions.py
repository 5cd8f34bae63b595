"""Places where apps built on top of `goals` add to the member's own pages, without
`goals` importing them (imports go one way: recovery <- goals <- peers).

An app registers its functions in its AppConfig.ready():

- `home_panels`: each takes the member and returns a `Panel` to show on their home
  page, or None. Each runs a fixed number of queries.
- `journey_replies`: each takes the member and one page of their journey events and
  returns {event id: [Reply, ...]}, e.g. a supporter's encouragement answering a
  check-in. One query per page, not per event.
- `privacy_panels`: like `home_panels`, for the member's privacy page (who sees
  their data, besides what `goals` shows itself).
- `exports`: each `Export` adds one kind of the member's rows to "download my data"
  (goals' own are in `goals.export`). A test walks the model graph, so a model
  linked to a member that is neither exported nor excused fails it.
- `before_account_delete`: each takes the member and runs in the transaction that
  deletes their account, before the account row goes (e.g. ending their match so
  the supporter's count of members stays true).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

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
    # Where the member can answer it ("Reply"), if its author can still read it.
    answer_url: str = ""


@dataclass(frozen=True)
class Export:
    """One kind of the member's rows in their download.

    `key` names the list in data.json (and the CSV file, when `csv`); `rows` returns
    only this member's rows. `fields` lists the model fields written, in order
    (None: all of them); `left_out` names every other field with the reason it is
    not the member's to take. A foreign key to a person is written as their first
    name, to another row as that row's id, a many-to-many field as a list of names.
    """

    key: str
    model: type[models.Model]
    rows: Callable[[User], models.QuerySet]
    about: str
    fields: tuple[str, ...] | None = None
    left_out: dict[str, str] = field(default_factory=dict)
    csv: bool = False
    single: bool = False  # at most one row: an object in data.json, not a list


home_panels: list[Callable[[User], Panel | None]] = []
journey_replies: list[Callable[[User, list[JourneyEvent]], dict[int, list[Reply]]]] = []
privacy_panels: list[Callable[[User], Panel | None]] = []
exports: list[Export] = []
before_account_delete: list[Callable[[User], None]] = []


def panels_for(member: User) -> list[Panel]:
    return [p for p in (panel(member) for panel in home_panels) if p is not None]


def privacy_panels_for(member: User) -> list[Panel]:
    return [p for p in (panel(member) for panel in privacy_panels) if p is not None]


def replies_for(member: User, events: list[JourneyEvent]) -> dict[int, list[Reply]]:
    replies: dict[int, list[Reply]] = {}
    if not events:
        return replies
    for source in journey_replies:
        for event_id, items in source(member, events).items():
            replies.setdefault(event_id, []).extend(items)
    return replies
