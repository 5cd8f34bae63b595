"""Keyboard only: no mouse, just Tab, Shift+Tab, Space, Enter and the arrow keys.

At every stop the focused control must have a name (its label), show that it has
focus (a computed outline or box-shadow) and not be hidden under anything (WCAG
2.4.7, 2.4.11, 4.1.2). After an htmx swap focus must land on something sensible,
never on <body>, and the live region #announce must say what happened.
"""

import re

import pytest
from playwright.sync_api import expect

from goals.models import CheckIn, Step
from tests.browser.a11y import focused, settled
from tests.browser.test_accessibility import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_focus_shows(stop: dict | None, where: str) -> dict:
    assert stop is not None, f"{where}: focus fell back to <body>"
    what = f"{where}: <{stop['tag']}> {stop['label']!r}"
    assert stop["label"], f"{what} has no name"
    assert stop["outline"] or stop["shadow"], f"{what} shows no focus"
    assert stop["inView"] and stop["onTop"], f"{what} is hidden when focused"
    return stop


def tab(page, where: str, *, back: bool = False) -> dict:
    page.keyboard.press("Shift+Tab" if back else "Tab")
    stop = assert_focus_shows(focused(page), where)
    # The name a screen reader says, as the browser computes it.
    expect(page.locator(":focus")).to_have_accessible_name(re.compile(r"\w"))
    return stop


def tab_to(page, is_it, where: str, *, back=False, limit=60) -> list[dict]:
    """Tab until `is_it(stop)`; every stop on the way must pass. Returns the stops."""
    stops = []
    for _ in range(limit):
        stops.append(tab(page, where, back=back))
        if is_it(stops[-1]):
            return stops
    raise AssertionError(
        f"{where}: not reached in {limit} presses of Tab; stops: "
        + ", ".join(s["label"][:30] for s in stops)
    )


