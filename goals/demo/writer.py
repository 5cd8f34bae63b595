"""Saving many members' demo plans at once: bulk inserts, parents first, with
the builders' own timestamps let through."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields

from django.db import models

from goals.demo.builders import PlanRows
from goals.models import (
    CheckIn,
    Goal,
    MeasureChoice,
    MeasureResult,
    Step,
    Strength,
    WellnessTool,
)


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
        self.pending = PlanRows()
        self.counts: Counter[str] = Counter()

    def add(self, plan: PlanRows) -> None:
        self.pending.extend(plan)
        if len(self.pending.checkins) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, PlanRows()
        for kind in fields(pending):
            rows = getattr(pending, kind.name)
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=self.batch_size)
                self.counts[kind.name] += len(rows)
