"""A way back from removing a step, on a phone: Undo where the step was, with
htmx and without JavaScript, and the step back in its place."""

import pytest
from playwright.sync_api import expect

from goals import services
from goals.models import Goal, LifeDomain, Step
from tests.browser.test_accessibility import signed_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = ["Find my shoes", "Walk to the park", "Jog for five minutes"]


@pytest.fixture
def goal():
    member = MemberFactory(username="maya-undo", first_name="Maya")
    goal = services.goal_create(
        member=member,
        goal=Goal(title="Get back to running", domain=LifeDomain.HEALTH),
    )
    for title in STEPS:
        services.step_add(goal=goal, title=title)
    return goal


def step_names(page) -> list[str]:
    return [
        name.removeprefix("Done: ")
        for name in page.locator("#steps li.step").evaluate_all(
            "(rows) => rows.map((row) => row.querySelector('.step-toggle')"
            " ? row.querySelector('.step-toggle').textContent.trim()"
            " .replace(/\\s+/g, ' ') : row.textContent.trim().replace(/\\s+/g, ' '))"
        )
    ]


def test_a_removed_step_comes_back_in_its_place_with_undo(phone_page, goal):
    page = phone_page
    signed_in(page, goal.member.username)
    page.goto(goal.get_absolute_url())
    page.evaluate("window.__samePage = true")

    page.get_by_role("button", name="Remove Walk to the park").click()

    undo = page.get_by_role("button", name="Undo removing “Walk to the park”")
    expect(undo).to_be_focused()
    expect(page.locator("#announce")).to_have_text(
        "Removed the step “Walk to the park”. Undo is in its place."
    )
    assert step_names(page) == [
        "Find my shoes",
        "Removed “Walk to the park”. Undo removing “Walk to the park”",
        "Jog for five minutes",
    ]
    expect(page.get_by_text("0 of 2 steps done")).to_be_visible()

    undo.click()

    toggle = page.get_by_role("button", name="Done: Walk to the park")
    expect(toggle).to_be_focused()
    expect(page.locator("#announce")).to_have_text("“Walk to the park” is back.")
    assert step_names(page) == STEPS
    expect(page.get_by_text("0 of 3 steps done")).to_be_visible()
    assert page.evaluate("window.__samePage === true")


def test_without_javascript_undo_is_where_the_step_was(browser, live_server, goal):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    page = context.new_page()
    try:
        signed_in(page, goal.member.username)
        page.goto(goal.get_absolute_url())

        page.get_by_role("button", name="Remove Walk to the park").click()

        removed = Step.all_objects.get(title="Walk to the park")
        assert page.url.endswith(f"#step-{removed.pk}")
        undo = page.get_by_role("button", name="Undo removing “Walk to the park”")
        expect(undo).to_be_in_viewport()
        undo.click()
        expect(page.get_by_text("“Walk to the park” is back.")).to_be_visible()
        assert step_names(page) == STEPS
    finally:
        context.close()
