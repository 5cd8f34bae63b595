"""Hostile and random input to every form: never a 500, never a partial write, and
whatever a person wrote shows as text, never as markup.

Every form view is listed in FORMS with the person who may use it; a test fails by
name if a view that answers POST is missing from it.
"""

from __future__ import annotations

import html
import re
import threading
import uuid

import pytest
from django.apps import apps
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goals import measure_services, plans
from goals import services as goal_services
from goals.measures import BARC_10
from goals.models import PlanKind, PlanSection
from peers import services as peer_services
from recovery.models import CrisisLine
from tests.factories import (
    CoordinatorFactory,
    GoalFactory,
    MemberFactory,
    StepFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

SCRIPT = '<script>alert("xss")</script>'

# Text a hostile or careless person might send: control characters, NUL, very long
# strings, markup, SQL, numbers where text belongs and text where numbers belong.
nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            SCRIPT,
            "'; DROP TABLE goals_goal; --",
            "-1",
            "11",
            "999999999999999999999",
            "1e309",
            "NaN",
            "2026-02-30",
            "../../etc/passwd",
            "x" * 5000,
            "\u202e\u200b",
            "{{ 7*7 }}",
        ]
    ),
)


def cast():
    member = MemberFactory(username="hostile-member")
    supporter = SupporterProfileFactory(user=SupporterFactory(username="h-sup")).user
    coordinator = CoordinatorFactory(username="h-coord")
    match = peer_services.match_create(member=member, supporter=supporter, by=None)
    goal = GoalFactory(member=member)
    step = StepFactory(goal=goal)
    checkin, _ = goal_services.checkin_record(member=member, wellbeing=5, hope=5)
    plan_item = plans.plan_item_add(
        member=member,
        kind=PlanKind.SAFETY,
        section=PlanSection.HELPERS,
        text="Jo",
        phone="555 123 4567",
    )
    suggestion = peer_services.suggestion_make(
        match=match, title="A walk together", domain="health"
    )
    measure_services.measure_draft(member=member, questionnaire=BARC_10)
    return {
        "suggestion": suggestion,
        "member": member,
        "supporter": supporter,
        "coordinator": coordinator,
        "match": match,
        "goal": goal,
        "step": step,
        "checkin": checkin,
        "crisis_line": CrisisLine.objects.first()
        or CrisisLine.objects.create(name="988 line", contact="988"),
        "plan_item": plan_item,
    }


