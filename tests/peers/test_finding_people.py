"""Finding people on long lists: the supporter's caseload and the coordinator's
waiting list, searched by name and filtered, with the search kept in the address,
paged past 50, and htmx swapping the list alone."""

import datetime
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from peers import services
from peers.models import Match
from recovery.models import AuditEvent, Seen, pseudonym
from tests.factories import (
    ChangeRequestFactory,
    CheckInFactory,
    ContactNoteFactory,
    MatchFactory,
    MatchPreferencesFactory,
    MemberFactory,
    SupporterFactory,
    SupporterProfileFactory,
)
from tests.helpers import HTMX, page_text, signed_in

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 17, 12, tzinfo=UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def matched(supporter, first_name, *, contacted=True, talk=False, **fields):
    """A member on `supporter`'s caseload who checked in today; contacted a few
    days ago unless `contacted` is false (then "new match, not contacted yet")."""
    member = MemberFactory(first_name=first_name, **fields)
    match = MatchFactory(member=member, supporter=supporter)
    if contacted:
        ContactNoteFactory(match=match, contact_date=NOW.date() - DAY * 2)
    CheckInFactory(member=member, day=NOW.date(), wants_to_talk=talk)
    return member


@pytest.fixture
def roomy_supporter(supporter):
    supporter.supporter_profile.capacity = 80
    supporter.supporter_profile.save()
    return supporter


# --- The caseload ---------------------------------------------------------------


class TestCaseloadSearch:
    url = reverse("peers:caseload")

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(self.url, {"q": "maya"})
        assertRedirects(
            response,
            f"{reverse('login')}?next={self.url}%3Fq%3Dmaya",
            fetch_redirect_response=False,
        )

    @pytest.mark.parametrize("who", ["member", "coordinator"])
    def test_members_and_coordinators_are_refused(self, request, who):
        person = request.getfixturevalue(who)
        assert signed_in(person).get(self.url, {"q": "a"}).status_code == 403

    def test_a_name_finds_my_member_and_leaves_the_others_out(self, roomy_supporter):
        matched(roomy_supporter, "Maya", last_name="Lopez")
        matched(roomy_supporter, "Noor")

        text = page_text(signed_in(roomy_supporter).get(self.url, {"q": "lop"}))

        assert "Maya" in text
        assert "Noor" not in text
        assert "1 member found." in text
        # The box keeps what was typed, and the page says how to see everyone.
        assert 'value="lop"' in text
        assert "Show everyone" in text

    def test_every_word_must_match(self, roomy_supporter):
        matched(roomy_supporter, "Maya", last_name="Lopez")
        matched(roomy_supporter, "Maya", last_name="Singh")

        text = page_text(signed_in(roomy_supporter).get(self.url, {"q": "maya sin"}))

        assert "1 member found." in text

    def test_a_search_never_finds_a_member_on_someone_elses_caseload(
        self, roomy_supporter, other_supporter
    ):
        matched(other_supporter, "Marisol")
        ended = MatchFactory(
            member=MemberFactory(first_name="Mariam"), supporter=roomy_supporter
        )
        services.match_end(match=ended, by=None, reason="moved away")
        MemberFactory(first_name="Marek")  # waiting, nobody's

        response = signed_in(roomy_supporter).get(self.url, {"q": "mar"})
        text = page_text(response)

        assert "Nobody on your caseload matches this search." in text
        for name in ("Marisol", "Mariam", "Marek"):
            assert name not in text
        assert not AuditEvent.objects.filter(what=Seen.CASELOAD_ROW).exists()

    def test_a_reason_narrows_the_list_and_keeps_who_needs_attention_first(
        self, roomy_supporter
    ):
        matched(roomy_supporter, "Settled")
        matched(roomy_supporter, "Quiet", contacted=False)
        matched(roomy_supporter, "Talker", talk=True)

        client = signed_in(roomy_supporter)
        quiet = page_text(client.get(self.url, {"reason": "not-contacted"}))
        anyone = page_text(client.get(self.url, {"reason": "any"}))

        assert "Quiet" in quiet and "Talker" not in quiet and "Settled" not in quiet
        assert "Settled" not in anyone
        assert anyone.index("Talker") < anyone.index("Quiet")

    def test_a_reason_not_on_the_list_is_refused_in_words_and_the_list_stays(
        self, roomy_supporter
    ):
        matched(roomy_supporter, "Maya")

        text = page_text(signed_in(roomy_supporter).get(self.url, {"reason": "x"}))

        assert "Please choose one of the reasons in the list." in text
        assert "Maya" in text

    def test_the_htmx_fragment_is_the_list_alone_and_says_what_it_found(
        self, roomy_supporter
    ):
        matched(roomy_supporter, "Maya")
        matched(roomy_supporter, "Noor")

        response = signed_in(roomy_supporter).get(self.url, {"q": "noor"}, **HTMX)
        text = page_text(response)

        assert text.lstrip().startswith('<div id="results">')
        assert "<h1>" not in text and "<form" not in text
        assert "Noor" in text and "Maya" not in text
        assert '<p id="announce" hx-swap-oob="innerHTML">1 member found.</p>' in text
        assert "HX-Request" in response["Vary"]

    def test_the_form_works_without_javascript_and_htmx_keeps_the_same_address(
        self, roomy_supporter
    ):
        text = page_text(signed_in(roomy_supporter).get(self.url))

        assert f'<form method="get" action="{self.url}"' in text
        assert f'hx-get="{self.url}"' in text
        assert 'hx-push-url="true"' in text
        assert 'hx-target="#results"' in text

    def test_past_fifty_the_pages_keep_the_search(self, roomy_supporter):
        for n in range(51):
            matched(roomy_supporter, f"Alex{n:02}", contacted=False)
        matched(roomy_supporter, "Zed", contacted=False)
        client = signed_in(roomy_supporter)

        first = page_text(client.get(self.url, {"q": "alex"}))
        second = page_text(client.get(self.url, {"q": "alex", "page": 2}))

        assert first.count('class="card caseload-row') == 50
        assert "Page 1 of 2" in first
        assert 'href="?q=alex&page=2"' in first
        assert second.count('class="card caseload-row') == 1
        assert "Zed" not in first + second

    def test_only_the_rows_shown_are_in_the_audit_log(self, roomy_supporter):
        maya = matched(roomy_supporter, "Maya")
        matched(roomy_supporter, "Noor")

        signed_in(roomy_supporter).get(self.url, {"q": "maya"})

        seen = AuditEvent.objects.filter(what=Seen.CASELOAD_ROW)
        assert list(seen.values_list("subject_key", flat=True)) == [pseudonym(maya)]
        # The path alone: what was typed is not kept.
        assert seen.get().path == self.url

    @pytest.mark.parametrize("search", [{}, {"q": "a", "reason": "any"}])
    def test_the_queries_stay_the_same_for_a_larger_caseload(
        self, roomy_supporter, django_assert_num_queries, search
    ):
        client = signed_in(roomy_supporter)
        for n in range(2):
            matched(roomy_supporter, f"Ada{n}", contacted=bool(n))
        client.get(self.url)  # the session's first request sets it up
        with django_assert_num_queries(6):
            client.get(self.url, search)
        for n in range(20):
            matched(roomy_supporter, f"Ava{n}", contacted=bool(n % 2))
        with django_assert_num_queries(6):
            response = client.get(self.url, search)
        assert page_text(response).count('class="card caseload-row') >= 10


