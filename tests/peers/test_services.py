"""Match changes, change requests, suggestions, encouragement and the contact log."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals.models import CheckIn, Goal, GoalOrigin, Step
from peers import services
from peers.models import (
    ChangeRequest,
    ContactNote,
    Match,
    MatchPreferences,
    SuggestionStatus,
    SupporterProfile,
)
from tests.factories import (
    ChangeRequestFactory,
    ExperienceAreaFactory,
    GoalFactory,
    MatchFactory,
    MemberFactory,
    SuggestionFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = pytest.mark.django_db


def load(supporter):
    return SupporterProfile.objects.get(user=supporter).active_matches


class TestMatchCreate:
    def test_a_waiting_member_is_matched_and_the_load_counts_it(
        self,
        member,
        supporter,
        coordinator,
        django_capture_on_commit_callbacks,
        mailoutbox,
    ):
        member.email, supporter.email = "m@example.org", "s@example.org"
        member.save()
        supporter.save()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            match = services.match_create(
                member=member, supporter=supporter, by=coordinator
            )
        assert match.is_active and match.started_by == coordinator
        assert load(supporter) == 1
        assert len(callbacks) == 2  # an email to each, sent after commit
        assert sorted(m.subject for m in mailoutbox) == [
            "You have a new peer support match",
            "You have a peer supporter",
        ]

    def test_no_notification_when_the_change_rolls_back(
        self,
        member,
        supporter,
        coordinator,
        django_capture_on_commit_callbacks,
        mailoutbox,
    ):
        member.email, supporter.email = "m@example.org", "s@example.org"
        member.save()
        supporter.save()
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            services.match_create(member=member, supporter=supporter, by=coordinator)
            raise RuntimeError("something else failed")
        assert mailoutbox == []
        assert not Match.objects.exists()
        assert load(supporter) == 0

    def test_a_full_caseload_is_refused_with_a_clear_message(self, coordinator):
        supporter = SupporterProfileFactory(capacity=1).user
        services.match_create(
            member=MemberFactory(), supporter=supporter, by=coordinator
        )
        with pytest.raises(services.MatchError, match="no place free \\(1 of 1\\)"):
            services.match_create(
                member=MemberFactory(), supporter=supporter, by=coordinator
            )
        assert load(supporter) == 1

    def test_a_supporter_not_accepting_is_refused(self, member, coordinator):
        supporter = SupporterProfileFactory(accepting=False).user
        with pytest.raises(services.MatchError, match="not accepting"):
            services.match_create(member=member, supporter=supporter, by=coordinator)

    def test_a_member_with_a_supporter_is_refused(
        self, member, supporter, other_supporter
    ):
        services.match_create(member=member, supporter=supporter, by=None)
        with pytest.raises(services.MatchError, match="already has a supporter"):
            services.match_create(member=member, supporter=other_supporter, by=None)
        assert load(other_supporter) == 0

    def test_only_members_are_matched(self, supporter, other_supporter):
        with pytest.raises(services.MatchError):
            services.match_create(member=other_supporter, supporter=supporter, by=None)

    def test_a_person_without_a_supporter_profile_is_not_a_supporter(self, member):
        with pytest.raises(services.MatchError, match="not an active peer supporter"):
            services.match_create(member=member, supporter=MemberFactory(), by=None)

    def test_matching_resolves_an_open_change_request(self, member, supporter):
        ChangeRequestFactory(member=member)
        services.match_create(member=member, supporter=supporter, by=None)
        assert not ChangeRequest.objects.filter(resolved_at__isnull=True).exists()


class TestDatabaseInvariants:
    def test_the_database_refuses_two_active_matches_for_one_member(
        self, member, supporter, other_supporter
    ):
        Match.objects.create(member=member, supporter=supporter)
        with pytest.raises(IntegrityError), transaction.atomic():
            Match.objects.create(member=member, supporter=other_supporter)

    def test_an_ended_match_leaves_room_for_a_new_one(self, member, supporter):
        old = Match.objects.create(member=member, supporter=supporter)
        Match.objects.filter(pk=old.pk).update(ended_at=old.started_at)
        Match.objects.create(member=member, supporter=supporter)
        assert Match.objects.filter(member=member).count() == 2

    def test_the_database_refuses_a_load_over_capacity(self):
        profile = SupporterProfileFactory(capacity=2)
        with pytest.raises(IntegrityError), transaction.atomic():
            SupporterProfile.objects.filter(pk=profile.pk).update(active_matches=3)


class TestMatchEndAndRematch:
    def test_ending_keeps_the_history_and_frees_the_place(self, match, coordinator):
        services.match_end(match=match, by=coordinator, reason="Member moved away")
        match.refresh_from_db()
        assert not match.is_active and match.end_reason == "Member moved away"
        assert load(match.supporter) == 0
        assert Match.objects.filter(pk=match.pk).exists()

    def test_ending_twice_is_refused(self, match):
        services.match_end(match=match, by=None, reason="")
        with pytest.raises(services.MatchError):
            services.match_end(match=match, by=None, reason="")
        assert load(match.supporter) == 0

    def test_rematch_ends_the_old_match_and_starts_the_new_one(
        self, match, other_supporter, coordinator
    ):
        new = services.rematch(
            member=match.member,
            supporter=other_supporter,
            by=coordinator,
            reason="asked",
        )
        match.refresh_from_db()
        assert not match.is_active and new.is_active
        assert (load(match.supporter), load(other_supporter)) == (0, 1)

    def test_a_rematch_that_cannot_start_leaves_the_old_match_in_place(self, match):
        full = SupporterProfileFactory(capacity=0).user
        with pytest.raises(services.MatchError):
            services.rematch(member=match.member, supporter=full, by=None, reason="")
        match.refresh_from_db()
        assert match.is_active and load(match.supporter) == 1


class TestBatchConfirm:
    def test_rows_that_went_stale_are_refused_one_by_one(self, coordinator):
        roomy = SupporterProfileFactory(capacity=3).user
        nearly_full = SupporterProfileFactory(capacity=1).user
        a, b, c = MemberFactory(), MemberFactory(), MemberFactory()
        # Meanwhile someone else filled the last place of `nearly_full`.
        services.match_create(member=MemberFactory(), supporter=nearly_full, by=None)

        results = services.batch_confirm(
            rows=[
                (a.pk, roomy.pk, 20),
                (b.pk, nearly_full.pk, 30),
                (c.pk, roomy.pk, 10),
            ],
            by=coordinator,
        )
        assert [bool(r.match) for r in results] == [True, False, True]
        assert "no place free" in results[1].refused
        assert not Match.objects.filter(member=b).exists()
        assert load(roomy) == 2 and load(nearly_full) == 1
        assert Match.objects.get(member=a).score == 20


class TestChangeRequests:
    def test_one_open_request_per_member(self, member):
        first = services.change_request_create(member=member, reason="")
        second = services.change_request_create(member=member, reason="Different hours")
        assert first.pk == second.pk and second.reason == "Different hours"
        assert ChangeRequest.objects.count() == 1


class TestSuggestions:
    def test_an_accepted_goal_becomes_the_members_own_marked_suggested(self, match):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        goal = services.suggestion_accept(suggestion=suggestion)
        assert isinstance(goal, Goal)
        assert goal.member == match.member and goal.origin == GoalOrigin.SUGGESTED
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.ACCEPTED

    def test_an_accepted_step_joins_its_goal(self, match):
        goal = GoalFactory(member=match.member)
        suggestion = services.suggestion_make(match=match, goal=goal, title="Call Ana")
        step = services.suggestion_accept(suggestion=suggestion)
        assert isinstance(step, Step) and step.goal == goal

    def test_a_declined_suggestion_changes_nothing_in_the_plan(self, match):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        suggestion = services.suggestion_decline(suggestion=suggestion)
        assert suggestion.status == SuggestionStatus.DECLINED
        assert not Goal.objects.filter(member=match.member).exists()
        with pytest.raises(services.SuggestionAlreadyAnswered):
            services.suggestion_accept(suggestion=suggestion)

    def test_a_step_cannot_be_suggested_under_a_private_goal(self, match):
        private = GoalFactory(member=match.member, shared=False)
        with pytest.raises(ValueError):
            services.suggestion_make(match=match, goal=private, title="x")


class TestEncouragementAndContacts:
    def test_encouragement_answers_only_the_members_own_shared_things(self, match):
        other_goal = GoalFactory()
        with pytest.raises(ValueError):
            services.encouragement_send(
                match=match,
                text="Hi",
                goal=other_goal,
            )
        checkin = CheckIn.objects.create(
            member=match.member, day=datetime.date(2026, 5, 1), wellbeing=4, hope=5
        )
        sent = services.encouragement_send(
            match=match,
            text="Proud of you",
            checkin=checkin,
        )
        assert sent.member == match.member

    def test_a_contact_is_logged_on_the_active_match_with_only_shared_goals(
        self, match
    ):
        shared = GoalFactory(member=match.member)
        private = GoalFactory(member=match.member, shared=False)
        contact = services.contact_log(
            match=match,
            contact_date=datetime.date(2026, 5, 2),
            mode="phone",
            minutes=20,
            goals=[shared, private],
        )
        assert contact.match == match
        assert list(contact.goals_discussed.all()) == [shared]

    def test_nothing_is_written_on_an_ended_match(self, match):
        checkin = CheckIn.objects.create(
            member=match.member, day=datetime.date(2026, 5, 1), wellbeing=4, hope=5
        )
        services.match_end(match=match, by=None, reason="moved")
        with pytest.raises(services.NotYourMember):
            services.contact_log(
                match=match, contact_date=datetime.date(2026, 5, 2), mode="phone"
            )
        with pytest.raises(services.NotYourMember):
            services.encouragement_send(match=match, text="Hi", checkin=checkin)
        with pytest.raises(services.NotYourMember):
            services.suggestion_make(match=match, title="x", domain="social")
        assert not ContactNote.objects.exists()

    def test_encouragement_answers_one_thing(self, match):
        with pytest.raises(ValueError):
            services.encouragement_send(match=match, text="Hi")


class TestReviewFindings:
    def test_ending_a_match_closes_that_supporters_open_ideas(self, match):
        waiting = SuggestionFactory(member=match.member, supporter=match.supporter)
        services.match_end(match=match, by=None, reason="moved")
        waiting.refresh_from_db()
        assert waiting.status == SuggestionStatus.DECLINED

    def test_a_drifted_load_count_heals_at_the_next_match(self, coordinator):
        supporter = SupporterProfileFactory(capacity=1).user
        # Something outside the services left the count wrong: one place looks taken.
        SupporterProfile.objects.filter(user=supporter).update(active_matches=1)
        services.match_create(member=MemberFactory(), supporter=supporter, by=None)
        assert load(supporter) == 1


def test_match_notifications_name_no_goal_note_or_number(
    member, supporter, django_capture_on_commit_callbacks, mailoutbox
):
    member.email, supporter.email = "maya@example.org", "sam@example.org"
    member.save()
    supporter.save()
    GoalFactory(member=member, title="GOAL-TITLE-MARKER")
    with django_capture_on_commit_callbacks(execute=True):
        match = services.match_create(member=member, supporter=supporter, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_end(match=match, by=None, reason="END-REASON-MARKER")
    assert len(mailoutbox) == 4
    for message in mailoutbox:
        text = message.subject + message.body
        assert "GOAL-TITLE-MARKER" not in text and "END-REASON-MARKER" not in text
        assert member.username not in text


def test_an_accepted_step_is_marked_as_suggested(match):
    from goals.models import GoalOrigin

    goal = GoalFactory(member=match.member)
    suggestion = services.suggestion_make(match=match, goal=goal, title="Stretch")
    step = services.suggestion_accept(suggestion=suggestion)
    assert step.origin == GoalOrigin.SUGGESTED


def profile_values(**changes):
    """A whole profile as a coordinator's form sends it, with `changes`."""
    return {
        "capacity": 4,
        "accepting": True,
        "languages": ["English"],
        "experience_areas": [],
        "pathways": [],
        "life_stage": "",
        "gender": "",
        "availability": [],
        "meeting_modes": [],
        "region": "",
        "contact": "",
        "intro": "",
        **changes,
    }