# url name -> (who posts, kwargs from the cast, the form's field names)
FORMS = {
    "goals:create": (
        "member",
        {},
        [
            "title",
            "why",
            "domain",
            "chime_tags",
            "target_date",
            "review_date",
            "shared",
            "ladder_expected",
        ],
    ),  # noqa: E501
    "goals:edit": (
        "member",
        {"pk": "goal"},
        ["title", "why", "domain", "target_date", "review_date", "version"],
    ),  # noqa: E501
    "goals:status": ("member", {"pk": "goal"}, ["status"]),
    "goals:ladder": ("member", {"pk": "goal"}, ["level"]),
    "goals:step-add": ("member", {"pk": "goal"}, ["title"]),
    "goals:step-toggle": ("member", {"pk": "step"}, ["done"]),
    "goals:step-edit": ("member", {"pk": "step"}, ["title"]),
    "goals:strengths": ("member", {}, ["category", "text"]),
    "goals:tools": ("member", {}, ["name", "description"]),
    "goals:checkin": (
        "member",
        {},
        [
            "wellbeing",
            "hope",
            "feelings",
            "tools",
            "had_setback",
            "note",
            "note_shared",
            "wants_to_talk",
        ],
    ),  # noqa: E501
    "goals:checkin-skip": ("member", {}, ["reason"]),
    "account": ("member", {}, ["first_name", "time_zone"]),
    "peers:preferences": (
        "member",
        {},
        [
            "languages",
            "language_must",
            "supporter_gender",
            "gender_must",
            "pathways",
            "life_stage",
            "availability",
            "meeting_modes",
            "region",
        ],
    ),  # noqa: E501
    "peers:change-request": ("member", {}, ["reason"]),
    "peers:suggestion-decline": ("member", {"pk": "suggestion"}, ["words"]),
    "peers:conversation": ("member", {}, ["text"]),
    "goals:reminders": ("member", {}, ["on", "weekdays", "at"]),
    "peers:digest": ("supporter", {}, ["at"]),
    "peers:crisis-follow-up": ("supporter", {"pk": "member"}, ["day", "note"]),
    "notification-settings": (
        "member",
        {},
        ["message-app", "message-email", "encouragement-app", "suggestion-email"],
    ),
    "peers:member-conversation": ("supporter", {"pk": "member"}, ["text"]),
    "peers:encourage": ("supporter", {"pk": "member"}, ["text", "checkin", "goal"]),
    "peers:suggest-goal": ("supporter", {"pk": "member"}, ["title", "domain"]),
    "peers:contact-add": (
        "supporter",
        {"pk": "member"},
        [
            "contact_date",
            "mode",
            "reached",
            "minutes",
            "goals_discussed",
            "next_step",
            "follow_up",
            "note",
            "shared_with_member",
        ],
    ),  # noqa: E501
    "peers:supporter-edit": (
        "coordinator",
        {"supporter_id": "supporter"},
        [
            "capacity",
            "accepting",
            "languages",
            "region",
            "contact",
            "intro",
            "gender",
            "life_stage",
        ],
    ),  # noqa: E501
    "peers:areas": ("coordinator", {}, ["name"]),
    "peers:match-end": ("coordinator", {"match_id": "match"}, ["reason"]),
    "peers:invitations": ("coordinator", {}, ["name", "email", "role"]),
    "peers:batch": ("coordinator", {}, ["ticked", "proposed", "confirm"]),
    "two-factor-confirm": ("member", {}, ["code"]),
    "two-factor-off": ("member", {}, ["code"]),
    "goals:privacy": (
        "member",
        {},
        [
            "goals_shared",
            "notes_shared",
            "numbers_shared",
            "crisis_flag",
            "measures_shared",
        ],
    ),  # noqa: E501
    "goals:measures": ("member", {}, [f"every_{BARC_10.key}", "by_email"]),
    "goals:measure-start": ("member", {"measure": BARC_10.key}, ["layout"]),
    "goals:measure-item": (
        "member",
        {"measure": BARC_10.key, "item": 2},
        ["answer", "action"],
    ),
    "goals:measure-all": (
        "member",
        {"measure": BARC_10.key},
        [*(f"item_{n}" for n in range(1, 11)), "action"],
    ),
    "goals:account-delete": ("member", {}, ["password"]),
    "crisis-lines": ("coordinator", {}, ["name", "contact", "kind", "hours"]),
    "crisis-line-edit": (
        "coordinator",
        {"line_id": "crisis_line"},
        ["name", "contact", "kind", "hours"],
    ),
    "goals:safety-plan-item-add": (
        "member",
        {},
        ["section", "text", "phone", "line_contact"],
    ),
    "goals:wellness-plan-item-add": ("member", {}, ["section", "text", "phone"]),
    "goals:plan-item-edit": ("member", {"pk": "plan_item"}, ["text", "phone"]),
    "goals:plan-item-move": ("member", {"pk": "plan_item"}, ["direction"]),
    "goals:safety-plan-sharing": ("member", {}, ["shared"]),
    "goals:wellness-plan-sharing": ("member", {}, ["shared"]),
}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"recovery", "goals", "peers"}
        and model._meta.model_name != "auditevent"
    }


def url_for(name, kwargs, people):
    """Ids from the cast; other values (a questionnaire, a statement) as they are."""
    filled = {k: people[v].pk if v in people else v for k, v in kwargs.items()}
    return reverse(name, kwargs=filled)


@pytest.fixture
def people(db):
    """Built once per test; hypothesis then runs every example against it."""
    return cast()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_breaks_a_form(name, people, data):
    who, kwargs, fields = FORMS[name]
    client = Client()
    client.force_login(people[who])
    url = url_for(name, kwargs, people)
    payload = {
        field: data.draw(st.one_of(nasty_text, st.lists(nasty_text, max_size=3)))
        for field in fields
    }
    before = row_counts()
    response = client.post(url, payload)
    assert response.status_code < 500
    if response.status_code == 200 and b"errorlist" in response.content:
        # The form came back with its errors: nothing may have been written.
        assert row_counts() == before
    # Whatever came back shows what was sent as text, never as markup.
    assert SCRIPT.encode() not in response.content
    # A database rule is said in words, never by its name.
    assert b"is violated" not in response.content


