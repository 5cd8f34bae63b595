"""Text at 200% and a 320 px wide screen leave nothing cut off (WCAG 1.4.4, 1.4.10).

Every main page of each kind of person, with every <details> opened, is checked
twice: at 320x720 (1.4.10's width), and at 640 px with the root font-size doubled.
640 px is what a 1280 px desktop lays out at 200% page zoom; doubling the root
font-size on top is text-only zoom, as a browser's or phone's text-size setting
does it (all our sizes are in rem). At both, the page must not scroll sideways and
no text may run out of the viewport or be clipped. A wide data table may scroll
inside its own box (1.4.10 allows it for two-dimensional data): that box must fit.
"""

import datetime

import pytest
from django.urls import reverse

from goals import services as goal_services
from tests.browser.a11y import (
    NARROW,
    ZOOMED,
    open_all_details,
    reflow_problems,
    set_text_zoom,
)
from tests.browser.programme import (
    coordinator_pages,
    member_pages,
    public_pages,
    supporter_pages,
)
from tests.browser.test_accessibility import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "member": member_pages,
    "supporter": supporter_pages,
    "coordinator": coordinator_pages,
    "public": public_pages,
}


def member_states(p) -> list[tuple[str, str]]:
    """Pages in the states a member's actions leave them in: Undo where a step, a
    tool and a strength were (removed a moment ago), and a day missed being
    filled in. (Every page above also has its menu open: open_all_details.)"""
    goal_services.step_remove(step=p.open_step)
    goal_services.tool_remove(
        tool=p.member.wellness_tools.get(name="A walk by the river")
    )
    goal_services.strength_remove(strength=p.member.strengths.get(text="I cook well"))
    yesterday = p.member.local_date() - datetime.timedelta(days=1)
    return [
        ("goal-detail, Undo", reverse("goals:detail", args=[p.goal.pk])),
        ("tools, Undo", reverse("goals:tools")),
        ("strengths, Undo", reverse("goals:strengths")),
        ("check-in for a day missed", f"{reverse('goals:checkin')}?day={yesterday}"),
    ]


PAGES["member-states"] = member_states


@pytest.mark.parametrize("role", PAGES)
def test_nothing_is_cut_off_at_320px_or_with_200pc_text(phone_page, programme, role):
    page, p = phone_page, programme
    if role != "public":
        signed_in(page, getattr(p, role.removesuffix("-states")).username)
    found = []
    for name, path in PAGES[role](p):
        page.set_viewport_size(NARROW)
        page.goto(path)
        open_all_details(page)
        for problem in reflow_problems(page):
            found.append(f"{name} ({path}) at 320 px: {problem}")
        page.set_viewport_size(ZOOMED)
        set_text_zoom(page, 200)
        for problem in reflow_problems(page):
            found.append(f"{name} ({path}) at 640 px, text 200%: {problem}")
    if found:
        pytest.fail(
            f"{role}: content cut off or scrolling sideways:\n  " + "\n  ".join(found),
            pytrace=False,
        )
