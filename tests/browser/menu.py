"""The header's "Menu", for journeys that go to a page behind it."""

from playwright.sync_api import Page, expect


def open_menu(page: Page) -> None:
    """Open the header's menu (a <details>), if it is not open already."""
    menu = page.locator("details.menu")
    if menu.get_attribute("open") is None:
        page.locator("details.menu > summary").click()
    expect(menu).to_have_attribute("open", "")


def go_by_menu(page: Page, name: str) -> None:
    """Follow the link called `name` in the header's menu."""
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def sign_out(page: Page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
