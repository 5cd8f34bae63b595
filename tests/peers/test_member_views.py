"""The member's side of peer support, and others who must not reach it."""

import pytest
from django.urls import reverse

from goals.models import Goal, GoalOrigin
from peers import services
from peers.models import ChangeRequest, MatchPreferences, Suggestion, SuggestionStatus
from tests.factories import (
    ContactNoteFactory,
    GoalFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

MEMBER_PAGES = ["peers:my-supporter", "peers:preferences"]


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_anonymous_is_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("name", MEMBER_PAGES)
@pytest.mark.parametrize("who", ["supporter", "coordinator"])
def test_staff_roles_are_refused(client, name, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name)).status_code == 403


def test_the_member_sees_their_supporter_and_how_to_reach_them(member_client, match):
    html = member_client.get(reverse("peers:my-supporter")).content.decode()
    assert match.supporter.display_name in html
    assert "Text me on 555-0100" in html


def test_a_waiting_member_is_told_what_happens_next(member_client):
    html = member_client.get(reverse("peers:my-supporter")).content.decode()
    assert "not matched with a peer supporter yet" in html


def test_the_member_reads_shared_notes_only(member_client, match):
    ContactNoteFactory(match=match, note="NOTE-FOR-YOU", shared_with_member=True)
    ContactNoteFactory(match=match, note="SUPPORTERS-RECORD")
    html = member_client.get(reverse("peers:my-supporter")).content.decode()
    assert "NOTE-FOR-YOU" in html and "SUPPORTERS-RECORD" not in html


def test_another_members_notes_and_supporter_do_not_appear(client, match, other_member):
    ContactNoteFactory(match=match, note="NOTE-FOR-MAYA", shared_with_member=True)
    client.force_login(other_member)
    html = client.get(reverse("peers:my-supporter")).content.decode()
    assert "NOTE-FOR-MAYA" not in html
    assert "Text me on 555-0100" not in html


class TestChangeRequest:
    def test_asking_for_a_change_goes_to_the_coordinators_queue(
        self, member_client, match
    ):
        response = member_client.post(
            reverse("peers:change-request"), {"reason": "Evenings suit me better"}
        )
        assert response.status_code == 302
        request = ChangeRequest.objects.get()
        assert (
            request.member == match.member
            and request.reason == "Evenings suit me better"
        )
        html = member_client.get(reverse("peers:my-supporter")).content.decode()
        assert "A coordinator will be in touch" in html

    def test_asking_twice_keeps_one_request(self, member_client):
        member_client.post(reverse("peers:change-request"), {"reason": ""})
        member_client.post(reverse("peers:change-request"), {"reason": "still waiting"})
        assert ChangeRequest.objects.count() == 1

    def test_staff_cannot_ask_in_a_members_name(self, client, supporter):
        client.force_login(supporter)
        assert client.post(reverse("peers:change-request"), {}).status_code == 403
        assert not ChangeRequest.objects.exists()


class TestPreferences:
    def test_preferences_are_saved_as_lists(self, member_client, member):
        response = member_client.post(
            reverse("peers:preferences"),
            {
                "languages": "Spanish,  english , Spanish",
                "language_must": "on",
                "availability": ["weekday_evenings", "weekends"],
                "meeting_modes": ["phone"],
                "region": "North",
            },
        )
        assert response.status_code == 302
        prefs = MatchPreferences.objects.get(member=member)
        assert prefs.languages == ["Spanish", "english"]
        assert prefs.language_must and prefs.availability == [
            "weekday_evenings",
            "weekends",
        ]

    def test_a_must_without_a_language_is_explained(self, member_client, member):
        response = member_client.post(
            reverse("peers:preferences"), {"languages": "", "language_must": "on"}
        )
        assert "Name the language that is a must." in response.content.decode()
        assert not MatchPreferences.objects.exists()

    def test_languages_longer_than_the_page_says_are_refused_in_words(
        self, member_client
    ):
        typed = ", ".join(["Languagename"] * 16)  # 222 characters, 1 language

        response = member_client.post(
            reverse("peers:preferences"), {"languages": typed}
        )

        assert response.status_code == 200
        assert "Up to 200 characters." in response.content.decode()
        assert "at most 200 characters" in response.content.decode()
        assert not MatchPreferences.objects.exists()

    def test_unknown_choices_are_refused(self, member_client):
        response = member_client.post(
            reverse("peers:preferences"), {"availability": ["midnight"]}
        )
        assert response.status_code == 200
        assert not MatchPreferences.objects.exists()


