"""The programme report's recovery questionnaire figures: how many chose each, and
the median change from first to latest total per completed quarter, only where at
least five members contribute, and never anything one member's answers could be
worked out from (peers.report.measure_figures)."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from peers import report
from tests.factories import MeasureChoiceFactory, MeasureResultFactory, MemberFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 17)  # in Apr-Jun 2026: Jan-Mar is the latest done
D = datetime.date


@pytest.fixture(autouse=True)
def june(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 17, 12, tzinfo=datetime.UTC))


FEB = D(2026, 2, 10)


def member_with(first: int, latest: int, *, latest_day=FEB):
    """A member who answered in December (first) and again in `latest_day`'s
    quarter (latest): a change of latest - first."""
    member = MemberFactory()
    MeasureResultFactory(member=member, day=D(2025, 12, 1), total=first)
    MeasureResultFactory(member=member, day=latest_day, total=latest)
    return member


def barc(figures):
    (only,) = [m for m in figures if m.key == "barc-10"]
    return only


def quarter(measure, start: datetime.date):
    (found,) = [q for q in measure.quarters if q.start == start]
    return found


JAN = D(2026, 1, 1)


def test_the_quarters_are_the_last_four_completed_ones():
    assert report.completed_quarters(TODAY) == [
        D(2025, 4, 1),
        D(2025, 7, 1),
        D(2025, 10, 1),
        D(2026, 1, 1),
    ]
    assert report.completed_quarters(D(2026, 1, 1))[-1] == D(2025, 10, 1)


def test_four_contributing_members_show_no_figure_and_no_count():
    for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41)):
        member_with(first, latest)

    jan = quarter(barc(report.measure_figures(TODAY)), JAN)

    assert jan.contributors is None
    assert jan.median_change is None


def test_five_contributing_members_show_the_median_change():
    # Changes +10, +4, -2, +6, 0: sorted -2, 0, 4, 6, 10, the median is 4.
    for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41), (40, 40)):
        member_with(first, latest)

    jan = quarter(barc(report.measure_figures(TODAY)), JAN)

    assert (jan.contributors, jan.median_change, jan.change_words) == (5, 4, "+4")


def test_six_give_the_mean_of_the_middle_two():
    for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41), (40, 40), (50, 47)):
        member_with(first, latest)  # -3, -2, 0, 4, 6, 10
    jan = quarter(barc(report.measure_figures(TODAY)), JAN)
    assert (jan.contributors, jan.median_change, jan.change_words) == (6, 2, "+2")


def test_who_contributes_to_a_quarter():
    """A member counts in a quarter when they finished it then, and before: with
    their first total and their latest in that quarter."""
    for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41), (40, 40)):
        member_with(first, latest)
    once = MemberFactory()  # answered once only: no change to tell
    MeasureResultFactory(member=once, day=D(2026, 2, 1), total=60)
    twice_in_jan = member_with(10, 12)  # and again later in the quarter: +50
    MeasureResultFactory(member=twice_in_jan, day=D(2026, 3, 30), total=60)
    skipped = member_with(10, 60)  # a latest total left empty is not read...
    MeasureResultFactory(member=skipped, day=D(2026, 3, 1), total=None)
    deactivated = member_with(10, 60)
    deactivated.is_active = False
    deactivated.save()
    now = member_with(10, 60, latest_day=D(2026, 6, 1))  # this quarter: not yet

    figures = barc(report.measure_figures(TODAY))

    jan = quarter(figures, JAN)
    # +10, +4, -2, +6, 0, +50 (twice_in_jan's latest) and +50 (skipped's Feb one)
    assert (jan.contributors, jan.median_change) == (7, 6)
    assert quarter(figures, D(2025, 10, 1)).contributors is None  # firsts only
    assert now.measure_results.count() == 2


def test_how_many_chose_it_is_shown_from_five():
    for _ in range(4):
        MeasureChoiceFactory()
    assert barc(report.measure_figures(TODAY)).members_choosing is None
    MeasureChoiceFactory()
    assert barc(report.measure_figures(TODAY)).members_choosing == 5


def test_a_completed_quarter_does_not_move_as_members_answer_again():
    """Differencing: the figure published for a past quarter never changes by one
    member at a time, so two reports cannot be compared to single one out."""
    members = [
        member_with(first, latest)
        for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41), (40, 40))
    ]
    before = report.measure_figures(TODAY)

    # A sixth member answers today for the second time; a contributor answers again.
    member_with(10, 60, latest_day=TODAY)
    MeasureResultFactory(member=members[0], day=TODAY, total=60)

    assert report.measure_figures(TODAY) == before


def test_no_two_published_sets_differ_by_one_member_with_the_same_values():
    """Each member's value in a quarter is their latest total that quarter, and
    there is no all-quarters figure overlapping the quarters."""
    for first, oct_total, jan_total in (
        (20, 22, 30),
        (25, 27, 29),
        (30, 31, 28),
        (35, 36, 41),
        (40, 38, 40),
    ):
        member = MemberFactory()
        MeasureResultFactory(member=member, day=D(2025, 9, 1), total=first)
        MeasureResultFactory(member=member, day=D(2025, 11, 1), total=oct_total)
        MeasureResultFactory(member=member, day=D(2026, 2, 1), total=jan_total)
    sixth = MemberFactory()  # in October only
    MeasureResultFactory(member=sixth, day=D(2025, 9, 2), total=10)
    MeasureResultFactory(member=sixth, day=D(2025, 11, 2), total=20)

    figures = barc(report.measure_figures(TODAY))
    october = quarter(figures, D(2025, 10, 1))
    january = quarter(figures, JAN)

    # October: +2 +2 +1 +1 -2 +10 -> 1.5; January: +10 +4 -2 +6 0 -> 4. The
    # January set is October's less one member, but with each member's own later
    # total, not October's values: their difference pins nobody down.
    assert (october.contributors, october.median_change) == (6, 1.5)
    assert (january.contributors, january.median_change) == (5, 4)
    assert len(figures.quarters) == report.QUARTERS  # and no figure for them all


# --- The page and the CSV ------------------------------------------------------


@pytest.fixture
def cora(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def test_the_page_shows_the_median_and_hides_what_is_below_five(cora):
    for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41), (40, 40)):
        member_with(first, latest)
    member_with(10, 13, latest_day=D(2025, 11, 1))  # alone in Oct-Dec 2025

    text = cora.get(reverse("peers:report")).content.decode()

    assert "Recovery questionnaires" in text
    assert '<th scope="row">Jan–Mar 2026</th><td>5</td><td>+4</td>' in text
    assert (
        '<th scope="row">Oct–Dec 2025</th><td>fewer than 5</td><td>not shown</td>'
        in text
    )
    # None of the members' own totals or changes: only the median.
    main = text.split('id="measures-heading"')[1]
    for private in ("+10", "+6", "−2", "+3", ">30<", ">41<", ">13<"):
        assert private not in main


def test_the_csv_has_the_same_figures_and_nothing_of_anyone(cora):
    for first, latest in ((20, 30), (25, 29), (30, 28), (35, 41), (40, 40)):
        member_with(first, latest)
    member_with(10, 13, latest_day=D(2025, 11, 1))
    for _ in range(3):
        MeasureChoiceFactory()

    body = cora.get(reverse("peers:report-csv")).content.decode()
    rows = [row for row in csv.reader(io.StringIO(body)) if "questionnaire" in row[0]]

    assert ["questionnaire_members_choosing", "barc-10", "fewer than 5", ""] in rows
    assert ["questionnaire_contributors", "barc-10 2026-Q1", "5", ""] in rows
    assert [
        "questionnaire_median_change_first_to_latest",
        "barc-10 2026-Q1",
        "4",
        "",
    ] in rows
    assert ["questionnaire_contributors", "barc-10 2025-Q4", "fewer than 5", ""] in rows
    assert [
        "questionnaire_median_change_first_to_latest",
        "barc-10 2025-Q4",
        "",
        "",
    ] in rows
    values = {row[2] for row in rows}
    assert values <= {"fewer than 5", "5", "4", ""}
    assert not re.search(r"item|answer", body)
