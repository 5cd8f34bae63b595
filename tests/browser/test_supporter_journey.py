"""A supporter answers a member's check-in in place; the member sees it."""

import pytest
from playwright.sync_api import expect

from goals import services as goal_services
from tests.browser.menu import sign_out
from tests.browser.test_member_journey import sign_in
from tests.factories import MatchFactory, MemberFactory, SupporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supporter_opens_the_caseload_answers_a_checkin_and_the_member_sees_it(
    phone_page, screenshot
):
    page = phone_page
    member = MemberFactory(username="maya-b", first_name="Maya")
    supporter = SupporterFactory(username="sam-b", first_name="Sam")
    MatchFactory(member=member, supporter=supporter)
    goal_services.checkin_record(member=member, wellbeing=4, hope=6, wants_to_talk=True)

    sign_in(page, "sam-b")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    row = page.locator(".caseload-row", has_text="Maya")
    expect(row).to_contain_text("asked to talk")
    screenshot("supporter-caseload")

    row.get_by_role("link", name="Maya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya")
    page.evaluate("window.__samePage = true")
    # One "Encourage" per moment opens its form (a <details>, no script needed).
    page.locator("details.encourage > summary").first.click()
    page.get_by_label("A few encouraging words").first.fill("Thank you for telling me.")
    page.get_by_role("button", name="Send encouragement").first.click()
    expect(page.locator(".reply", has_text="Thank you for telling me.")).to_be_visible()
    # Screen readers hear it through the page's one live region.
    expect(page.locator("#announce")).to_have_text("Your encouragement is on its way.")
    assert page.evaluate("window.__samePage === true")
    screenshot("supporter-member")

    sign_out(page)
    sign_in(page, "maya-b")
    expect(page.get_by_text("A word from Sam")).to_be_visible()
    expect(page.get_by_text("Thank you for telling me.")).to_be_visible()
