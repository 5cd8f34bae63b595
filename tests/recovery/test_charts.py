"""The geometry the charts share (recovery.charts): scales inside their frame's
padding, lines broken where a day is missing, bars in their slots, and labels that
never touch, stay inside, and always name the latest."""

import pytest

from recovery.charts import (
    Frame,
    Label,
    Scale,
    anchors,
    bands,
    evenly,
    every_nth_from_last,
    fit_text,
    polyline,
    runs,
    spaced,
    sparkline,
    text_width,
)

FRAME = Frame(200, 100, top=10, right=20, bottom=30, left=40)


class TestFrame:
    def test_the_plot_is_the_box_less_its_padding(self):
        assert (FRAME.plot_width, FRAME.plot_height) == (140, 60)
        assert (FRAME.plot_right, FRAME.baseline) == (180, 70)

    def test_across_runs_left_to_right_over_the_plot(self):
        x = FRAME.across(0, 10)
        assert [x(0), x(5), x(10)] == [40, 110, 180]

    def test_an_inset_keeps_the_ends_clear_of_the_edges(self):
        x = FRAME.across(0, 10, inset=15)
        assert [x(0), x(10)] == [55, 165]

    def test_upward_puts_the_lowest_value_on_the_baseline_and_the_highest_on_top(
        self,
    ):
        y = FRAME.upward(10, 60)
        assert [y(10), y(35), y(60)] == [70, 40, 10]


class TestScale:
    def test_positions_are_rounded_to_a_tenth(self):
        assert Scale(0, 3, 0, 100)(1) == 33.3
        assert Scale(0, 3, 0, 100, digits=2)(1) == 33.33

    def test_one_value_alone_stands_in_the_middle(self):
        assert Scale(5, 5, 40, 180)(5) == 110
        assert FRAME.upward(7, 7)(7) == 40

    def test_values_outside_the_range_go_past_the_ends(self):
        # A caller that fixes the range (a full caseload at 100) sees it.
        assert Scale(0, 100, 0, 200)(150) == 300


class TestLines:
    def test_a_gap_breaks_the_line_and_a_lone_day_is_a_run_of_one(self):
        days = [1, 2, 3, 5, 8, 9]
        assert runs(days, joined=lambda a, b: b - a == 1) == [[1, 2, 3], [5], [8, 9]]

    def test_nothing_makes_no_runs(self):
        assert runs([], joined=lambda a, b: True) == []

    def test_polyline_points(self):
        assert polyline([(1.0, 2.5), (3, 4)]) == "1.0,2.5 3,4"

    def test_a_sparkline_spans_its_frame_between_its_padding(self):
        line = sparkline(
            [0, 5, 10], frame=Frame(96, 24, top=2, bottom=2), low=0, high=10
        )
        assert line.points == "0.0,22.0 48.0,12.0 96.0,2.0"

    def test_a_sparkline_of_one_value_is_a_level_line_and_of_none_is_empty(self):
        frame = Frame(96, 24, top=2, bottom=2)
        assert (
            sparkline([5], frame=frame, low=0, high=10).points == "0.0,12.0 96.0,12.0"
        )
        assert sparkline([], frame=frame, low=0, high=10).points == ""


class TestBars:
    def test_bars_share_the_plot_evenly_with_a_gap_between_them(self):
        first, second = bands(2, start=0, end=200)
        assert (first.slot, first.x, first.width, first.middle) == (100, 15, 70, 50)
        assert (second.x, second.middle) == (115, 150)
        assert first.x + first.width < second.x

    def test_no_bars_no_slots(self):
        assert bands(0, start=8, end=600) == []


class TestLabels:
    def test_a_labels_width_grows_with_its_letters_and_its_font(self):
        assert text_width("Jun", 10) == pytest.approx(3 * 0.62 * 10)
        assert text_width("June", 10) > text_width("Jun", 10)
        assert text_width("Jun", 20) == 2 * text_width("Jun", 10)

    def test_a_name_is_cut_to_its_room_with_an_ellipsis(self):
        assert fit_text("Sam", 100, 10) == "Sam"
        cut = fit_text("Alexandria Featherstonehaugh", 50, 10)
        assert cut.endswith("…") and text_width(cut, 10) <= 50
        assert fit_text("Alexandria", 15, 10) == ""  # not even two letters fit

    @staticmethod
    def wanted(texts, step, font=16):
        return [
            Label(text, 8 + step * n + step / 2, width=text_width(text, font))
            for n, text in enumerate(texts)
        ]

    def test_spaced_labels_never_touch_and_the_latest_is_kept(self):
        wanted = self.wanted([f"{n} Jun" for n in range(10, 22)], step=49)

        kept = spaced(wanted, left=0, right=600, gap=8)

        assert kept[-1].text == "21 Jun"
        assert 1 < len(kept) < len(wanted)
        for left, right in zip(kept, kept[1:], strict=False):
            assert right.x - left.x >= (left.width + right.width) / 2 + 8

    def test_labels_that_fit_are_all_kept(self):
        wanted = self.wanted(["Jan", "Feb", "Mar"], step=100)
        assert spaced(wanted, left=0, right=600, gap=8) == wanted

    def test_a_label_at_the_edge_moves_just_inside(self):
        edge = Label("Saturday", 595, width=text_width("Saturday", 16))

        (kept,) = spaced([edge], left=0, right=600, gap=8)

        assert kept.x + kept.width / 2 == pytest.approx(600, abs=0.05)

    def test_each_line_of_labels_is_spaced_on_its_own(self):
        wanted = [
            Label("Dec", 280, width=50),
            Label("Jan", 320, width=50),
            Label("2025", 280, line=1, width=60),
            Label("2026", 320, line=1, width=60),
        ]

        kept = spaced(wanted, left=0, right=600, gap=8)

        assert [(lb.text, lb.line) for lb in kept] == [("Jan", 0), ("2026", 1)]

    @pytest.mark.parametrize("span", [0, 1, 2, 3, 6, 27, 90, 364])
    def test_evenly_spread_steps_include_both_ends(self, span):
        steps = evenly(span, 4)
        assert steps[0] == 0 and steps[-1] == span
        assert len(steps) == min(4, span + 1)
        assert steps == sorted(set(steps))

    def test_the_first_and_last_labels_of_an_axis_are_anchored_inside(self):
        assert anchors(4) == ["start", "middle", "middle", "end"]
        assert anchors(2) == ["start", "end"]
        assert anchors(1) == ["middle"]

    @pytest.mark.parametrize("count", range(1, 25))
    def test_every_nth_from_the_last_names_at_most_so_many_and_the_latest(self, count):
        named = every_nth_from_last(count, 4)
        assert len(named) == count
        assert named[-1]
        assert 1 <= sum(named) <= 4
