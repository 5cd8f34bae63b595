"""A goal edited in two tabs: the second save is told the goal changed meanwhile,
sees the latest, and keeps its own changes in the form; nothing is overwritten
silently."""

import html
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from goals import services
from goals.models import Goal
from tests.factories import GoalFactory, StrengthFactory

pytestmark = pytest.mark.django_db

CHANGED_MEANWHILE = (
    "This goal changed meanwhile (in another tab or window). "
    "Here is the latest; your changes are below."
)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def version_on(page: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="(\d+)"', page)[1]


def edit(client, goal, version, **fields):
    data = {"title": goal.title, "domain": goal.domain, "version": version} | fields
    return client.post(reverse("goals:edit", args=[goal.pk]), data)


def test_the_form_carries_the_version_it_was_opened_at(member_client, member):
    goal = GoalFactory(member=member)

    page = page_text(member_client.get(reverse("goals:edit", args=[goal.pk])))

    assert version_on(page) == "0"


def test_each_save_moves_the_version_on_by_one(member_client, member):
    goal = GoalFactory(member=member)

    edit(member_client, goal, 0, title="Walk to the park")
    edit(member_client, goal, 1, title="Walk to the park twice a week")

    goal.refresh_from_db()
    assert goal.version == 2
    assert goal.title == "Walk to the park twice a week"


def test_the_second_tab_is_told_and_shown_the_latest_not_overwritten(
    member_client, member
):
    goal = GoalFactory(member=member, title="Sleep better", why="Mornings are hard")
    url = reverse("goals:edit", args=[goal.pk])
    first_tab = version_on(page_text(member_client.get(url)))
    second_tab = version_on(page_text(member_client.get(url)))

    saved = edit(member_client, goal, first_tab, title="Sleep by eleven", why=goal.why)
    conflict = edit(
        member_client, goal, second_tab, title="Sleep by midnight", why="Less tired"
    )

    assertRedirects(saved, goal.get_absolute_url())
    assert conflict.status_code == 409
    page = page_text(conflict)
    assert CHANGED_MEANWHILE in page
    latest = page.split("The latest saved version")[1].split("Your changes")[0]
    assert "Sleep by eleven" in latest
    assert "Mornings are hard" in latest
    form = page.split("Your changes")[1]
    assert 'value="Sleep by midnight"' in form
    assert "Less tired" in form
    assert version_on(page) == "1"
    goal.refresh_from_db()
    assert (goal.title, goal.why, goal.version) == (
        "Sleep by eleven",
        "Mornings are hard",
        1,
    )


def test_after_seeing_the_latest_the_person_may_save_their_changes(
    member_client, member
):
    goal = GoalFactory(member=member, title="Sleep better")
    edit(member_client, goal, 0, title="Sleep by eleven")
    conflict = edit(member_client, goal, 0, title="Sleep by midnight")

    response = edit(
        member_client, goal, version_on(page_text(conflict)), title="Sleep by midnight"
    )

    assertRedirects(response, goal.get_absolute_url())
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Sleep by midnight", 2)


def test_a_refused_save_leaves_the_strengths_as_they_were(member_client, member):
    kept, offered = StrengthFactory(member=member), StrengthFactory(member=member)
    goal = GoalFactory(member=member)
    goal.strengths.add(kept)
    edit(member_client, goal, 0, strengths=[kept.pk])

    edit(member_client, goal, 0, strengths=[offered.pk])

    assert list(goal.strengths.all()) == [kept]


def test_a_tampered_version_is_a_plain_form_error(member_client, member):
    goal = GoalFactory(member=member, title="Unchanged")

    response = edit(member_client, goal, "not-a-number", title="Changed")

    assert response.status_code == 200
    assert "This form is out of date. Please open the goal again." in page_text(
        response
    )
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Unchanged", 0)


def test_the_version_is_never_written_from_the_form(member_client, member):
    goal = GoalFactory(member=member)

    edit(member_client, goal, 0, title="Renamed")
    edit(member_client, goal, 41, title="Renamed again")

    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Renamed", 1)


def test_two_saves_of_the_same_version_cannot_both_win(member):
    goal = GoalFactory(member=member, title="First")
    one, two = Goal.objects.get(pk=goal.pk), Goal.objects.get(pk=goal.pk)
    one.title, two.title = "From tab one", "From tab two"

    first = services.goal_update(goal=one, fields=["title"], version=0)
    second = services.goal_update(goal=two, fields=["title"], version=0)

    goal.refresh_from_db()
    assert (first, second) == (True, False)
    assert (goal.title, goal.version) == ("From tab one", 1)
    assert one.version == 1


def test_someone_elses_goal_stays_out_of_reach(member_client, other_member):
    theirs = GoalFactory(member=other_member, title="Theirs")

    response = edit(member_client, theirs, 0, title="Mine now")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.version) == ("Theirs", 0)