# --- The waiting list -----------------------------------------------------------


def listed(response) -> list[str]:
    """The names on the waiting list, in its order (only the list's own headings:
    a name elsewhere on the page, or inside another word, is not a row)."""
    return re.findall(r"<h2><a [^>]*>([^<]+)</a></h2>", page_text(response))


def waiting(first_name, *, days, languages=(), region="", **fields):
    member = MemberFactory(
        first_name=first_name,
        date_joined=NOW - datetime.timedelta(days=days),
        **fields,
    )
    if languages or region:
        MatchPreferencesFactory(member=member, languages=list(languages), region=region)
    return member


class TestWaitingSearch:
    url = reverse("peers:waiting")

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(self.url, {"q": "noor"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("who", ["member", "supporter"])
    def test_members_and_supporters_are_refused(self, request, who):
        person = request.getfixturevalue(who)
        assert signed_in(person).get(self.url, {"q": "a"}).status_code == 403

    def test_a_name_finds_only_people_waiting(self, coordinator, supporter):
        waiting("Marisol", days=3)
        MatchFactory(member=MemberFactory(first_name="Mariam"), supporter=supporter)
        MemberFactory(first_name="Marek", is_active=False)
        SupporterProfileFactory(user=SupporterFactory(first_name="Mario"))
        asking = MatchFactory(member=MemberFactory(first_name="Marta")).member
        ChangeRequestFactory(member=asking, reason="evenings")

        text = page_text(signed_in(coordinator).get(self.url, {"q": "mar"}))

        assert "Marisol" in text and "Marta" in text
        assert "2 people waiting found." in text
        for name in ("Mariam", "Marek", "Mario"):
            assert name not in text

    def test_language_region_and_wait_narrow_the_list_longest_wait_first(
        self, coordinator
    ):
        waiting("Ana", days=40, languages=["Spanish", "English"], region="Northside")
        waiting("Bea", days=100, languages=["spanish"], region="Northside")
        waiting("Cy", days=10, languages=["Spanish"], region="Southside")
        waiting("Dee", days=200, languages=["English"], region="Northside")
        client = signed_in(coordinator)

        spanish = listed(client.get(self.url, {"language": "Spanish"}))
        north = listed(
            client.get(self.url, {"language": "Spanish", "region": "Northside"})
        )
        month = listed(client.get(self.url, {"language": "Spanish", "waited": "30"}))

        assert spanish == ["Bea", "Ana", "Cy"]
        assert north == ["Bea", "Ana"]
        assert month == ["Bea", "Ana"]

    def test_a_language_is_matched_whole_even_beyond_ascii(self, coordinator):
        waiting("Ana", days=5, languages=["Español"])
        waiting("Xiulan", days=5, languages=["Chinese Sign Language"])
        waiting("Zhiwei", days=5, languages=["Chinese"])

        client = signed_in(coordinator)
        spanish = page_text(client.get(self.url, {"language": "Español"}))
        chinese = page_text(client.get(self.url, {"language": "Chinese"}))

        assert "1 person waiting found." in spanish and "Ana" in spanish
        assert "Zhiwei" in chinese and "Xiulan" not in chinese

    def test_the_filter_offers_what_people_waiting_asked_for(
        self, coordinator, supporter
    ):
        waiting("Ana", days=5, languages=["Spanish"], region="Northside")
        waiting("Bea", days=5, languages=["spanish", "Arabic"])
        busy = MatchFactory(member=MemberFactory(), supporter=supporter).member
        MatchPreferencesFactory(member=busy, languages=["Welsh"], region="Eastside")

        text = page_text(signed_in(coordinator).get(self.url))

        assert '<option value="Arabic">Arabic</option>' in text
        assert '<option value="Spanish">Spanish</option>' in text
        assert text.count(">spanish<") + text.count(">Spanish<") == 1
        assert '<option value="Northside">Northside</option>' in text
        assert "Welsh" not in text and "Eastside" not in text

    def test_a_choice_nobody_waiting_has_is_said_in_words(self, coordinator):
        waiting("Ana", days=5)

        text = page_text(signed_in(coordinator).get(self.url, {"language": "Welsh"}))

        assert "Nobody waiting asked for this language now" in text
        assert "Ana" in text

    def test_the_htmx_fragment_is_the_list_alone(self, coordinator):
        waiting("Ana", days=5)
        waiting("Bea", days=6)

        response = signed_in(coordinator).get(self.url, {"q": "bea"}, **HTMX)
        text = page_text(response)

        assert text.lstrip().startswith('<div id="results">')
        assert "<h1>" not in text and "<form" not in text
        assert "Bea" in text and "Ana" not in text
        assert "1 person waiting found." in text
        assert "HX-Request" in response["Vary"]

    def test_past_fifty_the_pages_keep_the_search(self, coordinator):
        for n in range(51):
            waiting(f"Sam{n:02}", days=60 - n % 5, region="Northside")
        waiting("Samir", days=3, region="Southside")
        client = signed_in(coordinator)
        search = {"q": "sam", "region": "Northside"}

        first = page_text(client.get(self.url, search))
        second = page_text(client.get(self.url, search | {"page": 2}))

        assert first.count("Suggested supporters for") == 50
        assert 'href="?q=sam&region=Northside&page=2"' in first
        assert second.count("Suggested supporters for") == 1
        assert "Samir" not in first + second

    @pytest.mark.parametrize(
        "search", [{}, {"q": "a", "language": "Spanish", "waited": "7"}]
    )
    def test_the_queries_stay_the_same_for_a_longer_list(
        self, coordinator, django_assert_num_queries, search
    ):
        def build(n):
            for k in range(n):
                waiting(f"Ada{k}{n}", days=10 + k, languages=["Spanish"], region="N")
                asking = MatchFactory(member=MemberFactory(first_name=f"Ava{k}{n}"))
                ChangeRequestFactory(member=asking.member, reason="a change")

        client = signed_in(coordinator)
        build(2)
        client.get(self.url)
        with django_assert_num_queries(9):
            client.get(self.url, search)
        build(12)
        with django_assert_num_queries(9):
            response = client.get(self.url, search)
        assert response.status_code == 200
        assert Match.objects.count() == 14


@pytest.mark.parametrize(
    "words",
    ["\x00", "a\x00b", "x" * 5000, '<script>alert("x")</script>', "%", "_", "\\"],
)
def test_hostile_searches_answer_calmly_and_show_as_text(
    coordinator, roomy_supporter, words
):
    matched(roomy_supporter, "Maya")
    waiting("Noor", days=3, languages=["Spanish"])

    for person, url in [
        (roomy_supporter, reverse("peers:caseload")),
        (coordinator, reverse("peers:waiting")),
    ]:
        response = signed_in(person).get(
            url, {"q": words, "language": words, "region": words, "reason": words}
        )
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
