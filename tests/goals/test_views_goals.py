"""Goals and steps as the member who owns them sees and changes them: the list, the
goal form, the detail page, status and ladder, and steps toggled in place (htmx)
or by a plain POST."""

import datetime
import html

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects as _assert_redirects

from goals import services
from goals.models import EventKind, Goal, GoalOrigin, GoalStatus, JourneyEvent, Step
from tests.factories import GoalFactory, StepFactory, StrengthFactory

HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


def assertRedirects(response, url):
    # Not fetching the target keeps its flash message for the page the test reads.
    _assert_redirects(response, url, fetch_redirect_response=False)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Goal list ------------------------------------------------------------------


def test_goal_list_groups_goals_by_life_area_with_progress(member_client, member):
    walk = GoalFactory(member=member, title="Walk every morning", domain="health")
    StepFactory(goal=walk, title="Find shoes")
    services.step_set_done(step=StepFactory(goal=walk), done=True)
    GoalFactory(member=member, title="Save for a bike", domain="money", shared=False)

    response = member_client.get(reverse("goals:list"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Walk every morning" in text
    assert "Save for a bike" in text
    assert "Health" in text and "Money" in text
    assert "1 of 2 steps done" in text
    assert "Private" in text
    # Areas in the order of the life-domain list: money before health.
    assert text.index("Save for a bike") < text.index("Walk every morning")


def test_goal_list_puts_active_goals_first_within_an_area(member_client, member):
    done = GoalFactory(member=member, title="Older achieved goal")
    services.goal_set_status(goal=done, status=GoalStatus.ACHIEVED)
    GoalFactory(member=member, title="Current active goal")
    paused = GoalFactory(member=member, title="Newest paused goal")
    services.goal_set_status(goal=paused, status=GoalStatus.PAUSED)

    text = page_text(member_client.get(reverse("goals:list")))

    assert (
        text.index("Current active goal")
        < text.index("Older achieved goal")
        < text.index("Newest paused goal")
    )
    assert "Achieved" in text and "Paused" in text


def test_goal_list_empty_invites_a_first_goal(member_client):
    text = page_text(member_client.get(reverse("goals:list")))

    assert "You have no goals yet." in text
    assert reverse("goals:create") in text


# --- Goal form ------------------------------------------------------------------


def test_create_goal_saves_and_redirects_to_it(member_client, member):
    strength = StrengthFactory(member=member, text="I keep promises")

    response = member_client.post(
        reverse("goals:create"),
        {
            "title": "Cook a meal for friends",
            "why": "I like feeding people",
            "domain": "social",
            "chime_tags": ["connectedness", "hope"],
            "strengths": [strength.pk],
            "target_date": "2031-06-01",
            "review_date": "2031-05-01",
            "shared": "on",
        },
    )

    goal = Goal.objects.get(member=member)
    assertRedirects(response, goal.get_absolute_url())
    assert goal.title == "Cook a meal for friends"
    assert goal.chime_tags == ["connectedness", "hope"]
    assert list(goal.strengths.all()) == [strength]
    assert goal.status == GoalStatus.ACTIVE
    assert JourneyEvent.objects.filter(
        member=member, goal=goal, kind=EventKind.GOAL_SET
    ).exists()

    page = member_client.get(response.url)
    text = page_text(page)
    assert "Your goal is set. What could a first small step be?" in text
    assert "Cook a meal for friends" in text
    assert "I like feeding people" in text
    assert "I keep promises" in text
    assert "Connectedness" in text
    assert "Target: 1 June 2031." in text


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"domain": "health"}, "title", "This field is required."),
        ({"title": "Read a book"}, "domain", "This field is required."),
        ({"title": "  ", "domain": "health"}, "title", "This field is required."),
        (
            {"title": "Read a book", "domain": "symptoms"},
            "domain",
            "Select a valid choice.",
        ),
        (
            {
                "title": "Read a book",
                "domain": "health",
                "target_date": "2031-01-01",
                "review_date": "2031-02-01",
            },
            "review_date",
            "Pick a review date on or before the target date.",
        ),
        (
            {"title": "Read a book", "domain": "health", "target_date": "soon"},
            "target_date",
            "Enter a valid date.",
        ),
    ],
    ids=["no-title", "no-area", "blank-title", "bad-area", "review-late", "bad-date"],
)
def test_invalid_goal_shows_the_error_and_writes_nothing(
    member_client, member, data, field, error
):
    response = member_client.post(reverse("goals:create"), data)

    assert response.status_code == 200
    assert error in response.context["form"].errors[field][0]
    assert error in page_text(response)
    assert "has-error" in page_text(response)
    assert not Goal.objects.filter(member=member).exists()
    assert not JourneyEvent.objects.filter(member=member).exists()