class TestSupporterProfileSave:
    def test_a_supporter_without_a_profile_gets_one_with_its_areas(self):
        person = SupporterFactory()
        grief = ExperienceAreaFactory(name="Grief")

        profile = services.supporter_profile_save(
            supporter=person,
            **profile_values(
                capacity=3, languages=["French"], experience_areas=[grief]
            ),
        )

        saved = SupporterProfile.objects.get(user=person)
        assert saved.pk == profile.pk
        assert (saved.capacity, saved.languages) == (3, ["French"])
        assert list(saved.experience_areas.all()) == [grief]

    def test_a_capacity_below_the_active_matches_is_refused_and_nothing_changes(
        self,
    ):
        profile = SupporterProfileFactory(capacity=3, region="North")
        MatchFactory(supporter=profile.user)
        MatchFactory(supporter=profile.user)

        with pytest.raises(ValidationError) as refused:
            services.supporter_profile_save(
                supporter=profile.user, **profile_values(capacity=1, region="South")
            )

        assert refused.value.error_dict["capacity"][0].code == "below_load"
        assert "cannot be lower than 2" in refused.value.messages[0]
        profile.refresh_from_db()
        assert (profile.capacity, profile.region) == (3, "North")

    def test_the_capacity_may_come_down_to_the_active_matches(self):
        profile = SupporterProfileFactory(capacity=3)
        MatchFactory(supporter=profile.user)

        services.supporter_profile_save(
            supporter=profile.user, **profile_values(capacity=1)
        )

        profile.refresh_from_db()
        assert (profile.capacity, profile.active_matches) == (1, 1)


def preference_values(**changes):
    """Preferences as a member's form sends them, with `changes`."""
    return {
        "languages": [],
        "language_must": False,
        "supporter_gender": "",
        "gender_must": False,
        "experience_areas": [],
        "pathways": [],
        "life_stage": "",
        "availability": [],
        "meeting_modes": [],
        "region": "",
        **changes,
    }


class TestPreferencesSave:
    def test_a_second_save_changes_the_members_one_row(self, member):
        grief, work = (
            ExperienceAreaFactory(name="Grief"),
            ExperienceAreaFactory(name="Work"),
        )
        services.preferences_save(
            member=member,
            **preference_values(languages=["Spanish"], experience_areas=[grief]),
        )

        services.preferences_save(
            member=member,
            **preference_values(
                languages=["Arabic"], language_must=True, experience_areas=[work]
            ),
        )

        prefs = MatchPreferences.objects.get(member=member)
        assert (prefs.languages, prefs.language_must) == (["Arabic"], True)
        assert list(prefs.experience_areas.all()) == [work]
