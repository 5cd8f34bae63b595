"""Who may call each member URL: anonymous, the owner, another member, and people
with the supporter or coordinator role. One matrix over every route in goals/urls.py,
so a new URL without a test shows up in `test_every_route_is_in_the_matrix`."""

import html

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from goals import measure_services, plans, services
from goals.measures import BARC_10
from goals.models import (
    CheckIn,
    Goal,
    JourneyEvent,
    MeasureChoice,
    MeasureResult,
    PlanItem,
    PlanKind,
    PlanSection,
    Step,
    Strength,
    WellnessTool,
)
from goals.urls import urlpatterns
from tests.factories import (
    GoalFactory,
    StepFactory,
    StrengthFactory,
    WellnessToolFactory,
    days_ago,
)

QUESTIONNAIRE, STATEMENT = "questionnaire", "statement"
# (url name, which owned object its pk comes from, method)
ROUTES = [
    ("goals:home", None, "get"),
    ("goals:list", None, "get"),
    ("goals:create", None, "get"),
    ("goals:detail", "goal", "get"),
    ("goals:edit", "goal", "get"),
    ("goals:status", "goal", "post"),
    ("goals:ladder", "goal", "post"),
    ("goals:step-add", "goal", "post"),
    ("goals:step-toggle", "step", "post"),
    ("goals:step-edit", "step", "get"),
    ("goals:step-delete", "step", "post"),
    ("goals:step-undo", "step", "post"),
    ("goals:strengths", None, "get"),
    ("goals:strength-delete", "strength", "post"),
    ("goals:strength-undo", "strength", "post"),
    ("goals:tools", None, "get"),
    ("goals:tool-toggle", "tool", "post"),
    ("goals:tool-remove", "tool", "post"),
    ("goals:tool-undo", "tool", "post"),
    ("goals:checkin", None, "get"),
    ("goals:checkin-skip", None, "post"),
    ("goals:timeline", None, "get"),
    ("goals:privacy", None, "get"),
    ("goals:account-delete", None, "get"),
    ("goals:reminders", None, "get"),
    ("goals:reminder-pause", None, "post"),
    ("goals:safety-plan", None, "get"),
    ("goals:safety-plan-item-add", None, "post"),
    ("goals:safety-plan-sharing", None, "post"),
    ("goals:safety-plan-versions", None, "get"),
    ("goals:wellness-plan", None, "get"),
    ("goals:wellness-plan-item-add", None, "post"),
    ("goals:wellness-plan-sharing", None, "post"),
    ("goals:wellness-plan-versions", None, "get"),
    ("goals:plan-item-edit", "plan_item", "get"),
    ("goals:plan-item-move", "plan_item", "post"),
    ("goals:plan-item-delete", "plan_item", "post"),
    ("goals:plan-version", "plan_version", "get"),
    # A ZIP, not a page: asked with GET, checked in tests/goals/test_export.py.
    ("goals:data-download", None, "download"),
    ("goals:measures", None, "get"),
    # A questionnaire's pages name the questionnaire, not the member: each member
    # reaches their own (another member's, in tests/goals/test_measure_views.py).
    ("goals:measure", QUESTIONNAIRE, "get"),
    ("goals:measure-start", QUESTIONNAIRE, "post"),
    ("goals:measure-all", QUESTIONNAIRE, "get"),
    ("goals:measure-review", QUESTIONNAIRE, "get"),
    ("goals:measure-finish", QUESTIONNAIRE, "post"),
    ("goals:measure-discard", QUESTIONNAIRE, "post"),
    ("goals:measure-item", STATEMENT, "get"),
]
OBJECT_ROUTES = [
    route for route in ROUTES if route[1] not in (None, QUESTIONNAIRE, STATEMENT)
]
PAGES = [route for route in ROUTES if route[2] == "get" and route[1] is None]
# Open to anyone, signed in or not (tests/goals/test_account_delete.py, and the
# reminder's stop link: tests/goals/test_reminders.py).
PUBLIC_ROUTES = {"goals:goodbye", "goals:reminder-stop"}

