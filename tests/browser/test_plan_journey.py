"""Maya writes her safety plan on a phone, finds it again from the crisis page in one
tap, and prints it: one page, with only the plan on it."""

import re

import pytest
from playwright.sync_api import expect

from goals import plans
from goals.demo.plans import SAFETY_PLAN, WELLNESS_PLAN
from goals.models import PlanItem, PlanKind
from tests.browser.a11y import reflow_problems, set_text_zoom
from tests.browser.menu import go_by_menu
from tests.browser.test_member_journey import sign_in
from tests.factories import MemberFactory, WellnessToolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Paper sizes Chromium prints to; a plan must fit one page of either.
PAPERS = ["Letter", "A4"]


def printed_pages(page, paper: str) -> int:
    """How many pages the page prints to (Chromium's own PDF, print media)."""
    pdf = page.pdf(format=paper, print_background=False)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def write_whole_plan(member, kind, sittings) -> None:
    """A full plan, as long as the demo's: every part written."""
    for sitting in sittings:
        for section, entries in sitting.items():
            for text, phone in entries:
                plans.plan_item_add(
                    member=member, kind=kind, section=section, text=text, phone=phone
                )


def test_maya_writes_her_safety_plan_finds_it_from_the_crisis_page_and_prints_it(
    phone_page, screenshot
):
    page = phone_page
    maya = MemberFactory(username="maya-plan", first_name="Maya")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, maya.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maya")

    page.get_by_role("link", name="My safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    page.evaluate("window.__samePage = true")

    # Each part takes a few words and an Add, in place (htmx).
    page.get_by_label("A reason of mine").fill("My nephew Leo")
    page.get_by_role("button", name="Add to My reasons for living").click()
    reasons = page.locator("#section-reasons")
    expect(reasons.get_by_role("listitem")).to_have_count(1)
    expect(page.locator("#announce")).to_have_text("Added “My nephew Leo”.")
    # Ready for the next one: the box is empty and has the focus.
    expect(page.get_by_label("A reason of mine")).to_be_focused()
    page.get_by_label("A reason of mine").fill("The sea in spring")
    page.keyboard.press("Enter")
    expect(reasons.get_by_role("listitem")).to_have_count(2)

    page.get_by_label("A warning sign").fill("Lying awake past three")
    page.get_by_role("button", name="Add to My warning signs").click()
    page.get_by_label("Something I can do on my own").fill("A hot shower")
    page.get_by_role("button", name="Add to Things I can do on my own").click()
    helpers = page.locator("#section-helpers")
    helpers.get_by_label("A person I can ask").fill("Jo, my sister")
    helpers.get_by_label("Phone number").fill("call her")
    page.get_by_role("button", name="Add to People I can ask for help").click()
    expect(helpers).to_contain_text("That does not look like a phone number.")
    expect(helpers.get_by_label("A person I can ask")).to_have_value("Jo, my sister")
    helpers.get_by_label("Phone number").fill("555 0142")
    page.get_by_role("button", name="Add to People I can ask for help").click()
    expect(helpers.get_by_role("link", name="555 0142")).to_have_attribute(
        "href", "tel:5550142"
    )
    # The programme's crisis line, in one tap.
    page.get_by_role("button", name="Add “988 Suicide & Crisis Lifeline (US)”").click()
    professionals = page.locator("#section-professionals")
    expect(professionals.get_by_role("link", name="988", exact=True)).to_have_attribute(
        "href", "tel:988"
    )
    expect(professionals).to_contain_text("In your plan")
    page.get_by_label("A way to make things safer").fill("Jo keeps my spare pills")
    page.get_by_role("button", name="Add to Making my surroundings safer").click()
    expect(page.locator("#section-safer")).to_contain_text("Jo keeps my spare pills")

    # The sea first: moved up in place.
    reasons.get_by_role("button", name="Move up “The sea in spring”").click()
    expect(reasons.get_by_role("listitem").first).to_contain_text("The sea in spring")
    assert page.evaluate("window.__samePage === true")
    assert list(
        PlanItem.objects.filter(section="reasons")
        .order_by("position")
        .values_list("text", flat=True)
    ) == ["The sea in spring", "My nephew Leo"]
    screenshot("plan-safety-written")

    # Later, somewhere else in the planner: "Need help now?", then one tap.
    go_by_menu(page, "My goals")
    page.get_by_role("link", name="Need help now?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent help, any time")
    screenshot("plan-crisis-page")
    page.get_by_role("link", name="My safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    expect(page.locator("#section-helpers")).to_contain_text("Jo, my sister")

    # On paper: the plan alone, on one page.
    expect(page.get_by_role("button", name="Print my plan")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(
        page.get_by_role("button", name="Add to My reasons for living")
    ).to_be_hidden()
    expect(
        page.get_by_role("button", name="Move down “The sea in spring”")
    ).to_be_hidden()
    expect(page.locator("#section-reasons .plan-words").first).to_have_text(
        "The sea in spring"
    )
    expect(helpers.get_by_role("link", name="555 0142")).to_be_visible()
    for paper in PAPERS:
        assert printed_pages(page, paper) == 1, paper
    page.emulate_media(media="screen")
    expect(page.locator(".site-header")).to_be_visible()
    assert errors == []


@pytest.mark.parametrize(
    ("kind", "sittings", "path"),
    [
        (PlanKind.SAFETY, SAFETY_PLAN, "/safety-plan/"),
        (PlanKind.WELLNESS, WELLNESS_PLAN, "/wellness-plan/"),
    ],
    ids=["safety", "wellness"],
)
def test_a_whole_plan_prints_on_one_page(phone_page, kind, sittings, path):
    page = phone_page
    maya = MemberFactory(username="maya-print", first_name="Maya")
    for name in ("A walk by the river", "Calling Jo", "Choir", "Baking bread"):
        WellnessToolFactory(member=maya, name=name, description="when I can")
    write_whole_plan(maya, kind, sittings)
    sign_in(page, maya.username)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(path)
    page.emulate_media(media="print")

    # Every part is on paper, each with its words.
    for section in plans.plan_sheet(maya, kind).sections:
        part = page.locator(f"#section-{section.key}")
        expect(part.get_by_role("heading", name=section.title)).to_be_visible()
        for item in section.items:
            expect(part).to_contain_text(item.text)
    for paper in PAPERS:
        assert printed_pages(page, paper) == 1, paper


def test_the_plan_works_without_javascript(browser, live_server):
    """Every button is a plain form: with scripts off, adding and moving still
    work, and the page comes back to the part that changed."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    page = context.new_page()
    maya = MemberFactory(username="maya-nojs", first_name="Maya")
    sign_in(page, maya.username)
    page.goto("/safety-plan/")
    # Without a script there is no Print button; the page says how instead.
    expect(page.get_by_role("button", name="Print my plan")).to_be_hidden()
    expect(page.get_by_text("To keep it on paper, print this page")).to_be_visible()

    for words in ("Finishing my course", "My nephew Leo"):
        page.get_by_label("A reason of mine").fill(words)
        page.get_by_role("button", name="Add to My reasons for living").click()
        expect(page.get_by_text(f"Added “{words}”.")).to_be_visible()
    assert page.url.endswith("/safety-plan/#section-reasons")
    page.get_by_role("button", name="Move up “My nephew Leo”").click()
    expect(page.locator("#section-reasons li").first).to_contain_text("My nephew Leo")
    context.close()


def test_at_390px_with_text_at_200pc_nothing_is_cut_off(phone_page):
    """The phone of the journey above, its text-size setting doubled: a whole plan,
    a long unbroken link and a long phone number among it, still fits."""
    page = phone_page
    maya = MemberFactory(username="maya-zoom", first_name="Maya")
    WellnessToolFactory(member=maya, name="A walk by the river")
    write_whole_plan(maya, PlanKind.SAFETY, SAFETY_PLAN)
    write_whole_plan(maya, PlanKind.WELLNESS, WELLNESS_PLAN)
    item = plans.plan_item_add(
        member=maya,
        kind=PlanKind.SAFETY,
        section="professionals",
        text="https://www.example.org/information-support/crisis-lines-near-you",
        phone="+44 (0) 20 7946 0000 - 1234",
    )
    sign_in(page, maya.username)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    found = []
    for path in (
        "/safety-plan/",
        "/wellness-plan/",
        f"/plan-items/{item.pk}/edit/",
        "/safety-plan/versions/",
        f"/plan-versions/{item.plan.versions.get().pk}/",
        "/crisis/",
    ):
        page.goto(path)
        set_text_zoom(page, 200)
        found += [f"{path}: {problem}" for problem in reflow_problems(page)]
    assert found == []


def test_focus_follows_the_person_and_is_never_pulled_away(phone_page):
    """After Add, the focus is in the box for the next item; an item moved to the
    top keeps it on its other move button; and an answer arriving late never pulls
    the focus from another part's box the person moved on to."""
    page = phone_page
    maya = MemberFactory(username="maya-focus", first_name="Maya")
    for words in ("My nephew Leo", "The sea in spring"):
        plans.plan_item_add(
            member=maya, kind=PlanKind.SAFETY, section="reasons", text=words
        )
    sign_in(page, maya.username)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/safety-plan/")

    page.get_by_role("button", name="Move up “The sea in spring”").click()
    expect(
        page.get_by_role("button", name="Move down “The sea in spring”")
    ).to_be_focused()

    page.get_by_label("A warning sign").fill("Lying awake")
    page.get_by_role("button", name="Add to My warning signs").click()
    expect(page.locator("#announce")).to_have_text("Added “Lying awake”.")
    expect(page.get_by_label("A warning sign")).to_be_focused()

    # A slow answer: the person has moved on to the next part meanwhile.
    def slowly(route):
        page.wait_for_timeout(800)
        route.continue_()

    page.route("**/safety-plan/items/", slowly)
    page.get_by_label("A warning sign").fill("Not eating")
    page.get_by_role("button", name="Add to My warning signs").click()
    page.get_by_label("Something I can do on my own").fill("A hot shower")
    expect(page.locator("#announce")).to_have_text("Added “Not eating”.")
    expect(page.get_by_label("Something I can do on my own")).to_be_focused()
    expect(page.get_by_label("Something I can do on my own")).to_have_value(
        "A hot shower"
    )
