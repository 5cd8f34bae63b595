"""Undo pressed twice at the same moment, on two real PostgreSQL connections: the
step comes back once, with one "step done" moment, and neither press fails."""

import threading
import time

import pytest
from django.db import connection, transaction

from goals import services
from goals.models import EventKind, JourneyEvent, Step
from tests.factories import GoalFactory, StepFactory
from tests.peers.test_concurrency import in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (CI runs this on PostgreSQL)",
    ),
]


def test_two_undos_at_once_bring_a_done_step_back_once(member):
    step = StepFactory(goal=GoalFactory(member=member), title="Find my shoes")
    services.step_set_done(step=step, done=True)
    services.step_remove(step=step)
    first_restored = threading.Event()

    def first():
        with transaction.atomic():
            restored = services.step_restore(step=Step.all_objects.get(pk=step.pk))
            first_restored.set()
            time.sleep(0.5)  # the second press arrives while this one holds the row
            return restored

    def second():
        first_restored.wait(5)
        return services.step_restore(step=Step.all_objects.get(pk=step.pk))

    thread_a, outcome_a = in_thread(first)
    thread_b, outcome_b = in_thread(second)
    thread_a.join(10)
    thread_b.join(10)

    assert outcome_a == {"result": True}
    assert outcome_b == {"result": False}  # back already: no error, nothing more
    assert Step.objects.get(pk=step.pk).done
    assert JourneyEvent.objects.filter(kind=EventKind.STEP_DONE).count() == 1
