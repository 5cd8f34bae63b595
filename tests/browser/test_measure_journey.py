"""Maya answers BARC-10 one statement a screen on a phone: by role and label, with
htmx swapping each statement in place, Back and Skip, "Finish later" keeping her
answers, and her total on the chart and in the table at the end."""

import re

import pytest
from playwright.sync_api import expect

from goals.measures import BARC_10
from goals.models import MeasureResult
from tests.browser.menu import go_by_menu
from tests.browser.test_member_journey import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = [4, 5, 3, 2, 6, 4, 1, 5, 3, 4]  # 37


def back_to(number: int) -> re.Pattern:
    # The hidden words are a box of their own to Chromium: "Back : statement 3".
    return re.compile(rf"^Back\W+statement {number}$")


def test_maya_answers_barc_10_one_statement_a_screen(phone_page, screenshot):
    page = phone_page
    maya = MemberFactory(username="maya-barc", first_name="Maya")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, maya.username)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    go_by_menu(page, "My journey")
    page.get_by_role("link", name="My questionnaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery questionnaires")
    page.get_by_label("How often for BARC-10").select_option(label="Every 2 months")
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved.")).to_be_visible()
    page.get_by_role("link", name="Have a look").click()
    page.get_by_role("button", name="One at a time").click()

    # Statement 1 of 10: a group named by the statement, with the scale's words.
    expect(page.get_by_text("Statement 1 of 10")).to_be_visible()
    first = page.get_by_role("group", name=BARC_10.items[0])
    expect(first.get_by_label("1 – Strongly disagree")).to_be_visible()
    expect(first.get_by_label("6 – Strongly agree")).to_be_visible()

    # Next without an answer asks for one (or a skip), in place.
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Next", exact=True).click()
    expect(
        page.get_by_text("Please choose an answer, or skip this one.")
    ).to_be_visible()

    for number in range(1, 4):
        group = page.get_by_role("group", name=BARC_10.items[number - 1])
        group.get_by_label(str(ANSWERS[number - 1]), exact=False).first.check()
        page.get_by_role("button", name="Next", exact=True).click()
        expect(page.get_by_text(f"Statement {number + 1} of 10")).to_be_visible()
    # Each statement came in place (htmx), the address following it.
    assert page.evaluate("window.__samePage === true")
    assert page.url.endswith(f"/measures/{BARC_10.key}/4/")
    expect(page.locator("#measure-progress")).to_be_focused()

    # Back shows the answer given; skip one; finish later keeps them all.
    page.get_by_role("link", name=back_to(3)).click()
    expect(
        page.get_by_role("group", name=BARC_10.items[2]).get_by_label("3", exact=True)
    ).to_be_checked()
    page.get_by_role("button", name="Next", exact=True).click()
    # The next statement first: a click before the swap would skip this one.
    expect(page.get_by_text("Statement 4 of 10")).to_be_visible()
    page.get_by_role("button", name="Skip this one").click()
    expect(page.get_by_text("Statement 5 of 10")).to_be_visible()
    # (A screenshot before an htmx swap makes Chromium report CSP errors for the
    # styles Playwright slips in; "Finish later" leaves the page instead.)
    screenshot("member-questionnaire-statement")
    page.get_by_role("button", name="Finish later").click()
    expect(
        page.get_by_text("Your answers so far are kept. Carry on whenever you like.")
    ).to_be_visible()
    draft = MeasureResult.objects.get(member=maya)
    assert draft.answers[:5] == [4, 5, 3, None, None]
    assert not draft.is_completed

    # Carry on: it opens at statement 5; go back and answer the skipped one too.
    page.get_by_role("link", name="Carry on").click()
    page.get_by_role("button", name="Carry on, one at a time").click()
    expect(page.get_by_text("Statement 5 of 10")).to_be_visible()
    page.get_by_role("link", name=back_to(4)).click()
    for number in range(4, 11):
        group = page.get_by_role("group", name=BARC_10.items[number - 1])
        group.get_by_label(str(ANSWERS[number - 1]), exact=False).first.check()
        name = "Next: check and finish" if number == 10 else "Next"
        page.get_by_role("button", name=name, exact=True).click()
        if number < 10:
            expect(page.get_by_text(f"Statement {number + 1} of 10")).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and finish")
    screenshot("member-questionnaire-check")
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Your total is 37 (from 10 to 60).")).to_be_visible()
    expect(page.get_by_role("img", name="Your 1 total")).to_be_visible()
    table = page.get_by_role("table", name="Each time you answered, newest first")
    expect(table).to_contain_text("37 out of 60")
    screenshot("member-questionnaire-totals")
    assert MeasureResult.objects.get(member=maya).total == 37
    assert errors == []
