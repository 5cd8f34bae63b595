"""A supporter sees a member's questionnaire totals only while the member shares
them, only during an active match, never the answers, and the member sees that
they looked."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from goals import measure_services, services
from goals.measures import BARC_10
from goals.models import Consent, ConsentTo, Sharing
from peers.services import match_end
from recovery.models import AuditEvent
from tests.helpers import words_of

pytestmark = pytest.mark.django_db


def share(member, shared: bool) -> None:
    services.sharing_update(
        member=member,
        goals_shared=True,
        notes_shared=False,
        numbers_shared=False,
        crisis_flag=False,
        measures_shared=shared,
    )


NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def june(time_machine):
    time_machine.move_to(NOW)


@pytest.fixture
def results(member, time_machine):
    """Two BARC-10 results: 23 in March, and one with a skipped statement in May,
    of a member matched since February."""
    for month, answers in ((3, [2, 3, 2, 3, 2, 3, 2, 3, 2, 1]), (5, [4] * 9 + [None])):
        time_machine.move_to(datetime.datetime(2026, month, 4, 12, tzinfo=datetime.UTC))
        draft = measure_services.measure_draft(member=member, questionnaire=BARC_10)
        measure_services.measure_answer_all(draft=draft, answers=answers)
        measure_services.measure_finish(member=member, questionnaire=BARC_10)
    time_machine.move_to(NOW)


@pytest.fixture
def supporter_client(client, supporter, match):
    client.force_login(supporter)
    return client


def totals_url(member):
    return reverse("peers:member-measures", args=[member.pk])


def test_shared_totals_show_with_their_days_and_never_the_answers(
    member, supporter_client, results
):
    share(member, True)
    response = supporter_client.get(totals_url(member))
    text = words_of(response)
    assert response.status_code == 200
    assert "23 out of 60" in text
    assert "4 Mar 2026" in text and "4 May 2026" in text
    assert "No total: a statement was skipped" in text
    assert text.index("4 May 2026") < text.index("4 Mar 2026")
    for statement in BARC_10.items:
        assert statement not in text
    assert "Strongly" not in text


def test_the_member_sees_that_their_supporter_looked(member, supporter_client, results):
    share(member, True)
    supporter_client.get(totals_url(member))
    assert AuditEvent.objects.views_of(member).count() == 1
    own = Client()
    own.force_login(member)
    page = words_of(own.get(reverse("data-views")))
    assert "saw your recovery questionnaire totals" in page


def test_switching_sharing_off_hides_the_totals_at_once(
    member, supporter_client, results
):
    share(member, True)
    assert "23 out of 60" in words_of(supporter_client.get(totals_url(member)))

    share(member, False)
    response = supporter_client.get(totals_url(member))
    text = words_of(response)
    assert response.status_code == 200
    assert "23 out of 60" not in text
    assert "keeps their questionnaire totals private" in text
    # Nothing was shown, so nothing is recorded as seen the second time.
    assert AuditEvent.objects.views_of(member).count() == 1


def test_not_shared_by_default(member, supporter_client, results):
    assert "23 out of 60" not in words_of(supporter_client.get(totals_url(member)))
    assert not Sharing.for_member(member).measures_shared


def test_the_member_page_links_to_the_totals_only_while_shared(
    member, supporter_client, results
):
    url = totals_url(member)
    page = supporter_client.get(reverse("peers:member", args=[member.pk]))
    assert url not in page.content.decode()
    share(member, True)
    page = supporter_client.get(reverse("peers:member", args=[member.pk]))
    assert url in page.content.decode()


def test_sharing_is_a_consent_with_its_record(member, member_client):
    member_client.post(reverse("goals:privacy"), {"measures_shared": "on"})
    consent = Consent.objects.get(member=member)
    assert consent.what == ConsentTo.MEASURES_TO_SUPPORTER
    assert Sharing.for_member(member).measures_shared
    member_client.post(reverse("goals:privacy"), {"goals_shared": "on"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not Sharing.objects.get(member=member).measures_shared
    text = words_of(member_client.get(reverse("goals:privacy")))
    assert "My peer supporter sees my recovery questionnaire totals" in text
    assert "Not your recovery questionnaire totals: you keep them private." in text


def test_an_ended_match_or_another_supporter_sees_nothing(
    member, supporter, other_supporter, match, coordinator, client, results
):
    share(member, True)
    client.force_login(other_supporter)
    assert client.get(totals_url(member)).status_code == 404
    match_end(match=match, by=coordinator, reason="moved")
    client.force_login(supporter)
    assert client.get(totals_url(member)).status_code == 404


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_other_roles_are_refused(who, member, coordinator, client, match):
    share(member, True)
    client.force_login({"member": member, "coordinator": coordinator}[who])
    assert client.get(totals_url(member)).status_code == 403


def test_anonymous_is_sent_to_sign_in(member, client):
    assert client.get(totals_url(member))["Location"].startswith(reverse("login"))
