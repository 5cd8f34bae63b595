"""The programme report: exact figures on a small programme worked out by hand, the
CSV (figures only), and a fixed number of queries whatever the programme's size."""

import csv
import datetime
import html
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals.measures import QUESTIONNAIRES
from goals.models import EventKind
from peers import report, services
from tests.factories import (
    ChangeRequestFactory,
    CheckInFactory,
    ContactNoteFactory,
    GoalFactory,
    JourneyEventFactory,
    MatchFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 17, 12, tzinfo=UTC)  # a Wednesday


def at(month, day, hour=12, minute=0, year=2026):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def programme(time_machine):
    """A small programme, built along its own history.

    Members (all joined at noon):
    - A joined 7 Jun, never matched: waiting 10 days.
    - B joined 8 May, matched with S1 on 18 May: 10 days to a match.
    - C joined 1 Mar, matched with S1 on 11 Mar (more than 90 days ago), ended 1 Jun:
      waiting 16 days.
    - D joined 12 Jun, matched with S2 on 15 Jun (3 days), asked for a change on
      16 Jun: on the waiting list for 1 day, still matched.
    - F joined 1 Apr, matched with S1 on 3 Apr (2 days), asked for a change 27 May,
      re-matched with S2 on 3 Jun: 7 days from asking to the new match.
    - E is deactivated and counts nowhere.
    """

    def member(name, joined):
        time_machine.move_to(joined, tick=False)
        return MemberFactory(first_name=name, username=f"member-{name.lower()}")

    time_machine.move_to(at(1, 1), tick=False)
    s1 = SupporterProfileFactory(
        user=SupporterFactory(first_name="Sol"), capacity=4
    ).user
    s2 = SupporterProfileFactory(
        user=SupporterFactory(first_name="Tam"), capacity=2
    ).user
    SupporterProfileFactory(
        user=SupporterFactory(first_name="Gone", is_active=False), capacity=3
    )
    MemberFactory(first_name="Eve", is_active=False)

    c = member("Cleo", at(3, 1))
    time_machine.move_to(at(3, 11), tick=False)
    c_match = services.match_create(member=c, supporter=s1, by=None)
    f = member("Finn", at(4, 1))
    time_machine.move_to(at(4, 3), tick=False)
    services.match_create(member=f, supporter=s1, by=None)
    b = member("Bo", at(5, 8))
    time_machine.move_to(at(5, 18), tick=False)
    b_match = services.match_create(member=b, supporter=s1, by=None)
    time_machine.move_to(at(5, 27), tick=False)
    services.change_request_create(member=f, reason="evenings suit me better")
    time_machine.move_to(at(6, 1), tick=False)
    services.match_end(match=c_match, by=None, reason="a pause")
    time_machine.move_to(at(6, 3), tick=False)
    services.rematch(member=f, supporter=s2, by=None, reason="asked for a change")
    a = member("Ada", at(6, 7))
    d = member("Dee", at(6, 12))
    time_machine.move_to(at(6, 15), tick=False)
    services.match_create(member=d, supporter=s2, by=None)
    time_machine.move_to(at(6, 16), tick=False)
    ChangeRequestFactory(member=d, reason="a different time of day")

    # Check-ins: weeks start on Monday; this week is 15 Jun, the first of 12 is 30 Mar.
    for day in (15, 16, 17):
        CheckInFactory(member=a, day=datetime.date(2026, 6, day))
    CheckInFactory(member=b, day=datetime.date(2026, 6, 8))
    CheckInFactory(
        member=b, day=datetime.date(2026, 6, 9), skipped=True, wellbeing=None, hope=None
    )
    CheckInFactory(member=c, day=datetime.date(2026, 3, 30))
    CheckInFactory(member=c, day=datetime.date(2026, 3, 29))  # before the 12 weeks

    # Goals achieved: months from July 2025 to June 2026.
    goal = GoalFactory(member=a, title="Walk to the park")
    for moment in (
        at(6, 10),
        at(6, 1, 0, 30),
        at(5, 31, 23, 30),
        at(7, 1, 0, year=2025),
    ):
        JourneyEventFactory(goal=goal, kind=EventKind.GOAL_ACHIEVED, occurred_at=moment)
    JourneyEventFactory(
        goal=goal, kind=EventKind.GOAL_ACHIEVED, occurred_at=at(6, 30, 23, 59, 2025)
    )
    JourneyEventFactory(goal=goal, kind=EventKind.GOAL_SET, occurred_at=at(6, 2))

    # Contacts: June one made and one attempt, April one made; June 2025 is too old.
    time_machine.move_to(NOW, tick=False)
    for day, reached in (
        (datetime.date(2026, 6, 2), True),
        (datetime.date(2026, 6, 5), False),
        (datetime.date(2026, 4, 20), True),
        (datetime.date(2025, 6, 30), True),
    ):
        ContactNoteFactory(
            match=b_match,
            contact_date=day,
            reached=reached,
            note="Talked about the garden plot; private words",
        )
    return {"supporters": (s1, s2)}


