"""The coordinator's pages: who may open them, what a coordinator sees, and the match
changes they make (match, re-match, end, batch, deactivate)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from peers import matching, services
from peers.models import ExperienceArea, Gender, Match, SupporterProfile
from recovery.models import User
from tests.factories import (
    ChangeRequestFactory,
    ContactNoteFactory,
    CoordinatorFactory,
    MatchFactory,
    MatchPreferencesFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)
from tests.helpers import page_text, signed_in

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def load(supporter) -> int:
    return SupporterProfile.objects.get(user=supporter).active_matches


@pytest.fixture
def coordinator_client(coordinator):
    return signed_in(coordinator)


@pytest.fixture
def cast(member, other_member, supporter, match):
    """Maya matched with Sam; Noor waiting."""
    return {
        "member": member,
        "waiting": other_member,
        "supporter": supporter,
        "match": match,
    }


# --- Who may open what ----------------------------------------------------------

# name, how to build the arguments from the cast, what a coordinator reads there
PAGES = [
    ("peers:waiting", lambda c: [], "Waiting for a supporter"),
    ("peers:supporters", lambda c: [], "Peer supporters"),
    ("peers:supporter-edit", lambda c: [c["supporter"].pk], "Profile of Sam"),
    ("peers:areas", lambda c: [], "Lived-experience areas"),
    ("peers:member-history", lambda c: [c["member"].pk], "Contact log"),
    (
        "peers:suggestions",
        lambda c: [c["waiting"].pk],
        "Suggested supporters for Noor",
    ),
    ("peers:match-history", lambda c: [], "Match history"),
    ("peers:match-end", lambda c: [c["match"].pk], "End the match of Maya with Sam?"),
    ("peers:batch", lambda c: [], "Batch matching"),
    ("peers:report", lambda c: [], "Programme report"),
    ("peers:report-csv", lambda c: [], "figure,period_or_supporter,value,capacity"),
    ("peers:invitations", lambda c: [], "Invite a member or a peer supporter"),
    (
        "peers:deactivate",
        lambda c: [c["waiting"].pk],
        "Deactivate the account of Noor?",
    ),
]
POST_ONLY = [("peers:match-create", lambda c: [])]
ALL_URLS = [(name, args) for name, args, _ in PAGES] + POST_ONLY


@pytest.mark.parametrize(("name", "args"), ALL_URLS)
def test_anonymous_is_sent_to_sign_in(client, cast, name, args):
    url = reverse(name, args=args(cast))

    for response in (client.get(url), client.post(url)):
        assertRedirects(
            response, f"{reverse('login')}?next={url}", fetch_redirect_response=False
        )


@pytest.mark.parametrize(("name", "args"), ALL_URLS)
@pytest.mark.parametrize("who", ["member", "supporter"])
def test_members_and_supporters_are_refused(cast, name, args, who):
    person = signed_in(cast[who])
    url = reverse(name, args=args(cast))

    assert person.get(url).status_code == 403
    assert person.post(url, {"reason": "x", "member": 1}).status_code == 403
    assert Match.objects.active().count() == 1


@pytest.mark.parametrize(("name", "args", "words"), PAGES)
def test_a_coordinator_sees_the_page(coordinator_client, cast, name, args, words):
    response = coordinator_client.get(reverse(name, args=args(cast)))

    assert response.status_code == 200
    assert words in page_text(response)


def test_a_match_create_needs_a_post(coordinator_client):
    assert coordinator_client.get(reverse("peers:match-create")).status_code == 405


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("peers:supporter-edit", "member"),
        ("peers:supporter-edit", "coordinator"),
        ("peers:supporter-edit", "missing"),
        ("peers:member-history", "supporter"),
        ("peers:member-history", "coordinator"),
        ("peers:member-history", "missing"),
        ("peers:suggestions", "supporter"),
        ("peers:suggestions", "coordinator"),
        ("peers:suggestions", "missing"),
        ("peers:suggestions", "deactivated"),
        ("peers:match-end", "missing"),
        ("peers:deactivate", "coordinator"),
        ("peers:deactivate", "other_coordinator"),
        ("peers:deactivate", "deactivated"),
        ("peers:deactivate", "missing"),
    ],
)
def test_ids_of_the_wrong_kind_or_missing_are_not_found(
    coordinator_client, coordinator, cast, name, who
):
    ids = {
        "member": cast["member"].pk,
        "supporter": cast["supporter"].pk,
        "coordinator": coordinator.pk,
        "other_coordinator": CoordinatorFactory().pk,
        "deactivated": MemberFactory(is_active=False).pk,
        "missing": 999_999,
    }
    url = reverse(name, args=[ids[who]])

    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"member": 999_999, "supporter": "sam"},
        {"member": "noor", "supporter": 999_999},
        {"member": "sam", "supporter": "sam"},
        {"member": "noor", "supporter": "maya"},
        {"member": "noor"},
        {"member": "not a number", "supporter": "sam"},
    ],
)
def test_match_create_with_wrong_ids_is_not_found(coordinator_client, cast, fields):
    people = {"noor": cast["waiting"], "sam": cast["supporter"], "maya": cast["member"]}
    data = {k: getattr(people.get(v), "pk", v) for k, v in fields.items()}

    response = coordinator_client.post(reverse("peers:match-create"), data)

    assert response.status_code == 404
    assert Match.objects.count() == 1


# --- Waiting list ---------------------------------------------------------------


class TestWaitingList:
    def test_members_without_a_supporter_wait_longest_first(
        self, coordinator_client, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 3, 1, 12, tzinfo=UTC))
        MemberFactory(first_name="Early")
        ended = MemberFactory(first_name="Ended")
        time_machine.move_to(datetime.datetime(2026, 3, 5, 12, tzinfo=UTC))
        MemberFactory(first_name="Late")
        matched = MatchFactory(member=ended)
        MatchFactory(member=MemberFactory(first_name="Matched"))
        MemberFactory(first_name="Deactivated", is_active=False)
        time_machine.move_to(datetime.datetime(2026, 3, 8, 12, tzinfo=UTC))
        services.match_end(match=matched, by=None, reason="moving away")
        time_machine.move_to(datetime.datetime(2026, 3, 11, 12, tzinfo=UTC))

        text = page_text(coordinator_client.get(reverse("peers:waiting")))

        assert text.index("Early") < text.index("Late") < text.index("Ended")
        assert "Waiting since 1 Mar 2026 (10 days)" in text
        assert "Waiting since 8 Mar 2026 (3 days)" in text
        assert "Matched" not in text
        assert "Deactivated" not in text

    def test_a_member_who_asked_for_a_change_is_shown_with_their_reason(
        self, coordinator_client, cast
    ):
        ChangeRequestFactory(member=cast["member"], reason="I'd like evenings")

        text = page_text(coordinator_client.get(reverse("peers:waiting")))

        assert "Maya" in text
        assert "Asked for a change" in text
        assert "Matched with Sam for now." in text
        assert "“I'd like evenings”" in text
        assert reverse("peers:suggestions", args=[cast["member"].pk]) in text

    def test_preferences_are_summarised(self, coordinator_client, other_member):
        prefs = MatchPreferencesFactory(
            member=other_member,
            languages=["Spanish"],
            language_must=True,
            supporter_gender=Gender.WOMAN,
            region="Northside",
            availability=["weekday_evenings"],
        )
        prefs.experience_areas.add(ExperienceArea.objects.get(name="Parenting"))

        text = page_text(coordinator_client.get(reverse("peers:waiting")))

        assert "Speaks Spanish (a must)" in text
        assert "Would like a supporter who is: Woman" in text
        assert "(a must)" not in text.split("Woman")[1].split("<")[0]
        assert "Lived experience: Parenting" in text
        assert "Free: weekday evenings" in text
        assert "Region: Northside" in text

    def test_nobody_waiting_is_said_calmly(self, coordinator_client, cast):
        cast["waiting"].is_active = False
        cast["waiting"].save()

        text = page_text(coordinator_client.get(reverse("peers:waiting")))

        assert "Nobody is waiting right now" in text

    def test_pages_of_fifty(self, coordinator_client):
        MemberFactory.create_batch(51)

        first = page_text(coordinator_client.get(reverse("peers:waiting")))
        second = page_text(coordinator_client.get(reverse("peers:waiting") + "?page=2"))

        assert first.count("Suggested supporters for") == 50
        assert "Page 1 of 2" in first
        assert second.count("Suggested supporters for") == 1

    def test_queries_do_not_grow_with_the_list(self, coordinator_client):
        def build(n):
            areas = list(ExperienceArea.objects.all()[:3])
            for _ in range(n):
                person = MemberFactory()
                MatchPreferencesFactory(member=person).experience_areas.set(areas)
                asking = MatchFactory().member
                ChangeRequestFactory(member=asking, reason="a change")

        build(2)
        with CaptureQueriesContext(connection) as small:
            coordinator_client.get(reverse("peers:waiting"))
        build(10)
        with CaptureQueriesContext(connection) as large:
            response = coordinator_client.get(reverse("peers:waiting"))

        assert page_text(response).count("Asked for a change") == 12
        assert len(large) == len(small)


# --- Supporters -----------------------------------------------------------------


class TestSupporters:
    def test_each_supporter_with_load_languages_and_areas(
        self, coordinator_client, cast
    ):
        profile = SupporterProfile.objects.get(user=cast["supporter"])
        profile.languages = ["English", "Spanish"]
        profile.save()
        profile.experience_areas.add(ExperienceArea.objects.get(name="Grief"))
        SupporterProfileFactory(
            user=SupporterFactory(first_name="Quinn"), accepting=False
        )

        text = page_text(coordinator_client.get(reverse("peers:supporters")))

        assert "Sam" in text and "1 of 5" in text
        assert "English, Spanish" in text
        assert "Grief" in text
        assert "Quinn" in text and "No" in text
        assert "Busy" not in text.split("</thead>")[1]

    def test_a_busy_caseload_stands_out_in_words(self, coordinator_client):
        busy = SupporterProfileFactory(
            user=SupporterFactory(first_name="Bo"), capacity=2
        )
        MatchFactory(supporter=busy.user)
        MatchFactory(supporter=busy.user)
        almost = SupporterProfileFactory(
            user=SupporterFactory(first_name="Al"), capacity=5
        )
        for _ in range(4):
            MatchFactory(supporter=almost.user)

        text = page_text(coordinator_client.get(reverse("peers:supporters")))
        rows = {row.split("</th>")[0]: row for row in text.split("<tr")}
        bo = next(row for key, row in rows.items() if ">Bo<" in key)
        al = next(row for key, row in rows.items() if ">Al<" in key)

        assert "2 of 2" in bo and "Busy" in bo
        assert "4 of 5" in al and "Busy" not in al  # 80% is not above 80%

    def test_editing_a_profile(self, coordinator_client, supporter):
        grief = ExperienceArea.objects.get(name="Grief")
        data = {
            "capacity": 6,
            "accepting": "",
            "languages": " Spanish, english ,spanish,  ",
            "experience_areas": [grief.pk],
            "pathways": ["mutual_help", "self_directed"],
            "life_stage": "midlife",
            "gender": "woman",
            "availability": ["weekends"],
            "meeting_modes": ["phone", "video"],
            "region": "Northside",
            "contact": "555-0199",
            "intro": "Ten years in recovery.",
        }

        response = coordinator_client.post(
            reverse("peers:supporter-edit", args=[supporter.pk]), data
        )

        assertRedirects(response, reverse("peers:supporters"))
        profile = SupporterProfile.objects.get(user=supporter)
        assert profile.languages == ["Spanish", "english"]
        assert profile.capacity == 6 and not profile.accepting
        assert list(profile.experience_areas.all()) == [grief]
        assert profile.pathways == ["mutual_help", "self_directed"]
        assert profile.meeting_modes == ["phone", "video"]
        assert (profile.gender, profile.life_stage) == ("woman", "midlife")
        edit = page_text(
            coordinator_client.get(reverse("peers:supporter-edit", args=[supporter.pk]))
        )
        assert 'value="Spanish, english"' in edit

    def test_capacity_cannot_go_below_the_current_load(self, coordinator_client):
        profile = SupporterProfileFactory(capacity=3)
        MatchFactory(supporter=profile.user)
        MatchFactory(supporter=profile.user)

        response = coordinator_client.post(
            reverse("peers:supporter-edit", args=[profile.user.pk]),
            {"capacity": 1, "accepting": "on", "languages": "English"},
        )

        assert response.status_code == 200
        assert "has 2 active matches now" in page_text(response)
        assert "cannot be lower than 2" in page_text(response)
        # The caseload card says what is saved, not what was typed.
        assert "2 of 3 places taken." in page_text(response)
        profile.refresh_from_db()
        assert profile.capacity == 3

    def test_a_supporter_without_a_profile_gets_one(self, coordinator_client):
        person = SupporterFactory(first_name="New")

        page = coordinator_client.get(reverse("peers:supporters"))
        assert "No profile yet." in page_text(page)
        coordinator_client.post(
            reverse("peers:supporter-edit", args=[person.pk]),
            {"capacity": 4, "accepting": "on", "languages": "French"},
        )

        assert SupporterProfile.objects.get(user=person).languages == ["French"]

    def test_adding_a_lived_experience_area(self, coordinator_client):
        url = reverse("peers:areas")

        response = coordinator_client.post(url, {"name": "  Chronic   pain "})
        again = coordinator_client.post(url, {"name": "chronic pain"})

        assertRedirects(response, url)
        assert ExperienceArea.objects.filter(name="Chronic pain").count() == 1
        assert "“chronic pain” is already on the list." in page_text(again)
        assert "Chronic pain" in page_text(coordinator_client.get(url))


# --- Suggestions and matching ---------------------------------------------------


def supporter_with(name, **profile):
    person = SupporterFactory(first_name=name)
    SupporterProfileFactory(user=person, **profile)
    return person


class TestSuggestions:
    @pytest.fixture
    def asks_spanish_and_a_woman(self, other_member):
        MatchPreferencesFactory(
            member=other_member,
            languages=["Spanish"],
            language_must=True,
            supporter_gender=Gender.WOMAN,
            gender_must=True,
            availability=["weekday_evenings"],
        )
        return other_member

    def test_hard_requirements_are_never_broken(
        self, coordinator_client, asks_spanish_and_a_woman
    ):
        supporter_with(
            "Fits",
            languages=["Spanish"],
            gender="woman",
            availability=["weekday_evenings"],
        )
        supporter_with("Nolanguage", languages=["English"], gender="woman")
        supporter_with("Nogender", languages=["Spanish"], gender="man")
        supporter_with(
            "Notaccepting", languages=["Spanish"], gender="woman", accepting=False
        )
        full = supporter_with("Full", languages=["Spanish"], gender="woman", capacity=1)
        MatchFactory(supporter=full)
        supporter_with("Deactivated", languages=["Spanish"], gender="woman")
        SupporterProfile.objects.filter(user__first_name="Deactivated").update()
        User.objects.filter(first_name="Deactivated").update(is_active=False)

        response = coordinator_client.get(
            reverse("peers:suggestions", args=[asks_spanish_and_a_woman.pk])
        )
        text = page_text(response)

        assert "Match with Fits" in text
        assert "speaks Spanish" in text
        assert "Woman, as asked" in text
        assert "weekday evenings" in text
        assert "5 of 5 places free" in text
        for name in ("Nolanguage", "Nogender", "Notaccepting", "Full", "Deactivated"):
            assert name not in text
        assert "4 supporters are not shown" in text

    def test_the_top_five_best_first_with_the_score(
        self, coordinator_client, other_member
    ):
        MatchPreferencesFactory(member=other_member, region="Northside")
        for n in range(6):
            supporter_with(f"Other{n}", region="Southside")
        supporter_with("Near", region="northside")

        text = page_text(
            coordinator_client.get(reverse("peers:suggestions", args=[other_member.pk]))
        )

        assert text.count("Match with ") == 5
        assert text.index("Match with Near") < text.index("Match with Other")
        assert "same region (northside)" in text
        # language 15 + region 6 + room 10, on the scale of the most a pair can score
        assert f"score 31 out of {matching.most_points()}" in text
        # What did not match is said too: the others are elsewhere.
        assert "Not matched: no shared region" in text

    def test_the_current_supporter_is_not_suggested(self, coordinator_client, cast):
        supporter_with("Sky")

        text = page_text(
            coordinator_client.get(
                reverse("peers:suggestions", args=[cast["member"].pk])
            )
        )

        assert "Match with Sky" in text
        assert "Match with Sam" not in text
        assert "Matched with Sam since" in text
        assert "Reason for the change (optional)" in text

    def test_each_rows_reason_has_its_own_label_and_the_forms_limit(
        self, coordinator_client, cast
    ):
        rows = [supporter_with("Sky"), supporter_with("Ash")]

        page = coordinator_client.get(
            reverse("peers:suggestions", args=[cast["member"].pk])
        ).content.decode()

        for person in rows:
            field = f"match-{person.pk}-reason"
            assert f'<label for="{field}">' in page
            assert re.search(rf'<input [^>]*id="{field}"', page)
            tag = re.search(rf'<input [^>]*id="{field}"[^>]*>', page).group()
            assert 'maxlength="300"' in tag and 'name="reason"' in tag
        ids = re.findall(r' id="([^"]+)"', page)
        assert len(ids) == len(set(ids))


class TestMatchCreate:
    def post(self, client, member, supporter, **extra):
        data = {"member": member.pk, "supporter": supporter.pk, "score": 1, **extra}
        return client.post(reverse("peers:match-create"), data, follow=True)

    def test_a_waiting_member_is_matched(
        self, coordinator_client, coordinator, other_member, other_supporter
    ):
        response = self.post(coordinator_client, other_member, other_supporter)

        assertRedirects(response, reverse("peers:waiting"))
        assert "Noor and Sky are matched." in page_text(response)
        match = Match.objects.active().get(member=other_member)
        assert match.supporter == other_supporter
        assert match.started_by == coordinator
        assert match.score == 10  # all places free; recomputed, not the posted 1
        assert load(other_supporter) == 1

    def test_a_full_supporter_gives_a_clear_message_and_changes_nothing(
        self, coordinator_client, other_member
    ):
        full = supporter_with("Full", capacity=1)
        MatchFactory(supporter=full)

        response = self.post(coordinator_client, other_member, full)

        assertRedirects(response, reverse("peers:suggestions", args=[other_member.pk]))
        text = page_text(response)
        assert "Full and Noor were not matched" not in text
        assert "no place free" in text
        assert not Match.objects.filter(member=other_member).exists()
        assert load(full) == 1

    def test_a_must_is_checked_again_when_matching(
        self, coordinator_client, other_member
    ):
        MatchPreferencesFactory(
            member=other_member, languages=["Spanish"], language_must=True
        )
        english = supporter_with("English", languages=["English"])

        response = self.post(coordinator_client, other_member, english)

        assert "no shared language" in page_text(response)
        assert not Match.objects.filter(member=other_member).exists()

    def test_a_member_who_asked_for_a_change_is_rematched(
        self, coordinator_client, cast, other_supporter
    ):
        ChangeRequestFactory(member=cast["member"], reason="evenings")

        response = self.post(
            coordinator_client,
            cast["member"],
            other_supporter,
            reason="wants evening meetings",
        )

        assert "Maya and Sky are matched." in page_text(response)
        old = Match.objects.get(pk=cast["match"].pk)
        assert old.ended_at is not None
        assert old.end_reason == "wants evening meetings"
        assert Match.objects.active().get(member=cast["member"]).supporter == (
            other_supporter
        )
        assert load(cast["supporter"]) == 0 and load(other_supporter) == 1
        assert (
            not cast["member"].change_requests.filter(resolved_at__isnull=True).exists()
        )

    def test_a_rematch_without_a_reason_says_what_happened(
        self, coordinator_client, cast, other_supporter
    ):
        self.post(coordinator_client, cast["member"], other_supporter)

        assert Match.objects.get(pk=cast["match"].pk).end_reason == (
            "changed by a coordinator"
        )

    def test_a_rematch_the_member_asked_for_says_so(
        self, coordinator_client, cast, other_supporter
    ):
        ChangeRequestFactory(member=cast["member"])
        self.post(coordinator_client, cast["member"], other_supporter)

        assert Match.objects.get(pk=cast["match"].pk).end_reason == (
            "the member asked for a change"
        )


class TestMatchEnd:
    def test_ending_a_match_with_a_reason(self, coordinator_client, coordinator, cast):
        url = reverse("peers:match-end", args=[cast["match"].pk])

        response = coordinator_client.post(url, {"reason": "goals reached"})

        assertRedirects(
            response, reverse("peers:member-history", args=[cast["member"].pk])
        )
        match = Match.objects.get(pk=cast["match"].pk)
        assert match.ended_at is not None
        assert (match.end_reason, match.ended_by) == ("goals reached", coordinator)
        assert load(cast["supporter"]) == 0

    def test_a_reason_is_required(self, coordinator_client, cast):
        url = reverse("peers:match-end", args=[cast["match"].pk])

        response = coordinator_client.post(url, {"reason": "  "})

        assert response.status_code == 200
        assert "This field is required." in page_text(response)
        assert Match.objects.get(pk=cast["match"].pk).is_active

    def test_an_ended_match_says_so(self, coordinator_client, cast):
        url = reverse("peers:match-end", args=[cast["match"].pk])
        coordinator_client.post(url, {"reason": "first"})

        response = coordinator_client.post(url, {"reason": "second"}, follow=True)

        assert "This match has already ended." in page_text(response)
        assert Match.objects.get(pk=cast["match"].pk).end_reason == "first"


class TestHistory:
    def test_every_match_newest_first_with_who_and_why(
        self, coordinator_client, coordinator, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 4, 1, 12, tzinfo=UTC))
        sam = supporter_with("Sam")
        maya, noor = MemberFactory(first_name="Maya"), MemberFactory(first_name="Noor")
        first = services.match_create(member=maya, supporter=sam, by=None)
        time_machine.move_to(datetime.datetime(2026, 5, 1, 12, tzinfo=UTC))
        services.match_end(match=first, by=coordinator, reason="moving city")
        time_machine.move_to(datetime.datetime(2026, 5, 2, 12, tzinfo=UTC))
        services.match_create(member=noor, supporter=sam, by=coordinator)

        text = page_text(coordinator_client.get(reverse("peers:match-history")))

        assert text.index("Noor") < text.index("Maya")
        assert "Reason: moving city" in text
        assert "by Cora" in text
        assert "End this match" in text

    def test_history_is_paged(self, coordinator_client):
        for _ in range(51):
            MatchFactory()

        text = page_text(coordinator_client.get(reverse("peers:match-history")))

        assert "Page 1 of 2" in text
        assert text.count("End this match") == 50

    def test_one_members_history_with_the_whole_contact_log(
        self, coordinator_client, cast
    ):
        ContactNoteFactory(match=cast["match"], note="private to supporters")
        ContactNoteFactory(
            match=cast["match"], note="shared with Maya", shared_with_member=True
        )
        ChangeRequestFactory(member=cast["member"], reason="evenings")

        text = page_text(
            coordinator_client.get(
                reverse("peers:member-history", args=[cast["member"].pk])
            )
        )

        assert "private to supporters" in text
        assert "shared with Maya" in text
        assert "“evenings”" in text
        assert "Sam" in text


# --- Batch matching -------------------------------------------------------------


class TestBatch:
    @pytest.fixture
    def programme(self, other_member):
        """Two waiting members (Noor, Rui) and two supporters with one place each."""
        rui = MemberFactory(first_name="Rui")
        ana = supporter_with("Ana", capacity=1, region="Northside")
        ben = supporter_with("Ben", capacity=1, region="Southside")
        MatchPreferencesFactory(member=other_member, region="Northside")
        MatchPreferencesFactory(member=rui, region="Southside")
        return {"noor": other_member, "rui": rui, "ana": ana, "ben": ben}

    def row(self, member, supporter, score=0):
        return f"{member.pk}:{supporter.pk}:{score}"

    def test_the_proposal_changes_nothing(self, coordinator_client, programme):
        before = list(Match.objects.values_list("pk", flat=True))

        text = page_text(coordinator_client.get(reverse("peers:batch")))

        assert "Proposed matches" in text
        assert self.row(programme["noor"], programme["ana"], 31) in text
        assert self.row(programme["rui"], programme["ben"], 31) in text
        assert "same region (Northside)" in text
        assert list(Match.objects.values_list("pk", flat=True)) == before
        assert load(programme["ana"]) == load(programme["ben"]) == 0

    def test_rows_read_longest_wait_first_and_confirm_all_says_how_many(
        self, coordinator_client, programme
    ):
        # Rui has waited longest now; the proposal reads in that order.
        User.objects.filter(pk=programme["rui"].pk).update(
            date_joined=programme["noor"].date_joined - datetime.timedelta(days=30)
        )
        text = page_text(coordinator_client.get(reverse("peers:batch")))

        assert text.index(self.row(programme["rui"], programme["ben"], 31)) < (
            text.index(self.row(programme["noor"], programme["ana"], 31))
        )
        assert "Confirm all 2 proposed matches, ticked or not" in text

    def test_the_same_programme_is_solved_once_and_any_change_solves_again(
        self, coordinator_client, programme, monkeypatch
    ):
        solved = []
        real_propose = matching.propose

        def counted_propose(wishes, offers):
            solved.append(1)
            return real_propose(wishes, offers)

        monkeypatch.setattr(matching, "propose", counted_propose)
        url = reverse("peers:batch")
        coordinator_client.get(url)
        coordinator_client.get(url)
        assert len(solved) == 1

        prefs = programme["rui"].match_preferences
        prefs.region = "Northside"  # Rui's wishes change
        prefs.save()
        coordinator_client.get(url)
        MatchFactory(supporter=programme["ben"])  # Ben's last place goes
        text = page_text(coordinator_client.get(url))
        assert len(solved) == 3
        assert self.row(programme["rui"], programme["ben"], 31) not in text

    def test_confirm_all(self, coordinator_client, coordinator, programme):
        rows = [
            self.row(programme["noor"], programme["ana"], 31),
            self.row(programme["rui"], programme["ben"], 31),
        ]

        response = coordinator_client.post(
            reverse("peers:batch"), {"proposed": rows, "confirm": "all"}, follow=True
        )

        assertRedirects(response, reverse("peers:batch"))
        text = page_text(response)
        assert "Noor and Ana are matched." in text
        assert "Rui and Ben are matched." in text
        assert "2 of 2 proposed matches were made." in text
        assert Match.objects.active().get(member=programme["noor"]).score == 31
        assert Match.objects.active().get(member=programme["rui"]).started_by == (
            coordinator
        )

    def test_confirm_only_the_ticked_rows(self, coordinator_client, programme):
        rows = [
            self.row(programme["noor"], programme["ana"]),
            self.row(programme["rui"], programme["ben"]),
        ]

        coordinator_client.post(
            reverse("peers:batch"),
            {"proposed": rows, "ticked": rows[:1], "confirm": "ticked"},
        )

        assert Match.objects.active().filter(member=programme["noor"]).exists()
        assert not Match.objects.filter(member=programme["rui"]).exists()

    def test_a_stale_row_is_refused_with_its_reason_and_the_others_apply(
        self, coordinator_client, programme
    ):
        page = page_text(coordinator_client.get(reverse("peers:batch")))
        assert self.row(programme["rui"], programme["ben"], 31) in page
        MatchFactory(supporter=programme["ben"])  # Ben's last place goes meanwhile

        response = coordinator_client.post(
            reverse("peers:batch"),
            {
                "ticked": [
                    self.row(programme["noor"], programme["ana"], 31),
                    self.row(programme["rui"], programme["ben"], 31),
                ],
                "confirm": "ticked",
            },
            follow=True,
        )

        text = page_text(response)
        assert "Noor and Ana are matched." in text
        assert "Rui and Ben were not matched: Ben has no place free (1 of 1)." in text
        assert "1 of 2 proposed matches were made." in text
        assert Match.objects.active().filter(member=programme["noor"]).exists()
        assert not Match.objects.filter(member=programme["rui"]).exists()
        assert load(programme["ben"]) == 1

    @pytest.mark.parametrize(
        "data",
        [
            {"confirm": "ticked"},
            {"confirm": "ticked", "ticked": ["1:2:3:4"]},
            {"confirm": "ticked", "ticked": ["nonsense"]},
            {"confirm": "everything", "proposed": ["1:2:3"]},
            {"proposed": ["1:2:3"]},
        ],
    )
    def test_an_empty_or_unreadable_post_changes_nothing(
        self, coordinator_client, programme, data
    ):
        response = coordinator_client.post(reverse("peers:batch"), data, follow=True)

        assert response.status_code == 200
        assert not Match.objects.exists()

    def test_members_left_without_a_fit_are_named(self, coordinator_client, programme):
        MatchPreferencesFactory(
            member=MemberFactory(first_name="Zoe"),
            languages=["Tagalog"],
            language_must=True,
        )

        text = page_text(coordinator_client.get(reverse("peers:batch")))

        assert "Still waiting after this proposal" in text
        assert "Zoe" in text.split("Still waiting after this proposal")[1]


# --- Deactivation ---------------------------------------------------------------


class TestDeactivate:
    def test_a_supporters_matches_end_and_the_account_closes(
        self, coordinator_client, coordinator, cast
    ):
        second = MatchFactory(supporter=cast["supporter"])
        url = reverse("peers:deactivate", args=[cast["supporter"].pk])
        confirm = page_text(coordinator_client.get(url))
        assert "Maya with Sam" in confirm

        response = coordinator_client.post(url)

        assertRedirects(response, reverse("peers:supporters"))
        cast["supporter"].refresh_from_db()
        assert not cast["supporter"].is_active
        for match in Match.objects.filter(pk__in=[cast["match"].pk, second.pk]):
            assert match.ended_at is not None
            assert match.end_reason == "account deactivated"
            assert match.ended_by == coordinator
        assert load(cast["supporter"]) == 0
        waiting = page_text(coordinator_client.get(reverse("peers:waiting")))
        assert "Maya" in waiting

    def test_a_deactivated_person_cannot_sign_in(self, coordinator_client, cast):
        sam = signed_in(cast["supporter"])
        coordinator_client.post(reverse("peers:deactivate", args=[cast["member"].pk]))

        assert not Match.objects.active().exists()
        member = signed_in(cast["member"])
        assert member.get(reverse("goals:home")).status_code == 302
        assert sam.get(reverse("peers:caseload")).status_code == 200

    def test_nothing_changes_when_a_match_cannot_end(
        self, coordinator_client, cast, monkeypatch
    ):
        def broken(**kwargs):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(services, "match_end", broken)
        url = reverse("peers:deactivate", args=[cast["supporter"].pk])

        with pytest.raises(RuntimeError):
            coordinator_client.post(url)

        cast["supporter"].refresh_from_db()
        assert cast["supporter"].is_active


def test_a_coordinator_takes_an_area_off_the_list(client, coordinator, supporter):
    from peers.models import ExperienceArea, SupporterProfile

    area = ExperienceArea.objects.get(name="Grief")
    SupporterProfile.objects.get(user=supporter).experience_areas.add(area)
    client.force_login(coordinator)
    response = client.post(reverse("peers:area-remove", args=[area.pk]))
    assert response.status_code == 302
    assert not ExperienceArea.objects.filter(name="Grief").exists()
    assert not SupporterProfile.objects.get(user=supporter).experience_areas.exists()
    client.force_login(supporter)
    assert client.post(reverse("peers:area-remove", args=[1])).status_code == 403
