"""Supporter pages, tested from the side that must not get in as well."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services as goal_services
from goals.models import ConsentTo, Sharing
from peers import services
from peers.conversations import message_send
from peers.models import ContactNote, Encouragement, Suggestion
from tests.factories import (
    CheckInFactory,
    ContactNoteFactory,
    GoalFactory,
    MatchFactory,
    MemberFactory,
    StepFactory,
    StrengthFactory,
    WellnessToolFactory,
)
from tests.helpers import signed_in, words_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def supporter_client(client, supporter):
    client.force_login(supporter)
    return client


@pytest.fixture
def plan(match, member):
    """The member's plan: one shared and one private goal, a shared-note check-in
    and a private-note check-in."""
    shared = GoalFactory(member=member, title="Shared goal: walk more")
    private = GoalFactory(member=member, title="PRIVATE-GOAL-MARKER", shared=False)
    StepFactory(goal=shared, title="Buy shoes")
    StepFactory(goal=private, title="PRIVATE-STEP-MARKER")
    StrengthFactory(member=member, text="Good listener")
    open_checkin, _ = goal_services.checkin_record(
        member=member, wellbeing=7, hope=6, note="SHARED-NOTE-MARKER", note_shared=True
    )
    private_checkin = CheckInFactory(
        member=member,
        day=open_checkin.day - datetime.timedelta(days=1),
        wellbeing=3,
        hope=4,
        note="PRIVATE-NOTE-MARKER",
    )
    return {
        "shared": shared,
        "private": private,
        "checkin": open_checkin,
        "private_checkin": private_checkin,
    }


def member_url(member):
    return reverse("peers:member", args=[member.pk])


class TestWhoMayEnter:
    @pytest.mark.parametrize("name", ["peers:caseload"])
    def test_anonymous_is_sent_to_sign_in(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_anonymous_cannot_open_a_member(self, client, match):
        response = client.get(member_url(match.member))
        assert response.status_code == 302 and "login" in response.url

    @pytest.mark.parametrize("who", ["member", "coordinator"])
    def test_other_roles_are_refused(self, client, match, who, request):
        client.force_login(request.getfixturevalue(who))
        assert client.get(reverse("peers:caseload")).status_code == 403
        assert client.get(member_url(match.member)).status_code == 403

    def test_another_supporter_gets_nothing(self, client, plan, match, other_supporter):
        client.force_login(other_supporter)
        assert client.get(member_url(match.member)).status_code == 404
        response = client.post(
            reverse("peers:encourage", args=[match.member.pk]),
            {"checkin": plan["checkin"].pk, "text": "hi"},
        )
        assert response.status_code == 404
        assert not Encouragement.objects.exists()
        caseload = client.get(reverse("peers:caseload")).content.decode()
        assert match.member.display_name not in caseload

    def test_a_former_supporter_gets_nothing_from_the_next_request(
        self, supporter_client, plan, match
    ):
        assert supporter_client.get(member_url(match.member)).status_code == 200
        services.match_end(match=match, by=None, reason="moved")
        assert supporter_client.get(member_url(match.member)).status_code == 404
        response = supporter_client.post(
            reverse("peers:contact-add", args=[match.member.pk]),
            {"contact_date": "2026-01-01", "mode": "phone", "reached": "on"},
        )
        assert response.status_code == 404
        assert not ContactNote.objects.exists()

    def test_an_unmatched_member_is_not_reachable(self, supporter_client, supporter):
        stranger = MemberFactory()
        assert supporter_client.get(member_url(stranger)).status_code == 404


class TestMemberView:
    def test_strengths_shared_goals_and_shared_notes_show(
        self, supporter_client, plan, match
    ):
        goal_services.consent_give(
            member=match.member, what=ConsentTo.NUMBERS_TO_SUPPORTER
        )
        html = supporter_client.get(member_url(match.member)).content.decode()
        assert html.index("Good listener") < html.index("Shared goal: walk more")
        assert "Buy shoes" in html
        assert "SHARED-NOTE-MARKER" in html
        assert "wellbeing 7, hope 6" in html

    def test_nothing_private_ever_appears(self, supporter_client, plan, match):
        html = supporter_client.get(member_url(match.member)).content.decode()
        for marker in [
            "PRIVATE-GOAL-MARKER",
            "PRIVATE-STEP-MARKER",
            "PRIVATE-NOTE-MARKER",
        ]:
            assert marker not in html

    def test_the_members_own_words_of_a_day_stay_on_their_own_journey(
        self, supporter_client, match
    ):
        """One partial draws the journey for both (includes/journey.html): the
        member reads how they felt, a setback, what helped and why they skipped a
        day; their supporter, with the numbers and the note shared, none of it."""
        member = match.member
        goal_services.consent_give(member=member, what=ConsentTo.NUMBERS_TO_SUPPORTER)
        today = member.local_date()
        goal_services.checkin_skip(
            member=member,
            reason="SKIP-REASON-MARKER",
            day=today - datetime.timedelta(days=1),
        )
        goal_services.checkin_record(
            member=member,
            wellbeing=5,
            hope=6,
            feelings="FEELINGS-MARKER",
            had_setback=True,
            tools=[WellnessToolFactory(member=member, name="TOOL-MARKER")],
            note="SHARED-NOTE-MARKER",
            note_shared=True,
        )
        own = signed_in(member).get(reverse("goals:timeline")).content.decode()
        theirs = supporter_client.get(member_url(member)).content.decode()

        private = [
            "FEELINGS-MARKER",
            "A setback, and I kept going.",
            "TOOL-MARKER",
            "SKIP-REASON-MARKER",
        ]
        for words in [*private, "SHARED-NOTE-MARKER", "wellbeing 5, hope 6"]:
            assert words in own
        for words in private:
            assert words not in theirs
        assert "SHARED-NOTE-MARKER" in theirs and "wellbeing 5, hope 6" in theirs
        assert "(skipped the day)" in theirs

    def test_unshared_numbers_do_not_appear(self, supporter_client, plan, match):
        Sharing.objects.create(member=match.member, numbers_shared=False)
        html = supporter_client.get(member_url(match.member)).content.decode()
        assert "wellbeing 7" not in html and "wellbeing 3" not in html
        assert "keep their wellbeing and hope numbers private" in html

    def test_a_new_supporter_sees_shared_notes_not_the_previous_private_ones(
        self, client, plan, match, other_supporter
    ):
        ContactNoteFactory(match=match, note="OLD-PRIVATE-NOTE")
        ContactNoteFactory(match=match, note="OLD-SHARED-NOTE", shared_with_member=True)
        services.rematch(
            member=match.member, supporter=other_supporter, by=None, reason="asked"
        )
        client.force_login(other_supporter)
        html = client.get(member_url(match.member)).content.decode()
        assert "OLD-SHARED-NOTE" in html
        assert "OLD-PRIVATE-NOTE" not in html

    def test_the_journey_loads_earlier_moments_in_pages(
        self, supporter_client, match, settings
    ):
        settings.SUPPORTER_JOURNEY_PAGE_SIZE = 3
        for n in range(5):
            CheckInFactory(
                member=match.member,
                day=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            )
        for checkin in match.member.checkins.all():
            goal_services._checkin_on_timeline(checkin)
        first = supporter_client.get(member_url(match.member)).content.decode()
        assert "Load earlier moments" in first
        cursor = first.split('href="?before=')[1].split('"')[0].split("#")[0]
        more = supporter_client.get(
            member_url(match.member), {"before": cursor}, HTTP_HX_REQUEST="true"
        ).content.decode()
        assert "<html" not in more
        assert more.count('class="event moment event-checkin"') == 2

    def test_the_page_costs_the_same_queries_for_a_longer_history(
        self,
        supporter_client,
        match,
        django_assert_num_queries,
        django_assert_max_num_queries,
    ):
        def grow(days, goals):
            for _ in range(goals):
                StepFactory(goal=GoalFactory(member=match.member))
            start = match.member.checkins.count()
            for n in range(days):
                c = CheckInFactory(
                    member=match.member,
                    day=datetime.date(2025, 1, 1) + datetime.timedelta(days=start + n),
                )
                goal_services._checkin_on_timeline(c)
            ContactNoteFactory(match=match)

        grow(3, 1)
        supporter_client.get(member_url(match.member))  # warm the session
        # The page's own, the caseload row for its reasons (2) and the bell (1):
        # tests/test_query_budgets.py says what each is for.
        with django_assert_max_num_queries(20) as small:
            supporter_client.get(member_url(match.member))
        grow(40, 8)
        with django_assert_num_queries(len(small.captured_queries)):
            supporter_client.get(member_url(match.member))


class TestTheRoundOnOnePage:
    """The member page in the order a supporter's round needs it on a phone."""

    @pytest.fixture(autouse=True)
    def matched_in_january(self, match):
        match.started_at = datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
        match.save(update_fields=["started_at"])

    def test_a_visit_in_an_earlier_match_does_not_count(
        self, supporter_client, match, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 1, 2, 9, tzinfo=datetime.UTC))
        supporter_client.get(member_url(match.member))  # before this match began
        time_machine.move_to(datetime.datetime(2026, 2, 2, 9, tzinfo=datetime.UTC))
        assert "Since you were matched" in words_of(
            supporter_client.get(member_url(match.member))
        )

    def test_first_what_changed_since_the_last_visit(
        self, supporter_client, match, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 6, 2, 9, tzinfo=datetime.UTC))
        first = words_of(supporter_client.get(member_url(match.member)))
        time_machine.move_to(datetime.datetime(2026, 6, 2, 14, tzinfo=datetime.UTC))
        goal_services.checkin_record(member=match.member, wellbeing=6, hope=6)
        message_send(match=match, author=match.member, text="Had a good day")
        time_machine.move_to(datetime.datetime(2026, 6, 2, 18, tzinfo=datetime.UTC))
        later = words_of(supporter_client.get(member_url(match.member)))
        time_machine.shift(datetime.timedelta(minutes=5))
        reloaded = words_of(supporter_client.get(member_url(match.member)))

        assert "Since you were matched" in first
        assert "Since your visit on Tue 2 Jun, 09:00" in later  # the zone is UTC
        assert "1 check-in" in later and "1 message from them" in later
        assert later.index("1 check-in") < later.index("Conversation")
        assert later.index("Conversation") < later.index("Strengths")
        assert later.index("Strengths") < later.index("Their journey")
        assert later.index("Their journey") < later.index("Contact log")
        # A reload in the same sitting keeps the summary (VISIT_GAP).
        assert "1 check-in" in reloaded and "1 message from them" in reloaded

    def test_a_long_sitting_keeps_the_summary_since_the_visit_before(
        self, supporter_client, match, time_machine
    ):
        def at(day, hour, minute=0):
            moment = datetime.datetime(2026, 6, day, hour, minute, tzinfo=datetime.UTC)
            time_machine.move_to(moment)

        at(1, 18)
        supporter_client.get(member_url(match.member))
        at(1, 20)
        goal_services.checkin_record(member=match.member, wellbeing=6, hope=6)
        pages = []
        for minute in (0, 20, 40):  # one sitting: reloads 20 minutes apart
            at(2, 9, minute)
            pages.append(words_of(supporter_client.get(member_url(match.member))))

        for page in pages:
            assert "Since your visit on Mon 1 Jun, 18:00" in page
            assert "1 check-in" in page

    def test_nothing_new_says_so(self, supporter_client, match, time_machine):
        time_machine.move_to(datetime.datetime(2026, 6, 2, 9, tzinfo=datetime.UTC))
        supporter_client.get(member_url(match.member))
        time_machine.shift(datetime.timedelta(hours=3))
        html = words_of(supporter_client.get(member_url(match.member)))
        assert "Nothing new in what they share" in html

    def test_what_is_private_is_counted_never_shown(
        self, supporter_client, plan, match
    ):
        GoalFactory(member=match.member, shared=False, title="PRIVATE-2")
        html = words_of(supporter_client.get(member_url(match.member)))
        name = match.member.display_name
        assert f"{name} keeps 2 goals and some notes to themselves." in html
        assert "PRIVATE-2" not in html and "PRIVATE-NOTE-MARKER" not in html

    def test_nothing_private_says_nothing(self, supporter_client, match):
        html = words_of(supporter_client.get(member_url(match.member)))
        assert "to themselves" not in html

    def test_the_supporter_sees_what_became_of_each_suggestion(
        self, supporter_client, match, other_supporter
    ):
        taken = services.suggestion_make(
            match=match, title="Walk on Sundays", domain="health"
        )
        left = services.suggestion_make(
            match=match, title="Join a choir", domain="social"
        )
        services.suggestion_make(match=match, title="Call your sister", domain="social")
        services.suggestion_accept(suggestion=taken)
        services.suggestion_decline(suggestion=left, words="Singing is not for me")
        html = words_of(supporter_client.get(member_url(match.member)))

        assert "Walk on Sundays · taken on" in html
        assert "Join a choir · not now “Singing is not for me”" in html
        assert "Call your sister · waiting for their answer" in html

    def test_one_encourage_control_per_moment(self, supporter_client, plan, match):
        html = supporter_client.get(member_url(match.member)).content.decode()
        journey = html.split('id="journey-heading"')[1].split('id="contacts"')[0]
        moments = journey.count('<li class="event moment event-checkin">')
        assert moments == 1
        assert journey.count('<details class="encourage">') == moments
        assert journey.count("<form") == moments  # inside the folds

    def test_the_contact_log_shows_its_latest_and_pages_the_rest(
        self, supporter_client, match, other_supporter
    ):
        for n in range(25):
            ContactNoteFactory(
                match=match,
                contact_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                note=f"NOTE-{n:02}",
            )
        someone_elses = MatchFactory(
            member=match.member,
            supporter=other_supporter,
            started_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            ended_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
        )
        ContactNote.objects.create(
            member=match.member,
            author=other_supporter,
            match=someone_elses,
            contact_date=datetime.date(2026, 3, 1),
            mode="phone",
            note="OTHER-PRIVATE",
        )
        page = words_of(supporter_client.get(member_url(match.member)))
        log = reverse("peers:contact-list", args=[match.member.pk])
        first = words_of(supporter_client.get(log))
        second = words_of(supporter_client.get(log, {"page": 2}))

        assert (
            "NOTE-24" in page
            and "NOTE-21" not in page
            and "Earlier contacts, and each in full" in page
        )
        assert "NOTE-24" in first and "NOTE-05" in first and "NOTE-04" not in first
        assert "NOTE-04" in second and "NOTE-00" in second and "Page 2 of 2" in second
        assert "OTHER-PRIVATE" not in first + second + page