class TestFigures:
    def test_members_and_waiting(self, programme):
        figures = report.programme_figures(NOW)

        assert figures.members_matched == 3  # Bo, Dee, Finn
        assert figures.members_waiting == 2  # Ada, Cleo
        assert figures.change_requests == 1  # Dee
        assert figures.median_wait_days == 10.0  # of 10, 16 and 1 days

    def test_median_days_to_a_match_in_the_last_90_days(self, programme):
        figures = report.programme_figures(NOW)

        # Finn 2 (3 Apr), Dee 3, Finn again 7 (from asking), Bo 10; Cleo's is older.
        assert figures.recent_matches == 4
        assert figures.median_days_to_match == 5.0

    def test_checkins_per_week(self, programme):
        weeks = report.programme_figures(NOW).checkins_per_week

        assert len(weeks) == 12
        assert weeks[0].start == datetime.date(2026, 3, 30)
        assert weeks[-1].start == datetime.date(2026, 6, 15)
        by_week = {week.start: week.value for week in weeks}
        assert by_week[datetime.date(2026, 6, 15)] == 3
        assert by_week[datetime.date(2026, 6, 8)] == 1  # the skipped day is not one
        assert by_week[datetime.date(2026, 3, 30)] == 1
        assert sum(by_week.values()) == 5

    def test_goals_achieved_per_month(self, programme):
        months = report.programme_figures(NOW).goals_achieved_per_month

        assert [m.start for m in months][0] == datetime.date(2025, 7, 1)
        assert [m.start for m in months][-1] == datetime.date(2026, 6, 1)
        values = {m.start: m.value for m in months}
        assert values[datetime.date(2026, 6, 1)] == 2
        assert values[datetime.date(2026, 5, 1)] == 1
        assert values[datetime.date(2025, 7, 1)] == 1
        assert sum(values.values()) == 4

    def test_months_follow_the_time_zone_of_the_reader(self, programme, settings):
        from django.utils import timezone

        with timezone.override("America/New_York"):
            months = report.programme_figures(NOW).goals_achieved_per_month

        values = {m.start: m.value for m in months}
        # 1 Jun 00:30 UTC is still 31 May in New York; 1 Jul 2025 00:00 is 30 Jun.
        assert values[datetime.date(2026, 6, 1)] == 1
        assert values[datetime.date(2026, 5, 1)] == 2
        assert values[datetime.date(2025, 7, 1)] == 0

    def test_contacts_per_month(self, programme):
        months = report.programme_figures(NOW).contacts_per_month

        values = {m.start: (m.made, m.attempted) for m in months}
        assert values[datetime.date(2026, 6, 1)] == (1, 1)
        assert values[datetime.date(2026, 4, 1)] == (1, 0)
        assert sum(m.value for m in months) == 3

    def test_supporter_loads(self, programme):
        loads = report.programme_figures(NOW).supporter_loads

        assert [(x.name, x.load, x.capacity, x.busy) for x in loads] == [
            ("Sol", 1, 4, False),
            ("Tam", 2, 2, True),
        ]

    def test_an_empty_programme(self, db):
        figures = report.programme_figures(NOW)

        assert figures.members_waiting == 0
        assert figures.median_wait_days is None
        assert figures.median_days_to_match is None
        assert sum(w.value for w in figures.checkins_per_week) == 0


def _coordinator_client(coordinator) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


class TestPages:
    def test_the_report_page_shows_figures_charts_and_tables(
        self, programme, coordinator
    ):
        response = _coordinator_client(coordinator).get(reverse("peers:report"))
        text = html.unescape(response.content.decode())

        assert response.status_code == 200
        assert "Members waiting for a supporter</dt><dd>2</dd>" in text
        # In whole days, said as days ("100 days", never "99.9").
        assert "Median days waiting so far</dt><dd>10 days</dd>" in text
        assert "(last 90 days)</dt><dd>5 days</dd>" in text
        assert text.count('role="img"') == 4
        assert text.count("<title id=") == 4 and text.count("<desc id=") == 4
        assert text.count("<table") == 4 + len(QUESTIONNAIRES)
        assert '<th scope="row">15 Jun 2026 (this week so far)</th><td>3</td>' in text
        assert '<th scope="row">8 Jun 2026</th><td>1</td>' in text
        assert '<th scope="row">Tam</th><td>2</td><td>2</td><td>Busy</td>' in text
        assert "style=" not in text
        main = text.split("<main")[1]
        for name in ("Ada", "Bo", "Cleo", "Dee", "Finn", "garden plot"):
            assert not re.search(rf"\b{name}\b", main)

    def test_the_csv_has_the_figures_and_no_names_or_notes(
        self, programme, coordinator
    ):
        response = _coordinator_client(coordinator).get(reverse("peers:report-csv"))
        body = response.content.decode()
        rows = list(csv.reader(io.StringIO(body)))

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment;" in response["Content-Disposition"]
        assert rows[0] == ["figure", "period_or_supporter", "value", "capacity"]
        assert ["members_waiting", "", "2", ""] in rows
        assert ["median_days_waiting_now", "", "10.0", ""] in rows
        assert ["median_days_to_match_last_90_days", "", "5.0", ""] in rows
        assert ["checkins_per_week", "2026-06-15", "3", ""] in rows
        assert ["goals_achieved_per_month", "2026-06", "2", ""] in rows
        assert ["contacts_attempted_per_month", "2026-06", "1", ""] in rows
        assert ["supporter_load", "Sol", "1", "4"] in rows
        for words in ("Ada", "Bo", "Cleo", "Dee", "Finn", "Eve", "member-", "garden"):
            assert not re.search(rf"\b{words}", body)
        assert "Gone" not in body  # a deactivated supporter has no row

    def test_a_name_cannot_become_a_spreadsheet_formula(self, coordinator):
        SupporterProfileFactory(user=SupporterFactory(first_name="=cmd()"))

        response = _coordinator_client(coordinator).get(reverse("peers:report-csv"))

        assert "'=cmd()" in response.content.decode()


