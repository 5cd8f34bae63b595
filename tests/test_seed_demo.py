"""The demo data command: the sign-ins work, a second run changes nothing, and the data
keeps every rule the app keeps (the database's constraints and the timeline's)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone

from goals.demo import plans as demo_plans
from goals.demo import words as demo_words
from goals.models import (
    CheckIn,
    Consent,
    ConsentTo,
    EventKind,
    Goal,
    GoalStatus,
    JourneyEvent,
    MeasureChoice,
    MeasureResult,
    Plan,
    PlanKind,
    PlanVersion,
    Reminder,
    Sharing,
    Step,
    Strength,
    WellnessTool,
)
from goals.services import STATUS_EVENT
from peers.models import (
    ChangeRequest,
    ContactNote,
    Encouragement,
    Match,
    Message,
    SupporterProfile,
)
from recovery.models import Notification, Role, User

pytestmark = pytest.mark.django_db

SMALL = ("--members", "5", "--days", "10")
SIGN_INS = {
    "maya": Role.MEMBER,
    "noor": Role.MEMBER,
    "sam": Role.SUPPORTER,
    "cora": Role.COORDINATOR,
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [User, Strength, WellnessTool, Goal, Step, CheckIn, JourneyEvent]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["tools used"] = CheckIn.tools_used.through.objects.count()
    counts["goal strengths"] = Goal.strengths.through.objects.count()
    return counts


def test_default_run_gives_the_four_sign_ins():
    output = seed()

    for username, role in SIGN_INS.items():
        # django-axes counts sign-ins per address, so it needs the request.
        sign_in = RequestFactory().post("/accounts/login/")
        person = authenticate(sign_in, username=username, password="recovery-demo")
        assert person is not None, username
        assert person.role == role
        assert username in output
    assert "recovery-demo" in output
    assert User.objects.filter(role=Role.MEMBER).count() == 12
    assert User.objects.filter(role=Role.SUPPORTER).count() == 4


def test_maya_makes_a_good_demo():
    seed()
    maya = User.objects.get(username="maya")
    today = maya.local_date()

    goals = Goal.objects.for_user(maya).active().with_progress()
    assert len(goals) >= 3
    assert all(goal.steps_total >= 2 for goal in goals)
    assert any(0 < goal.steps_done < goal.steps_total for goal in goals)
    statuses = set(Goal.objects.for_user(maya).values_list("status", flat=True))
    assert {GoalStatus.ACHIEVED, GoalStatus.PAUSED} <= statuses
    days = set(
        CheckIn.objects.for_user(maya)
        .filter(skipped=False)
        .values_list("day", flat=True)
    )
    # Every day lately, and today left open for whoever signs in as Maya.
    assert today not in days
    assert all(today - datetime.timedelta(days=n) in days for n in range(1, 15))
    assert CheckIn.objects.for_user(maya).filter(had_setback=True).exists()


def test_second_run_changes_nothing_and_keeps_changes():
    seed(*SMALL)
    maya = User.objects.get(username="maya")
    maya.first_name = "Maya R."
    maya.save()
    goal = Goal.objects.for_user(maya).first()
    goal.title = "My own words now"
    goal.save()
    before = row_counts()

    output = seed()
    seed(*SMALL)

    assert row_counts() == before
    assert "nothing was changed" in output
    assert all(username in output for username in SIGN_INS)
    assert User.objects.get(username="maya").first_name == "Maya R."
    assert Goal.objects.get(pk=goal.pk).title == "My own words now"


def test_small_run_has_the_expected_counts():
    seed(*SMALL)

    assert User.objects.filter(role=Role.MEMBER).count() == 5
    assert User.objects.filter(role=Role.SUPPORTER).count() == 4
    assert User.objects.filter(role=Role.COORDINATOR).count() == 1
    for member in User.objects.filter(role=Role.MEMBER):
        goals = Goal.objects.for_user(member).with_progress()
        assert 2 <= len(goals) <= 5
        assert len({goal.domain for goal in goals}) == len(goals)
        assert all(2 <= goal.steps_total <= 6 for goal in goals)
        categories = Strength.objects.for_user(member).values("category")
        assert categories.distinct().count() >= 3
        assert 3 <= WellnessTool.objects.for_user(member).count() <= 6
        checkins = CheckIn.objects.for_user(member)
        assert 1 <= checkins.count() <= 10
        first_day = member.local_date() - datetime.timedelta(days=9)
        assert not checkins.filter(day__lt=first_day).exists()
        assert not checkins.filter(day__gt=member.local_date()).exists()

    events = dict(
        JourneyEvent.objects.values_list("kind").annotate(n=Count("pk")).order_by()
    )
    assert events[EventKind.CHECKIN] == CheckIn.objects.count()
    assert events[EventKind.GOAL_SET] == Goal.objects.count()
    assert events[EventKind.STEP_DONE] == Step.objects.filter(done=True).count()
    for status, kind in STATUS_EVENT.items():
        if status not in (GoalStatus.ACTIVE, GoalStatus.PAUSED):
            assert events.get(kind, 0) == Goal.objects.filter(status=status).count()
    # A paused goal picked up again keeps both moments.
    assert events.get(EventKind.GOAL_PAUSED, 0) == Goal.objects.filter(
        status=GoalStatus.PAUSED
    ).count() + events.get(EventKind.GOAL_RESUMED, 0)


def test_checkins_keep_the_rules_and_each_has_one_event():
    seed(*SMALL)
    now = datetime.datetime.now(datetime.UTC)

    checkins = CheckIn.objects.select_related("member", "event").annotate(
        events=Count("event")
    )
    assert checkins
    for checkin in checkins:
        assert checkin.events == 1
        if checkin.skipped:
            assert checkin.wellbeing is None and checkin.hope is None
        else:
            assert 0 <= checkin.wellbeing <= 10 and 0 <= checkin.hope <= 10
        moment = checkin.event.occurred_at
        assert moment == checkin.created_at <= now
        assert checkin.member.local_date(moment) == checkin.day
    used = CheckIn.tools_used.through.objects.select_related("checkin", "wellnesstool")
    assert all(row.checkin.member_id == row.wellnesstool.member_id for row in used)


def test_goals_and_steps_match_their_timeline():
    seed(*SMALL)
    now = datetime.datetime.now(datetime.UTC)

    for goal in Goal.objects.prefetch_related("steps", "events"):
        moments = {event.kind: event.occurred_at for event in goal.events.all()}
        assert moments[EventKind.GOAL_SET] == goal.created_at
        for step in goal.steps.all():
            assert step.created_at >= goal.created_at
            if step.done:
                assert step.created_at <= step.done_at <= now
                assert step.events.get().occurred_at == step.done_at
            else:
                assert step.done_at is None and not step.events.exists()
        if goal.status != GoalStatus.ACTIVE:
            assert moments[STATUS_EVENT[goal.status]] == goal.status_changed_at
            done = [step.done_at for step in goal.steps.all() if step.done]
            assert all(moment <= goal.status_changed_at for moment in done)
        if goal.status == GoalStatus.ACHIEVED:
            assert all(step.done for step in goal.steps.all())
    assert not JourneyEvent.objects.filter(occurred_at__gt=now).exists()


def snapshot() -> dict[str, list]:
    """The demo data by natural keys (primary keys differ from one build to the
    next; password hashes carry a random salt)."""
    queries = {
        "users": User.objects.values_list(
            "username", "first_name", "role", "time_zone", "date_joined"
        ),
        "strengths": Strength.objects.values_list(
            "member__username", "category", "text", "created_at"
        ),
        "tools": WellnessTool.objects.values_list(
            "member__username", "name", "in_use", "created_at", "updated_at"
        ),
        "goals": Goal.objects.values_list(
            "member__username",
            "title",
            "domain",
            "status",
            "status_changed_at",
            "ladder_level",
            "shared",
            "origin",
            "target_date",
            "review_date",
            "created_at",
        ),
        "goal strengths": Goal.strengths.through.objects.values_list(
            "goal__member__username", "goal__title", "strength__text"
        ),
        "steps": Step.objects.values_list(
            "goal__member__username", "goal__title", "title", "done_at", "created_at"
        ),
        "checkins": CheckIn.objects.values_list(
            "member__username",
            "day",
            "skip_reason",
            "wellbeing",
            "hope",
            "feelings",
            "had_setback",
            "note",
            "note_shared",
            "wants_to_talk",
            "created_at",
        ),
        "tools used": CheckIn.tools_used.through.objects.values_list(
            "checkin__member__username", "checkin__day", "wellnesstool__name"
        ),
        "events": JourneyEvent.objects.values_list(
            "member__username",
            "kind",
            "occurred_at",
            "goal__title",
            "step__title",
            "checkin__day",
        ),
    }
    return {name: sorted(rows, key=repr) for name, rows in queries.items()}


def built_then_forgotten(*args: str) -> dict[str, list]:
    """Seed, take a snapshot, and roll the database back to before the seeding."""
    with transaction.atomic():
        seed(*args)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


@time_machine.travel(
    datetime.datetime(2026, 3, 14, 15, 9, tzinfo=datetime.UTC), tick=False
)
def test_same_seed_builds_the_same_data():
    first = built_then_forgotten(*SMALL, "--seed", "7")
    assert first["checkins"]

    assert built_then_forgotten(*SMALL, "--seed", "7") == first
    assert built_then_forgotten(*SMALL, "--seed", "8")["checkins"] != first["checkins"]


def test_extra_people_are_numbered():
    seed("--members", "14", "--days", "3")

    members = User.objects.filter(role=Role.MEMBER)
    assert members.count() == 14
    assert set(
        members.filter(username__startswith="member").values_list("username", flat=True)
    ) == {"member0001", "member0002"}


def test_clock_fields_are_back_to_normal_after_seeding():
    seed(*SMALL)

    assert Goal._meta.get_field("created_at").auto_now_add
    assert Goal._meta.get_field("updated_at").auto_now
    assert CheckIn._meta.get_field("created_at").auto_now_add


def test_refuses_to_mix_with_people_who_are_not_demo_people():
    User.objects.create_user(username="jamal", password="someone-real-123")

    with pytest.raises(CommandError, match="jamal"):
        seed()
    assert User.objects.count() == 1


def test_needs_maya_and_noor():
    with pytest.raises(CommandError):
        seed("--members", "1")


def test_maya_has_a_safety_plan_shared_with_sam_and_a_wellness_plan():
    seed()
    maya = User.objects.get(username="maya")
    safety = Plan.objects.get(member=maya, kind=PlanKind.SAFETY)
    wellness = Plan.objects.get(member=maya, kind=PlanKind.WELLNESS)

    assert safety.shared and not wellness.shared
    for plan in (safety, wellness):
        versions = list(plan.versions.order_by("day"))
        assert len(versions) >= 2
        # The latest version is the plan as it is now, and it grew.
        texts = [i.text for i in plan.items.order_by("section", "position")]
        latest = [
            item["text"]
            for section in versions[-1].content["sections"].values()
            for item in section
        ]
        assert sorted(latest) == sorted(texts)
        assert len(versions[0].content["sections"]) == len(plan.sections)
        assert sum(map(len, versions[0].content["sections"].values())) < len(texts)
        assert plan.edited_at == versions[-1].made_at < timezone.now()
        assert all(v.day == maya.local_date(v.made_at) for v in versions)
    # Every part of her safety plan has something in it.
    assert {i.section for i in safety.items.all()} == set(safety.sections)
    sam = User.objects.get(username="sam")
    assert Match.objects.active().get(member=maya).supporter == sam
    # Nobody else has a plan: the demo's plans are Maya's.
    assert not PlanVersion.objects.exclude(plan__member=maya).exists()


def test_demo_words_stay_hopeful():
    words = [demo_words.SKIP_REASONS, demo_words.SETBACKS, *demo_words.NOTES.values()]
    words += [*demo_words.FEELINGS.values(), *demo_words.STRENGTH_IDEAS.values()]
    words += [[name + description for name, description in demo_words.TOOL_IDEAS]]
    for idea in demo_words.GOAL_IDEAS.values():
        words.append([idea.title, idea.why, *idea.steps, *(idea.ladder or ())])
    for sitting in (*demo_plans.SAFETY_PLAN, *demo_plans.WELLNESS_PLAN):
        words += [[text for text, _phone in entries] for entries in sitting.values()]
    text = " ".join(" ".join(group) for group in words).lower()
    for word in (
        "fail",
        "patient",
        "relapse",
        "compliant",
        "streak",
        "clean",
        "addict",
    ):
        assert word not in text


class TestPeerSupportDemo:
    """Each demo role lands on a living page."""

    @pytest.fixture(autouse=True)
    def built(self):
        seed()

    def test_maya_is_on_sams_caseload_and_noor_with_another_supporter(self):
        from peers.caseload import caseload

        sam = User.objects.get(username="sam")
        assert "maya" in [row.member.username for row in caseload(sam)]
        noor = Match.objects.active().get(member__username="noor")
        assert noor.supporter.username != "sam"

    def test_the_history_has_an_ended_match_and_a_rematch(self):
        jamal = Match.objects.filter(member__username="jamal").order_by("started_at")
        assert [m.is_active for m in jamal] == [False, True]
        assert jamal[0].end_reason

    def test_some_members_wait_and_one_asks_for_a_change(self):
        waiting = User.objects.filter(role=Role.MEMBER).exclude(
            matches__ended_at__isnull=True, matches__isnull=False
        )
        assert waiting.count() >= 3
        assert ChangeRequest.objects.filter(resolved_at__isnull=True).count() == 1

    def test_each_supporters_load_is_true_and_within_capacity(self):
        for profile in SupporterProfile.objects.all():
            active = Match.objects.active().filter(supporter=profile.user).count()
            assert profile.active_matches == active <= profile.capacity

    def test_maya_has_a_word_from_sam_on_her_latest_checkin(self):
        latest = Encouragement.objects.filter(member__username="maya").first()
        assert latest.supporter.username == "sam"
        newest_checkin = CheckIn.objects.filter(member__username="maya").latest("day")
        assert latest.checkin == newest_checkin

    def test_contact_notes_are_shared_and_private(self):
        notes = ContactNote.objects.filter(member__username="maya")
        assert notes.filter(shared_with_member=True).exists()
        assert notes.filter(shared_with_member=False).exists()


def test_a_large_programme_scales_the_peer_side_too():
    seed("--members", "40", "--days", "20")
    assert SupporterProfile.objects.count() == 4
    # More members than places: every place is taken, the rest wait.
    places = sum(SupporterProfile.objects.values_list("capacity", flat=True))
    assert Match.objects.active().count() == places
    assert ContactNote.objects.count() > Match.objects.active().count()


def test_maya_and_sam_have_a_conversation_with_one_unread_for_each():
    call_command("seed_demo", stdout=StringIO())
    maya = User.objects.get(username="maya")
    sam = User.objects.get(username="sam")
    messages = Message.objects.filter(match__member=maya, match__ended_at__isnull=True)

    assert {m.author for m in messages} == {maya, sam}
    assert messages.filter(author=maya, seen_at__isnull=True).count() == 1
    assert messages.filter(author=sam, seen_at__isnull=True).count() == 1


def test_maya_has_three_barc_10_results_over_six_months():
    call_command("seed_demo", stdout=StringIO())
    maya = User.objects.get(username="maya")
    today = maya.local_date()
    choice = MeasureChoice.objects.get(member=maya)
    results = list(MeasureResult.objects.for_user(maya).completed().order_by("day"))

    assert (choice.measure, choice.every_months) == ("barc-10", 2)
    assert len(results) == 3
    joined = maya.local_date(maya.date_joined)
    assert all(joined <= r.day <= today for r in results)
    assert (today - results[0].day).days <= 183
    assert len({r.day for r in results}) == 3
    assert all(r.total == sum(r.answers) for r in results)
    assert results[-1].total > results[0].total  # her months have gone upward
    assert not MeasureResult.objects.for_user(maya).drafts().exists()
    # She shares the totals with Sam, on the record.
    assert Sharing.objects.get(member=maya).measures_shared
    assert Consent.objects.filter(
        member=maya, what=ConsentTo.MEASURES_TO_SUPPORTER, withdrawn_at=None
    ).exists()


def test_demo_questionnaires_keep_the_rules():
    seed(*SMALL)
    for result in MeasureResult.objects.select_related("member"):
        assert result.is_completed
        assert result.member.local_date(result.completed_at) == result.day
        assert result.completed_at >= result.member.date_joined
        answers = result.answers
        assert all(a is None or 1 <= a <= 6 for a in answers)
        assert result.total == (None if None in answers else sum(answers))
    for choice in MeasureChoice.objects.select_related("member"):
        assert choice.created_at >= choice.member.date_joined
        assert choice.every_months in (1, 2, 3)


def test_maya_has_chosen_an_evening_reminder():
    call_command("seed_demo", stdout=StringIO())
    reminder = Reminder.objects.get(member__username="maya")
    assert reminder.on and reminder.at.hour == 19


def test_every_demo_sign_in_has_something_new_under_the_bell():
    call_command("seed_demo", stdout=StringIO())
    for username in ("maya", "noor", "sam", "cora"):
        unread = Notification.objects.filter(
            recipient__username=username, read_at__isnull=True
        )
        assert unread.exists(), username
