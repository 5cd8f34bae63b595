"""axe-core on every main page, and on what htmx swaps in, for each kind of person,
at a phone's size and a desktop's: no violation of the WCAG 2.2 A and AA rules.

Each test walks one person's pages in one signed-in browser tab, audits each page
at 390x844 and at 1280x900 (the same page, resized: nothing is sent twice), saves a
phone-sized screenshot of it to var/screenshots/<role>-<nn>-<page>.png, and reports
every violation of every page at the end, so one run shows all there is to fix.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import (
    DESKTOP,
    PHONE,
    axe_violations,
    describe_violations,
    serve_axe,
)
from tests.browser.menu import open_menu
from tests.browser.programme import (
    coordinator_pages,
    member_pages,
    public_pages,
    supporter_pages,
    waiting_member_pages,
)
from tests.browser.test_member_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Audit:
    """Audits a tab at both sizes and keeps what it finds for one final report."""

    def __init__(self, page, role, screenshot):
        self.page = page
        self.role = role
        self.screenshot = screenshot
        self.shots = 0
        self.found: list[str] = []
        self.console: list[str] = []
        serve_axe(page.context)
        # A script or style the CSP refuses shows here too: the audit runs with the
        # CSP on, so the page it audits is the page people get.
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and "status of 404" not in text:
            self.console.append(f"{self.page.url}: {text}")

    def check(self, where: str, *, shot: str = "") -> None:
        page = self.page
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            if violations := axe_violations(page):
                label = f"{self.role}: {where} at {size['width']}x{size['height']}"
                self.found.append(describe_violations(label, violations))
            if shot and size is PHONE:
                self.shots += 1
                self.screenshot(f"{self.role}-{self.shots:02}-{shot}")
        page.set_viewport_size(PHONE)

    def pages(self, pages: list[tuple[str, str]]) -> None:
        for name, path in pages:
            response = self.page.goto(path)
            assert response is not None
            assert response.status < 500, f"{path} answered {response.status}"
            self.check(f"{name} ({path})", shot=name)

    def assert_clean(self) -> None:
        if self.found:
            pytest.fail(
                "axe-core found violations (WCAG 2.2 A/AA, best practices):\n\n"
                + "\n\n".join(self.found),
                pytrace=False,
            )
        assert not self.console, "errors in the browser console:\n" + "\n".join(
            self.console
        )


def signed_in(page, username: str) -> None:
    sign_in(page, username)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_member_pages_and_their_htmx_states(phone_page, screenshot, programme):
    page, p = phone_page, programme
    audit = Audit(page, "member", screenshot)
    signed_in(page, p.member.username)
    audit.pages(member_pages(p))

    # Who viewed my data: a person's day opened on what they saw.
    page.goto("/account/views/")
    page.locator("ol.days-of-views summary").first.click()
    expect(page.locator("ol.days-of-views details[open] li").first).to_be_visible()
    audit.check("who viewed my data with a day opened", shot="data-views-day")

    # The header's menu, open, over the page.
    page.goto("/today/")
    open_menu(page)
    audit.check("home with the header's menu open", shot="menu-open")

    # The goal page: a step added, a step ticked, and a step with no words, in place.
    page.goto(f"/goals/{p.goal.pk}/")
    page.get_by_label("A small next step").fill("Pack water")
    page.get_by_role("button", name="Add step").click()
    expect(page.get_by_role("button", name="Done: Pack water")).to_be_visible()
    audit.check("goal detail after adding a step (htmx)")
    toggle = page.get_by_role("button", name="Done: Ask Jo to come along")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    audit.check("goal detail after ticking a step (htmx)")
    page.get_by_label("A small next step").fill("   ")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator("#steps .errorlist")).to_be_visible()
    audit.check("goal detail, a step with no words (htmx)")
    page.get_by_role("button", name="Remove Pack water").click()
    expect(
        page.get_by_role("button", name="Undo removing “Pack water”")
    ).to_be_focused()
    audit.check("goal detail, Undo where a step was (htmx)", shot="step-undo")

    # Undo where a tool and a strength were, and the same without htmx.
    page.goto("/tools/")
    page.get_by_role("button", name="Remove Calling my sister").click()
    expect(
        page.get_by_role("button", name="Undo removing “Calling my sister”")
    ).to_be_focused()
    audit.check("tools, Undo where a tool was (htmx)", shot="tool-undo")
    page.goto("/strengths/")
    remove = page.locator("form", has=page.get_by_role("button", name="Remove I cook"))
    with page.expect_navigation():
        remove.evaluate("(form) => form.submit()")  # a plain POST, as without htmx
    expect(
        page.get_by_role("button", name="Undo removing “I cook well”")
    ).to_be_visible()
    audit.check("strengths, Undo where a strength was (no htmx)", shot="strength-undo")

    # The journey: earlier moments loaded in place, and the chart as a table.
    page.goto("/timeline/")
    before = page.locator("ol.timeline > li.event").count()
    page.get_by_role("link", name="Load earlier moments").click()
    expect(page.locator("ol.timeline > li.event")).not_to_have_count(before)
    audit.check("timeline after loading earlier moments (htmx)")
    page.get_by_text("Show as a table").click()
    audit.check("timeline with the table opened")

    # The safety plan: an item added and moved in place, and a number refused.
    page.goto("/safety-plan/")
    page.get_by_label("A warning sign").fill("Cancelling on people")
    page.get_by_role("button", name="Add to My warning signs").click()
    expect(page.locator("#announce")).to_have_text("Added “Cancelling on people”.")
    audit.check("safety plan after adding an item (htmx)")
    page.get_by_role("button", name="Move up “The sea in spring”").click()
    expect(page.locator("#announce")).to_have_text("Moved “The sea in spring” up.")
    audit.check("safety plan after moving an item (htmx)")
    helpers = page.locator("#section-helpers")
    helpers.get_by_label("A person I can ask").fill("Dev")
    helpers.get_by_label("Phone number").fill("ring him")
    page.get_by_role("button", name="Add to People I can ask for help").click()
    expect(helpers.locator(".errorlist")).to_be_visible()
    audit.check("safety plan, a phone number refused (htmx)")

    # Forms sent with mistakes, and the check-in's optional part opened.
    page.goto("/check-in/")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit.check("check-in with errors", shot="checkin-errors")
    page.get_by_text("Add more (optional)").click()
    audit.check("check-in with 'Add more' opened")
    # A day of the last week (the programme's member checked in every day of
    # it: changing one is the same form as filling a missed one in), and a day
    # out of reach.
    page.get_by_role("region", name="The last week").get_by_role(
        "link", name=re.compile(r"^(Fill in|Change) ")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check in for")
    audit.check("check-in for a past day", shot="checkin-past-day")
    page.goto("/check-in/?day=2000-01-01")
    expect(page.get_by_text("is more than 7 days ago")).to_be_visible()
    audit.check("check-in asked for a day out of reach")
    page.goto("/goals/new/")
    page.get_by_role("button", name="Set this goal").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit.check("new goal with errors", shot="goal-new-errors")
    audit.assert_clean()


def test_supporter_pages_and_their_htmx_states(phone_page, screenshot, programme):
    page, p = phone_page, programme
    audit = Audit(page, "supporter", screenshot)
    signed_in(page, p.supporter.username)
    audit.pages(supporter_pages(p))

    page.goto(f"/supporter/members/{p.member.pk}/")
    page.locator("details.encourage > summary").first.click()
    page.locator("details.goal-fold > summary").first.click()
    audit.check("member with a moment's and a goal's folds open")
    reply = page.locator("form").filter(
        has=page.get_by_label("A few encouraging words")
    )
    reply.first.get_by_role("textbox").fill("Thank you for telling me.")
    reply.first.get_by_role("button", name="Send encouragement").click()
    expect(page.locator("#announce")).to_have_text("Your encouragement is on its way.")
    audit.check("member after sending encouragement (htmx)")
    cheer = page.locator("form").filter(has=page.get_by_label("Encourage this goal"))
    cheer.first.get_by_role("textbox").fill("  ")
    cheer.first.get_by_role("button", name="Send encouragement").click()
    expect(page.locator("#announce")).to_have_text("Please write a few words first.")
    audit.check("member after an empty encouragement (htmx)")
    before = page.locator("ol.timeline > li.event").count()
    page.get_by_role("link", name="Load earlier moments").click()
    expect(page.locator("ol.timeline > li.event")).not_to_have_count(before)
    audit.check("member after loading earlier moments (htmx)")

    page.goto(f"/supporter/members/{p.member.pk}/contacts/")
    page.get_by_label("Date").fill("")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit.check("contact form with errors", shot="contact-form-errors")
    audit.assert_clean()


def test_coordinator_pages_and_their_states(phone_page, screenshot, programme):
    page, p = phone_page, programme
    audit = Audit(page, "coordinator", screenshot)
    signed_in(page, p.coordinator.username)
    audit.pages(coordinator_pages(p))
    open_menu(page)
    audit.check("the header's menu open", shot="menu-open")

    page.goto(f"/coordinator/members/{p.waiting.pk}/suggestions/")
    page.get_by_text("How the score adds up").first.click()
    audit.check("suggestions with a score opened")
    page.goto("/coordinator/report/")
    for summary in page.get_by_text("Show as a table").all():
        summary.click()
    audit.check("report with its tables opened")
    page.goto("/coordinator/invitations/")
    page.get_by_label("Name").fill("Omar")
    page.get_by_role("button", name="Make an invitation link").click()
    expect(page.get_by_label("Invitation link")).to_be_visible()
    audit.check("invitations with a new link", shot="invitation-made")
    page.get_by_role("button", name="Make an invitation link").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit.check("invitation form with errors")
    page.goto(f"/coordinator/members/{p.member.pk}/")
    page.get_by_role("button", name="Make a set-your-password link").click()
    expect(page.get_by_label("Set-your-password link")).to_be_visible()
    audit.check(
        "a member's page with a new set-your-password link", shot="password-link"
    )
    page.goto("/coordinator/")
    page.get_by_role("searchbox", name="Name").fill("zz-nobody")
    expect(page.get_by_text("Nobody waiting matches this search.")).to_be_visible()
    audit.check("the waiting list found nobody", shot="waiting-none-found")
    page.goto(f"/coordinator/supporters/{p.supporter.pk}/")
    page.get_by_label("Most active matches").fill("")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit.check("supporter profile with errors")
    audit.assert_clean()


def test_waiting_member_pages(phone_page, screenshot, programme):
    """A member without a supporter yet sees other words on some pages."""
    page, p = phone_page, programme
    audit = Audit(page, "waiting-member", screenshot)
    signed_in(page, p.waiting.username)
    audit.pages(waiting_member_pages(p))
    audit.assert_clean()


def test_public_pages(phone_page, screenshot, programme):
    page, p = phone_page, programme
    audit = Audit(page, "public", screenshot)
    audit.pages(public_pages(p))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(p.member.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check("sign-in with a wrong password", shot="sign-in-error")
    audit.assert_clean()
