"""A way back from removing a step, a strength or a wellness tool: the place of
what was removed says so and offers Undo, with htmx or by a plain POST; the
database keeps the row (stamped removed) until the worker forgets it; Undo is
the member's own, safe to send twice, and a tool ticked on past check-ins stays
on them."""

import datetime
import html
import io
import json
import re
import zipfile

import pytest
import time_machine
from django.urls import reverse

from goals import services
from goals.models import (
    REMOVED_KEPT_FOR,
    EventKind,
    JourneyEvent,
    Step,
    Strength,
    WellnessTool,
)
from recovery.tasks import tick
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    StepFactory,
    StrengthFactory,
    WellnessToolFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def step_titles(text: str) -> list[str]:
    """The steps a goal page lists, in order, and each removed one's place."""
    rows = re.findall(
        r'<li class="step[^"]*" id="step-\d+">(.*?)</li>', text, flags=re.S
    )
    titles = []
    for row in rows:
        if "Removed “" in row:
            titles.append("removed: " + re.search(r"Removed “(.*?)”", row).group(1))
        else:
            titles.append(re.search(r"Done:</span> (.*?)\s*</button>", row).group(1))
    return titles


@pytest.fixture
def goal(member):
    goal = GoalFactory(member=member, title="Get back to running")
    for title in ("Find my shoes", "Walk to the park", "Jog for five minutes"):
        StepFactory(goal=goal, title=title)
    return goal


def step_of(goal, title: str) -> Step:
    return Step.all_objects.get(goal=goal, title=title)


# --- Steps, without JavaScript --------------------------------------------------


def test_a_removed_step_leaves_the_goal_and_its_place_offers_undo(member_client, goal):
    step = step_of(goal, "Walk to the park")

    response = member_client.post(reverse("goals:step-delete", args=[step.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{goal.get_absolute_url()}#step-{step.pk}"
    text = page_text(member_client.get(response["Location"]))
    assert step_titles(text) == [
        "Find my shoes",
        "removed: Walk to the park",
        "Jog for five minutes",
    ]
    assert f'action="{reverse("goals:step-undo", args=[step.pk])}"' in text
    assert "0 of 2 steps done" in text
    assert not goal.steps.filter(pk=step.pk).exists()
    assert Step.all_objects.get(pk=step.pk).removed_at is not None


def test_a_removed_step_comes_back_with_undo_in_its_place(member_client, goal):
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]))

    response = member_client.post(reverse("goals:step-undo", args=[step.pk]))

    assert response["Location"] == f"{goal.get_absolute_url()}#step-{step.pk}"
    page = member_client.get(response["Location"])
    assert messages_of(page) == ["“Walk to the park” is back."]
    assert step_titles(page_text(page)) == [
        "Find my shoes",
        "Walk to the park",
        "Jog for five minutes",
    ]
    assert "0 of 3 steps done" in page_text(page)


def test_the_undo_offer_leaves_the_page_after_a_minute(member_client, goal):
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]))

    with time_machine.travel(datetime.timedelta(seconds=61)):
        text = page_text(member_client.get(goal.get_absolute_url()))

    assert step_titles(text) == ["Find my shoes", "Jog for five minutes"]
    assert "Walk to the park" not in text


def test_a_done_step_comes_back_done_with_its_moment_on_the_journey(
    member_client, goal
):
    step = services.step_set_done(step=step_of(goal, "Find my shoes"), done=True)
    done_at = step.done_at

    member_client.post(reverse("goals:step-delete", args=[step.pk]))
    assert not JourneyEvent.objects.filter(kind=EventKind.STEP_DONE).exists()
    assert "Find my shoes" not in page_text(
        member_client.get(reverse("goals:timeline"))
    )

    member_client.post(reverse("goals:step-undo", args=[step.pk]))

    step.refresh_from_db()
    assert step.done and step.done_at == done_at
    moment = JourneyEvent.objects.get(kind=EventKind.STEP_DONE)
    assert (moment.step_id, moment.occurred_at) == (step.pk, done_at)
    assert "Find my shoes" in page_text(member_client.get(reverse("goals:timeline")))


