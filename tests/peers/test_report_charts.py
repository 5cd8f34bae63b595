"""The programme report's charts on a phone: labels under the bars never overlap
(their x positions at least a label's width apart), stay inside the chart, and the
week or month still running is drawn and said as "so far"."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from peers import report
from peers.report import Charts, SupporterLoad, bar_chart, label_width
from recovery.charts import Label
from tests.helpers import signed_in

NOW = datetime.datetime(2026, 6, 17, 12, tzinfo=datetime.UTC)  # a Wednesday


def assert_apart(labels: list[Label]) -> None:
    """Each line's labels, left to right, are at least their widths apart and
    inside the chart."""
    for line in {label.line for label in labels}:
        row = sorted((lb for lb in labels if lb.line == line), key=lambda lb: lb.x)
        for left, right in zip(row, row[1:], strict=False):
            assert right.x - left.x >= (left.width + right.width) / 2, (left, right)
        for label in row:
            assert label.x - label.width / 2 >= 0
            assert label.x + label.width / 2 <= report.FRAME.width


@pytest.fixture
def figures(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    return report.programme_figures(NOW)


def test_twelve_weeks_are_labelled_without_overlap_and_the_latest_keeps_its_own(
    figures,
):
    chart = Charts(figures).checkins
    first_line = [label for label in chart.labels if label.line == 0]

    assert_apart(chart.labels)
    # "15 Jun" is wider than a twelfth of the chart: every second week, counted
    # back from this one, so this week is always named.
    assert [label.text for label in first_line][-1] == "15 Jun"
    assert len(first_line) == 6
    assert [lb.text for lb in chart.labels if lb.line == 1] == ["so far"]


def test_the_current_week_is_marked_as_this_week_so_far(figures):
    weeks = figures.checkins_per_week
    chart = Charts(figures).checkins

    assert [week.partial for week in weeks] == [False] * 11 + [True]
    assert [bar.partial for bar in chart.bars] == [False] * 11 + [True]


@pytest.mark.parametrize("chart_name", ["goals", "contacts"])
def test_twelve_months_are_each_named_with_the_year_where_it_turns(figures, chart_name):
    chart = getattr(Charts(figures), chart_name)

    assert_apart(chart.labels)
    assert [lb.text for lb in chart.labels if lb.line == 0] == [
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    ]  # fmt: skip
    assert [lb.text for lb in chart.labels if lb.line == 1] == [
        "2025",
        "2026",
        "so far",
    ]
    assert chart.bars[-1].partial and not chart.bars[-2].partial


def test_a_second_line_that_would_touch_its_neighbour_gives_way_to_the_latest():
    # January's year and February's "so far" side by side on a narrow chart.
    values = [(f"M{n}", n) for n in range(24)]
    second = [""] * 22 + ["2027", "so far"]

    chart = bar_chart(values, second_lines=second, partial=[False] * 23 + [True])

    assert_apart(chart.labels)
    assert [lb.text for lb in chart.labels if lb.line == 1] == ["so far"]


@pytest.mark.parametrize("supporters", [1, 5, 12, 30, 80])
def test_supporters_names_are_cut_to_their_bar_and_never_overlap(supporters):
    loads = [
        SupporterLoad(f"Alexandria Featherstonehaugh {n}", n % 4, 4)
        for n in range(supporters)
    ]

    chart = report.load_chart(loads)

    assert_apart(chart.labels)
    slot = report.FRAME.plot_width / supporters
    for label in chart.labels:
        assert label.width <= slot
    if supporters == 1:
        assert chart.labels[0].text == "Alexandria Featherstonehaugh 0"
    elif supporters <= 12:  # room for a few letters each: every bar is named
        assert len(chart.labels) == supporters
        assert all(label.text.endswith("…") for label in chart.labels)


def test_values_are_left_to_the_table_when_they_cannot_fit_above_their_bars():
    narrow = bar_chart([(str(n), 1000 + n) for n in range(80)])
    roomy = bar_chart([(str(n), 1000 + n) for n in range(12)])

    assert not narrow.values_fit
    assert roomy.values_fit
    assert label_width("1011") < report.FRAME.plot_width / 12


def test_the_page_draws_the_placed_labels_and_says_so_far(figures, coordinator):
    response = signed_in(coordinator).get(reverse("peers:report"))
    text = html.unescape(response.content.decode())

    assert text.count('class="bar partial"') == 3
    assert "The last bar, drawn as an outline, is this week so far." in text
    assert text.count("The last bar, drawn as an outline, is this month so far.") == 4
    assert "(this week so far)</th>" in text
    assert text.count("(this month so far)</th>") == 2
    chart = Charts(figures).checkins
    checkins_svg = text.split('id="chart-checkins-title"')[1].split("</svg>")[0]
    drawn = re.findall(r'<text x="([\d.]+)"[^>]*class="axis"', checkins_svg)
    assert [float(x) for x in drawn] == [
        label.x for label in chart.labels if label.line == 0
    ]
