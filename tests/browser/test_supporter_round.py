"""The supporter's member page, with the demo's data, on a phone: a round that
fits in under three screens."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from peers.management.commands.seed_demo import PASSWORD
from recovery.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN_HEIGHT = 844


def test_sams_page_for_maya_is_under_three_phone_screens(phone_page, screenshot):
    call_command("seed_demo", verbosity=0)
    maya = User.objects.get(username="maya")
    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")

    page.goto(f"/supporter/members/{maya.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya")
    screenshot("supporter-member-demo")
    height = page.evaluate("document.documentElement.scrollHeight")
    moments = page.locator("ol.timeline > li.event").count()

    assert height < 3 * SCREEN_HEIGHT, f"{height}px for {moments} moments"
    assert moments == 10
    # What changed comes first, and the conversation is within the first screen.
    talk = page.get_by_role("heading", name="Conversation").bounding_box()
    assert talk is not None and talk["y"] < SCREEN_HEIGHT
