"""The journey: keyset paging of moments and the wellbeing chart."""

import datetime

import pytest
from django.utils import timezone

from goals.models import CheckIn
from goals.timeline import (
    Cursor,
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


class TestChartGeometry:
    def test_ten_is_at_the_top_and_zero_at_the_bottom(self):
        series = Series(
            "4w",
            "day",
            [
                Point(datetime.date(2026, 1, 1), 10, 0),
                Point(datetime.date(2026, 1, 2), 0, 10),
            ],
        )
        chart = chart_geometry(series, width=200, height=120)
        (x1, top, bottom), (x2, low, high) = chart.dots
        assert x1 < x2
        assert top < bottom and top == high and bottom == low

    def test_a_single_point_sits_in_the_middle(self):
        series = Series("4w", "day", [Point(datetime.date(2026, 1, 1), 5, 5)])
        chart = chart_geometry(series, width=200, height=120)
        assert len(chart.dots) == 1