@pytest.mark.parametrize("has_own_strengths", [True, False])
def test_a_strength_from_someone_elses_list_is_refused(
    member_client, member, other_member, has_own_strengths
):
    if has_own_strengths:
        StrengthFactory(member=member, text="My own patience")
    theirs = StrengthFactory(member=other_member, text="Noor's courage")

    response = member_client.post(
        reverse("goals:create"),
        {"title": "Borrowed courage", "domain": "health", "strengths": [theirs.pk]},
    )

    assert response.status_code == 200
    text = page_text(response)
    assert f"Select a valid choice. {theirs.pk} is not one of the" in text
    assert "Noor's courage" not in text
    assert f'value="{theirs.pk}"' not in text
    assert not Goal.objects.filter(member=member).exists()
    assert theirs.goals.count() == 0


def test_goal_form_ignores_owner_status_and_origin(member_client, member, other_member):
    response = member_client.post(
        reverse("goals:create"),
        {
            "title": "Join a choir",
            "domain": "social",
            "member": other_member.pk,
            "status": GoalStatus.ACHIEVED,
            "origin": GoalOrigin.SUGGESTED,
            "ladder_level": "2",
        },
    )

    goal = Goal.objects.get(title="Join a choir")
    assertRedirects(response, goal.get_absolute_url())
    assert goal.member == member
    assert goal.status == GoalStatus.ACTIVE
    assert goal.origin == GoalOrigin.MINE
    assert goal.ladder_level is None
    assert not Goal.objects.filter(member=other_member).exists()


def test_edit_goal_shows_the_current_values_and_saves(member_client, member):
    goal = GoalFactory(member=member, title="Sleep by eleven", domain="health")

    form_page = page_text(member_client.get(reverse("goals:edit", args=[goal.pk])))
    response = member_client.post(
        reverse("goals:edit", args=[goal.pk]),
        {"title": "Sleep by half past ten", "domain": "daily_living"},
    )

    assert 'value="Sleep by eleven"' in form_page
    assert "Edit goal" in form_page
    assertRedirects(response, goal.get_absolute_url())
    goal.refresh_from_db()
    assert goal.title == "Sleep by half past ten"
    assert goal.domain == "daily_living"
    assert "Your goal is saved." in page_text(member_client.get(response.url))


def test_edit_goal_ignores_owner_status_and_origin(member_client, member, other_member):
    goal = GoalFactory(member=member, title="Phone my brother")
    services.goal_set_status(goal=goal, status=GoalStatus.PAUSED)

    member_client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "title": "Phone my brother on Sundays",
            "domain": "family",
            "member": other_member.pk,
            "status": GoalStatus.ACTIVE,
            "origin": GoalOrigin.SUGGESTED,
        },
    )

    goal.refresh_from_db()
    assert goal.title == "Phone my brother on Sundays"
    assert goal.member == member
    assert goal.status == GoalStatus.PAUSED
    assert goal.origin == GoalOrigin.MINE


def test_edit_goal_refuses_someone_elses_strength_and_keeps_the_goal(
    member_client, member, other_member
):
    mine = StrengthFactory(member=member)
    goal = GoalFactory(member=member, title="Unchanged title")
    goal.strengths.add(mine)
    theirs = StrengthFactory(member=other_member)

    response = member_client.post(
        reverse("goals:edit", args=[goal.pk]),
        {"title": "New title", "domain": "health", "strengths": [theirs.pk]},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in page_text(response)
    goal.refresh_from_db()
    assert goal.title == "Unchanged title"
    assert list(goal.strengths.all()) == [mine]


def test_edit_goal_with_a_late_review_date_writes_nothing(member_client, member):
    goal = GoalFactory(member=member, target_date=datetime.date(2031, 1, 1))

    response = member_client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "title": "Changed",
            "domain": "health",
            "target_date": "2031-01-01",
            "review_date": "2031-01-02",
        },
    )

    assert "Pick a review date on or before the target date." in page_text(response)
    goal.refresh_from_db()
    assert goal.review_date is None
    assert goal.title != "Changed"


# --- Goal detail, status and ladder ---------------------------------------------