def test_an_undo_sent_twice_brings_the_step_back_once(member_client, goal):
    step = services.step_set_done(step=step_of(goal, "Find my shoes"), done=True)
    member_client.post(reverse("goals:step-delete", args=[step.pk]))
    undo = reverse("goals:step-undo", args=[step.pk])

    first = member_client.post(undo)
    second = member_client.post(undo)

    assert first.status_code == second.status_code == 302
    assert JourneyEvent.objects.filter(kind=EventKind.STEP_DONE).count() == 1
    assert goal.steps.count() == 3
    assert messages_of(member_client.get(second["Location"])) == [
        "“Find my shoes” is back.",
        "“Find my shoes” is back.",
    ]


def test_a_remove_sent_twice_is_answered_as_the_first(member_client, goal):
    step = step_of(goal, "Walk to the park")
    url = reverse("goals:step-delete", args=[step.pk])
    first = member_client.post(url)
    removed_at = Step.all_objects.get(pk=step.pk).removed_at

    second = member_client.post(url)

    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Step.all_objects.get(pk=step.pk).removed_at == removed_at


def test_an_undo_after_the_row_is_no_longer_kept_is_refused_in_words(
    member_client, goal
):
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]))

    with time_machine.travel(REMOVED_KEPT_FOR + datetime.timedelta(seconds=5)):
        response = member_client.post(reverse("goals:step-undo", args=[step.pk]))
        page = member_client.get(response["Location"])

    assert messages_of(page) == [
        "“Walk to the park” was removed a while ago, and cannot come back now."
    ]
    assert not goal.steps.filter(pk=step.pk).exists()


@pytest.mark.parametrize(
    ("make", "remove", "undo"),
    [
        (
            lambda m, words: StepFactory(goal=GoalFactory(member=m), title=words),
            "goals:step-delete",
            "goals:step-undo",
        ),
        (
            lambda m, words: StrengthFactory(member=m, text=words),
            "goals:strength-delete",
            "goals:strength-undo",
        ),
        (
            lambda m, words: WellnessToolFactory(member=m, name=words),
            "goals:tool-remove",
            "goals:tool-undo",
        ),
    ],
)
def test_undo_says_back_as_success_and_too_late_as_information_for_each_kind(
    member_client, member, make, remove, undo
):
    soon, late = make(member, "Walk by the river"), make(member, "Call Jo")
    for thing in (soon, late):
        member_client.post(reverse(remove, args=[thing.pk]))

    back = member_client.post(reverse(undo, args=[soon.pk]), follow=True)
    with time_machine.travel(REMOVED_KEPT_FOR + datetime.timedelta(seconds=5)):
        too_late = member_client.post(reverse(undo, args=[late.pk]), follow=True)

    said = [(m.level_tag, str(m)) for m in back.context["messages"]]
    assert said == [("success", "“Walk by the river” is back.")]
    said = [(m.level_tag, str(m)) for m in too_late.context["messages"]]
    assert said == [
        ("info", "“Call Jo” was removed a while ago, and cannot come back now.")
    ]
    assert type(late).all_objects.get(pk=late.pk).removed_at is not None


def test_a_removed_step_cannot_be_ticked_and_says_so(member_client, goal):
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]))

    response = member_client.post(
        reverse("goals:step-toggle", args=[step.pk]), {"done": "1"}, **HTMX
    )

    assert response.status_code == 200
    assert "That step was removed, so there was nothing to tick." in page_text(response)
    assert not Step.all_objects.get(pk=step.pk).done


def test_a_removed_step_has_nothing_to_edit(member_client, goal):
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]))

    response = member_client.post(
        reverse("goals:step-edit", args=[step.pk]), {"title": "New words"}
    )

    assert response.status_code == 302
    assert Step.all_objects.get(pk=step.pk).title == "Walk to the park"


