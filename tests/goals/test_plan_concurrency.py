"""Two tabs changing one plan at the same moment, on two real PostgreSQL
connections: they take turns on the plan's lock, so the first plan is made once,
places in a list stay whole, and the day keeps one version."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from goals import plans
from goals.models import Plan, PlanItem, PlanKind, PlanSection, PlanVersion
from tests.factories import MemberFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (CI runs this on PostgreSQL)",
    ),
]


def in_thread(work):
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_two_first_items_at_once_make_one_plan_and_two_places():
    member = MemberFactory()
    first_holds_lock = threading.Event()

    def add(words, *, hold=False):
        with transaction.atomic():
            item = plans.plan_item_add(
                member=member,
                kind=PlanKind.SAFETY,
                section=PlanSection.REASONS,
                text=words,
            )
            if hold:
                first_holds_lock.set()
                time.sleep(0.5)  # the other tab's add arrives meanwhile
            return item

    thread_a, outcome_a = in_thread(lambda: add("My nephew Leo", hold=True))
    first_holds_lock.wait(5)
    thread_b, outcome_b = in_thread(lambda: add("The sea in spring"))
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in outcome_a and "error" not in outcome_b, (outcome_a, outcome_b)
    assert Plan.objects.filter(member=member).count() == 1
    items = PlanItem.objects.filter(plan__member=member).order_by("position")
    assert [(i.text, i.position) for i in items] == [
        ("My nephew Leo", 0),
        ("The sea in spring", 1),
    ]
    version = PlanVersion.objects.get(plan__member=member)
    assert len(version.content["sections"]["reasons"]) == 2


def test_two_moves_at_once_keep_every_place_whole():
    member = MemberFactory()
    items = [
        plans.plan_item_add(
            member=member,
            kind=PlanKind.SAFETY,
            section=PlanSection.SAFER,
            text=f"Step {n}",
        )
        for n in range(3)
    ]
    first_holds_lock = threading.Event()

    def move_first_down():
        with transaction.atomic():
            moved = plans.plan_item_move(item=items[0], up=False)
            first_holds_lock.set()
            time.sleep(0.5)
            return moved

    def move_last_up():
        first_holds_lock.wait(5)
        return plans.plan_item_move(item=items[2], up=True)

    thread_a, outcome_a = in_thread(move_first_down)
    thread_b, outcome_b = in_thread(move_last_up)
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in outcome_a and "error" not in outcome_b
    positions = PlanItem.objects.order_by("position").values_list("position", "text")
    # One after the other: 1 0 2, then 1 2 0.
    assert list(positions) == [(0, "Step 1"), (1, "Step 2"), (2, "Step 0")]
