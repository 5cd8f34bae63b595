"""The journey: keyset paging of moments and the wellbeing chart."""

import datetime

import pytest
from django.utils import timezone

from goals.models import CheckIn, EventKind
from goals.timeline import (
    Cursor,
    Marker,
    Point,
    Series,
    chart_geometry,
    journey_page,
    wellbeing_series,
)
from tests.factories import CheckInFactory, GoalFactory, JourneyEventFactory

pytestmark = pytest.mark.django_db


def moments(member, count, *, same_time=False):
    start = timezone.now() - datetime.timedelta(days=count)
    events = []
    for n in range(count):
        at = start if same_time else start + datetime.timedelta(hours=n)
        goal = GoalFactory(member=member, title=f"Goal {n}")
        events.append(JourneyEventFactory(goal=goal, occurred_at=at))
    return events


class TestJourneyPaging:
    def test_pages_walk_the_whole_history_newest_first_without_repeats(self, member):
        events = moments(member, 7)
        seen, before = [], None
        while True:
            page = journey_page(member=member, before=before, size=3)
            seen.extend(page.events)
            if page.earlier is None:
                break
            before = page.earlier
        assert [e.pk for e in seen] == [e.pk for e in reversed(events)]

    def test_moments_at_the_same_instant_are_neither_lost_nor_repeated(self, member):
        events = moments(member, 5, same_time=True)
        first = journey_page(member=member, before=None, size=2)
        second = journey_page(member=member, before=first.earlier, size=2)
        third = journey_page(member=member, before=second.earlier, size=2)
        pks = [e.pk for page in (first, second, third) for e in page.events]
        assert sorted(pks) == sorted(e.pk for e in events)
        assert len(set(pks)) == 5
        assert third.earlier is None

    def test_the_last_page_says_there_is_nothing_earlier(self, member):
        moments(member, 3)
        assert journey_page(member=member, before=None, size=3).earlier is None

    def test_only_the_members_own_moments(self, member, other_member):
        moments(other_member, 2)
        assert journey_page(member=member, before=None, size=10).events == []

    def test_a_cursor_survives_the_url_round_trip(self):
        cursor = Cursor(timezone.now(), 42)
        decoded = Cursor.decode(cursor.encode())
        assert decoded.pk == 42
        assert abs(decoded.occurred_at - cursor.occurred_at) < datetime.timedelta(
            microseconds=2
        )

    @pytest.mark.parametrize("value", ["", "abc", "1.x", "9" * 40 + ".1", None])
    def test_a_malformed_cursor_means_from_the_newest(self, value):
        assert Cursor.decode(value) is None


class TestWellbeingSeries:
    @pytest.fixture(autouse=True)
    def frozen_clock(self, time_machine):
        time_machine.move_to(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC))

    def make_days(self, member, days):
        today = datetime.date(2026, 6, 30)
        for n in range(days):
            CheckInFactory(
                member=member,
                day=today - datetime.timedelta(days=n),
                wellbeing=n % 11,
                hope=5,
            )

    def test_four_weeks_shows_each_day(self, member):
        self.make_days(member, 40)
        series = wellbeing_series(member=member, period="4w")
        assert series.grain == "day"
        assert len(series.points) == 28
        assert series.points == sorted(series.points, key=lambda p: p.day)

    def test_a_year_is_averaged_per_week(self, member):
        self.make_days(member, 70)
        series = wellbeing_series(member=member, period="1y")
        assert series.grain == "week"
        assert 10 <= len(series.points) <= 11
        assert all(p.day.weekday() == 0 for p in series.points)  # weeks start Monday

    def test_all_is_averaged_per_month(self, member):
        self.make_days(member, 70)
        series = wellbeing_series(member=member, period="all")
        assert series.grain == "month"
        assert [p.day for p in series.points] == [
            datetime.date(2026, 4, 1),
            datetime.date(2026, 5, 1),
            datetime.date(2026, 6, 1),
        ]
        june = CheckIn.objects.filter(member=member, day__month=6)
        expected = sum(c.wellbeing for c in june) / june.count()
        assert series.points[-1].wellbeing == pytest.approx(expected)

    def test_skipped_days_leave_no_point(self, member):
        CheckInFactory(member=member, day=datetime.date(2026, 6, 29))
        CheckInFactory(
            member=member,
            day=datetime.date(2026, 6, 30),
            skipped=True,
            wellbeing=None,
            hope=None,
        )
        assert len(wellbeing_series(member=member, period="4w").points) == 1

    def test_an_unknown_period_falls_back_to_three_months(self, member):
        assert wellbeing_series(member=member, period="forever").period == "3m"