class TestEncouragement:
    def test_htmx_gets_the_sent_words_in_place(self, supporter_client, plan, match):
        response = supporter_client.post(
            reverse("peers:encourage", args=[match.member.pk]),
            {"checkin": plan["checkin"].pk, "text": "So glad you walked"},
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert "So glad you walked" in html
        assert Encouragement.objects.get().checkin == plan["checkin"]

    def test_without_javascript_it_redirects_back(self, supporter_client, plan, match):
        response = supporter_client.post(
            reverse("peers:encourage", args=[match.member.pk]),
            {"checkin": plan["checkin"].pk, "text": "Proud of you"},
        )
        assert response.status_code == 302
        assert response.url == member_url(match.member)

    def test_empty_words_are_refused(self, supporter_client, plan, match):
        response = supporter_client.post(
            reverse("peers:encourage", args=[match.member.pk]),
            {"checkin": plan["checkin"].pk, "text": ""},
            HTTP_HX_REQUEST="true",
        )
        assert "Please write a few words first." in response.content.decode()
        assert not Encouragement.objects.exists()

    def test_a_private_goal_or_anothers_checkin_cannot_be_answered(
        self, supporter_client, plan, match
    ):
        url = reverse("peers:encourage", args=[match.member.pk])
        assert (
            supporter_client.post(
                url, {"goal": plan["private"].pk, "text": "x"}
            ).status_code
            == 404
        )
        other = CheckInFactory()
        assert (
            supporter_client.post(url, {"checkin": other.pk, "text": "x"}).status_code
            == 404
        )
        assert not Encouragement.objects.exists()

    def test_the_member_sees_it_at_home_and_on_the_timeline(
        self, supporter_client, client, plan, match
    ):
        supporter_client.post(
            reverse("peers:encourage", args=[match.member.pk]),
            {"checkin": plan["checkin"].pk, "text": "You showed up today"},
        )
        client.force_login(match.member)
        assert (
            "You showed up today" in client.get(reverse("goals:home")).content.decode()
        )
        timeline = client.get(reverse("goals:timeline")).content.decode()
        assert "You showed up today" in timeline


class TestSuggestionsAndContacts:
    def test_a_goal_suggestion_waits_for_the_member(self, supporter_client, match):
        response = supporter_client.post(
            reverse("peers:suggest-goal", args=[match.member.pk]),
            {"title": "Join a choir", "domain": "social"},
        )
        assert response.status_code == 302
        suggestion = Suggestion.objects.get()
        assert suggestion.member == match.member and suggestion.status == "open"
        assert not match.member.goals.exists()

    def test_a_goal_suggestion_needs_a_life_area(self, supporter_client, match):
        supporter_client.post(
            reverse("peers:suggest-goal", args=[match.member.pk]), {"title": "Choir"}
        )
        assert not Suggestion.objects.exists()

    def test_no_step_suggestion_under_a_private_goal(
        self, supporter_client, plan, match
    ):
        url = reverse("peers:suggest-step", args=[match.member.pk, plan["private"].pk])
        assert supporter_client.post(url, {"title": "x"}).status_code == 404
        ok = reverse("peers:suggest-step", args=[match.member.pk, plan["shared"].pk])
        response = supporter_client.post(ok, {"title": "Stretch first"}, follow=True)
        assert Suggestion.objects.get().goal == plan["shared"]
        # Back on the goal's fold, open.
        goal_id = plan["shared"].pk
        assert response.redirect_chain[-1][0].endswith(
            f"?goal={goal_id}#goal-{goal_id}"
        )
        assert f'id="goal-{goal_id}" open>' in response.content.decode()

    def test_a_contact_is_logged_with_its_details(self, supporter_client, plan, match):
        response = supporter_client.post(
            reverse("peers:contact-add", args=[match.member.pk]),
            {
                "contact_date": "2026-01-05",
                "mode": "video",
                "reached": "on",
                "minutes": "25",
                "goals_discussed": [plan["shared"].pk],
                "next_step": "Call on Friday",
                "note": "Talked about the week",
            },
        )
        assert response.status_code == 302
        note = ContactNote.objects.get()
        assert (note.mode, note.minutes, note.match) == ("video", 25, match)
        assert list(note.goals_discussed.all()) == [plan["shared"]]

    def test_a_private_goal_cannot_be_named_in_a_contact(
        self, supporter_client, plan, match
    ):
        response = supporter_client.post(
            reverse("peers:contact-add", args=[match.member.pk]),
            {
                "contact_date": "2026-01-05",
                "mode": "phone",
                "goals_discussed": [plan["private"].pk],
            },
        )
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not ContactNote.objects.exists()

    def test_the_contact_form_offers_only_shared_goals_read_once(
        self, supporter_client, plan, match
    ):
        url = reverse("peers:contact-add", args=[match.member.pk])
        with CaptureQueriesContext(connection) as captured:
            page = supporter_client.get(url).content.decode()

        assert "Shared goal: walk more" in page
        assert "PRIVATE-GOAL-MARKER" not in page
        # The template asks whether there are goals, then draws them: one read.
        goal_reads = [q for q in captured if 'FROM "goals_goal"' in q["sql"]]
        assert len(goal_reads) == 1, goal_reads

    def test_a_contact_in_the_future_is_refused(self, supporter_client, match):
        response = supporter_client.post(
            reverse("peers:contact-add", args=[match.member.pk]),
            {"contact_date": "2099-01-01", "mode": "phone"},
        )
        assert "cannot be in the future" in response.content.decode()
        assert not ContactNote.objects.exists()


def test_caseload_lists_only_my_members_with_reasons(
    supporter_client, match, supporter
):
    MatchFactory(member=MemberFactory(first_name="Someone-Else"))
    html = supporter_client.get(reverse("peers:caseload")).content.decode()
    assert match.member.display_name in html
    assert "Someone-Else" not in html
    assert "new match, not contacted yet" in html


def test_a_shared_goal_can_be_encouraged_in_place_and_the_member_sees_it(
    supporter_client, client, plan, match
):
    page = supporter_client.get(member_url(match.member)).content.decode()
    assert f'name="goal" value="{plan["shared"].pk}"' in page
    assert f'name="goal" value="{plan["private"].pk}"' not in page
    response = supporter_client.post(
        reverse("peers:encourage", args=[match.member.pk]),
        {"goal": plan["shared"].pk, "text": "Love this goal"},
        HTTP_HX_REQUEST="true",
    )
    assert "Love this goal" in response.content.decode()
    client.force_login(match.member)
    assert "Love this goal" in client.get(reverse("goals:home")).content.decode()
