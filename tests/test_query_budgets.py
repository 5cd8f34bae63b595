"""Query budgets: every main page costs the same number of SQL queries on a small
programme and on one ten times larger, and never more than 15 (and the bell), but
for the few pages PAGE_BUDGETS names with their reasons.

Both programmes are built by `seed_demo` itself (the demo people, their plans over
weeks of check-ins, supporters, matches, contact notes), so the pages see realistic
data rather than a handful of rows.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.measures import BARC_10
from goals.models import Goal
from peers.models import SupporterProfile
from recovery.models import User

# Fifteen, and the bell's unread count in the header (one query on every page).
BUDGET = 16
# The supporter's member page is a whole round on one screen: what changed since
# the last visit (two), what the member keeps private (one), the latest messages
# (one), the suggestions and what became of them (one), the safety and wellness
# plans the member shares (one), beside the plan, the journey, the contact log and
# the caseload row's reasons.
PAGE_BUDGETS = {"supporter member view": 21}
SMALL = ["--members", "4", "--days", "12"]
BARC = BARC_10.key
LARGE = ["--members", "40", "--days", "120"]


def pages():
    """(who, name, url) for each main page, on whatever programme is built."""
    maya = User.objects.get(username="maya")
    goal = Goal.objects.filter(member=maya).order_by("pk").first()
    return [
        ("maya", "member home", reverse("goals:home")),
        ("maya", "goal list", reverse("goals:list")),
        ("maya", "goal detail", reverse("goals:detail", args=[goal.pk])),
        ("maya", "timeline", reverse("goals:timeline")),
        ("maya", "check-in", reverse("goals:checkin")),
        ("maya", "questionnaires", reverse("goals:measures")),
        ("maya", "questionnaire over time", reverse("goals:measure", args=[BARC])),
        ("maya", "safety plan", reverse("goals:safety-plan")),
        ("maya", "wellness plan", reverse("goals:wellness-plan")),
        ("sam", "supporter caseload", reverse("peers:caseload")),
        ("sam", "supporter member view", reverse("peers:member", args=[maya.pk])),
        (
            "sam",
            "questionnaire totals",
            reverse("peers:member-measures", args=[maya.pk]),
        ),
        (
            "sam",
            "a member's shared safety plan",
            reverse("peers:member-safety-plan", args=[maya.pk]),
        ),
        ("cora", "coordinator waiting list", reverse("peers:waiting")),
        (
            "cora",
            "suggestions for one member",
            reverse("peers:suggestions", args=[maya.pk]),
        ),
        ("cora", "programme report", reverse("peers:report")),
    ]


def measure() -> dict[str, int]:
    counts = {}
    clients = {}
    for who, name, url in pages():
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(User.objects.get(username=who))
            clients[who].get(url)  # the first request of a session sets it up
        with CaptureQueriesContext(connection) as queries:
            response = clients[who].get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def build(args) -> dict[str, int]:
    call_command("seed_demo", *args, "--seed", "3", verbosity=0)
    # Room with every supporter, so that the suggestions page has supporters to
    # show at both sizes (with every place taken it shows none, and skips the
    # query that reads the names of those it shows).
    SupporterProfile.objects.update(capacity=F("active_matches") + 2)
    return measure()


@pytest.fixture(scope="module")
def small_counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            counts = build(SMALL)
            transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_every_main_page_stays_within_budget(small_counts):
    over = {
        name: n
        for name, n in small_counts.items()
        if n > PAGE_BUDGETS.get(name, BUDGET)
    }
    assert over == {}


@pytest.mark.django_db
def test_a_programme_ten_times_larger_costs_the_same_queries(small_counts):
    large = build(LARGE)
    assert large == small_counts