def day(n: int) -> datetime.date:
    """Day n of June 2026."""
    return datetime.date(2026, 6, n)


def series_of(*points, grain="day", start=None, end=None, markers=()):
    points = [Point(d, w, h) for d, w, h in points]
    return Series(
        "4w",
        grain,
        points,
        start=start or (points[0].day if points else None),
        end=end or (points[-1].day if points else None),
        markers=list(markers),
    )


class TestChartGeometry:
    def test_ten_is_at_the_top_and_zero_at_the_bottom(self):
        chart = chart_geometry(series_of((day(1), 10, 0), (day(2), 0, 10)))
        first, second = chart.dots
        assert first.x < second.x
        assert first.wellbeing_y == second.hope_y < first.hope_y == second.wellbeing_y
        (zero, *_), *_, (ten, *_) = chart.gridlines
        assert (zero, ten) == (0, 10)

    def test_a_single_point_sits_in_the_middle(self):
        chart = chart_geometry(series_of((day(1), 5, 5)))
        assert [d.x for d in chart.dots] == [52.0]
        assert [a.text for a in chart.axis] == ["1 Jun"]

    def test_x_follows_the_calendar_not_the_number_of_points(self):
        chart = chart_geometry(
            series_of((day(1), 5, 5), (day(2), 5, 5), (day(12), 5, 5))
        )
        # The period's twelve days span 8% to 96% of the width: 8% a day.
        assert [d.x for d in chart.dots] == [8.0, 16.0, 96.0]

    def test_a_day_without_a_check_in_breaks_the_line(self):
        chart = chart_geometry(
            series_of(
                (day(1), 4, 5),
                (day(2), 6, 7),
                (day(4), 3, 3),
                (day(5), 4, 4),
                (day(12), 8, 8),
            )
        )
        assert [s.size for s in chart.segments] == [2, 2, 1]
        assert chart.segments[0].wellbeing_points == "80.0,60.0 160.0,40.0"
        assert chart.segments[1].hope_points == "320.0,70.0 400.0,60.0"
        assert len(chart.dots) == 5  # the lone day keeps its dot

    def test_a_week_or_month_without_a_check_in_breaks_the_line_too(self):
        weeks = chart_geometry(
            series_of((day(1), 5, 5), (day(8), 5, 5), (day(22), 5, 5), grain="week")
        )
        months = chart_geometry(
            series_of(
                (datetime.date(2025, 11, 1), 5, 5),
                (datetime.date(2025, 12, 1), 5, 5),
                (datetime.date(2026, 1, 1), 5, 5),
                (datetime.date(2026, 3, 1), 5, 5),
                grain="month",
            )
        )
        assert [s.size for s in weeks.segments] == [2, 1]
        assert [s.size for s in months.segments] == [3, 1]

    def test_goals_achieved_and_steps_done_are_marked_at_their_days(self):
        marks = [Marker(day(3), 1, 0), Marker(day(6), 0, 2), Marker(day(20), 1, 1)]
        chart = chart_geometry(
            series_of((day(1), 5, 5), (day(12), 5, 5), markers=marks)
        )
        assert [(m.x, m.goals_achieved, m.steps_done) for m in chart.marks] == [
            (24.0, 1, 0),
            (48.0, 0, 2),
        ]  # day 20 is after the axis ends: not drawn
        assert [m.x_units for m in chart.marks] == [240.0, 480.0]

    def test_the_time_axis_says_dates_and_keeps_them_inside(self):
        chart = chart_geometry(
            series_of((day(3), 5, 5), start=datetime.date(2026, 5, 31), end=day(27))
        )
        assert [(a.text, a.anchor) for a in chart.axis] == [
            ("31 May", "start"),
            ("9 Jun", "middle"),
            ("18 Jun", "middle"),
            ("27 Jun", "end"),
        ]
        assert [a.x for a in chart.axis] == [8.0, 37.33, 66.67, 96.0]

    def test_months_are_named_on_the_axis_of_all_time(self):
        chart = chart_geometry(
            series_of(
                (datetime.date(2025, 1, 1), 5, 5),
                (datetime.date(2026, 1, 1), 5, 5),
                grain="month",
            )
        )
        assert [a.text for a in chart.axis] == [
            "Jan 2025",
            "May 2025",
            "Sep 2025",
            "Jan 2026",
        ]


