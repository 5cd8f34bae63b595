"""The access matrix: every URL pattern, from Django's own resolver, asked by every
kind of person, with ids filled in from member A's data.

Marker strings sit in A's private goal, a private step, a private check-in note, and
A's unshared wellbeing numbers. Nobody but A may ever see them: not another member,
not A's supporter, not another supporter, not A's former supporter, not a
coordinator, not anyone signed out. A URL that someone is not entitled to answers
403, 404 or the sign-in page, and a POST to it changes nothing.

A new URL pattern with parameters must be added to PARAMS below; until it is, the
test naming it fails, so no view escapes the matrix.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goals import measure_services, plans
from goals import services as goal_services
from goals.measures import BARC_10
from goals.models import (
    CheckIn,
    Goal,
    MeasureResult,
    Plan,
    PlanItem,
    PlanKind,
    PlanSection,
    PlanVersion,
    Sharing,
    Step,
    Strength,
    WellnessTool,
)
from peers import services as peer_services
from peers.conversations import message_send
from peers.models import (
    ContactNote,
    Encouragement,
    ExperienceArea,
    Match,
    Suggestion,
)
from recovery.invitations import invitation_create
from recovery.models import CrisisLine, Invitation, Notification, PasswordLink
from tests.factories import (
    CoordinatorFactory,
    GoalFactory,
    MemberFactory,
    StepFactory,
    StrengthFactory,
    SuggestionFactory,
    SupporterFactory,
    SupporterProfileFactory,
    WellnessToolFactory,
)

PRIVATE_GOAL = "ZZ-PRIVATE-GOAL-ZZ"
PRIVATE_STEP = "ZZ-PRIVATE-STEP-ZZ"
PRIVATE_NOTE = "ZZ-PRIVATE-NOTE-ZZ"
# In A's safety plan and wellness plan, neither shared.
PRIVATE_PLAN = "ZZ-PRIVATE-PLAN-ZZ"
# Written with the former supporter: A keeps it, nobody else reads it now.
OLD_MESSAGE = "ZZ-OLD-CONVERSATION-ZZ"
UNSHARED_NUMBERS = ["wellbeing 9, hope 1", "last two weeks: 9"]
# A's BARC-10 total (nine 6s and a 5), kept private: A shares no totals.
UNSHARED_TOTAL = "59 out of 60"
MARKERS = [
    PRIVATE_GOAL,
    PRIVATE_STEP,
    PRIVATE_NOTE,
    PRIVATE_PLAN,
    OLD_MESSAGE,
    *UNSHARED_NUMBERS,
    UNSHARED_TOTAL,
]

PERSONAS = [
    "anonymous",
    "member_b",
    "supporter_a",
    "other_supporter",
    "former_supporter",
    "coordinator",
]

# Pages anyone may open without signing in (they say so with @login_not_required).
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "crisis",
    "healthz",
    "readyz",
    "invitation-accept",
    "password-link",
    "goals:goodbye",
    "goals:reminder-stop",
}

# Pages whose parameters name a questionnaire, not anyone's data: each member
# reaches only their own (A's markers must still never show to anyone else).
OWN_PAGES = {
    "goals:measure",
    "goals:measure-start",
    "goals:measure-all",
    "goals:measure-review",
    "goals:measure-finish",
    "goals:measure-discard",
    "goals:measure-item",
}


@dataclass
class Cast:
    a: object
    b: object
    supporter_a: object
    other_supporter: object
    former_supporter: object
    coordinator: object
    private_goal: Goal
    shared_goal: Goal
    private_step: Step
    strength: Strength
    tool: WellnessTool
    suggestion: Suggestion
    match: Match
    old_match: Match
    crisis_line: CrisisLine
    invitation: Invitation
    plan_item: PlanItem
    plan_version: PlanVersion


def build_cast() -> Cast:
    a = MemberFactory(username="member-a", first_name="Ada")
    b = MemberFactory(username="member-b", first_name="Bea")
    former = SupporterProfileFactory(user=SupporterFactory(username="former")).user
    supporter_a = SupporterProfileFactory(user=SupporterFactory(username="sup-a")).user
    other = SupporterProfileFactory(user=SupporterFactory(username="sup-other")).user
    coordinator = CoordinatorFactory(username="coord")

    old = peer_services.match_create(member=a, supporter=former, by=coordinator)
    message_send(match=old, author=a, text=OLD_MESSAGE)
    peer_services.match_end(match=old, by=coordinator, reason="moved")
    match = peer_services.match_create(member=a, supporter=supporter_a, by=coordinator)
    peer_services.match_create(member=b, supporter=other, by=coordinator)

    Sharing.objects.create(member=a, numbers_shared=False)
    private_goal = GoalFactory(member=a, title=PRIVATE_GOAL, shared=False)
    private_step = StepFactory(goal=private_goal, title=PRIVATE_STEP)
    shared_goal = GoalFactory(member=a, title="Shared goal of A")
    StepFactory(goal=shared_goal, title="Shared step of A")
    goal_services.checkin_record(
        member=a, wellbeing=9, hope=1, note=PRIVATE_NOTE, note_shared=False
    )
    draft = measure_services.measure_draft(member=a, questionnaire=BARC_10)
    measure_services.measure_answer_all(draft=draft, answers=[6] * 9 + [5])
    measure_services.measure_finish(member=a, questionnaire=BARC_10)
    measure_services.measure_draft(member=a, questionnaire=BARC_10)  # in progress
    strength = StrengthFactory(member=a)
    tool = WellnessToolFactory(member=a)
    plan_item = plans.plan_item_add(
        member=a,
        kind=PlanKind.SAFETY,
        section=PlanSection.HELPERS,
        text=PRIVATE_PLAN,
        phone="555 010 0199",
    )
    plans.plan_item_add(
        member=a, kind=PlanKind.WELLNESS, section=PlanSection.DAILY, text=PRIVATE_PLAN
    )
    suggestion = SuggestionFactory(member=a, supporter=supporter_a)
    peer_services.contact_log(
        match=match,
        contact_date=match.started_at.date(),
        mode="phone",
        note="A supporters' record",
    )
    return Cast(
        a=a,
        b=b,
        supporter_a=supporter_a,
        other_supporter=other,
        former_supporter=former,
        coordinator=coordinator,
        private_goal=private_goal,
        shared_goal=shared_goal,
        private_step=private_step,
        strength=strength,
        tool=tool,
        suggestion=suggestion,
        match=match,
        old_match=old,
        crisis_line=CrisisLine.objects.create(name="A second line", contact="555 0100"),
        invitation=invitation_create(name="Someone", role="member", by=coordinator)[0],
        plan_item=plan_item,
        plan_version=plan_item.plan.versions.get(),
    )


# URL name -> how to fill its parameters from A's data.
PARAMS = {
    "goals:detail": lambda c: {"pk": c.private_goal.pk},
    "goals:edit": lambda c: {"pk": c.private_goal.pk},
    "goals:status": lambda c: {"pk": c.private_goal.pk},
    "goals:ladder": lambda c: {"pk": c.private_goal.pk},
    "goals:step-add": lambda c: {"pk": c.private_goal.pk},
    "goals:step-toggle": lambda c: {"pk": c.private_step.pk},
    "goals:step-delete": lambda c: {"pk": c.private_step.pk},
    "goals:step-edit": lambda c: {"pk": c.private_step.pk},
    "goals:step-undo": lambda c: {"pk": c.private_step.pk},
    "goals:strength-delete": lambda c: {"pk": c.strength.pk},
    "goals:strength-undo": lambda c: {"pk": c.strength.pk},
    "goals:tool-toggle": lambda c: {"pk": c.tool.pk},
    "goals:plan-item-edit": lambda c: {"pk": c.plan_item.pk},
    "goals:plan-item-move": lambda c: {"pk": c.plan_item.pk},
    "goals:plan-item-delete": lambda c: {"pk": c.plan_item.pk},
    "goals:plan-version": lambda c: {"pk": c.plan_version.pk},
    "goals:tool-remove": lambda c: {"pk": c.tool.pk},
    "goals:tool-undo": lambda c: {"pk": c.tool.pk},
    "peers:suggestion-accept": lambda c: {"pk": c.suggestion.pk},
    "peers:suggestion-decline": lambda c: {"pk": c.suggestion.pk},
    "peers:suggestion-take-back": lambda c: {"pk": c.suggestion.pk},
    "peers:member": lambda c: {"pk": c.a.pk},
    "peers:member-safety-plan": lambda c: {"pk": c.a.pk},
    "peers:member-wellness-plan": lambda c: {"pk": c.a.pk},
    "peers:encourage": lambda c: {"pk": c.a.pk},
    "peers:suggest-goal": lambda c: {"pk": c.a.pk},
    "peers:suggest-step": lambda c: {"pk": c.a.pk, "goal_pk": c.private_goal.pk},
    "peers:contact-add": lambda c: {"pk": c.a.pk},
    "peers:contact-list": lambda c: {"pk": c.a.pk},
    "peers:member-conversation": lambda c: {"pk": c.a.pk},
    "peers:crisis-follow-up": lambda c: {"pk": c.a.pk},
    "peers:conversation-earlier": lambda c: {"match_id": c.old_match.pk},
    "notification-open": lambda c: {
        "pk": Notification.objects.filter(recipient=c.a).first().pk
    },
    "peers:supporter-edit": lambda c: {"supporter_id": c.supporter_a.pk},
    "peers:member-history": lambda c: {"member_id": c.a.pk},
    "peers:suggestions": lambda c: {"member_id": c.a.pk},
    "peers:match-end": lambda c: {"match_id": c.match.pk},
    "peers:deactivate": lambda c: {"user_id": c.a.pk},
    "peers:area-remove": lambda c: {"area_id": ExperienceArea.objects.first().pk},
    "invitation-accept": lambda c: {"token": "not-a-real-invitation"},
    "password-link": lambda c: {"token": "not-a-real-link"},
    "peers:invitation-withdraw": lambda c: {"invitation_id": c.invitation.pk},
    "peers:password-link-make": lambda c: {"user_id": c.a.pk},
    "goals:reminder-stop": lambda c: {"token": "not-a-real-stop-link"},
    "password_reset_confirm": lambda c: {"uidb64": "MQ", "token": "set-password"},
    "peers:member-measures": lambda c: {"pk": c.a.pk},
    **{name: lambda c: {"measure": BARC_10.key} for name in OWN_PAGES},
    "goals:measure-item": lambda c: {"measure": BARC_10.key, "item": 1},
    "crisis-line-edit": lambda c: {"line_id": c.crisis_line.pk},
    "crisis-line-remove": lambda c: {"line_id": c.crisis_line.pk},
    "crisis-line-move": lambda c: {"line_id": c.crisis_line.pk},
}

# Who may legitimately open a URL about A (beyond A): everyone else is refused.
ENTITLED = {
    "peers:member": {"supporter_a"},
    # A shares neither plan: their own supporter too is refused.
    "peers:member-safety-plan": set(),
    "peers:member-wellness-plan": set(),
    "peers:encourage": {"supporter_a"},
    "peers:suggest-goal": {"supporter_a"},
    "peers:suggest-step": set(),  # the goal is private: nobody but A
    "peers:contact-add": {"supporter_a"},
    "peers:contact-list": {"supporter_a"},
    "peers:member-conversation": {"supporter_a"},
    "peers:crisis-follow-up": {"supporter_a"},
    "peers:member-measures": {"supporter_a"},  # and sees nothing: A shares none
    "peers:conversation-earlier": set(),  # A's alone
    "notification-open": set(),
    "peers:supporter-edit": {"coordinator"},
    "peers:member-history": {"coordinator"},
    "peers:suggestions": {"coordinator"},
    "peers:match-end": {"coordinator"},
    "peers:deactivate": {"coordinator"},
    "peers:area-remove": {"coordinator"},
    # The programme's crisis lines: coordinators change them, nobody else.
    "peers:invitation-withdraw": {"coordinator"},
    "peers:password-link-make": {"coordinator"},
    "crisis-line-edit": {"coordinator"},
    "crisis-line-remove": {"coordinator"},
    "crisis-line-move": {"coordinator"},
}


def url_patterns(patterns=None, prefix="", namespace=None):
    """(route, name) for every URL pattern the project answers, admin aside."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = entry.namespace or namespace
            yield from url_patterns(
                entry.url_patterns, prefix + str(entry.pattern), inner
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(entry.pattern), name


ALL_URLS = sorted({name for _route, name in url_patterns()})


def body_of(response) -> str:
    """Everything a response shows, ZIP downloads unpacked."""
    raw = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(archive.read(n).decode() for n in archive.namelist())
    return raw.decode(errors="replace") + str(dict(response.headers))


def fingerprint(cast: Cast) -> tuple:
    """A's data and the programme's state, to prove a refused POST changed nothing."""
    a = cast.a
    return (
        list(
            Goal.objects.filter(member=a).values_list("pk", "title", "status", "shared")
        ),
        list(
            Step.all_objects.filter(goal__member=a).values_list(
                "pk", "done", "title", "removed_at"
            )
        ),
        list(Strength.all_objects.filter(member=a).values_list("pk", "removed_at")),
        list(
            WellnessTool.all_objects.filter(member=a).values_list(
                "pk", "in_use", "removed_at"
            )
        ),
        list(CheckIn.objects.filter(member=a).values_list("pk", "note")),
        list(
            MeasureResult.objects.filter(member=a).values_list(
                "pk", "completed_at", "total", "item_1", "position"
            )
        ),
        list(Plan.objects.filter(member=a).values_list("pk", "shared")),
        list(
            PlanItem.objects.filter(plan__member=a).values_list(
                "pk", "text", "phone", "position"
            )
        ),
        list(Suggestion.objects.values_list("pk", "status")),
        list(Match.objects.values_list("pk", "ended_at")),
        Encouragement.objects.count(),
        ExperienceArea.objects.count(),
        ContactNote.objects.count(),
        a.__class__.objects.get(pk=a.pk).is_active,
        list(CrisisLine.objects.values_list("pk", "name", "contact", "position")),
        list(Invitation.objects.values_list("pk", "withdrawn_at")),
        PasswordLink.objects.count(),
    )


def client_for(cast: Cast, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        person = {
            "member_b": cast.b,
            "supporter_a": cast.supporter_a,
            "other_supporter": cast.other_supporter,
            "former_supporter": cast.former_supporter,
            "coordinator": cast.coordinator,
        }[persona]
        client.force_login(person)
    return client


def test_every_url_pattern_with_parameters_is_in_the_matrix():
    unfilled = [
        f"{name} ({route})"
        for route, name in url_patterns()
        if "<" in route and name not in PARAMS
    ]
    assert unfilled == [], "add these URL patterns to PARAMS"


@pytest.mark.django_db
def test_the_markers_are_really_there_for_a_themselves():
    """Proof the matrix can fail: A's own pages show every marker."""
    cast = build_cast()
    client = Client()
    client.force_login(cast.a)
    goal_page = client.get(reverse("goals:detail", args=[cast.private_goal.pk]))
    timeline = client.get(reverse("goals:timeline")).content.decode()
    assert PRIVATE_GOAL in goal_page.content.decode()
    assert PRIVATE_STEP in goal_page.content.decode()
    assert PRIVATE_NOTE in timeline and "wellbeing 9, hope 1" in timeline
    measures = client.get(reverse("goals:measure", args=[BARC_10.key]))
    assert UNSHARED_TOTAL in measures.content.decode()
    for plan in ("goals:safety-plan", "goals:wellness-plan"):
        assert PRIVATE_PLAN in client.get(reverse(plan)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_URLS)
def test_nobody_else_sees_a_private_thing_or_changes_a_plan(name):
    cast = build_cast()
    kwargs = PARAMS[name](cast) if name in PARAMS else {}
    url = reverse(name, kwargs=kwargs)
    about_a = name in PARAMS and name not in PUBLIC and name not in OWN_PAGES
    before = fingerprint(cast)

    for persona in PERSONAS:
        client = client_for(cast, persona)
        response = client.get(url)
        seen = body_of(response)
        for marker in MARKERS:
            assert marker not in seen, f"{persona} saw {marker!r} at {url}"

        if persona == "anonymous" and name not in PUBLIC:
            assert response.status_code == 302, (persona, url)
            assert response["Location"].startswith(reverse("login")), (persona, url)
        entitled = persona in ENTITLED.get(name, set())
        if about_a and not entitled and persona != "anonymous":
            # 405: a POST-only action; its POST is checked below.
            assert response.status_code in (403, 404, 405), (
                persona,
                url,
                response.status_code,
            )

        if about_a and not entitled:
            refused = client.post(url, {})
            assert refused.status_code in (302, 403, 404), (persona, url)
            if refused.status_code == 302:
                assert refused["Location"].startswith(reverse("login")), (persona, url)
            assert fingerprint(cast) == before, (
                f"{persona}'s POST to {url} changed data"
            )
        elif name in OWN_PAGES:
            client.post(url, {})  # their own, if anyone's: never A's
            assert fingerprint(cast) == before, f"{persona}'s POST to {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_here_reaches_the_admin(persona):
    cast = build_cast()
    response = client_for(cast, persona).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]