@pytest.mark.django_db
def test_a_script_saved_in_every_text_field_shows_as_text_everywhere(people):
    member = people["member"]
    goal = GoalFactory(member=member, title=SCRIPT, why=SCRIPT, ladder_expected=SCRIPT)
    StepFactory(goal=goal, title=SCRIPT)
    goal_services.checkin_record(
        member=member,
        wellbeing=6,
        hope=6,
        feelings=SCRIPT,
        note=SCRIPT,
        note_shared=True,
    )
    plans.plan_item_add(
        member=member, kind=PlanKind.SAFETY, section=PlanSection.REASONS, text=SCRIPT
    )
    plans.plan_set_shared(member=member, kind=PlanKind.SAFETY, shared=True)
    member.first_name = SCRIPT
    member.save()
    peer_services.change_request_create(member=member, reason=SCRIPT)
    peer_services.encouragement_send(match=people["match"], text=SCRIPT, goal=goal)
    peer_services.contact_log(
        match=people["match"],
        contact_date=people["match"].started_at.date(),
        mode="phone",
        note=SCRIPT,
        next_step=SCRIPT,
        shared_with_member=True,
    )
    pages = {
        "member": [
            reverse("goals:home"),
            reverse("goals:list"),
            goal.get_absolute_url(),
            reverse("goals:edit", args=[goal.pk]),
            reverse("goals:timeline"),
            reverse("goals:safety-plan"),
            reverse("peers:my-supporter"),
        ],
        "supporter": [
            reverse("peers:caseload"),
            reverse("peers:member", args=[member.pk]),
            reverse("peers:member-safety-plan", args=[member.pk]),
        ],
        "coordinator": [
            reverse("peers:waiting"),
            reverse("peers:member-history", args=[member.pk]),
            reverse("peers:match-history"),
        ],
    }
    escaped = html.escape(SCRIPT)
    for who, urls in pages.items():
        client = Client()
        client.force_login(people[who])
        for url in urls:
            page = client.get(url).content.decode()
            assert SCRIPT not in page, f"{who} got live markup at {url}"
            assert escaped in page or "&lt;script&gt;" in page, f"nothing at {url}?"


def test_every_view_that_takes_a_form_is_in_the_list():
    """A new form view must be added to FORMS, so it meets hostile input too."""
    from tests.test_access_matrix import url_patterns

    post_only_actions = {
        # Buttons that post no text: covered by the access matrix and view tests.
        "logout",
        "two-factor-start",
        "two-factor-backup-codes",
        "notifications-read",
        "goals:reminder-pause",
        "peers:digest-toggle",
        "crisis-line-remove",
        "crisis-line-move",
        "peers:invitation-withdraw",
        "peers:password-link-make",
        # Public, a token and a button: tests/goals/test_reminders.py.
        "goals:reminder-stop",
        # The code after password sign-in; tested in tests/recovery/test_two_factor.py.
        "two-factor-verify",
        "goals:step-delete",
        "goals:step-undo",
        "goals:strength-delete",
        "goals:strength-undo",
        "goals:tool-toggle",
        "goals:plan-item-delete",
        "goals:tool-remove",
        "goals:tool-undo",
        "peers:suggestion-accept",
        "peers:suggestion-take-back",
        "peers:change-request-withdraw",
        "peers:suggest-step",
        "peers:match-create",
        "peers:deactivate",
        "peers:area-remove",
        "goals:measure-finish",
        "goals:measure-discard",
        # Django's own, well-tested forms.
        "login",
        "password_change",
        "password_reset",
        "password_reset_confirm",
        "invitation-accept",
        "password-link",  # Django's SetPasswordForm behind a one-time token
    }
    read_only = {
        "home",
        "data-views",
        "two-factor",
        "goals:data-download",
        "goals:goodbye",
        "peers:conversation-earlier",
        "notifications",
        "notification-open",
        "notification-bell",
        "security-events",
        "crisis",
        "healthz",
        "readyz",
        "password_change_done",
        "password_reset_done",
        "password_reset_complete",
        "goals:home",
        "goals:list",
        "goals:detail",
        "goals:timeline",
        "goals:safety-plan",
        "goals:wellness-plan",
        "goals:safety-plan-versions",
        "goals:wellness-plan-versions",
        "goals:plan-version",
        "peers:member-safety-plan",
        "peers:member-wellness-plan",
        "peers:my-supporter",
        "peers:caseload",
        "peers:member",
        "peers:contact-list",
        "peers:waiting",
        "peers:supporters",
        "peers:member-history",
        "peers:suggestions",
        "peers:match-history",
        "peers:report",
        "peers:report-csv",
        "goals:measure",
        "goals:measure-review",
        "peers:member-measures",
    }
    names = {name for _route, name in url_patterns()}
    unlisted = sorted(names - set(FORMS) - post_only_actions - read_only)
    assert unlisted == [], "add these views to FORMS (or say why they take no text)"


# --- A form sent twice makes one thing ----------------------------------------------