def test_goal_detail_shows_the_goal_its_steps_and_strengths(member_client, member):
    strength = StrengthFactory(member=member, text="Good with my hands")
    goal = GoalFactory(
        member=member,
        title="Fix my bike",
        why="Freedom to go places",
        origin=GoalOrigin.SUGGESTED,
        shared=False,
    )
    goal.strengths.add(strength)
    StepFactory(goal=goal, title="Buy a pump")
    services.step_set_done(step=StepFactory(goal=goal, title="Find tools"), done=True)

    text = page_text(member_client.get(goal.get_absolute_url()))

    assert "<h1>Fix my bike</h1>" in text
    assert "Freedom to go places" in text
    assert "Good with my hands" in text
    assert "Buy a pump" in text and "Find tools" in text
    assert "1 of 2 steps done" in text
    assert "Private" in text
    assert "Suggested by my supporter" in text
    assert "I achieved it" in text and "Let it go" in text


@pytest.mark.parametrize(
    ("status", "message", "event", "shown"),
    [
        (
            GoalStatus.ACHIEVED,
            "Well done: this goal is achieved.",
            EventKind.GOAL_ACHIEVED,
            "Achieved",
        ),
        (
            GoalStatus.PAUSED,
            "This goal is paused. It will be here when you are ready.",
            EventKind.GOAL_PAUSED,
            "Paused",
        ),
        (
            GoalStatus.LET_GO,
            "You let this goal go. Making room is a choice too.",
            EventKind.GOAL_LET_GO,
            "Let go",
        ),
    ],
)
def test_goal_status_change_and_back_to_active(
    member_client, member, status, message, event, shown
):
    goal = GoalFactory(member=member)
    url = reverse("goals:status", args=[goal.pk])

    response = member_client.post(url, {"status": status})

    assertRedirects(response, goal.get_absolute_url())
    goal.refresh_from_db()
    assert goal.status == status
    assert goal.status_changed_at is not None
    assert JourneyEvent.objects.filter(goal=goal, kind=event).count() == 1
    page = member_client.get(response.url)
    text = page_text(page)
    assert message in text
    assert f'status-{status}">{shown}</span>' in text
    assert "Pick it up again" in text
    assert "I achieved it" not in text
    assert "fail" not in text.lower()

    response = member_client.post(url, {"status": GoalStatus.ACTIVE}, follow=True)

    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    assert "Welcome back to this goal." in messages_of(response)
    assert JourneyEvent.objects.filter(goal=goal, kind=EventKind.GOAL_RESUMED).exists()
    assert "I achieved it" in page_text(response)


def test_setting_the_same_status_twice_writes_one_moment(member_client, member):
    goal = GoalFactory(member=member)
    url = reverse("goals:status", args=[goal.pk])

    member_client.post(url, {"status": GoalStatus.PAUSED})
    member_client.post(url, {"status": GoalStatus.PAUSED})

    assert (
        JourneyEvent.objects.filter(goal=goal, kind=EventKind.GOAL_PAUSED).count() == 1
    )


@pytest.mark.parametrize("status", ["failed", "", "ACHIEVED"])
def test_an_unknown_status_is_refused(member_client, member, status):
    goal = GoalFactory(member=member)

    response = member_client.post(
        reverse("goals:status", args=[goal.pk]), {"status": status}, follow=True
    )

    assert response.redirect_chain == [(goal.get_absolute_url(), 302)]
    assert "That change could not be made. Please try again." in messages_of(response)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE
    assert goal.status_changed_at is None
    assert not JourneyEvent.objects.exclude(kind=EventKind.GOAL_SET).exists()


@pytest.fixture
def ladder_goal(member):
    return GoalFactory(
        member=member,
        ladder_much_less="Not leaving the house",
        ladder_less="Out once a week",
        ladder_expected="Out three times a week",
        ladder_more="Out every day",
        ladder_much_more="Out every day and meeting people",
    )


@pytest.mark.parametrize("level", [-2, 0, 2])
def test_ladder_level_is_saved_and_shown(member_client, ladder_goal, level):
    response = member_client.post(
        reverse("goals:ladder", args=[ladder_goal.pk]), {"level": str(level)}
    )

    assertRedirects(response, ladder_goal.get_absolute_url())
    ladder_goal.refresh_from_db()
    assert ladder_goal.ladder_level == level
    text = page_text(member_client.get(response.url))
    assert "Saved where you are on your ladder." in text
    assert f'<span class="level">{level:+d}</span>' in text
    current = text[: text.index("(where I am now)")]
    rung_text = dict(ladder_goal.ladder)[level]
    assert current.rstrip().endswith(f"{rung_text} <strong>")


