"""Accessibility checks for the browser tests: axe-core, reflow, focus.

axe-core is vendored (tests/browser/vendor/README.md). It reaches the page as a
same-origin script: the browser context answers a made-up URL on the live server with
the vendored file (`context.route`), and `page.add_script_tag(url=...)` loads it. Our
CSP (`script-src 'self' 'nonce-…'`) allows that, so pages are audited with their CSP
on, as people get them. `add_script_tag(path=...)` would not do: Playwright inlines the
file, and the CSP refuses an inline script without the nonce; `bypass_csp=True` would
work but would audit a page the CSP no longer guards.
"""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
JS = HERE / "js"
# One file, its version in its name; updating it is dropping in the new one.
(AXE_FILE,) = sorted(VENDOR.glob("axe-core-*.min.js"))
AXE_URL = "/__a11y__/axe.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what the product promises. axe's best
# practices too: its checks of landmarks, heading order and unique names live there.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 720}
# 200% text: a 1280 px desktop at 200% page zoom lays out 640 CSS px, and the root
# font-size doubled on top is what a browser's or phone's text-size setting does
# (every size here is in rem). See reflow_problems().
ZOOMED = {"width": 640, "height": 900}


def serve_axe(context: BrowserContext) -> None:
    """Answer AXE_URL on every page of this context with the vendored axe-core."""
    context.route(
        f"**{AXE_URL}",
        lambda route: route.fulfill(path=AXE_FILE, content_type="text/javascript"),
    )


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now: the WCAG 2.2 A and AA rules and axe's
    best practices."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "),
                    summary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )


def describe_violations(where: str, violations: list[dict]) -> str:
    """A report a person can fix things from: rule, impact, help, and each node."""
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      {node['target']}  -- {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"      … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


REFLOW_SCRIPT = (JS / "reflow.js").read_text()


def reflow_problems(page: Page) -> list[str]:
    """Sideways scrolling and text running out of the viewport, as it is now."""
    return page.evaluate(REFLOW_SCRIPT)


def set_text_zoom(page: Page, percent: int) -> None:
    """Text-only zoom: the root font-size, as a browser's text-size setting sets it.
    (Through the CSSOM, which the CSP allows, unlike an injected <style>.)"""
    page.evaluate(
        "(p) => { document.documentElement.style.fontSize = p + '%'; }", percent
    )


def open_all_details(page: Page) -> None:
    page.evaluate(
        "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
    )


FOCUS_SCRIPT = (JS / "focused.js").read_text()


def focused(page: Page) -> dict | None:
    """What has the keyboard focus, with its label and whether focus shows."""
    return page.evaluate(FOCUS_SCRIPT)


def settled(page: Page) -> None:
    """Wait until htmx has finished swapping and settling: only then are the new
    elements wired up (until then a button press would be a plain POST)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
