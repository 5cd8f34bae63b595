"""Each member page reads in a fixed number of queries, whatever the size of the
member's history: the count measured on a small plan must hold for a plan ten times
larger, so an N+1 (a query per goal, step, check-in or event) fails here."""

import html

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from recovery.crisis import programme_lines
from tests.factories import (
    GoalFactory,
    StepFactory,
    StrengthFactory,
    WellnessToolFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SMALL, LARGE = 2, 20


def build_plan(member, size: int) -> dict:
    """`size` of everything: strengths, tools, goals with `size` steps (half done)
    drawing on every strength, daily check-ins using every tool, one of them today,
    and goals in each status, all through the services so the timeline fills too."""
    strengths = StrengthFactory.create_batch(size, member=member)
    tools = WellnessToolFactory.create_batch(size, member=member)
    goals = [
        services.goal_create(
            member=member, goal=GoalFactory.build(member=member), strengths=strengths
        )
        for _ in range(size)
    ]
    for goal in goals:
        for n in range(size):
            step = StepFactory(goal=goal)
            if n % 2:
                services.step_set_done(step=step, done=True)
    for goal, status in zip(goals, ["achieved", "paused", "let_go"], strict=False):
        if goal is not goals[0]:
            services.goal_set_status(goal=goal, status=status)
    for n in range(size):
        services.checkin_record(
            member=member,
            wellbeing=n % 11,
            hope=(n + 3) % 11,
            feelings=f"feeling {n}",
            tools=tools,
            had_setback=bool(n % 3),
            note=f"note {n}",
            day=days_ago(n),
        )
    return {"goal": goals[0], "size": size}


# (url name, needs the goal's pk, query string, htmx headers)
PAGES = [
    ("goals:home", False, {}),
    ("goals:list", False, {}),
    ("goals:detail", True, {}),
    ("goals:edit", True, {}),
    ("goals:create", False, {}),
    ("goals:checkin", False, {}),
    ("goals:strengths", False, {}),
    ("goals:tools", False, {}),
    ("goals:timeline", False, {}),
    ("goals:timeline", False, {"period": "1y"}),
    ("goals:timeline", False, {"period": "all"}),
]


def url_of(name, needs_goal, plan) -> str:
    return reverse(name, args=[plan["goal"].pk]) if needs_goal else reverse(name)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count_queries(client, url, data=None, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data, **extra)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "needs_goal", "data"),
    PAGES,
    ids=[f"{name}{data.get('period', '')}" for name, _g, data in PAGES],
)
def test_page_queries_do_not_grow_with_the_plan(
    member,
    other_member,
    django_assert_num_queries,
    django_assert_max_num_queries,
    name,
    needs_goal,
    data,
):
    small = build_plan(member, SMALL)
    large = build_plan(other_member, LARGE)
    small_client, large_client = signed_in(member), signed_in(other_member)
    # The crisis lines (shown after a very hard day) are the programme's, read
    # once into the shared cache for every page: read them before counting.
    programme_lines()

    expected = count_queries(small_client, url_of(name, needs_goal, small), data)

    with django_assert_num_queries(expected):
        response = large_client.get(url_of(name, needs_goal, large), data)
    assert response.status_code == 200
    # And the count is small in itself: session, user, then a few reads.
    with django_assert_max_num_queries(8):
        small_client.get(url_of(name, needs_goal, small), data)


def test_large_plan_pages_really_show_the_large_plan(other_member):
    """The query-count test above is only worth something if the larger plan is on
    the page."""
    large = build_plan(other_member, LARGE)
    client = signed_in(other_member)

    goal_list = page_text(client.get(reverse("goals:list")))
    detail = page_text(client.get(large["goal"].get_absolute_url()))
    timeline = page_text(client.get(reverse("goals:timeline")))

    assert goal_list.count('<li>\n      <a href="/goals/') == LARGE
    assert detail.count('class="step-toggle"') == LARGE
    assert detail.count('<li class="tag">Strength') == LARGE
    assert timeline.count('<li class="event ') == 30
    assert "Load earlier moments" in timeline
    assert "What helped: Helpful thing" in timeline


def test_timeline_earlier_fragment_queries_do_not_grow(
    member, other_member, settings, django_assert_num_queries
):
    build_plan(member, SMALL)
    build_plan(other_member, LARGE)
    small_client, large_client = signed_in(member), signed_in(other_member)
    url = reverse("goals:timeline")

    def earlier(client) -> str:
        return client.get(url).context["page"].earlier.encode()

    # Pages of check-ins (the newest moments) with their tools, one and ten long.
    settings.TIMELINE_PAGE_SIZE = 1
    before = earlier(small_client)
    expected = count_queries(small_client, url, {"before": before}, **HTMX)

    settings.TIMELINE_PAGE_SIZE = 10
    before = earlier(large_client)
    with django_assert_num_queries(expected):
        response = large_client.get(url, {"before": before}, **HTMX)
    fragment = response.content.decode()
    assert fragment.count('<li class="event event-checkin">') == 10
    assert "What helped: Helpful thing" in fragment


@pytest.mark.parametrize("action", ["goals:step-toggle", "goals:step-add"])
def test_htmx_step_fragments_do_not_grow(
    member, other_member, django_assert_num_queries, action
):
    small = build_plan(member, SMALL)
    large = build_plan(other_member, LARGE)

    def post(client, plan):
        if action == "goals:step-add":
            url = reverse(action, args=[plan["goal"].pk])
            return client.post(url, {"title": "One more"}, **HTMX)
        step = plan["goal"].steps.filter(done=False).first()
        return client.post(reverse(action, args=[step.pk]), {"done": "1"}, **HTMX)

    small_client, large_client = signed_in(member), signed_in(other_member)
    with CaptureQueriesContext(connection) as captured:
        assert post(small_client, small).status_code == 200
    expected = len(captured)

    with django_assert_num_queries(expected):
        response = post(large_client, large)
    assert response.content.decode().count('class="step-toggle"') == LARGE + (
        action == "goals:step-add"
    )


@pytest.mark.parametrize(
    ("name", "needs_goal", "table", "choice"),
    [
        ("goals:checkin", False, "goals_wellnesstool", 'name="tools"'),
        ("goals:create", False, "goals_strength", 'name="strengths"'),
        ("goals:edit", True, "goals_strength", 'name="strengths"'),
    ],
)
def test_a_form_reads_its_choices_once(member, name, needs_goal, table, choice):
    """The template asks whether the member has tools (or strengths) to offer, then
    draws them: one read of their list, not one for each look (on PostgreSQL each
    drawing was a server-side cursor too). Reading what today's check-in or the goal
    already holds, for the ticks, is another matter."""
    plan = build_plan(member, SMALL)
    client = signed_in(member)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url_of(name, needs_goal, plan))

    offered = f'"{table}"."member_id" = {member.pk}'
    reads = [q["sql"] for q in captured if offered in q["sql"]]
    assert len(reads) == 1, reads
    assert response.content.decode().count(choice) == SMALL