# url name -> (who posts, kwargs from the cast, a valid form, the model it makes)
CREATE_FORMS = {
    "goals:create": (
        "member",
        {},
        {"title": "Walk to the park", "why": "Air", "domain": "health"},
        "goals.Goal",
    ),
    "goals:step-add": ("member", {"pk": "goal"}, {"title": "Find shoes"}, "goals.Step"),
    "goals:safety-plan-item-add": (
        "member",
        {},
        {"section": "warning_signs", "text": "Not sleeping"},
        "goals.PlanItem",
    ),
    "goals:strengths": (
        "member",
        {},
        {"category": "personal", "text": "I keep going"},
        "goals.Strength",
    ),
    "goals:tools": (
        "member",
        {},
        {"name": "Music", "description": ""},
        "goals.WellnessTool",
    ),
    "peers:encourage": (
        "supporter",
        {"pk": "member"},
        {"text": "Well done", "checkin": "checkin"},
        "peers.Encouragement",
    ),
    "peers:suggest-goal": (
        "supporter",
        {"pk": "member"},
        {"title": "Join the walking group", "domain": "social"},
        "peers.Suggestion",
    ),
    "peers:suggest-step": (
        "supporter",
        {"pk": "member", "goal_pk": "goal"},
        {"title": "Ask about times"},
        "peers.Suggestion",
    ),
    "peers:contact-add": (
        "supporter",
        {"pk": "member"},
        {"contact_date": "today", "mode": "phone", "reached": "on", "minutes": "20"},
        "peers.ContactNote",
    ),
    "peers:conversation": ("member", {}, {"text": "Hello Sam"}, "peers.Message"),
    "peers:member-conversation": (
        "supporter",
        {"pk": "member"},
        {"text": "Hello Maya"},
        "peers.Message",
    ),
    "crisis-lines": (
        "coordinator",
        {},
        {"name": "Local line", "contact": "555 0100", "kind": "call"},
        "recovery.CrisisLine",
    ),
}


# Forms whose thing is one of a kind anyway: the same words from a fresh form make
# nothing new either (a tool's name is listed once; one reply per check-in).
ONE_OF_A_KIND = {"goals:tools", "peers:encourage", "crisis-lines"}


def _create_post(name, people) -> tuple[Client, str, dict, type]:
    who, kwargs, data, label = CREATE_FORMS[name]
    client = Client()
    client.force_login(people[who])
    filled = {
        field: (
            people[value].pk
            if value in people
            else (
                people["match"].started_at.date().isoformat()
                if value == "today"
                else value
            )
        )
        for field, value in data.items()
    }
    filled["once"] = str(uuid.uuid4())
    return client, url_for(name, kwargs, people), filled, apps.get_model(label)


def test_every_create_form_carries_a_one_time_key(people):
    pages = {
        "goals:create": ("member", reverse("goals:create")),
        "goals:step-add": ("member", people["goal"].get_absolute_url()),
        "goals:strengths": ("member", reverse("goals:strengths")),
        "goals:tools": ("member", reverse("goals:tools")),
        "goals:safety-plan-item-add": ("member", reverse("goals:safety-plan")),
        "peers:encourage": (
            "supporter",
            reverse("peers:member", args=[people["member"].pk]),
        ),
        "peers:suggest-goal": (
            "supporter",
            reverse("peers:member", args=[people["member"].pk]),
        ),
        "peers:suggest-step": (
            "supporter",
            reverse("peers:member", args=[people["member"].pk]),
        ),
        "peers:contact-add": (
            "supporter",
            reverse("peers:contact-add", args=[people["member"].pk]),
        ),
        "peers:conversation": ("member", reverse("peers:conversation")),
        "peers:member-conversation": (
            "supporter",
            reverse("peers:member-conversation", args=[people["member"].pk]),
        ),
        "crisis-lines": ("coordinator", reverse("crisis-lines")),
    }
    assert set(pages) == set(CREATE_FORMS)
    for name, (who, page) in pages.items():
        client = Client()
        client.force_login(people[who])
        content = client.get(page).content.decode()
        action = url_for(name, CREATE_FORMS[name][1], people)
        form = re.search(
            rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', content, re.S
        )
        body = form.group(1) if form else content  # a form posting to its own page
        assert re.search(r'name="once" value="[0-9a-f-]{36}"', body), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CREATE_FORMS))
def test_a_create_form_sent_twice_makes_one_thing(name, people):
    client, url, data, model = _create_post(name, people)
    before = model.objects.count()

    first = client.post(url, data)
    second = client.post(url, data)
    data["once"] = str(uuid.uuid4())  # the same words from a fresh form: a new one
    third = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert third.status_code < 500
    assert model.objects.count() == before + (1 if name in ONE_OF_A_KIND else 2)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once need PostgreSQL (CI runs this on PostgreSQL)",
)
@pytest.mark.parametrize("name", sorted(CREATE_FORMS))
def test_a_create_form_sent_twice_at_once_makes_one_thing(name):
    people = cast()
    client, url, data, model = _create_post(name, people)
    before = model.objects.count()
    start = threading.Barrier(2)
    answers = []

    def send():
        start.wait()
        try:
            answers.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302, 302]
    assert model.objects.count() == before + 1