def grow(n: int) -> None:
    """`n` more of everything the report counts."""
    for _ in range(n):
        match = MatchFactory()
        MemberFactory()
        ChangeRequestFactory(member=MatchFactory().member)
        services.match_end(match=MatchFactory(), by=None, reason="done")
        CheckInFactory(member=match.member)
        goal = GoalFactory(member=match.member)
        JourneyEventFactory(goal=goal, kind=EventKind.GOAL_ACHIEVED)
        ContactNoteFactory(match=match)


def test_the_number_of_queries_does_not_grow(
    coordinator, django_assert_num_queries, settings
):
    settings.REPORT_CACHE_SECONDS = 0  # count every time, as on a cache miss
    client = _coordinator_client(coordinator)
    grow(2)
    with CaptureQueriesContext(connection) as small:
        report.programme_figures()
    with CaptureQueriesContext(connection) as small_page:
        client.get(reverse("peers:report"))
    with CaptureQueriesContext(connection) as small_csv:
        client.get(reverse("peers:report-csv"))

    grow(12)

    with django_assert_num_queries(len(small)):
        figures = report.programme_figures()
    with django_assert_num_queries(len(small_page)):
        client.get(reverse("peers:report"))
    with django_assert_num_queries(len(small_csv)):
        client.get(reverse("peers:report-csv"))
    # The page is the CSV's figures, and the bell: one query.
    assert len(small_page) == len(small_csv) + 1
    assert figures.members_waiting == 2 * 14


def test_the_page_counts_once_then_shows_the_figures_it_counted(coordinator):
    client = _coordinator_client(coordinator)
    grow(2)
    first = client.get(reverse("peers:report")).content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get(reverse("peers:report")).content.decode()
    counting = [q for q in again.captured_queries if "goals_checkin" in q["sql"]]
    assert counting == []
    stamp = re.compile(r"Figures as of [^<.]+")
    assert stamp.search(first).group() == stamp.search(second).group()


def test_the_cached_page_is_drawn_again_when_the_figures_are_counted_again(
    coordinator, monkeypatch
):
    """The figures' HTML is kept as long as the figures: a second visit draws no
    chart, and once the figures are counted again the page shows the new ones."""
    client = _coordinator_client(coordinator)
    grow(1)
    drawn = []
    real_bar_chart = report.bar_chart
    monkeypatch.setattr(
        report.charts,
        "bar_chart",
        lambda *a, **kw: drawn.append(1) or real_bar_chart(*a, **kw),
    )
    client.get(reverse("peers:report"))
    assert len(drawn) == 4
    client.get(reverse("peers:report"))
    assert len(drawn) == 4  # nothing drawn again

    waiting = re.compile(r"Members waiting for a supporter</dt><dd>(\d+)</dd>")
    before = int(waiting.search(client.get(reverse("peers:report")).text).group(1))
    grow(1)
    with timezone.override(coordinator.zone):  # the figures expire
        cache.delete(report.figures_cache_key())
    after = client.get(reverse("peers:report")).text
    assert int(waiting.search(after).group(1)) > before
    assert len(drawn) == 8


def test_each_time_zone_gets_its_own_figures_and_drawing(coordinator, monkeypatch):
    """Weeks and months follow the reader's time zone: a coordinator elsewhere is
    not shown figures (or their drawing) counted for another zone."""
    grow(1)
    counted = []
    real_figures = report.programme_figures

    def counted_figures(*args, **kwargs):
        counted.append(timezone.get_current_timezone_name())
        return real_figures(*args, **kwargs)

    monkeypatch.setattr(report.queries, "programme_figures", counted_figures)
    coordinator.time_zone = "America/New_York"
    coordinator.save()
    _coordinator_client(coordinator).get(reverse("peers:report"))
    coordinator.time_zone = "Asia/Tokyo"
    coordinator.save()
    text = _coordinator_client(coordinator).get(reverse("peers:report")).text
    assert counted == ["America/New_York", "Asia/Tokyo"]
    assert "Members waiting for a supporter" in text