# What a POST would try to change, so a refused POST can be shown to change nothing.
POST_DATA = {
    "goals:status": {"status": "achieved"},
    "goals:ladder": {"level": "2"},
    "goals:step-add": {"title": "A step slipped in by someone else"},
    "goals:step-toggle": {"done": "1"},
    "goals:step-edit": {"title": "Renamed by someone else"},
    "goals:checkin-skip": {"reason": "not mine to skip"},
    "goals:create": {"title": "Someone else's goal", "domain": "health"},
    "goals:edit": {"title": "Renamed by someone else", "domain": "money"},
    "goals:strengths": {"category": "personal", "text": "Planted strength"},
    "goals:tools": {"name": "Planted tool"},
    "goals:checkin": {"wellbeing": "3", "hope": "3"},
    "goals:privacy": {"goals_shared": "", "numbers_shared": "on"},
    "goals:account-delete": {"password": "a-long-test-password"},
    "goals:measures": {f"every_{BARC_10.key}": "1"},
    "goals:measure-start": {"layout": "one"},
    "goals:measure-all": {"item_1": "1", "action": "finish"},
    "goals:measure-item": {"answer": "1", "action": "next"},
    "goals:safety-plan-item-add": {"section": "reasons", "text": "Slipped in"},
    "goals:wellness-plan-item-add": {"section": "daily", "text": "Slipped in"},
    "goals:safety-plan-sharing": {"shared": "on"},
    "goals:wellness-plan-sharing": {"shared": "on"},
    "goals:plan-item-edit": {"text": "Renamed by someone else"},
    "goals:plan-item-move": {"direction": "down"},
}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owned(member):
    """Maya's plan, with words nobody else should ever see."""
    strength = StrengthFactory(member=member, text="Maya is a patient listener")
    goal = GoalFactory(
        member=member,
        title="Swim in the lake by summer",
        why="Water calms me",
        ladder_expected="Swim once a week",
    )
    goal.strengths.add(strength)
    step = StepFactory(goal=goal, title="Buy a swimsuit")
    tool = WellnessToolFactory(member=member, name="Morning walk by the river")
    services.checkin_record(
        member=member,
        wellbeing=4,
        hope=6,
        feelings="tired but steady",
        note="Talked to my sister",
        tools=[tool],
        day=days_ago(1),
    )
    # Today's check-in too: the check-in form looks up "today" for the person asking.
    services.checkin_record(member=member, wellbeing=2, hope=3, note="Rainy Tuesday")
    # A questionnaire answered yesterday (39 out of 60), and today's begun again.
    yesterday = MeasureResult.objects.create(
        member=member,
        measure=BARC_10.key,
        completed_at=timezone.now(),
        day=days_ago(1),
        total=39,
        **{f"item_{n}": 4 for n in range(1, 10)},
        item_10=3,
    )
    measure_services.measure_draft(member=member, questionnaire=BARC_10)
    plan_item = plans.plan_item_add(
        member=member,
        kind=PlanKind.SAFETY,
        section=PlanSection.REASONS,
        text="Seeing my nephew grow up",
    )
    plans.plan_item_add(
        member=member,
        kind=PlanKind.SAFETY,
        section=PlanSection.REASONS,
        text="The lake in June",
    )
    plans.plan_item_add(
        member=member,
        kind=PlanKind.WELLNESS,
        section=PlanSection.DAILY,
        text="Porridge before nine",
    )
    return {
        "yesterday": yesterday,
        "goal": goal,
        "step": step,
        "strength": strength,
        "tool": tool,
        "plan_item": plan_item,
        "plan_version": plan_item.plan.versions.get(),
    }


def url_for(route, owned) -> str:
    name, obj, _method = route
    if obj == QUESTIONNAIRE:
        return reverse(name, args=[BARC_10.key])
    if obj == STATEMENT:
        return reverse(name, args=[BARC_10.key, 1])
    return reverse(name, args=[owned[obj].pk]) if obj else reverse(name)


