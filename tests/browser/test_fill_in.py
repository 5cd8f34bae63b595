"""A member fills in yesterday, which they missed, from the check-in page on a
phone, and sees it marked on their journey as filled in later."""

import datetime

import pytest
from playwright.sync_api import expect

from goals import services
from goals.models import CheckIn
from tests.browser.menu import go_by_menu
from tests.browser.test_accessibility import signed_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def long_day(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def test_a_member_fills_in_yesterday_and_sees_it_on_the_journey(phone_page, screenshot):
    page = phone_page
    member = MemberFactory(username="maya-fill", first_name="Maya")
    today = member.local_date()
    yesterday = today - datetime.timedelta(days=1)
    services.checkin_record(
        member=member, day=today - datetime.timedelta(days=2), wellbeing=5, hope=5
    )
    signed_in(page, member.username)

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Check in"
    ).click()
    week = page.get_by_role("region", name="The last week")
    week.get_by_role("link", name=f"Fill in {long_day(yesterday)}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Check in for {long_day(yesterday)}"
    )
    page.get_by_role(
        "group", name=f"Overall, how were you doing on {long_day(yesterday)}?"
    ).get_by_label("6", exact=True).check()
    page.get_by_role("group", name="How hopeful did you feel?").get_by_label(
        "7", exact=True
    ).check()
    screenshot("member-fill-in-yesterday")
    page.get_by_role("button", name=f"Save {long_day(yesterday)}").click()

    expect(
        page.get_by_text(f"Thank you: {long_day(yesterday)} is filled in.")
    ).to_be_visible()
    checkin = CheckIn.objects.get(member=member, day=yesterday)
    assert checkin.filled_in_later and (checkin.wellbeing, checkin.hope) == (6, 7)

    go_by_menu(page, "My journey")
    moment = page.locator("ol.timeline > li.event").first
    expect(moment).to_contain_text(f"for {long_day(yesterday)}, filled in later")
    expect(moment).to_contain_text("wellbeing 6, hope 7")
    screenshot("member-journey-filled-in")
