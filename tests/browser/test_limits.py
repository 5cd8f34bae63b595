"""A text field says how much room is left as a person nears its limit, and lets
them paste more than fits (then says how much to cut), never cutting it itself."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_member_journey import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_note_counts_down_near_its_limit_and_never_cuts(phone_page):
    page = phone_page
    MemberFactory(username="maya-limits", first_name="Maya")
    sign_in(page, "maya-limits")
    page.goto("/check-in/")
    page.get_by_text("Add more (optional)").click()
    note = page.get_by_label("Journal note (optional)")
    limit_line = page.locator("#id_note_limit")

    expect(limit_line).to_have_text("Up to 4000 characters.")
    note.fill("x" * 3900)
    expect(limit_line).to_have_text("100 characters left")
    note.fill("x" * 4010)  # as a paste would: nothing is cut
    expect(limit_line).to_have_text("10 characters too many: please shorten it")
    assert len(note.input_value()) == 4010