def test_ladder_level_can_be_cleared(member_client, ladder_goal):
    services.goal_set_ladder_level(goal=ladder_goal, level=1)

    member_client.post(reverse("goals:ladder", args=[ladder_goal.pk]), {"level": ""})

    ladder_goal.refresh_from_db()
    assert ladder_goal.ladder_level is None
    assert "(where I am now)" not in page_text(
        member_client.get(ladder_goal.get_absolute_url())
    )


@pytest.mark.parametrize("level", ["3", "-3", "high"])
def test_ladder_level_out_of_range_is_refused(member_client, ladder_goal, level):
    response = member_client.post(
        reverse("goals:ladder", args=[ladder_goal.pk]), {"level": level}, follow=True
    )

    assert "Please choose a level from -2 to +2." in messages_of(response)
    ladder_goal.refresh_from_db()
    assert ladder_goal.ladder_level is None


def test_goal_without_a_ladder_shows_no_ladder_form(member_client, member):
    goal = GoalFactory(member=member)

    text = page_text(member_client.get(goal.get_absolute_url()))

    assert "My ladder" not in text
    assert reverse("goals:ladder", args=[goal.pk]) not in text


# --- Steps ----------------------------------------------------------------------


@pytest.fixture
def goal_with_steps(member):
    goal = GoalFactory(member=member, title="Get back to running")
    StepFactory(goal=goal, title="Walk to the park")
    StepFactory(goal=goal, title="Jog for five minutes")
    return goal


def test_step_toggle_with_htmx_returns_the_steps_fragment(
    member_client, goal_with_steps
):
    step = goal_with_steps.steps.get(title="Walk to the park")

    response = member_client.post(
        reverse("goals:step-toggle", args=[step.pk]), {"done": "1"}, **HTMX
    )

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    text = page_text(response)
    assert "<html" not in text
    assert text.lstrip().startswith('<section class="card" id="steps"')
    assert "1 of 2 steps done" in text
    assert f'id="step-toggle-{step.pk}" aria-pressed="true"' in text
    assert "“Walk to the park” is done." in text
    assert "Jog for five minutes" in text
    step.refresh_from_db()
    assert step.done and step.done_at is not None
    assert JourneyEvent.objects.filter(step=step, kind=EventKind.STEP_DONE).count() == 1


def test_step_toggle_without_htmx_redirects_to_the_goal(member_client, goal_with_steps):
    step = goal_with_steps.steps.get(title="Walk to the park")

    response = member_client.post(
        reverse("goals:step-toggle", args=[step.pk]), {"done": "1"}
    )

    assertRedirects(response, goal_with_steps.get_absolute_url())
    step.refresh_from_db()
    assert step.done
    text = page_text(member_client.get(response.url))
    assert "“Walk to the park” is done." in text
    assert "1 of 2 steps done" in text


def test_step_toggle_back_opens_the_step_and_removes_the_moment(
    member_client, goal_with_steps
):
    step = goal_with_steps.steps.get(title="Walk to the park")
    services.step_set_done(step=step, done=True)

    response = member_client.post(
        reverse("goals:step-toggle", args=[step.pk]), {"done": "0"}, **HTMX
    )

    text = page_text(response)
    assert "“Walk to the park” is open again." in text
    assert f'id="step-toggle-{step.pk}" aria-pressed="false"' in text
    assert "0 of 2 steps done" in text
    step.refresh_from_db()
    assert not step.done and step.done_at is None
    assert not JourneyEvent.objects.filter(step=step).exists()


def test_step_toggle_twice_writes_one_moment(member_client, goal_with_steps):
    step = goal_with_steps.steps.first()
    url = reverse("goals:step-toggle", args=[step.pk])

    member_client.post(url, {"done": "1"}, **HTMX)
    member_client.post(url, {"done": "1"}, **HTMX)

    assert JourneyEvent.objects.filter(step=step, kind=EventKind.STEP_DONE).count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_a_step_removed_in_another_tab_while_ticked_is_answered_calmly(
    member_client, goal_with_steps, monkeypatch, htmx
):
    # The other tab's removal lands between this request's read of the step and
    # the service's row lock (on main this raised Step.DoesNotExist: a 500).
    step = goal_with_steps.steps.get(title="Walk to the park")
    tick = services.step_set_done

    def removed_first(*, step, done):
        services.step_remove(step=Step.objects.get(pk=step.pk))
        return tick(step=step, done=done)

    monkeypatch.setattr(services, "step_set_done", removed_first)
    headers = HTMX if htmx else {}

    response = member_client.post(
        reverse("goals:step-toggle", args=[step.pk]), {"done": "1"}, **headers
    )

    if htmx:
        assert response.status_code == 200
        text = page_text(response)
    else:
        assertRedirects(response, goal_with_steps.get_absolute_url())
        text = page_text(member_client.get(response.url))
    assert "That step was removed, so there was nothing to tick." in text
    assert "Jog for five minutes" in text
    assert not JourneyEvent.objects.filter(kind=EventKind.STEP_DONE).exists()