def test_goal_progress_everywhere_leaves_a_removed_step_out(member_client, goal):
    services.step_set_done(step=step_of(goal, "Find my shoes"), done=True)
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]))

    assert "1 of 2 steps done" in page_text(member_client.get(reverse("goals:home")))
    assert "1 of 2 steps done" in page_text(member_client.get(reverse("goals:list")))
    assert "Walk to the park" not in page_text(member_client.get(reverse("goals:home")))


def test_a_supporter_no_longer_sees_a_step_the_moment_it_is_removed(
    client, member, supporter, match, goal
):
    step = step_of(goal, "Walk to the park")
    services.step_remove(step=step)
    client.force_login(supporter)

    text = page_text(client.get(reverse("peers:member", args=[member.pk])))

    assert "Find my shoes" in text
    assert "Walk to the park" not in text


# --- Steps, with htmx -----------------------------------------------------------


def test_remove_with_htmx_puts_undo_in_the_steps_place_and_says_so(member_client, goal):
    step = step_of(goal, "Walk to the park")

    response = member_client.post(reverse("goals:step-delete", args=[step.pk]), **HTMX)

    text = page_text(response)
    assert response.status_code == 200
    assert text.lstrip().startswith('<section class="card" id="steps"')
    assert step_titles(text) == [
        "Find my shoes",
        "removed: Walk to the park",
        "Jog for five minutes",
    ]
    # The focus goes to Undo, where the Remove button was.
    assert f'id="undo-step-{step.pk}" autofocus>Undo' in text
    assert (
        '<p id="announce" hx-swap-oob="innerHTML">Removed the step “Walk to the park”.'
        " Undo is in its place.</p>" in text
    )


def test_undo_with_htmx_swaps_the_step_back_and_says_so(member_client, goal):
    step = step_of(goal, "Walk to the park")
    member_client.post(reverse("goals:step-delete", args=[step.pk]), **HTMX)

    response = member_client.post(reverse("goals:step-undo", args=[step.pk]), **HTMX)

    text = page_text(response)
    assert step_titles(text) == [
        "Find my shoes",
        "Walk to the park",
        "Jog for five minutes",
    ]
    assert f'id="step-toggle-{step.pk}" aria-pressed="false" autofocus>' in text
    assert (
        '<p id="announce" hx-swap-oob="innerHTML">“Walk to the park” is back.</p>'
        in (text)
    )
    assert "Undo" not in text


# --- Only the member's own ------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "remove", "undo"),
    [
        (
            lambda member: StepFactory(goal=GoalFactory(member=member)),
            services.step_remove,
            "goals:step-undo",
        ),
        (lambda member: StrengthFactory(member=member), None, "goals:strength-undo"),
        (lambda member: WellnessToolFactory(member=member), None, "goals:tool-undo"),
    ],
)
def test_a_strangers_undo_gets_404_and_what_was_removed_stays_removed(
    client, member, other_member, make, remove, undo
):
    thing = make(member)
    model = type(thing)
    removing = {
        Step: lambda: services.step_remove(step=thing),
        Strength: lambda: services.strength_remove(strength=thing),
        WellnessTool: lambda: services.tool_remove(tool=thing),
    }[model]
    removing()
    client.force_login(other_member)

    for headers in ({}, HTMX):
        response = client.post(reverse(undo, args=[thing.pk]), **headers)
        assert response.status_code == 404

    assert model.all_objects.get(pk=thing.pk).removed_at is not None


@pytest.mark.parametrize(
    ("make", "url"),
    [
        (lambda m: StepFactory(goal=GoalFactory(member=m)), "goals:step-delete"),
        (lambda m: StrengthFactory(member=m), "goals:strength-delete"),
        (lambda m: WellnessToolFactory(member=m), "goals:tool-remove"),
    ],
)
def test_a_stranger_cannot_remove_anything(client, member, other_member, make, url):
    thing = make(member)
    client.force_login(other_member)

    assert client.post(reverse(url, args=[thing.pk])).status_code == 404
    assert type(thing).all_objects.get(pk=thing.pk).removed_at is None


