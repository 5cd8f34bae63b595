"""The chart of a questionnaire's totals (goals.measure_history.totals_chart):
on the questionnaire's whole range, points clear of the axis's numbers, and at
most four days written under it, always the latest."""

import datetime

from goals.measure_history import FRAME, INSET, totals_chart
from goals.measures import BARC_10
from goals.models import MeasureResult


def results(totals):
    start = datetime.date(2026, 1, 1)
    return [
        MeasureResult(measure=BARC_10.key, total=t, day=start + datetime.timedelta(n))
        for n, t in enumerate(totals)
    ]


def test_the_whole_range_from_lowest_to_highest():
    chart = totals_chart(BARC_10, results([10, 60]))
    low, high = chart.dots
    assert [value for value, _y in chart.gridlines] == [10, 35, 60]
    assert low.y == chart.gridlines[0][1] == chart.frame.baseline
    assert high.y == chart.gridlines[-1][1] < low.y
    assert chart.frame.baseline < FRAME.height


def test_points_stand_clear_of_the_axis_and_in_order():
    chart = totals_chart(BARC_10, results([20, 30, 40]))
    xs = [dot.x for dot in chart.dots]
    assert xs == sorted(xs)
    assert xs[0] == FRAME.left + INSET
    assert xs[-1] == chart.frame.plot_right - INSET
    assert chart.points.startswith(f"{xs[0]},")


def test_one_total_stands_in_the_middle():
    (dot,) = totals_chart(BARC_10, results([37])).dots
    assert dot.x == (FRAME.left + FRAME.plot_right) / 2
    assert dot.label_day


def test_at_most_four_days_are_written_under_it_and_always_the_latest():
    for count in range(1, 13):
        dots = totals_chart(BARC_10, results([30] * count)).dots
        labelled = [dot for dot in dots if dot.label_day]
        assert 1 <= len(labelled) <= 4
        assert dots[-1].label_day
