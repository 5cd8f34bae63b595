"""The member's home page, the daily check-in (and skipping a day), and the two
personal lists a check-in and a goal draw on: strengths and wellness tools."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertRedirects as _assert_redirects

from goals import services
from goals.models import CheckIn, EventKind, GoalStatus, JourneyEvent, WellnessTool
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    StepFactory,
    StrengthFactory,
    WellnessToolFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

CRISIS_HEADING = "You don't have to carry this alone"


def assertRedirects(response, url):
    # Not fetching the target keeps its flash message for the page the test reads.
    _assert_redirects(response, url, fetch_redirect_response=False)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Home -----------------------------------------------------------------------


def test_home_greets_the_member_and_invites_a_first_goal(member_client):
    text = page_text(member_client.get(reverse("goals:home")))

    assert "Hello, Maya" in text
    assert "Check in now" in text
    assert "Steps appear here once you set a goal." in text
    assert "Start with something that matters to you." in text
    assert CRISIS_HEADING not in text


def test_home_shows_active_goals_and_next_open_steps(member_client, member):
    garden = GoalFactory(member=member, title="Grow tomatoes")
    StepFactory(goal=garden, title="Buy seeds")
    services.step_set_done(step=StepFactory(goal=garden, title="Find pots"), done=True)
    paused = GoalFactory(member=member, title="Learn Spanish")
    StepFactory(goal=paused, title="Download an app")
    services.goal_set_status(goal=paused, status=GoalStatus.PAUSED)

    text = page_text(member_client.get(reverse("goals:home")))

    assert "Grow tomatoes" in text
    assert "Buy seeds" in text
    assert "1 of 2 steps done" in text
    # Done steps and the steps of a paused goal are not "next".
    assert "Find pots" not in text
    assert "Download an app" not in text
    assert "Learn Spanish" not in text


def test_home_shows_at_most_five_next_steps_oldest_first(member_client, member):
    goal = GoalFactory(member=member)
    for n in range(1, 8):
        StepFactory(goal=goal, title=f"Next step number {n}")

    text = page_text(member_client.get(reverse("goals:home")))

    shown = [n for n in range(1, 8) if f"Next step number {n}<" in text]
    assert shown == [1, 2, 3, 4, 5]


def test_home_mentions_the_last_check_in_when_not_today(member_client, member):
    CheckInFactory(member=member, day=datetime.date(2026, 3, 2))

    text = page_text(member_client.get(reverse("goals:home")))

    assert "Check in now" in text
    assert "Your last check-in was on Monday 2 March." in text


# --- Check-in -------------------------------------------------------------------


def test_checkin_form_offers_the_scales_and_only_tools_in_use(member_client, member):
    WellnessToolFactory(member=member, name="Breathing exercise")
    WellnessToolFactory(member=member, name="Old habit set aside", in_use=False)

    text = page_text(member_client.get(reverse("goals:checkin")))

    assert "Overall, how are you doing today?" in text
    assert "How hopeful do you feel?" in text
    assert text.count('name="wellbeing"') == 11
    assert "Breathing exercise" in text
    assert "Old habit set aside" not in text
    assert "Skip today" in text


def test_checkin_saves_and_shows_on_home(member_client, member):
    tool = WellnessToolFactory(member=member, name="Breathing exercise")

    response = member_client.post(
        reverse("goals:checkin"),
        {
            "wellbeing": "6",
            "hope": "8",
            "feelings": "calm",
            "tools": [tool.pk],
            "note": "A good talk with a friend",
            "wants_to_talk": "on",
        },
    )

    assertRedirects(response, reverse("goals:home"))
    checkin = CheckIn.objects.get(member=member)
    assert checkin.day == member.local_date()
    assert (checkin.wellbeing, checkin.hope) == (6, 8)
    assert checkin.feelings == "calm"
    assert list(checkin.tools_used.all()) == [tool]
    assert checkin.wants_to_talk and not checkin.note_shared
    assert JourneyEvent.objects.filter(checkin=checkin).count() == 1
    text = page_text(member_client.get(response.url))
    assert "Thank you for checking in." in text
    assert "You checked in today: wellbeing 6 of 10, hope 8 of 10." in text
    assert "Change today's check-in" in text
    assert CRISIS_HEADING not in text


def test_checking_in_twice_the_same_day_updates_one_row(member_client, member):
    first, second = WellnessToolFactory.create_batch(2, member=member)
    url = reverse("goals:checkin")

    member_client.post(url, {"wellbeing": "3", "hope": "4", "tools": [first.pk]})
    response = member_client.post(
        url, {"wellbeing": "7", "hope": "6", "tools": [second.pk], "feelings": "ok"}
    )

    assertRedirects(response, reverse("goals:home"))
    checkin = CheckIn.objects.get(member=member)
    assert (checkin.wellbeing, checkin.hope, checkin.feelings) == (7, 6, "ok")
    assert list(checkin.tools_used.all()) == [second]
    assert JourneyEvent.objects.filter(kind=EventKind.CHECKIN).count() == 1


def test_checkin_form_is_filled_with_todays_check_in(member_client, member):
    tool = WellnessToolFactory(member=member, name="Tea with a neighbour")
    services.checkin_record(
        member=member, wellbeing=4, hope=9, feelings="hopeful", tools=[tool]
    )

    response = member_client.get(reverse("goals:checkin"))

    text = page_text(response)
    assert "You already checked in today." in text
    assert 'name="wellbeing" value="4"' in text
    form = response.context["form"]
    assert form["wellbeing"].value() == 4
    assert form["hope"].value() == 9
    assert form["feelings"].value() == "hopeful"
    assert form["tools"].value() == [tool.pk]
    # Today is taken, so there is nothing to skip.
    assert "Skip today" not in text


def test_checkin_day_follows_the_members_time_zone(client, member):
    member.time_zone = "Pacific/Kiritimati"  # UTC+14
    member.save()
    client.force_login(member)

    with time_machine.travel(
        datetime.datetime(2026, 3, 1, 11, 0, tzinfo=datetime.UTC), tick=False
    ):
        client.post(reverse("goals:checkin"), {"wellbeing": "5", "hope": "5"})

    assert CheckIn.objects.get(member=member).day == datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"wellbeing": "11", "hope": "5"}, "wellbeing", "Select a valid choice."),
        ({"wellbeing": "abc", "hope": "5"}, "wellbeing", "Select a valid choice."),
        ({"wellbeing": "-1", "hope": "5"}, "wellbeing", "Select a valid choice."),
        ({"wellbeing": "5", "hope": "10.5"}, "hope", "Select a valid choice."),
        ({"hope": "5"}, "wellbeing", "This field is required."),
        ({"wellbeing": "5"}, "hope", "This field is required."),
        (
            {"wellbeing": "5", "hope": "5", "feelings": "x" * 201},
            "feelings",
            "Ensure this value has at most 200 characters",
        ),
    ],
    ids=["eleven", "abc", "minus-one", "half", "no-wellbeing", "no-hope", "long"],
)
def test_invalid_checkin_shows_the_error_and_writes_nothing(
    member_client, member, data, field, error
):
    response = member_client.post(reverse("goals:checkin"), data)

    assert response.status_code == 200
    assert error in response.context["form"].errors[field][0]
    assert error in page_text(response)
    assert not CheckIn.objects.filter(member=member).exists()
    assert not JourneyEvent.objects.filter(member=member).exists()


def test_invalid_checkin_keeps_an_earlier_check_in_unchanged(member_client, member):
    services.checkin_record(member=member, wellbeing=6, hope=6)

    member_client.post(reverse("goals:checkin"), {"wellbeing": "11", "hope": "2"})

    checkin = CheckIn.objects.get(member=member)
    assert (checkin.wellbeing, checkin.hope) == (6, 6)


@pytest.mark.parametrize("has_own_tools", [True, False])
def test_a_wellness_tool_of_another_member_is_refused(
    member_client, member, other_member, has_own_tools
):
    mine = [WellnessToolFactory(member=member, name="My walk")] if has_own_tools else []
    theirs = WellnessToolFactory(member=other_member, name="Noor's meditation")

    response = member_client.post(
        reverse("goals:checkin"),
        {"wellbeing": "5", "hope": "5", "tools": [t.pk for t in [*mine, theirs]]},
    )

    assert response.status_code == 200
    text = page_text(response)
    assert f"Select a valid choice. {theirs.pk} is not one of the" in text
    assert "Noor's meditation" not in text
    assert not CheckIn.objects.filter(member=member).exists()
    assert theirs.checkins.count() == 0


def test_a_tool_set_aside_is_refused_on_the_checkin(member_client, member):
    aside = WellnessToolFactory(member=member, in_use=False)

    response = member_client.post(
        reverse("goals:checkin"), {"wellbeing": "5", "hope": "5", "tools": [aside.pk]}
    )

    assert f"Select a valid choice. {aside.pk} is not one of the" in page_text(response)
    assert not CheckIn.objects.filter(member=member).exists()


@pytest.mark.parametrize(
    ("wellbeing", "shows_crisis"), [(0, True), (1, True), (2, False), (5, False)]
)
def test_a_very_hard_checkin_shows_crisis_resources_on_home(
    member_client, wellbeing, shows_crisis
):
    response = member_client.post(
        reverse("goals:checkin"), {"wellbeing": str(wellbeing), "hope": "3"}
    )
    text = page_text(member_client.get(response.url))

    assert f"wellbeing {wellbeing} of 10" in text
    assert (CRISIS_HEADING in text) is shows_crisis
    assert ('href="tel:988"' in text) is shows_crisis


def test_crisis_resources_go_once_today_is_updated(member_client):
    url = reverse("goals:checkin")
    member_client.post(url, {"wellbeing": "0", "hope": "0"})
    member_client.post(url, {"wellbeing": "4", "hope": "5"})

    text = page_text(member_client.get(reverse("goals:home")))

    assert CRISIS_HEADING not in text


def test_a_hard_day_yesterday_does_not_show_crisis_resources_today(
    member_client, member
):
    CheckInFactory(member=member, day=days_ago(1), wellbeing=0, hope=0)

    text = page_text(member_client.get(reverse("goals:home")))

    assert CRISIS_HEADING not in text


# --- Skipping a day -------------------------------------------------------------


def test_skip_a_day(member_client, member):
    response = member_client.post(
        reverse("goals:checkin-skip"), {"reason": "Visiting family"}
    )

    assertRedirects(response, reverse("goals:home"))
    checkin = CheckIn.objects.get(member=member)
    assert checkin.skipped and checkin.skip_reason == "Visiting family"
    assert checkin.wellbeing is None
    text = page_text(member_client.get(response.url))
    assert "Today is marked as skipped. That is fine." in text
    assert "You marked today as skipped." in text
    timeline = page_text(member_client.get(reverse("goals:timeline")))
    assert "(skipped the day): Visiting family" in timeline


def test_skipping_twice_keeps_one_row(member_client, member):
    url = reverse("goals:checkin-skip")
    member_client.post(url, {"reason": "Tired"})
    member_client.post(url, {"reason": "Very tired"})

    checkin = CheckIn.objects.get(member=member)
    assert checkin.skip_reason == "Very tired"
    assert JourneyEvent.objects.filter(kind=EventKind.CHECKIN).count() == 1


def test_skip_after_checking_in_keeps_the_check_in(member_client, member):
    services.checkin_record(member=member, wellbeing=7, hope=7)

    response = member_client.post(reverse("goals:checkin-skip"), follow=True)

    assert "You already checked in today." in messages_of(response)
    checkin = CheckIn.objects.get(member=member)
    assert not checkin.skipped and checkin.wellbeing == 7


def test_checking_in_after_skipping_replaces_the_skip(member_client, member):
    member_client.post(reverse("goals:checkin-skip"), {"reason": "Busy"})

    member_client.post(reverse("goals:checkin"), {"wellbeing": "5", "hope": "6"})

    checkin = CheckIn.objects.get(member=member)
    assert not checkin.skipped and checkin.skip_reason == ""
    assert (checkin.wellbeing, checkin.hope) == (5, 6)
    assert JourneyEvent.objects.filter(kind=EventKind.CHECKIN).count() == 1


def test_skip_reason_too_long_still_skips_without_the_reason(member_client, member):
    member_client.post(reverse("goals:checkin-skip"), {"reason": "x" * 201})

    checkin = CheckIn.objects.get(member=member)
    assert checkin.skipped and checkin.skip_reason == ""


# --- Strengths ------------------------------------------------------------------


def test_strengths_are_grouped_by_kind(member_client, member):
    StrengthFactory(member=member, category="skills", text="I can draw")
    StrengthFactory(member=member, category="personal", text="I am kind")

    text = page_text(member_client.get(reverse("goals:strengths")))

    assert ">Personal qualities</h2>" in text
    assert ">Skills and talents</h2>" in text
    assert ">People and places</h2>" not in text
    assert (
        text.index(">Personal qualities</h2>")
        < text.index("I am kind")
        < text.index(">Skills and talents</h2>")
        < text.index("I can draw")
    )


def test_add_a_strength(member_client, member):
    response = member_client.post(
        reverse("goals:strengths"), {"category": "interests", "text": "Birdwatching"}
    )

    assertRedirects(response, reverse("goals:strengths"))
    assert member.strengths.get().text == "Birdwatching"
    text = page_text(member_client.get(response.url))
    assert "Added to your strengths." in text
    assert "Interests and hopes" in text and "Birdwatching" in text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"category": "personal", "text": ""}, "This field is required."),
        ({"category": "weakness", "text": "Stubborn"}, "Select a valid choice."),
    ],
)
def test_invalid_strength_shows_the_error_and_writes_nothing(
    member_client, member, data, error
):
    response = member_client.post(reverse("goals:strengths"), data)

    assert response.status_code == 200
    assert error in page_text(response)
    assert not member.strengths.exists()


def test_remove_a_strength(member_client, member):
    strength = StrengthFactory(member=member, text="Good cook")
    goal = GoalFactory(member=member)
    goal.strengths.add(strength)

    response = member_client.post(reverse("goals:strength-delete", args=[strength.pk]))

    assertRedirects(response, f"{reverse('goals:strengths')}#strength-{strength.pk}")
    assert not member.strengths.exists()
    assert goal.strengths.count() == 0
    text = page_text(member_client.get(response.url))
    assert "Removed “Good cook”." in text  # in its place, with Undo
    with time_machine.travel(datetime.timedelta(minutes=2)):
        text = page_text(member_client.get(response.url))
    assert "Good cook" not in text
    assert "Nothing here yet. Everyone has strengths" in text


# --- Wellness tools -------------------------------------------------------------


def test_tool_list_shows_tools_in_use_first(member_client, member):
    WellnessToolFactory(member=member, name="Allotment", in_use=False)
    WellnessToolFactory(member=member, name="Yoga", description="Ten minutes")

    text = page_text(member_client.get(reverse("goals:tools")))

    assert "Yoga</strong>: Ten minutes" in text
    assert "Allotment</strong> (set aside)" in text
    assert text.index("Yoga") < text.index("Allotment")


def test_add_a_tool(member_client, member):
    response = member_client.post(
        reverse("goals:tools"), {"name": " Journaling ", "description": "At night"}
    )

    assertRedirects(response, reverse("goals:tools"))
    tool = WellnessTool.objects.get(member=member)
    assert (tool.name, tool.description) == ("Journaling", "At night")
    assert tool.in_use
    assert "Added “Journaling” to what helps you." in page_text(
        member_client.get(response.url)
    )


@pytest.mark.parametrize("name", ["Journaling", "journaling", "  JOURNALING "])
def test_a_duplicate_tool_name_is_refused(member_client, member, name):
    WellnessToolFactory(member=member, name="Journaling")

    response = member_client.post(reverse("goals:tools"), {"name": name})

    assert response.status_code == 200
    assert "This is already on your list." in page_text(response)
    assert WellnessTool.objects.filter(member=member).count() == 1


def test_another_members_tool_name_is_no_duplicate(member_client, member, other_member):
    WellnessToolFactory(member=other_member, name="Journaling")

    response = member_client.post(reverse("goals:tools"), {"name": "Journaling"})

    assertRedirects(response, reverse("goals:tools"))
    assert WellnessTool.objects.filter(member=member, name="Journaling").exists()


def test_a_tool_without_a_name_is_refused(member_client, member):
    response = member_client.post(reverse("goals:tools"), {"name": ""})

    assert "This field is required." in page_text(response)
    assert not WellnessTool.objects.filter(member=member).exists()


def test_set_a_tool_aside_and_use_it_again(member_client, member):
    tool = WellnessToolFactory(member=member, name="Swimming")
    url = reverse("goals:tool-toggle", args=[tool.pk])

    response = member_client.post(url)

    assertRedirects(response, reverse("goals:tools"))
    tool.refresh_from_db()
    assert not tool.in_use
    text = page_text(member_client.get(response.url))
    assert "“Swimming” is set aside. Past check-ins still show it." in text
    assert "Use again" in text
    assert "Swimming" not in page_text(member_client.get(reverse("goals:checkin")))

    member_client.post(url)

    tool.refresh_from_db()
    assert tool.in_use
    text = page_text(member_client.get(reverse("goals:tools")))
    assert "“Swimming” is back on your check-in." in text
    assert "Swimming" in page_text(member_client.get(reverse("goals:checkin")))


def test_saving_today_again_keeps_a_tool_set_aside_since(member_client, member):
    """A tool used today and set aside afterwards is still on today's form,
    ticked, and saving today's check-in again keeps it."""
    walk = WellnessToolFactory(member=member, name="Evening walk")
    member_client.post(
        reverse("goals:checkin"), {"wellbeing": "5", "hope": "6", "tools": [walk.pk]}
    )
    walk.in_use = False
    walk.save()

    text = page_text(member_client.get(reverse("goals:checkin")))
    assert re.search(rf'value="{walk.pk}"[^>]*checked', text)
    assert "Evening walk" in text

    member_client.post(
        reverse("goals:checkin"), {"wellbeing": "7", "hope": "6", "tools": [walk.pk]}
    )
    today = CheckIn.objects.get(member=member)
    assert (today.wellbeing, list(today.tools_used.all())) == (7, [walk])


def test_a_tool_set_aside_and_unticked_today_leaves_the_form(member_client, member):
    walk = WellnessToolFactory(member=member, name="Evening walk")
    url = reverse("goals:checkin")
    member_client.post(url, {"wellbeing": "5", "hope": "6", "tools": [walk.pk]})
    walk.in_use = False
    walk.save()

    member_client.post(url, {"wellbeing": "5", "hope": "6"})  # unticked

    assert not CheckIn.objects.get(member=member).tools_used.exists()
    assert "Evening walk" not in page_text(member_client.get(url))