class TestChartMarks:
    """Goals achieved and steps done, from the journey, on the member's days."""

    @pytest.fixture(autouse=True)
    def frozen_clock(self, time_machine):
        time_machine.move_to(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC))

    def test_the_series_counts_goals_achieved_and_steps_done_per_day(self, member):
        goal = GoalFactory(member=member)
        at = datetime.datetime(2026, 6, 20, 9, tzinfo=datetime.UTC)
        for kind in (EventKind.STEP_DONE, EventKind.STEP_DONE, EventKind.GOAL_ACHIEVED):
            JourneyEventFactory(goal=goal, kind=kind, occurred_at=at)
        JourneyEventFactory(goal=goal, kind=EventKind.GOAL_PAUSED, occurred_at=at)
        CheckInFactory(member=member, day=datetime.date(2026, 6, 21))

        series = wellbeing_series(member=member, period="4w")

        assert series.markers == [Marker(datetime.date(2026, 6, 20), 1, 2)]
        assert (series.start, series.end) == (
            datetime.date(2026, 6, 3),
            datetime.date(2026, 6, 30),
        )
        assert [row[0] for row in series.rows] == [
            datetime.date(2026, 6, 20),
            datetime.date(2026, 6, 21),
        ]

    def test_a_moment_falls_on_the_members_own_day(self, member):
        member.time_zone = "Pacific/Auckland"  # UTC+12 in June
        member.save()
        goal = GoalFactory(member=member)
        JourneyEventFactory(
            goal=goal,
            kind=EventKind.STEP_DONE,
            occurred_at=datetime.datetime(2026, 6, 20, 20, tzinfo=datetime.UTC),
        )

        series = wellbeing_series(member=member, period="4w")

        assert series.markers == [Marker(datetime.date(2026, 6, 21), 0, 1)]

    def test_moments_before_the_period_are_not_marked(self, member):
        goal = GoalFactory(member=member)
        JourneyEventFactory(
            goal=goal,
            kind=EventKind.GOAL_ACHIEVED,
            occurred_at=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC),
        )
        assert wellbeing_series(member=member, period="4w").markers == []
        assert wellbeing_series(member=member, period="1y").markers == [
            Marker(datetime.date(2026, 4, 27), 1, 0)  # the week of 1 May
        ]

    def test_a_step_done_changes_the_fingerprint_so_no_chart_is_stale(self, member):
        CheckInFactory(member=member, day=datetime.date(2026, 6, 29))
        before = wellbeing_series(member=member, period="4w").fingerprint
        JourneyEventFactory(
            goal=GoalFactory(member=member),
            kind=EventKind.STEP_DONE,
            occurred_at=timezone.now(),
        )
        assert wellbeing_series(member=member, period="4w").fingerprint != before

    def test_the_next_day_moves_the_axis_and_the_fingerprint(
        self, member, time_machine
    ):
        CheckInFactory(member=member, day=datetime.date(2026, 6, 29))
        before = wellbeing_series(member=member, period="4w")
        time_machine.move_to(datetime.datetime(2026, 7, 1, 12, tzinfo=datetime.UTC))
        after = wellbeing_series(member=member, period="4w")
        assert after.end == datetime.date(2026, 7, 1)
        assert after.fingerprint != before.fingerprint