class TestSuggestions:
    def test_accepting_makes_it_the_members_own_goal(self, member_client, match):
        suggestion = SuggestionFactory(
            member=match.member, supporter=match.supporter, title="Join a choir"
        )
        response = member_client.post(
            reverse("peers:suggestion-accept", args=[suggestion.pk])
        )
        goal = Goal.objects.get(member=match.member)
        assert response.url == goal.get_absolute_url()
        assert goal.title == "Join a choir" and goal.origin == GoalOrigin.SUGGESTED
        assert (
            "Suggested by my supporter"
            in member_client.get(response.url).content.decode()
        )

    def test_declining_leaves_the_plan_as_it_is(self, member_client, match):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        member_client.post(reverse("peers:suggestion-decline", args=[suggestion.pk]))
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.DECLINED
        assert not Goal.objects.exists()

    def test_declining_can_carry_a_few_words_for_the_supporter(
        self, member_client, match
    ):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        member_client.post(
            reverse("peers:suggestion-decline", args=[suggestion.pk]),
            {"words": "  Not while I'm working nights  "},
        )
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.DECLINED
        assert suggestion.answer_words == "Not while I'm working nights"

    def test_too_many_words_are_refused_in_words_and_nothing_changes(
        self, member_client, match
    ):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        response = member_client.post(
            reverse("peers:suggestion-decline", args=[suggestion.pk]),
            {"words": "x" * 301},
            follow=True,
        )
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.OPEN
        assert "up to 300 characters; these have 301" in response.content.decode()

    def test_words_for_an_answered_idea_get_the_answered_page_not_a_length_error(
        self, member_client, match
    ):
        suggestion = SuggestionFactory(
            member=match.member, supporter=match.supporter, status="accepted"
        )
        response = member_client.post(
            reverse("peers:suggestion-decline", args=[suggestion.pk]),
            {"words": "x" * 301},
        )
        assert response.status_code == 409
        assert "You have already answered this idea" in response.content.decode()

    def test_no_pressure_wording(self, member_client, match):
        SuggestionFactory(member=match.member, supporter=match.supporter)
        html = member_client.get(reverse("peers:my-supporter")).content.decode()
        assert "Either is fine." in html
        assert (
            "must"
            not in html.split("Ideas from your supporter")[1].split("</section>")[0]
        )

    def test_another_member_cannot_answer_my_suggestion(
        self, client, match, other_member
    ):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        client.force_login(other_member)
        for name in ["peers:suggestion-accept", "peers:suggestion-decline"]:
            assert client.post(reverse(name, args=[suggestion.pk])).status_code == 404
        assert Suggestion.objects.get().status == SuggestionStatus.OPEN
        assert not Goal.objects.exists()

    def test_an_answered_suggestion_cannot_be_answered_again(
        self, member_client, match
    ):
        suggestion = SuggestionFactory(member=match.member, supporter=match.supporter)
        url = reverse("peers:suggestion-accept", args=[suggestion.pk])
        member_client.post(url)
        again = member_client.post(url)
        decline = member_client.post(
            reverse("peers:suggestion-decline", args=[suggestion.pk])
        )

        for response in (again, decline):
            assert response.status_code == 409
            assert "You have already answered this idea" in response.content.decode()
        assert Goal.objects.count() == 1
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.ACCEPTED

    def test_a_step_suggestion_joins_the_goal(self, member_client, match):
        goal = GoalFactory(member=match.member)
        suggestion = SuggestionFactory(
            member=match.member, supporter=match.supporter, goal=goal, title="Stretch"
        )
        response = member_client.post(
            reverse("peers:suggestion-accept", args=[suggestion.pk])
        )
        assert response.url == goal.get_absolute_url()
        assert list(goal.steps.values_list("title", flat=True)) == ["Stretch"]


class TestChangingYourMind:
    def test_an_idea_left_aside_can_be_taken_back(self, member_client, match):
        idea = SuggestionFactory(member=match.member, supporter=match.supporter)
        member_client.post(
            reverse("peers:suggestion-decline", args=[idea.pk]), {"words": "not now"}
        )
        page = member_client.get(reverse("peers:my-supporter")).content.decode()
        response = member_client.post(
            reverse("peers:suggestion-take-back", args=[idea.pk]), follow=True
        )

        assert "Ideas you left aside" in page
        idea.refresh_from_db()
        assert idea.status == SuggestionStatus.OPEN and idea.answer_words == ""
        assert "waits for your answer again" in response.content.decode()

    def test_an_idea_from_a_former_supporter_cannot_be_taken_back(
        self, member_client, match, other_supporter
    ):
        idea = SuggestionFactory(member=match.member, supporter=match.supporter)
        services.rematch(
            member=match.member, supporter=other_supporter, by=None, reason="asked"
        )  # the old supporter's open ideas are left aside with the match
        response = member_client.post(
            reverse("peers:suggestion-take-back", args=[idea.pk]), follow=True
        )
        idea.refresh_from_db()
        assert idea.status == SuggestionStatus.DECLINED
        assert "can no longer be taken back" in response.content.decode()

    def test_a_request_for_a_change_can_be_taken_back(self, member_client, match):
        member_client.post(reverse("peers:change-request"), {"reason": "evenings"})
        response = member_client.post(
            reverse("peers:change-request-withdraw"), follow=True
        )
        request = ChangeRequest.objects.get()

        assert request.withdrawn_at is not None
        assert request.resolved_at == request.withdrawn_at
        assert (
            "Your request is taken back. Nothing changes." in response.content.decode()
        )
        # And a new one can be made.
        member_client.post(reverse("peers:change-request"), {"reason": "mornings"})
        assert ChangeRequest.objects.filter(resolved_at__isnull=True).count() == 1

    def test_someone_elses_idea_cannot_be_taken_back(self, client, match, other_member):
        idea = SuggestionFactory(
            member=match.member, supporter=match.supporter, status="declined"
        )
        client.force_login(other_member)
        response = client.post(reverse("peers:suggestion-take-back", args=[idea.pk]))
        assert response.status_code == 404


def test_an_idea_left_aside_by_an_earlier_match_with_the_same_supporter_stays(
    member_client, match
):
    idea = SuggestionFactory(member=match.member, supporter=match.supporter)
    services.match_end(match=match, by=None, reason="a pause")  # leaves it aside
    services.match_create(member=match.member, supporter=match.supporter, by=None)

    page = member_client.get(reverse("peers:my-supporter")).content.decode()
    member_client.post(reverse("peers:suggestion-take-back", args=[idea.pk]))

    assert "Ideas you left aside" not in page
    idea.refresh_from_db()
    assert idea.status == SuggestionStatus.DECLINED
