"""A member plans and checks in, in a real browser on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from goals.models import CheckIn, Step
from tests.browser.menu import go_by_menu
from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_member_sets_a_goal_ticks_a_step_checks_in_and_sees_the_journey(
    phone_page, screenshot
):
    page = phone_page
    member = MemberFactory(username="maya-browser", first_name="Maya")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, member.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maya")
    screenshot("member-home")

    page.get_by_role("link", name="Set a new goal").first.click()
    page.get_by_label("My goal").fill("Walk to the park on Saturdays")
    page.get_by_label("Life area").select_option(label="Health")
    page.get_by_role("button", name="Set this goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Walk to the park on Saturdays"
    )

    # Adding and ticking a step happen in place (htmx): the page does not reload.
    page.evaluate("window.__samePage = true")
    page.get_by_label("A small next step").fill("Find my walking shoes")
    page.get_by_role("button", name="Add step").click()
    toggle = page.get_by_role("button", name="Done: Find my walking shoes")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("1 of 1 step done")).to_be_visible()
    expect(page.locator("#announce")).to_contain_text("is done")
    assert page.evaluate("window.__samePage === true")
    screenshot("goal-detail")
    assert Step.objects.get(title="Find my walking shoes").done

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Check in"
    ).click()
    page.get_by_role("group", name="Overall, how are you doing today?").get_by_label(
        "7", exact=True
    ).check()
    page.get_by_role("group", name="How hopeful do you feel?").get_by_label(
        "8", exact=True
    ).check()
    screenshot("checkin")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    assert CheckIn.objects.get(member=member).wellbeing == 7

    go_by_menu(page, "My journey")
    moments = page.locator("ol.timeline")
    expect(moments).to_contain_text("Checked in")
    expect(moments).to_contain_text("wellbeing 7, hope 8")
    expect(moments).to_contain_text("Finished a step")
    expect(moments).to_contain_text("Find my walking shoes")
    expect(moments).to_contain_text("Set a goal")
    screenshot("timeline")
    assert errors == []
