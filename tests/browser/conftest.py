"""Real-browser journeys: Playwright's Python package driving Debian's Chromium.

Where no Chromium is installed the journeys are skipped with the reason shown,
unless REQUIRE_BROWSER=1 (CI sets it), which turns a missing browser into a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls
# (making people, reading rows) are plain synchronous code around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make test installs it)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _browser_missing()
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh phone-sized browser tab on the live test server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def programme(settings):
    """A small programme with something on every page (tests/browser/programme.py)."""
    from tests.browser.programme import TIMELINE_PAGE_SIZE, build_programme

    settings.TIMELINE_PAGE_SIZE = TIMELINE_PAGE_SIZE
    settings.SUPPORTER_JOURNEY_PAGE_SIZE = TIMELINE_PAGE_SIZE
    return build_programme()


@pytest.fixture
def screenshot(phone_page):
    """Save a full-page screenshot under var/screenshots/ for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        phone_page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take