def snapshot(member) -> dict:
    """Everything of the member's that any member URL could change."""
    return {
        "goals": list(
            Goal.objects.filter(member=member)
            .order_by("pk")
            .values("title", "domain", "status", "ladder_level", "shared")
        ),
        "steps": list(
            Step.all_objects.filter(goal__member=member)
            .order_by("pk")
            .values("title", "done", "removed_at")
        ),
        "strengths": list(
            Strength.all_objects.filter(member=member)
            .order_by("pk")
            .values("text", "removed_at")
        ),
        "tools": list(
            WellnessTool.all_objects.filter(member=member)
            .order_by("pk")
            .values("name", "in_use", "removed_at")
        ),
        "checkins": list(
            CheckIn.objects.filter(member=member)
            .order_by("day")
            .values("day", "skipped", "wellbeing")
        ),
        "events": JourneyEvent.objects.filter(member=member).count(),
        "questionnaires": list(
            MeasureResult.objects.filter(member=member)
            .order_by("pk")
            .values("completed_at", "total", "item_1", "position")
        ),
        "chosen": list(
            MeasureChoice.objects.filter(member=member).values("every_months")
        ),
        "plan_items": list(
            PlanItem.objects.filter(plan__member=member)
            .order_by("pk")
            .values("text", "position", "plan__shared")
        ),
    }


def call(client, route, url, **extra):
    name, _obj, method = route
    if method == "post":
        return client.post(url, POST_DATA.get(name, {}), **extra)
    return client.get(url, **extra)


def test_every_route_is_in_the_matrix():
    names = {f"goals:{p.name}" for p in urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for name, _obj, _method in ROUTES} | PUBLIC_ROUTES


# --- Anonymous ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_anonymous_is_sent_to_sign_in(client, owned, member, route):
    url = url_for(route, owned)
    before = snapshot(member)

    response = call(client, route, url)

    assertRedirects(response, f"/accounts/login/?next={url}")
    assert snapshot(member) == before


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_anonymous_post_is_sent_to_sign_in_and_writes_nothing(
    client, owned, member, route
):
    url = url_for(route, owned)
    before = snapshot(member)

    response = client.post(url, POST_DATA.get(route[0], {}))

    assertRedirects(response, f"/accounts/login/?next={url}")
    assert snapshot(member) == before


# --- Wrong role -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["supporter", "coordinator"])
@pytest.mark.parametrize("route", ROUTES, ids=[r[0] for r in ROUTES])
def test_supporter_and_coordinator_are_refused(request, owned, member, role, route):
    client = signed_in(request.getfixturevalue(role))
    url = url_for(route, owned)
    before = snapshot(member)

    assert client.get(url).status_code == 403
    assert client.post(url, POST_DATA.get(route[0], {})).status_code == 403
    assert snapshot(member) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["supporter", "coordinator"])
def test_refused_page_shows_none_of_the_members_data(request, owned, role):
    client = signed_in(request.getfixturevalue(role))

    response = client.get(reverse("goals:detail", args=[owned["goal"].pk]))

    assert response.status_code == 403
    assert "Swim in the lake" not in page_text(response)


# --- Another member -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[r[0] for r in OBJECT_ROUTES])
def test_another_member_gets_404_for_the_owners_objects(
    owned, member, other_member, route
):
    client = signed_in(other_member)
    url = url_for(route, owned)
    before = snapshot(member)

    response = call(client, route, url)

    assert response.status_code == 404
    assert "Swim in the lake" not in page_text(response)
    assert snapshot(member) == before


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=[r[0] for r in OBJECT_ROUTES])
def test_another_members_post_changes_nothing(owned, member, other_member, route):
    client = signed_in(other_member)
    url = url_for(route, owned)
    before = snapshot(member)

    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(url, POST_DATA.get(route[0], {}), **extra)
        assert response.status_code == 404

    assert snapshot(member) == before
    # Nothing landed on the other member's side either.
    assert snapshot(other_member) == {
        "goals": [],
        "steps": [],
        "strengths": [],
        "tools": [],
        "checkins": [],
        "events": 0,
        "questionnaires": [],
        "chosen": [],
        "plan_items": [],
    }


OWNER_WORDS = [
    "Swim in the lake",
    "Water calms me",
    "Buy a swimsuit",
    "Maya is a patient listener",
    "Morning walk by the river",
    "tired but steady",
    "Talked to my sister",
    "Swim once a week",
    "Rainy Tuesday",
    "You already checked in today",
    "You checked in today",
    "39 out of 60",
    "part way through",
    "Seeing my nephew grow up",
    "Porridge before nine",
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGES, ids=[r[0] for r in PAGES])
def test_another_members_pages_show_nothing_of_the_owner(owned, other_member, route):
    client = signed_in(other_member)

    response = client.get(url_for(route, owned))

    assert response.status_code == 200
    text = page_text(response)
    assert "<html" in text
    for words in OWNER_WORDS:
        assert words not in text, f"{words!r} leaked onto {route[0]}"


