"""The member's journey: the wellbeing chart over a chosen period, and the event
stream, newest first, paged with "Load earlier moments" (htmx or a plain link)."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from goals import services
from goals.models import EventKind
from goals.views import timeline as timeline_views
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    JourneyEventFactory,
    StepFactory,
    WellnessToolFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LOAD_EARLIER = "Load earlier moments"
TIMELINE = "/timeline/"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def earlier_link(text: str) -> str | None:
    """The "load earlier" URL on a page or fragment, or None on the last page."""
    found = re.search(r'<a href="(\?period=\w+&before=[^"]+)" hx-get="\1"', text)
    return TIMELINE + found.group(1) if found else None


def test_load_earlier_keeps_the_chosen_period(member_client, member, settings):
    settings.TIMELINE_PAGE_SIZE = 2
    for n in range(3):
        JourneyEventFactory(goal=GoalFactory(member=member, title=f"Moment {n:02d}"))
    text = page_text(member_client.get(TIMELINE, {"period": "1y"}))
    assert "?period=1y&before=" in earlier_link(text)


def moments(text: str) -> list[str]:
    return re.findall(r"Moment \d\d", text)


def table_days(text: str) -> list[str]:
    return re.findall(r'<tr><th scope="row">([^<]+)</th>', text)


def as_table_day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


@pytest.fixture
def eight_moments(member):
    """Eight goals set a minute apart: Moment 01 is the oldest."""
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(1, 9):
        JourneyEventFactory(
            goal=GoalFactory(member=member, title=f"Moment {n:02d}"),
            occurred_at=start + datetime.timedelta(minutes=n),
        )


# --- Chart and periods ----------------------------------------------------------


def test_period_links_render_with_the_default_marked(member_client):
    text = page_text(member_client.get(reverse("goals:timeline")))

    links = re.findall(r'href="\?period=(\w+)"(?: aria-current="true")?>([^<]+)<', text)
    assert links == [
        ("4w", "4 weeks"),
        ("3m", "3 months"),
        ("1y", "A year"),
        ("all", "All"),
    ]
    assert '<a href="?period=3m" aria-current="true">3 months</a>' in text
    assert text.count('aria-current="true"') == 1
    assert "No check-ins in this period yet." in text
    assert "Your journey starts with your first check-in or goal." in text


@pytest.fixture
def checkins_over_two_years(member):
    days = [days_ago(n) for n in (3, 10, 60, 200, 500)]
    for n, day in enumerate(days):
        CheckInFactory(member=member, day=day, wellbeing=n + 2, hope=n + 4)
    return days


@pytest.mark.parametrize(
    ("period", "shown"),
    [("4w", [0, 1]), ("3m", [0, 1, 2])],
)
def test_short_periods_show_one_point_a_day(
    member_client, checkins_over_two_years, period, shown
):
    response = member_client.get(reverse("goals:timeline"), {"period": period})

    text = page_text(response)
    assert f'<a href="?period={period}" aria-current="true">' in text
    expected = [as_table_day(checkins_over_two_years[i]) for i in reversed(shown)]
    assert table_days(text) == expected
    assert text.count('<circle cx="') == 2 * len(shown)
    assert "Each point is" not in text


def test_a_year_shows_weekly_averages(member_client, checkins_over_two_years):
    text = page_text(member_client.get(reverse("goals:timeline"), {"period": "1y"}))

    assert '<a href="?period=1y" aria-current="true">A year</a>' in text
    assert "Each point is a week's average." in text
    assert "Week of" in text
    # One point a week, labelled with the Monday; day 500 is outside the year.
    mondays = [
        day - datetime.timedelta(days=day.weekday())
        for day in reversed(checkins_over_two_years[:4])
    ]
    assert table_days(text) == [as_table_day(monday) for monday in mondays]


def test_all_shows_monthly_averages(member_client, member):
    CheckInFactory(member=member, day=datetime.date(2024, 5, 3), wellbeing=2, hope=4)
    CheckInFactory(member=member, day=datetime.date(2024, 5, 20), wellbeing=5, hope=8)
    CheckInFactory(member=member, day=datetime.date(2024, 7, 1), wellbeing=9, hope=9)
    CheckInFactory(
        member=member,
        day=datetime.date(2024, 6, 1),
        skipped=True,
        wellbeing=None,
        hope=None,
    )

    text = page_text(member_client.get(reverse("goals:timeline"), {"period": "all"}))

    assert "Each point is a month's average." in text
    assert table_days(text) == ["May 2024", "July 2024"]
    assert "<td>3.5</td><td>6</td>" in text
    assert "<td>9</td><td>9</td>" in text


def test_an_unknown_period_falls_back_to_three_months(member_client):
    text = page_text(
        member_client.get(reverse("goals:timeline"), {"period": "forever"})
    )

    assert '<a href="?period=3m" aria-current="true">3 months</a>' in text


def test_chart_reads_only_the_members_own_check_ins(
    member_client, member, other_member
):
    CheckInFactory(member=member, day=days_ago(2), wellbeing=3, hope=4)
    CheckInFactory(member=other_member, day=days_ago(1), wellbeing=9, hope=9)

    text = page_text(member_client.get(reverse("goals:timeline")))

    assert table_days(text) == [as_table_day(days_ago(2))]
    assert "<td>3</td><td>4</td>" in text


@pytest.fixture
def drawn_charts(monkeypatch) -> list:
    """Every series the timeline draws a chart for (not taken from the cache)."""
    drawn = []
    real_geometry = timeline_views.chart_geometry

    def counted_geometry(series, **kwargs):
        drawn.append(series)
        return real_geometry(series, **kwargs)

    monkeypatch.setattr(timeline_views, "chart_geometry", counted_geometry)
    return drawn


def test_a_drawn_chart_is_reused_and_never_stale(member_client, member, drawn_charts):
    """The chart is drawn once per distinct series; a new check-in changes the
    series, so the next visit draws it again with the new point."""
    CheckInFactory(member=member, day=days_ago(3), wellbeing=3, hope=4)
    first = page_text(member_client.get(TIMELINE))
    again = page_text(member_client.get(TIMELINE))
    assert len(drawn_charts) == 1
    assert table_days(again) == table_days(first) == [as_table_day(days_ago(3))]

    CheckInFactory(member=member, day=days_ago(1), wellbeing=8, hope=9)
    after = page_text(member_client.get(TIMELINE))
    assert len(drawn_charts) == 2
    assert as_table_day(days_ago(1)) in table_days(after)


def test_a_drawn_chart_is_kept_for_its_member_alone(
    member_client, member, other_member, client, drawn_charts
):
    """Two members with the same numbers each get their own drawing: nothing drawn
    for one member is ever served to another."""
    for person in (member, other_member):
        CheckInFactory(member=person, day=days_ago(2), wellbeing=4, hope=5)
    member_client.get(TIMELINE)
    client.force_login(other_member)
    client.get(TIMELINE)
    assert len(drawn_charts) == 2


# --- Event stream ---------------------------------------------------------------


def test_events_show_newest_first_with_their_details(member_client, member):
    tool = WellnessToolFactory(member=member, name="Stretching")
    goal = services.goal_create(
        member=member, goal=GoalFactory.build(title="Paint the kitchen")
    )
    step = StepFactory(goal=goal, title="Choose a colour")
    services.step_set_done(step=step, done=True)
    services.checkin_record(
        member=member,
        wellbeing=6,
        hope=7,
        feelings="proud",
        tools=[tool],
        had_setback=True,
        note="Slow start, good end",
    )
    services.goal_set_status(goal=goal, status="achieved")
    # Spread the moments out in the order they happened.
    base = timezone.now() - datetime.timedelta(hours=5)
    for hours, kind in enumerate(
        [
            EventKind.GOAL_SET,
            EventKind.STEP_DONE,
            EventKind.CHECKIN,
            EventKind.GOAL_ACHIEVED,
        ]
    ):
        member.journey.filter(kind=kind).update(
            occurred_at=base + datetime.timedelta(hours=hours)
        )

    text = page_text(member_client.get(reverse("goals:timeline")))

    order = [
        "<strong>Achieved a goal</strong>",
        "<strong>Checked in</strong>",
        "<strong>Finished a step</strong>",
        "<strong>Set a goal</strong>",
    ]
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions)
    assert ": wellbeing 6, hope 7" in text
    assert "proud" in text
    assert "What helped: Stretching" in text
    assert "Slow start, good end" in text
    assert "A setback, and I kept going." in text
    assert ": Choose a colour <span" in text
    assert f'<a href="{goal.get_absolute_url()}">Paint the kitchen</a>' in text
    assert LOAD_EARLIER not in text


def test_timeline_shows_only_the_members_own_events(
    member_client, member, other_member
):
    JourneyEventFactory(goal=GoalFactory(member=member, title="Moment 01"))
    JourneyEventFactory(goal=GoalFactory(member=other_member, title="Moment 99"))

    assert moments(page_text(member_client.get(reverse("goals:timeline")))) == [
        "Moment 01"
    ]


def test_load_earlier_appears_only_past_the_page_size(
    member_client, settings, eight_moments
):
    settings.TIMELINE_PAGE_SIZE = 8
    assert LOAD_EARLIER not in page_text(member_client.get(reverse("goals:timeline")))

    settings.TIMELINE_PAGE_SIZE = 7
    text = page_text(member_client.get(reverse("goals:timeline")))
    assert LOAD_EARLIER in text
    assert moments(text) == [f"Moment {n:02d}" for n in range(8, 1, -1)]


def test_load_earlier_without_htmx_pages_through_everything(
    member_client, settings, eight_moments
):
    settings.TIMELINE_PAGE_SIZE = 3
    url = reverse("goals:timeline")
    pages = []

    while url:
        response = member_client.get(url)
        text = page_text(response)
        assert response.status_code == 200
        assert "<html" in text  # a whole page: the link works without JavaScript
        pages.append(moments(text))
        url = earlier_link(text)
        assert len(pages) < 10

    assert pages == [
        ["Moment 08", "Moment 07", "Moment 06"],
        ["Moment 05", "Moment 04", "Moment 03"],
        ["Moment 02", "Moment 01"],
    ]


def test_load_earlier_with_htmx_returns_only_the_older_events(
    member_client, settings, eight_moments
):
    settings.TIMELINE_PAGE_SIZE = 3
    first = page_text(member_client.get(reverse("goals:timeline")))
    seen = moments(first)
    url = earlier_link(first)

    response = member_client.get(url, **HTMX)

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    fragment = page_text(response)
    assert "<html" not in fragment
    assert "My journey" not in fragment  # no page heading, no chart
    assert fragment.lstrip().startswith('<li class="event event-goal_set">')
    assert moments(fragment) == ["Moment 05", "Moment 04", "Moment 03"]
    assert not set(seen) & set(moments(fragment))
    # The fragment carries the next "load earlier" link in place of the old one.
    assert '<li class="load-earlier" id="load-earlier">' in fragment

    last = page_text(member_client.get(earlier_link(fragment), **HTMX))

    assert moments(last) == ["Moment 02", "Moment 01"]
    assert LOAD_EARLIER not in last


def test_paging_keeps_moments_that_happened_at_the_same_instant(
    member_client, settings, member
):
    """Keyset paging must break ties on the id, or moments at one instant that
    fall across a page boundary are shown twice or lost."""
    settings.TIMELINE_PAGE_SIZE = 3
    same_moment = timezone.now().replace(microsecond=123457)
    for n in range(1, 8):
        JourneyEventFactory(
            goal=GoalFactory(member=member, title=f"Moment {n:02d}"),
            occurred_at=same_moment,
        )
    url = reverse("goals:timeline")
    seen = []

    while url:
        text = page_text(member_client.get(url, **HTMX))
        seen += moments(text)
        url = earlier_link(text)
        assert len(seen) < 20

    assert seen == [f"Moment {n:02d}" for n in range(7, 0, -1)]


@pytest.mark.parametrize("before", ["", "garbage", "12.x", "99999999999999999999.1"])
def test_a_malformed_cursor_starts_from_the_newest(
    member_client, settings, eight_moments, before
):
    settings.TIMELINE_PAGE_SIZE = 3

    response = member_client.get(reverse("goals:timeline"), {"before": before}, **HTMX)

    text = page_text(response)
    assert response.status_code == 200
    assert "<html" in text
    assert moments(text) == ["Moment 08", "Moment 07", "Moment 06"]


def test_the_chart_marks_goals_achieved_and_steps_done_and_its_table_says_so(
    member_client, member
):
    goal = GoalFactory(member=member, title="Join the choir")
    step = StepFactory(goal=goal, title="Find the hall")
    services.step_set_done(step=step, done=True)
    services.goal_set_status(goal=goal, status="achieved")
    CheckInFactory(member=member, day=days_ago(3), wellbeing=4, hope=6)

    text = page_text(member_client.get(reverse("goals:timeline"), {"period": "4w"}))

    assert text.count('class="chart-text mark goal"') == 1  # one day, both kinds
    assert "a goal achieved" in text and "a step done" in text
    assert table_days(text) == [as_table_day(days_ago(3)), as_table_day(days_ago(0))]
    assert '<td colspan="2">no check-in</td><td>1 goal achieved, 1 step done</td>' in (
        text
    )
    assert "The line breaks where there was no check-in." in text
    # Dates along the time axis, the first and last inside the chart.
    dates = re.findall(
        r'text-anchor="(\w+)" class="chart-text axis date">([^<]+)<', text
    )
    assert [anchor for anchor, _text in dates] == ["start", "middle", "middle", "end"]
    assert dates[-1][1] == f"{days_ago(0).day} {days_ago(0):%b}"