def test_undo_needs_a_post(member_client, goal):
    step = step_of(goal, "Walk to the park")
    services.step_remove(step=step)

    assert member_client.get(
        reverse("goals:step-undo", args=[step.pk])
    ).status_code == (405)


# --- Strengths ------------------------------------------------------------------


def test_a_removed_strength_comes_back_on_the_goals_that_drew_on_it(
    member_client, member
):
    kind = StrengthFactory(member=member, text="Kind to people")
    StrengthFactory(member=member, text="Patient")
    goal = GoalFactory(member=member)
    goal.strengths.add(kind)

    member_client.post(reverse("goals:strength-delete", args=[kind.pk]))
    assert "Kind to people" not in page_text(member_client.get(goal.get_absolute_url()))
    page = page_text(member_client.get(reverse("goals:strengths")))
    assert "Removed “Kind to people”." in page
    assert f'action="{reverse("goals:strength-undo", args=[kind.pk])}"' in page

    response = member_client.post(reverse("goals:strength-undo", args=[kind.pk]))

    assert response["Location"] == f"{reverse('goals:strengths')}#strength-{kind.pk}"
    assert list(goal.strengths.all()) == [kind]
    assert "Kind to people" in page_text(member_client.get(goal.get_absolute_url()))


def test_strength_remove_and_undo_with_htmx_swap_the_row(member_client, member):
    strength = StrengthFactory(member=member, text="Kind to people")
    row = f'<li class="row is-removed" id="strength-{strength.pk}">'

    removed = page_text(
        member_client.post(reverse("goals:strength-delete", args=[strength.pk]), **HTMX)
    )
    assert removed.lstrip().startswith(row)
    assert "Removed “Kind to people”." in removed
    assert f'id="undo-strength-{strength.pk}" autofocus>' in removed
    assert "Removed “Kind to people”. Undo is in its place.</p>" in removed

    back = page_text(
        member_client.post(reverse("goals:strength-undo", args=[strength.pk]), **HTMX)
    )
    assert back.lstrip().startswith(f'<li class="row" id="strength-{strength.pk}">')
    assert f'id="remove-strength-{strength.pk}" autofocus>' in back
    assert "“Kind to people” is back.</p>" in back


# --- Wellness tools -------------------------------------------------------------


def test_a_tool_can_be_removed_and_brought_back_as_it_was(member_client, member):
    tool = WellnessToolFactory(member=member, name="Late-night TV", in_use=False)

    response = member_client.post(reverse("goals:tool-remove", args=[tool.pk]))

    assert response["Location"] == f"{reverse('goals:tools')}#tool-{tool.pk}"
    page = page_text(member_client.get(reverse("goals:tools")))
    assert "Removed “Late-night TV”." in page
    assert "Past check-ins keep it." not in page  # no check-in ticked it
    assert not WellnessTool.objects.filter(pk=tool.pk).exists()

    member_client.post(reverse("goals:tool-undo", args=[tool.pk]))

    tool.refresh_from_db()
    assert tool.removed_at is None and not tool.in_use


def test_a_removed_tool_leaves_the_checkin_but_stays_on_the_days_it_helped(
    member_client, member
):
    walk = WellnessToolFactory(member=member, name="A walk by the river")
    services.checkin_record(
        member=member, day=days_ago(2), wellbeing=6, hope=6, tools=[walk]
    )

    member_client.post(reverse("goals:tool-remove", args=[walk.pk]))

    assert "Past check-ins keep it." in page_text(
        member_client.get(reverse("goals:tools"))
    )
    assert "A walk by the river" not in page_text(
        member_client.get(reverse("goals:checkin"))
    )
    timeline = page_text(member_client.get(reverse("goals:timeline")))
    assert "What helped: A walk by the river" in timeline
    download = member_client.get(reverse("goals:data-download"))
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["checkins"][0]["tools_used"] == ["A walk by the river"]
    assert data["wellness_tools"][0]["removed_at"] is not None