@pytest.mark.django_db
def test_another_members_forms_do_not_offer_the_owners_strengths_or_tools(
    owned, other_member
):
    client = signed_in(other_member)

    goal_form = page_text(client.get(reverse("goals:create")))
    checkin_form = page_text(client.get(reverse("goals:checkin")))

    assert f'value="{owned["strength"].pk}"' not in goal_form
    assert "Maya is a patient listener" not in goal_form
    assert "Morning walk by the river" not in checkin_form


# What the owner finds of their own on each page (and the stranger, above, not).
OWN_WORDS_ON = {
    "goals:home": ["Hello, Maya", "Swim in the lake", "Buy a swimsuit"],
    "goals:list": ["Swim in the lake"],
    "goals:create": ["Maya is a patient listener"],
    "goals:strengths": ["Maya is a patient listener"],
    "goals:tools": ["Morning walk by the river"],
    "goals:checkin": ["Morning walk by the river", "Rainy Tuesday"],
    "goals:timeline": ["Rainy Tuesday", "tired but steady", "Talked to my sister"],
    "goals:privacy": ["Swim in the lake by summer", "2 notes are private"],
    "goals:account-delete": ["This cannot be undone"],
    "goals:reminders": ["Check-in reminders", "Off unless you turn it on"],
    "goals:measures": ["39 out of 60", "part way through"],
    "goals:safety-plan": ["Seeing my nephew grow up", "The lake in June"],
    "goals:wellness-plan": ["Porridge before nine", "Morning walk by the river"],
    "goals:safety-plan-versions": ["as it is now"],
    "goals:wellness-plan-versions": ["as it is now"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGES, ids=[r[0] for r in PAGES])
def test_owner_sees_their_own_pages(owned, member, route):
    response = signed_in(member).get(url_for(route, owned))

    assert response.status_code == 200
    text = page_text(response)
    assert "<html" in text
    # Every member page carries the member's navigation and the crisis link.
    assert "My journey" in text
    assert "Need help now?" in text
    for words in OWN_WORDS_ON[route[0]]:
        assert words in text


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["goals:detail", "goals:edit"])
def test_owner_sees_their_own_goal(owned, member, route):
    response = signed_in(member).get(reverse(route, args=[owned["goal"].pk]))

    assert response.status_code == 200
    text = page_text(response)
    assert "Swim in the lake by summer" in text
    assert "Water calms me" in text
    assert "Swim once a week" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r[2] == "post"],
    ids=[r[0] for r in ROUTES if r[2] == "post"],
)
def test_actions_refuse_get(owned, member, route):
    """Actions change data, so they only answer POST: a link or prefetch changes
    nothing."""
    before = snapshot(member)

    response = signed_in(member).get(url_for(route, owned))

    assert response.status_code == 405
    assert snapshot(member) == before


# --- No "failed", anywhere ------------------------------------------------------


@pytest.mark.django_db
def test_the_word_failed_never_appears_on_a_member_page(member):
    goals = {
        status: GoalFactory(member=member, title=f"A goal now {status}")
        for status in ("active", "achieved", "paused", "let_go")
    }
    for status, goal in goals.items():
        step = StepFactory(goal=goal)
        services.step_set_done(step=step, done=True)
        services.goal_set_status(goal=goal, status=status)
    services.checkin_record(member=member, wellbeing=1, hope=0, had_setback=True)
    services.checkin_skip(member=member, day=days_ago(1), reason="a rough day")
    client = signed_in(member)
    urls = [reverse(name) for name, obj, method in PAGES]
    urls += [goal.get_absolute_url() for goal in goals.values()]
    urls += [reverse("goals:edit", args=[goal.pk]) for goal in goals.values()]
    urls += [reverse("goals:timeline") + f"?period={p}" for p in ("4w", "1y", "all")]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "fail" not in page_text(response).lower(), url

    timeline = page_text(client.get(reverse("goals:timeline")))
    assert "Let a goal go" in timeline
    assert "Paused a goal" in timeline
    assert "A setback, and I kept going." in timeline
