"""Maya writes to Sam; Sam sees the bell, answers, and follows up a crisis flag,
which leaves the top of his caseload; Maya reads the answer."""

import pytest
from playwright.sync_api import expect

from goals.models import ConsentTo
from goals.services import checkin_record, consent_give
from tests.browser.menu import sign_out
from tests.browser.test_member_journey import sign_in
from tests.factories import MatchFactory, MemberFactory, SupporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_conversation_the_bell_and_a_crisis_flag_followed_up(phone_page, screenshot):
    page = phone_page
    maya = MemberFactory(username="maya-c", first_name="Maya")
    sam = SupporterFactory(username="sam-c", first_name="Sam")
    MatchFactory(member=maya, supporter=sam)
    consent_give(member=maya, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
    checkin_record(member=maya, wellbeing=1, hope=2)

    sign_in(page, "maya-c")
    page.goto("/my-supporter/conversation/")
    page.get_by_label("Your message").fill("Hi Sam, a rough day today.")
    page.get_by_role("button", name="Send").click()
    expect(
        page.locator(".message", has_text="Hi Sam, a rough day today.")
    ).to_be_visible()
    expect(page.get_by_text("This is not for emergencies")).to_be_visible()
    screenshot("member-conversation")
    sign_out(page)

    sign_in(page, "sam-c")
    expect(page.locator("#bell .badge")).to_have_text("1")
    row = page.locator(".caseload-row").first
    expect(row).to_contain_text("Maya")
    expect(row).to_contain_text("crisis flag")
    page.locator("#bell").click()
    page.get_by_role("link", name="Maya wrote to you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversation with Maya")
    page.get_by_label("Your message").fill("I'm here. Can I call you at six?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".message.mine", has_text="call you at six")).to_be_visible()
    expect(page.locator("#bell .badge")).to_have_count(0)

    page.goto("/supporter/")
    page.locator(".caseload-row", has_text="Maya").get_by_role(
        "link", name="Maya"
    ).click()
    expect(page.get_by_role("heading", name="After a crisis flag")).to_be_visible()
    page.get_by_label("What you did, in a few words").fill("Called her; safe tonight.")
    page.get_by_role("button", name="Mark it followed up").click()
    expect(
        page.get_by_text("Followed up. Thank you for checking in on them.")
    ).to_be_visible()
    page.goto("/supporter/")
    expect(page.locator(".caseload-row", has_text="Maya")).not_to_contain_text(
        "crisis flag"
    )
    screenshot("supporter-after-follow-up")
    sign_out(page)

    sign_in(page, "maya-c")
    expect(page.locator("#bell .badge")).to_have_text("1")
    page.goto("/my-supporter/conversation/")
    expect(page.locator(".message", has_text="call you at six")).to_be_visible()
