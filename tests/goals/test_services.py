"""The rules of the member's plan: check-ins one a day, goal statuses, steps."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from goals import services
from goals.models import CheckIn, EventKind, Goal, GoalStatus, JourneyEvent
from tests.factories import (
    GoalFactory,
    MemberFactory,
    StepFactory,
    StrengthFactory,
    WellnessToolFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def record(member, **overrides):
    values = {"wellbeing": 6, "hope": 7} | overrides
    return services.checkin_record(member=member, **values)


class TestCheckInOneADay:
    def test_second_checkin_the_same_day_updates_the_first(self, member):
        first, created = record(member, wellbeing=3, note="rough morning")
        second, created_again = record(member, wellbeing=7, note="better now")

        assert created and not created_again
        assert first.pk == second.pk
        assert CheckIn.objects.filter(member=member).count() == 1
        checkin = CheckIn.objects.get(member=member)
        assert (checkin.wellbeing, checkin.note) == (7, "better now")
        assert JourneyEvent.objects.filter(member=member, kind="checkin").count() == 1

    def test_the_database_refuses_two_checkins_for_one_day(self, member):
        CheckIn.objects.create(
            member=member, day=datetime.date(2026, 3, 1), wellbeing=5, hope=5
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.create(
                member=member, day=datetime.date(2026, 3, 1), wellbeing=6, hope=6
            )

    def test_the_day_follows_the_members_own_time_zone(self):
        auckland = MemberFactory(time_zone="Pacific/Auckland")
        los_angeles = MemberFactory(time_zone="America/Los_Angeles")
        # 2026-06-01 20:00 UTC is 08:00 on 2 June in Auckland and 13:00 on 1 June in LA.
        with time_machine.travel(datetime.datetime(2026, 6, 1, 20, 0, tzinfo=UTC)):
            nz, _ = record(auckland)
            la, _ = record(los_angeles)
        assert nz.day == datetime.date(2026, 6, 2)
        assert la.day == datetime.date(2026, 6, 1)

    def test_a_new_day_starts_at_the_members_midnight(self):
        member = MemberFactory(time_zone="Europe/Berlin")
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
        with time_machine.travel(datetime.datetime(2026, 1, 10, 23, 59, tzinfo=berlin)):
            before_midnight, _ = record(member, wellbeing=4)
        with time_machine.travel(datetime.datetime(2026, 1, 11, 0, 1, tzinfo=berlin)):
            after_midnight, created = record(member, wellbeing=8)
        assert created
        assert before_midnight.day == datetime.date(2026, 1, 10)
        assert after_midnight.day == datetime.date(2026, 1, 11)
        assert CheckIn.objects.filter(member=member).count() == 2

    def test_only_the_members_own_tools_are_ticked(self, member, other_member):
        mine = WellnessToolFactory(member=member, name="A walk")
        theirs = WellnessToolFactory(member=other_member, name="Their tool")
        checkin, _ = record(member, tools=[mine, theirs])
        assert list(checkin.tools_used.all()) == [mine]

    def test_skipping_a_day_is_recorded_without_scores(self, member):
        checkin = services.checkin_skip(member=member, reason="Resting")
        assert checkin.skipped and checkin.wellbeing is None
        assert checkin.skip_reason == "Resting"
        assert JourneyEvent.objects.filter(checkin=checkin).count() == 1

    def test_skipping_keeps_a_checkin_already_made_today(self, member):
        record(member, wellbeing=8)
        checkin = services.checkin_skip(member=member, reason="changed my mind")
        assert not checkin.skipped and checkin.wellbeing == 8

    def test_checking_in_after_skipping_replaces_the_skip(self, member):
        services.checkin_skip(member=member)
        checkin, created = record(member, wellbeing=5, hope=6)
        assert not created and not checkin.skipped
        assert CheckIn.objects.filter(member=member).count() == 1

    @pytest.mark.parametrize(
        "fields",
        [
            {"wellbeing": 11, "hope": 5},
            {"wellbeing": -1, "hope": 5},
            {"wellbeing": 5, "hope": 11},
            {"wellbeing": None, "hope": 5},
            {"skipped": True, "wellbeing": 5, "hope": 5},
        ],
    )
    def test_the_database_refuses_values_off_the_scale(self, member, fields):
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.create(
                member=member, day=datetime.date(2026, 2, 2), **fields
            )


class TestGoals:
    def test_a_new_goal_is_active_and_on_the_timeline(self, member, other_member):
        strength = StrengthFactory(member=member)
        someone_elses = StrengthFactory(member=other_member)
        goal = services.goal_create(
            member=member,
            goal=Goal(title="Walk to the park", domain="health"),
            strengths=[strength, someone_elses],
        )
        assert goal.status == GoalStatus.ACTIVE
        assert list(goal.strengths.all()) == [strength]
        event = JourneyEvent.objects.get(goal=goal)
        assert event.kind == EventKind.GOAL_SET and event.member == member

    @pytest.mark.parametrize(
        ("status", "kind"),
        [
            (GoalStatus.ACHIEVED, EventKind.GOAL_ACHIEVED),
            (GoalStatus.PAUSED, EventKind.GOAL_PAUSED),
            (GoalStatus.LET_GO, EventKind.GOAL_LET_GO),
        ],
    )
    def test_each_status_change_is_a_moment(self, status, kind):
        goal = GoalFactory()
        services.goal_set_status(goal=goal, status=status)
        goal.refresh_from_db()
        assert goal.status == status and goal.status_changed_at is not None
        assert JourneyEvent.objects.filter(goal=goal, kind=kind).count() == 1

    def test_a_paused_goal_can_be_picked_up_again_and_keeps_both_moments(self):
        goal = GoalFactory()
        services.goal_set_status(goal=goal, status=GoalStatus.PAUSED)
        services.goal_set_status(goal=goal, status=GoalStatus.ACTIVE)
        kinds = set(
            JourneyEvent.objects.filter(goal=goal).values_list("kind", flat=True)
        )
        assert kinds == {EventKind.GOAL_PAUSED, EventKind.GOAL_RESUMED}
        assert goal.is_active

    def test_setting_the_same_status_again_changes_nothing(self):
        goal = GoalFactory()
        services.goal_set_status(goal=goal, status=GoalStatus.ACTIVE)
        assert not JourneyEvent.objects.filter(goal=goal).exists()

    def test_there_is_no_failed_status(self):
        with pytest.raises(ValueError):
            services.goal_set_status(goal=GoalFactory(), status="failed")
        assert "failed" not in GoalStatus.values

    def test_the_database_refuses_an_unknown_status(self):
        goal = GoalFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Goal.objects.filter(pk=goal.pk).update(status="failed")


class TestLadder:
    def test_the_ladder_lists_written_rungs_highest_first(self):
        goal = GoalFactory(
            ladder_much_less="Stay in",
            ladder_expected="Walk once a week",
            ladder_much_more="Walk every day",
        )
        assert goal.ladder == [
            (2, "Walk every day"),
            (0, "Walk once a week"),
            (-2, "Stay in"),
        ]
        assert goal.has_ladder

    def test_a_goal_without_a_ladder_says_so(self):
        assert not GoalFactory().has_ladder

    def test_the_level_is_saved(self):
        goal = GoalFactory(ladder_expected="Walk once a week")
        services.goal_set_ladder_level(goal=goal, level=1)
        goal.refresh_from_db()
        assert goal.ladder_level == 1

    @pytest.mark.parametrize("level", [-3, 3])
    def test_the_database_keeps_the_level_between_minus_two_and_two(self, level):
        goal = GoalFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Goal.objects.filter(pk=goal.pk).update(ladder_level=level)


class TestSteps:
    def test_ticking_a_step_marks_the_moment_and_unticking_removes_it(self):
        step = StepFactory()
        services.step_set_done(step=step, done=True)
        step.refresh_from_db()
        assert step.done and step.done_at is not None
        assert JourneyEvent.objects.filter(step=step, kind="step_done").count() == 1

        services.step_set_done(step=step, done=False)
        step.refresh_from_db()
        assert not step.done and step.done_at is None
        assert not JourneyEvent.objects.filter(step=step).exists()

    def test_ticking_twice_writes_one_moment(self):
        step = StepFactory()
        services.step_set_done(step=step, done=True)
        services.step_set_done(step=step, done=True)
        assert JourneyEvent.objects.filter(step=step).count() == 1

    def test_progress_counts_steps_done(self, member):
        goal = GoalFactory(member=member)
        StepFactory.create_batch(3, goal=goal)
        services.step_set_done(step=goal.steps.first(), done=True)
        annotated = Goal.objects.for_user(member).with_progress().get(pk=goal.pk)
        assert (annotated.steps_done, annotated.steps_total) == (1, 3)

    def test_the_database_refuses_a_done_step_without_a_time(self):
        step = StepFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            type(step).objects.filter(pk=step.pk).update(done=True)
