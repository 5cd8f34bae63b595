"""A coordinator's long lists on a phone: the waiting list found by name as they
type (htmx, the address following), and batch matching that says how many ticked
matches it will make, live, and makes exactly those."""

import re

import pytest
from playwright.sync_api import expect

from peers.models import Match
from tests.browser.test_member_journey import sign_in
from tests.factories import (
    CoordinatorFactory,
    MatchPreferencesFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_waiting_list_is_found_as_the_coordinator_types(phone_page, screenshot):
    page = phone_page
    CoordinatorFactory(username="cora-find", first_name="Cora")
    for name in ("Marisol", "Noor", "Omar"):
        MemberFactory(first_name=name)
    MatchPreferencesFactory(
        member=MemberFactory(first_name="Ana"), languages=["Arabic"]
    )

    sign_in(page, "cora-find")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for a supporter")
    page.get_by_role("searchbox", name="Name").fill("nO")

    expect(page.get_by_text("1 person waiting found.").first).to_be_visible()
    expect(
        page.get_by_role("link", name="Suggested supporters for Noor")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Suggested supporters for Omar")
    ).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/coordinator/\?q=nO(&|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)

    page.get_by_role("searchbox", name="Name").fill("")
    page.get_by_label("Speaks").select_option("Arabic")
    expect(
        page.get_by_role("link", name="Suggested supporters for Ana")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Suggested supporters for Noor")
    ).to_have_count(0)
    expect(page).to_have_url(re.compile(r"language=Arabic"))
    screenshot("coordinator-waiting-found")

    # The same address loaded afresh shows the same list: the search is in it.
    page.reload()
    expect(page.get_by_label("Speaks")).to_have_value("Arabic")
    expect(
        page.get_by_role("link", name="Suggested supporters for Ana")
    ).to_be_visible()


def test_ticking_3_of_12_says_so_and_confirms_exactly_those_3(phone_page, screenshot):
    page = phone_page
    CoordinatorFactory(username="cora-batch", first_name="Cora")
    for n in range(3):
        SupporterProfileFactory(
            user=SupporterFactory(first_name=f"Helper{n}"), capacity=4
        )
    members = [MemberFactory(first_name=f"Waiting{n:02}") for n in range(12)]

    sign_in(page, "cora-batch")
    page.goto("/coordinator/batch/")
    ticked = page.get_by_role(
        "button", name="Confirm the ticked matches (none ticked yet)"
    )
    expect(ticked).to_be_visible()
    expect(
        page.get_by_role(
            "button", name="Confirm all 12 proposed matches, ticked or not"
        )
    ).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="0 of 12 ticked.")
    ).to_be_visible()

    # Each tick is a target large enough to tap (WCAG 2.5.8: at least 24 px).
    box = page.get_by_role("checkbox").first.bounding_box()
    assert box is not None and min(box["width"], box["height"]) >= 24, box

    chosen = [members[1], members[4], members[10]]
    for member in chosen:
        page.get_by_role("checkbox", name=f"Confirm {member.first_name} with").check()
    expect(
        page.get_by_role("button", name="Confirm the 3 ticked matches")
    ).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text="3 of 12 ticked.")
    ).to_be_visible()
    page.get_by_role("checkbox", name=f"Confirm {members[4].first_name} with").uncheck()
    page.get_by_role("checkbox", name=f"Confirm {members[4].first_name} with").check()
    screenshot("coordinator-batch-ticked")

    page.get_by_role("button", name="Confirm the 3 ticked matches").click()
    expect(page.get_by_text("3 of 3 proposed matches were made.")).to_be_visible()
    matched = set(Match.objects.active().values_list("member_id", flat=True))
    assert matched == {member.pk for member in chosen}


def test_an_invitation_link_is_copied_in_one_tap(browser, live_server, screenshot):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    CoordinatorFactory(username="cora-copy", first_name="Cora")

    sign_in(page, "cora-copy")
    page.goto("/coordinator/invitations/")
    page.get_by_label("Name").fill("Omar")
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.get_by_label("Invitation link")
    expect(link).to_have_value(re.compile(r"/invite/[^/]+/$"))
    page.get_by_role("button", name="Copy the link").click()

    expect(page.locator("#announce")).to_have_text("Copied. You can paste it now.")
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    expect(
        page.get_by_role("button", name="Withdraw the invitation for Omar")
    ).to_be_visible()
    context.close()
