"""The header on a phone: one line with the menu closed, a menu that opens and
closes from the keyboard, "Need help now?" in sight on every page, and a
confirmation that goes away with the person's next action.

Before the header had a menu it took 255 px of a 390x844 screen for a member of
tests/browser/programme.py (the brand, the bell and "Need help now?" on one row,
ten links on three more), on every page.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.programme import coordinator_pages, member_pages, supporter_pages
from tests.browser.test_accessibility import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_LINE = 64  # px: a 44 px tap target with a little room above and below
PAGES = {
    "member": member_pages,
    "supporter": supporter_pages,
    "coordinator": coordinator_pages,
}


def header_height(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.site-header').getBoundingClientRect().height"
    )


@pytest.mark.parametrize("role", PAGES)
def test_the_header_is_one_line_on_a_phone_with_help_in_sight(
    phone_page, programme, role
):
    page, p = phone_page, programme
    signed_in(page, getattr(p, role).username)
    for name, path in PAGES[role](p):
        page.goto(path)
        height = header_height(page)
        assert height < ONE_LINE, f"{name}: the header is {height} px high"
        help_now = page.get_by_role("link", name="Need help now?").first
        expect(help_now).to_be_in_viewport()
        expect(page.locator("details.menu")).not_to_have_attribute("open", "")


def test_a_signed_out_header_is_one_line_too(phone_page, programme):
    page = phone_page
    page.goto("/accounts/login/")
    assert header_height(page) < ONE_LINE
    expect(page.get_by_role("link", name="Recovery planner")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Need help now?").first).to_be_in_viewport()


def menu_node(page) -> dict:
    """The menu's control as Chromium tells a screen reader of it: its role, name
    and whether it is expanded."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    cdp.detach()
    for node in nodes:
        if node.get("name", {}).get("value") == "Menu" and not node.get("ignored"):
            properties = {
                p["name"]: p["value"].get("value") for p in node["properties"]
            }
            return {
                "role": node["role"]["value"],
                "expanded": properties.get("expanded"),
                "focused": properties.get("focused", False),
            }
    raise AssertionError("no control named Menu")


def test_the_menu_opens_and_closes_from_the_keyboard(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.member.username)
    page.goto("/today/")
    summary = page.locator("details.menu > summary")

    for _ in range(10):
        page.keyboard.press("Tab")
        if summary.evaluate("(el) => el === document.activeElement"):
            break
    # A control a screen reader calls a button ("Menu, collapsed"), with the focus.
    assert menu_node(page) == {
        "role": "DisclosureTriangle",
        "expanded": False,
        "focused": True,
    }
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="My journey")).to_be_hidden()

    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="My journey")).to_be_visible()
    assert menu_node(page)["expanded"] is True
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="My goals")).to_be_focused()
    # The open menu keeps the bar, and help, where they were.
    expect(page.get_by_role("link", name="Need help now?").first).to_be_in_viewport()

    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="My journey")).to_be_hidden()
    expect(summary).to_be_focused()

    page.keyboard.press("Space")
    expect(menu.get_by_role("link", name="Privacy")).to_be_visible()
    menu.get_by_role("link", name="Privacy").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/privacy/")
    # Where the person is, in the menu: the page's link is marked.
    page.keyboard.press("Tab")
    summary.focus()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Privacy")).to_have_attribute(
        "aria-current", "page"
    )


def test_a_tap_outside_the_open_menu_closes_it(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.member.username)
    page.goto("/today/")
    page.locator("details.menu > summary").click()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="My goals")).to_be_visible()

    page.get_by_role("heading", name="Today's check-in").click()

    expect(menu.get_by_role("link", name="My goals")).to_be_hidden()


def test_a_confirmation_goes_away_with_the_next_action(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.member.username)
    page.goto("/goals/new/")
    page.get_by_label("My goal").fill("Cook a meal for a friend")
    page.get_by_label("Life area").select_option(label="Social life and leisure")
    page.get_by_role("button", name="Set this goal").click()
    confirmation = page.get_by_text(
        "Your goal is set. What could a first small step be?"
    )
    expect(confirmation).to_be_visible()

    # The bell asking for news by itself is no action of the person's.
    with page.expect_response(lambda r: "/notifications/bell" in r.url):
        page.evaluate("() => htmx.trigger(document.getElementById('bell'), 'poll')")
    expect(confirmation).to_be_visible()

    page.get_by_label("A small next step").fill("Choose a recipe")
    page.get_by_role("button", name="Add step").click()
    expect(page.get_by_role("button", name="Done: Choose a recipe")).to_be_visible()
    expect(confirmation).to_have_count(0)
    expect(page.locator("#announce")).to_have_text("Added the step “Choose a recipe”.")