def test_changing_a_checkin_keeps_a_removed_tool_on_it(member):
    walk = WellnessToolFactory(member=member, name="A walk")
    call = WellnessToolFactory(member=member, name="Calling my sister")
    checkin, _new = services.checkin_record(
        member=member, wellbeing=5, hope=5, tools=[walk, call]
    )
    services.tool_remove(tool=walk)

    services.checkin_record(member=member, wellbeing=6, hope=6, tools=[])

    names = set(
        checkin.tools_used(manager="all_objects").values_list("name", flat=True)
    )
    assert names == {"A walk"}


def test_the_worker_forgets_what_was_removed_once_undo_is_over(member):
    step = StepFactory(goal=GoalFactory(member=member))
    strength = StrengthFactory(member=member)
    unused = WellnessToolFactory(member=member, name="Unused")
    ticked = WellnessToolFactory(member=member, name="Ticked")
    CheckInFactory(member=member).tools_used.add(ticked)
    kept = StrengthFactory(member=member)
    services.step_remove(step=step)
    services.strength_remove(strength=strength)
    services.tool_remove(tool=unused)
    services.tool_remove(tool=ticked)

    assert tick.call()["goals.tasks.forget_removed"] == 0  # Undo still works
    with time_machine.travel(REMOVED_KEPT_FOR + datetime.timedelta(seconds=1)):
        assert tick.call()["goals.tasks.forget_removed"] == 3

    assert not Step.all_objects.filter(pk=step.pk).exists()
    assert not Strength.all_objects.filter(pk=strength.pk).exists()
    assert not WellnessTool.all_objects.filter(pk=unused.pk).exists()
    # Still on the day it helped, still off the list.
    assert WellnessTool.all_objects.get(pk=ticked.pk).removed_at is not None
    assert Strength.objects.get() == kept


def test_a_removed_tools_name_is_free_again_and_its_undo_then_says_so(
    member_client, member
):
    old = WellnessToolFactory(member=member, name="Walk")
    member_client.post(reverse("goals:tool-remove", args=[old.pk]))
    member_client.post(reverse("goals:tools"), {"name": "walk"})
    assert WellnessTool.objects.get().name == "walk"

    response = member_client.post(reverse("goals:tool-undo", args=[old.pk]), **HTMX)

    assert "“Walk” is on your list again already, so this one stays removed." in (
        page_text(response)
    )
    assert WellnessTool.all_objects.get(pk=old.pk).removed_at is not None


def test_tool_remove_with_htmx_swaps_the_row(member_client, member):
    tool = WellnessToolFactory(member=member, name="Journaling")

    removed = page_text(
        member_client.post(reverse("goals:tool-remove", args=[tool.pk]), **HTMX)
    )

    assert removed.lstrip().startswith(
        f'<li class="row is-removed" id="tool-{tool.pk}">'
    )
    assert f'id="undo-tool-{tool.pk}" autofocus>' in removed
    assert "Removed “Journaling”. Undo is in its place.</p>" in removed


@pytest.mark.parametrize("removed", [1, 10])
def test_the_tools_page_reads_in_the_same_queries_however_many_are_removed(
    member_client, member, django_assert_num_queries, removed
):
    for n in range(removed):
        tool = WellnessToolFactory(member=member, name=f"Tool {n}")
        CheckInFactory(member=member, day=days_ago(n)).tools_used.add(tool)
        services.tool_remove(tool=tool)
    WellnessToolFactory(member=member, name="Kept")
    member_client.get(reverse("goals:tools"))  # the session's first request

    # Session and user, the bell, the tools with whether a check-in ticked each.
    with django_assert_num_queries(4):
        response = member_client.get(reverse("goals:tools"))

    assert page_text(response).count("Removed “") == removed
