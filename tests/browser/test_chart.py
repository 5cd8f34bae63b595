"""The journey's chart on a phone: its words at least 12 px as drawn (the chart
stretches to the screen, its words do not shrink with it), inside the chart and
clear of each other, with the days' marks and a text alternative."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goals.models import EventKind, JourneyEvent
from tests.browser.a11y import NARROW, PHONE, set_text_zoom
from tests.browser.test_accessibility import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = """() => {
  const svg = document.querySelector('svg.chart-plot');
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map((text) => {
    const rect = text.getBoundingClientRect();
    return {
      text: text.textContent,
      kind: text.getAttribute('class'),
      // The size as drawn: the font size in the SVG's units, times its scale.
      px: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
      inside: rect.left >= box.left - 0.5 && rect.right <= box.right + 0.5
        && rect.top >= box.top - 0.5 && rect.bottom <= box.bottom + 0.5,
      left: rect.left, right: rect.right,
    };
  });
}"""


def labels(page) -> list[dict]:
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("size", [PHONE, NARROW], ids=["390px", "320px"])
def test_the_charts_words_are_readable_on_a_phone(phone_page, programme, size):
    page, p = phone_page, programme
    # The step done two days before the goal achieved: a mark of each kind.
    JourneyEvent.objects.filter(kind=EventKind.STEP_DONE).update(
        occurred_at=timezone.now() - datetime.timedelta(days=2)
    )
    page.set_viewport_size(size)
    signed_in(page, p.member.username)
    page.goto("/timeline/?period=4w")
    expect(page.locator("svg.chart-plot")).to_be_visible()

    found = labels(page)

    dates = [label for label in found if "date" in label["kind"]]
    assert len(dates) == 4
    assert {label["text"] for label in found} >= {"0", "5", "10", "✓", "★"}
    for label in found:
        assert label["px"] >= 12, f"{label['text']!r} is {label['px']:.1f} px"
        assert label["inside"], f"{label['text']!r} runs out of the chart"
    for left, right in zip(dates, dates[1:], strict=False):
        assert left["right"] <= right["left"], f"{left['text']} meets {right['text']}"


def test_the_charts_words_grow_with_the_readers_text_size(phone_page, programme):
    page, p = phone_page, programme
    signed_in(page, p.member.username)
    page.goto("/timeline/?period=4w")
    before = {label["text"]: label["px"] for label in labels(page)}
    set_text_zoom(page, 200)
    after = {label["text"]: label["px"] for label in labels(page)}
    assert after["10"] == pytest.approx(2 * before["10"])