def test_step_add_with_htmx_returns_the_fragment_with_the_new_step(
    member_client, goal_with_steps
):
    response = member_client.post(
        reverse("goals:step-add", args=[goal_with_steps.pk]),
        {"title": "Run to the corner"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    text = page_text(response)
    assert "<html" not in text
    assert "Run to the corner" in text
    assert "Added the step “Run to the corner”." in text
    assert "0 of 3 steps done" in text
    # The form is empty again for the next step.
    assert 'value="Run to the corner"' not in text
    assert goal_with_steps.steps.filter(title="Run to the corner").exists()


def test_step_add_without_htmx_redirects_to_the_goal(member_client, goal_with_steps):
    response = member_client.post(
        reverse("goals:step-add", args=[goal_with_steps.pk]),
        {"title": "Run to the corner"},
    )

    assertRedirects(response, goal_with_steps.get_absolute_url())
    text = page_text(member_client.get(response.url))
    assert "Added the step “Run to the corner”." in text
    assert "Run to the corner" in text
    assert goal_with_steps.steps.count() == 3


def test_empty_step_with_htmx_shows_the_error_and_writes_nothing(
    member_client, goal_with_steps
):
    response = member_client.post(
        reverse("goals:step-add", args=[goal_with_steps.pk]), {"title": " "}, **HTMX
    )

    text = page_text(response)
    assert "<html" not in text
    assert "This field is required." in text
    assert "Added the step" not in text
    assert goal_with_steps.steps.count() == 2


def test_empty_step_without_htmx_redirects_with_a_message(
    member_client, goal_with_steps
):
    response = member_client.post(
        reverse("goals:step-add", args=[goal_with_steps.pk]), {"title": ""}, follow=True
    )

    assert response.redirect_chain == [(goal_with_steps.get_absolute_url(), 302)]
    assert "A step needs a few words. Please try again." in messages_of(response)
    assert goal_with_steps.steps.count() == 2


def test_a_steps_words_can_be_edited_and_it_stays_done(member_client, goal_with_steps):
    step = goal_with_steps.steps.get(title="Walk to the park")
    services.step_set_done(step=step, done=True)
    url = reverse("goals:step-edit", args=[step.pk])

    form = member_client.get(url)
    empty = member_client.post(url, {"title": "  "})
    saved = member_client.post(url, {"title": "Walk to the big park"}, follow=True)

    assert 'value="Walk to the park"' in form.content.decode()
    assert empty.status_code == 400
    step.refresh_from_db()
    assert step.title == "Walk to the big park" and step.done
    assert "Saved the step “Walk to the big park”." in page_text(saved)
    assert (
        f'href="{url}"'
        in member_client.get(goal_with_steps.get_absolute_url()).content.decode()
    )


def test_step_delete_removes_the_step(member_client, goal_with_steps):
    step = goal_with_steps.steps.get(title="Walk to the park")

    response = member_client.post(reverse("goals:step-delete", args=[step.pk]))

    assertRedirects(response, f"{goal_with_steps.get_absolute_url()}#step-{step.pk}")
    assert not Step.objects.filter(pk=step.pk).exists()
    text = page_text(member_client.get(response.url))
    assert "Removed “Walk to the park”." in text  # in its place, with Undo
    assert "0 of 1 step done" in text


def test_a_target_date_that_has_passed_is_queried_in_words(member_client, member):
    yesterday = member.local_date() - datetime.timedelta(days=1)
    data = {"title": "Paint the hall", "domain": "health", "target_date": yesterday}

    asked = member_client.post(reverse("goals:create"), data)
    kept = member_client.post(reverse("goals:create"), data | {"keep_past_date": "on"})

    text = page_text(asked)
    assert "That date has passed: keep it?" in text and "Keep this date" in text
    assert kept.status_code == 302
    assert Goal.objects.get(member=member).target_date == yesterday


def test_an_edit_that_keeps_a_passed_date_is_not_asked_again(member_client, member):
    goal = GoalFactory(
        member=member, target_date=member.local_date() - datetime.timedelta(days=30)
    )
    response = member_client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "title": "New words",
            "domain": goal.domain,
            "target_date": goal.target_date,
            "version": goal.version,
        },
    )
    assert response.status_code == 302