def skip_to_main(page, where: str) -> None:
    """From the top of a freshly loaded page: the skip link comes first."""
    stop = tab(page, where)
    assert stop["label"] == "Skip to main content", (
        f"{where}: the first Tab reached {stop['label']!r}, not the skip link"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_member_checks_in_by_keyboard_alone(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.member.username)
    page.goto("/check-in/")
    skip_to_main(page, "check-in")

    # The wellbeing scale: one Tab stop for the group; arrows choose.
    stop = tab(page, "check-in")
    assert (stop["type"], stop["group"]) == (
        "radio",
        "Overall, how are you doing today?",
    )
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    stop = assert_focus_shows(focused(page), "wellbeing 7")
    assert stop["label"] == "7"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    # Shift+Tab leaves the group backwards, Tab comes back to the chosen number.
    tab(page, "check-in", back=True)
    stop = tab(page, "check-in")
    assert (stop["group"], stop["label"]) == ("Overall, how are you doing today?", "7")

    stop = tab(page, "check-in")
    assert (stop["type"], stop["group"]) == ("radio", "How hopeful do you feel?")
    for _ in range(8):
        page.keyboard.press("ArrowRight")
    assert focused(page)["label"] == "8"

    # Then the link to the privacy page, the tools, the optional part, the wish to
    # talk and Save, in this order.
    stops = tab_to(page, lambda s: s["tag"] == "summary", "check-in")
    labels = [s["label"] for s in stops]
    assert labels[0] == "privacy page"
    tools = [s for s in stops if s["group"] == "What helped today?"]
    assert [s["label"] for s in tools] == ["A walk by the river", "Calling my sister"]
    assert labels[-1] == "Add more (optional)"

    page.keyboard.press("Enter")  # opens the <details>
    stop = tab(page, "check-in, more")
    assert stop["label"] == "A few words for how you feel (optional)"
    page.keyboard.type("Steady")
    stops = tab_to(page, lambda s: s["tag"] == "button", "check-in, more")
    assert [s["label"] for s in stops] == [
        "Today had a setback",
        "Journal note (optional)",
        "Share this note with my supporter",
        "I'd like to talk with my supporter",
        "Save check-in",
    ]
    tab(page, "check-in", back=True)
    page.keyboard.press("Space")  # ticks "I'd like to talk"
    # Back to the tools with Shift+Tab, past what came before: tick the first one.
    stops = tab_to(
        page, lambda s: s["label"] == "A walk by the river", "check-in", back=True
    )
    assert [s["label"] for s in stops] == [
        "Share this note with my supporter",
        "Journal note (optional)",
        "Today had a setback",
        "A few words for how you feel (optional)",
        "Add more (optional)",
        "Calling my sister",
        "A walk by the river",
    ]
    page.keyboard.press("Space")

    tab_to(page, lambda s: s["label"] == "Save check-in", "check-in")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    checkin = CheckIn.objects.get(member=p.member, day=p.member.local_date())
    assert (checkin.wellbeing, checkin.hope) == (7, 8)
    assert checkin.feelings == "Steady"
    assert checkin.wants_to_talk
    assert [t.name for t in checkin.tools_used.all()] == ["A walk by the river"]


def test_a_supporter_encourages_a_member_by_keyboard_alone(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.supporter.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    skip_to_main(page, "caseload")
    # The search comes first (a name, a reason, Find), then the members.
    stops = tab_to(page, lambda s: s["label"] == "Maya", "caseload")
    assert [s["label"] for s in stops[:-1]][0] == "Name"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya")

    skip_to_main(page, "member")
    # Each field and button says which check-in it answers.
    stop = tab_to(
        page, lambda s: s["label"].startswith("Encourage: check-in"), "member"
    )[-1]
    day = p.member.checkins.filter(skipped=False).latest("day").day
    assert stop["label"] == f"Encourage: check-in of {day:%a %-d %b}"
    page.keyboard.press("Enter")  # the moment's fold opens on its form
    stop = tab(page, "member")
    assert stop["label"] == f"A few encouraging words: check-in of {day:%a %-d %b}"
    page.keyboard.type("Thank you for telling me.")
    stop = tab(page, "member")
    assert stop["label"] == f"Send encouragement: check-in of {day:%a %-d %b}"
    page.keyboard.press("Enter")

    expect(page.locator("#announce")).to_have_text("Your encouragement is on its way.")
    settled(page)
    # Focus moves to the reply that took the form's place; Tab carries on from it.
    stop = assert_focus_shows(focused(page), "after sending")
    assert stop["label"] == "You: Thank you for telling me."
    assert tab(page, "after sending")["label"].startswith("Encourage: check-in")

    # "Load earlier moments": focus goes to the first of the moments loaded (its date).
    tab_to(page, lambda s: s["label"] == "Load earlier moments", "member")
    shown = page.locator("ol.timeline > li.event").count()
    page.keyboard.press("Enter")
    expect(page.locator("ol.timeline > li.event")).not_to_have_count(shown)
    settled(page)
    assert_focus_shows(focused(page), "after loading earlier moments")
    assert page.evaluate(
        "(n) => document.querySelectorAll('ol.timeline > li.event')[n]"
        ".contains(document.activeElement)",
        shown,
    ), "focus is not on the first of the moments loaded"


def test_a_member_ticks_and_adds_steps_by_keyboard_alone(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.member.username)
    page.goto(f"/goals/{p.goal.pk}/")
    skip_to_main(page, "goal")
    name = f"Done: {p.open_step.title}"
    tab_to(page, lambda s: s["label"] == name, "goal")
    toggle_id = f"step-toggle-{p.open_step.pk}"
    assert focused(page)["id"] == toggle_id

    page.keyboard.press("Space")
    expect(page.locator(f"#{toggle_id}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#announce")).to_have_text(f"“{p.open_step.title}” is done.")
    settled(page)
    # htmx gives focus back to the element with the same id after the swap.
    assert assert_focus_shows(focused(page), "after ticking")["id"] == toggle_id
    assert Step.objects.get(pk=p.open_step.pk).done

    page.keyboard.press("Enter")
    expect(page.locator(f"#{toggle_id}")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#announce")).to_have_text(
        f"“{p.open_step.title}” is open again."
    )
    settled(page)
    assert focused(page)["id"] == toggle_id

    # A new step: typed, then "Add step" pressed; focus lands in the step's box,
    # empty and ready for the next one.
    tab_to(page, lambda s: s["label"] == "A small next step", "goal")
    page.keyboard.type("Pack water")
    stop = tab(page, "goal")
    assert stop["label"] == "Add step"
    page.keyboard.press("Enter")
    expect(page.locator("#announce")).to_have_text("Added the step “Pack water”.")
    settled(page)
    after = assert_focus_shows(focused(page), "after adding")
    assert after["label"] == "A small next step"
    # And Enter in the field keeps focus in the field, ready for the next one.
    page.keyboard.type("Fill the bottle")
    page.keyboard.press("Enter")
    expect(page.locator("#announce")).to_have_text("Added the step “Fill the bottle”.")
    assert focused(page)["label"] == "A small next step"
