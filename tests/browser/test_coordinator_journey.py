"""A coordinator matches a waiting member from the suggestions, then confirms a
batch proposal for the rest."""

import pytest
from playwright.sync_api import expect

from peers.models import Match
from tests.browser.menu import go_by_menu
from tests.browser.test_member_journey import sign_in
from tests.factories import (
    CoordinatorFactory,
    MatchPreferencesFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_matches_from_suggestions_and_confirms_a_batch(
    phone_page, screenshot
):
    page = phone_page
    CoordinatorFactory(username="cora-b", first_name="Cora")
    lena = MemberFactory(first_name="Lena")
    MatchPreferencesFactory(member=lena, languages=["Spanish"], language_must=True)
    omar = MemberFactory(first_name="Omar")
    ines = SupporterProfileFactory(
        user=SupporterFactory(first_name="Ines"), languages=["Spanish", "English"]
    ).user
    SupporterProfileFactory(
        user=SupporterFactory(first_name="Ben"), languages=["English"]
    )

    sign_in(page, "cora-b")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for a supporter")
    screenshot("coordinator-waiting")

    page.get_by_role("link", name="Suggested supporters for Lena").click()
    expect(page.get_by_text("speaks Spanish; 5 of 5 places free")).to_be_visible()
    # Ben speaks no Spanish, and Spanish is Lena's must: he is never offered.
    expect(page.get_by_role("button", name="Match with Ben")).to_have_count(0)
    screenshot("coordinator-suggestions")
    page.get_by_role("button", name="Match with Ines").click()
    expect(page.get_by_text("Lena")).to_be_visible()
    assert Match.objects.active().get(member=lena).supporter == ines

    go_by_menu(page, "Batch matching")
    row = page.get_by_role("row", name="Omar")
    expect(row).to_be_visible()
    screenshot("coordinator-batch")
    page.get_by_role("button", name="Confirm the 1 proposed match").click()
    expect(page.get_by_text("1 of 1 proposed matches were made.")).to_be_visible()
    assert Match.objects.active().filter(member=omar).exists()
    assert Match.objects.active().count() == 2
