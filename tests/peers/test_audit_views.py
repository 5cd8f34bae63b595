"""Every supporter and coordinator page that shows a member's data writes exactly
one audit event per member shown, naming the viewer; members looking at their own
pages write none; a supporter reaching for someone else's member is recorded."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from goals import services as goal_services
from goals.timeline import Cursor
from peers import services
from recovery.models import AuditEvent, AuditKind, Seen, pseudonym
from tests.factories import (
    CheckInFactory,
    GoalFactory,
    MatchFactory,
    MemberFactory,
    SupporterProfileFactory,
)

pytestmark = pytest.mark.django_db


def views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=AuditKind.VIEWED).order_by("pk"))


def assert_one_view(of, by, what: Seen) -> None:
    [event] = views()
    assert event.subject_key == pseudonym(of)
    assert event.actor_key == pseudonym(by)
    assert event.actor_name == str(by)
    assert event.actor_role == by.role
    assert event.what == what.value


@pytest.fixture
def supporter_client(client, supporter):
    client.force_login(supporter)
    return client


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def checkin(match, member):
    checkin, _ = goal_services.checkin_record(
        member=member, wellbeing=6, hope=7, note="A good day", note_shared=True
    )
    return checkin


# --- Supporter pages ------------------------------------------------------------


def test_the_caseload_writes_one_event_per_member_listed(
    supporter_client, supporter, match, member
):
    second = MemberFactory(first_name="Ola")
    MatchFactory(member=second, supporter=supporter)

    response = supporter_client.get(reverse("peers:caseload"))

    assert response.status_code == 200
    written = views()
    assert len(written) == 2
    assert {e.subject_key for e in written} == {pseudonym(member), pseudonym(second)}
    assert {(e.what, e.actor_key) for e in written} == {
        (Seen.CASELOAD_ROW.value, pseudonym(supporter))
    }


def test_an_empty_caseload_writes_nothing(supporter_client):
    supporter_client.get(reverse("peers:caseload"))

    assert views() == []


def test_the_member_page_writes_one_event(supporter_client, supporter, match, member):
    response = supporter_client.get(reverse("peers:member", args=[member.pk]))

    assert response.status_code == 200
    assert_one_view(of=member, by=supporter, what=Seen.MEMBER_PAGE)


def test_loading_earlier_moments_writes_one_event(
    supporter_client, supporter, match, member, settings
):
    settings.TIMELINE_PAGE_SIZE = 1
    for n in range(2):
        c = CheckInFactory(member=member, day=datetime.date(2026, 1, 1 + n))
        goal_services._checkin_on_timeline(c)
    newest = member.journey.order_by("-occurred_at", "-pk").first()

    response = supporter_client.get(
        reverse("peers:member", args=[member.pk]),
        {"before": Cursor(newest.occurred_at, newest.pk).encode()},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200 and b"<html" not in response.content
    assert_one_view(of=member, by=supporter, what=Seen.EARLIER_MOMENTS)


def test_encouragement_in_place_writes_one_event(
    supporter_client, supporter, member, checkin
):
    response = supporter_client.post(
        reverse("peers:encourage", args=[member.pk]),
        {"checkin": checkin.pk, "text": "Good to hear"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert_one_view(of=member, by=supporter, what=Seen.ENCOURAGEMENT)


def test_encouragement_without_htmx_records_the_page_it_returns_to(
    supporter_client, supporter, member, checkin
):
    response = supporter_client.post(
        reverse("peers:encourage", args=[member.pk]),
        {"checkin": checkin.pk, "text": "Good to hear"},
    )

    assert response.status_code == 302
    assert views() == []  # the redirect shows nothing; the member page records


def test_the_contact_form_writes_one_event(supporter_client, supporter, match, member):
    response = supporter_client.get(reverse("peers:contact-add", args=[member.pk]))

    assert response.status_code == 200
    assert_one_view(of=member, by=supporter, what=Seen.CONTACT_FORM)


def test_logging_a_contact_shows_nothing_and_writes_no_view(
    supporter_client, match, member
):
    response = supporter_client.post(
        reverse("peers:contact-add", args=[member.pk]),
        {"contact_date": "2026-01-05", "mode": "phone", "reached": "on"},
    )

    assert response.status_code == 302
    assert views() == []


# --- Refusals -------------------------------------------------------------------


def test_another_supporter_opening_a_member_is_refused_and_recorded(
    client, other_supporter, match, member
):
    client.force_login(other_supporter)

    response = client.get(reverse("peers:member", args=[member.pk]))

    assert response.status_code == 404
    assert views() == []
    [event] = AuditEvent.objects.filter(kind=AuditKind.REFUSED)
    assert event.status == 404
    assert event.path == reverse("peers:member", args=[member.pk])
    assert (event.actor_key, event.actor_name) == (pseudonym(other_supporter), "Sky")
    assert event.subject_key == ""


def test_a_former_supporter_is_refused_and_recorded(
    supporter_client, supporter, match, member
):
    services.match_end(match=match, by=None, reason="moved")

    response = supporter_client.get(reverse("peers:contact-add", args=[member.pk]))

    assert response.status_code == 404
    assert views() == []
    [event] = AuditEvent.objects.filter(kind=AuditKind.REFUSED)
    assert event.actor_key == pseudonym(supporter)


# --- Coordinator pages ----------------------------------------------------------


def test_suggestions_for_a_member_write_one_event(
    coordinator_client, coordinator, other_member
):
    response = coordinator_client.get(
        reverse("peers:suggestions", args=[other_member.pk])
    )

    assert response.status_code == 200
    assert_one_view(of=other_member, by=coordinator, what=Seen.MATCH_SUGGESTIONS)


def test_a_members_history_writes_one_event(coordinator_client, coordinator, match):
    response = coordinator_client.get(
        reverse("peers:member-history", args=[match.member.pk])
    )

    assert response.status_code == 200
    assert_one_view(of=match.member, by=coordinator, what=Seen.MATCH_HISTORY)


def test_the_match_end_page_writes_one_event(coordinator_client, coordinator, match):
    response = coordinator_client.get(reverse("peers:match-end", args=[match.pk]))

    assert response.status_code == 200
    assert_one_view(of=match.member, by=coordinator, what=Seen.MATCH_END)


def test_the_deactivate_page_writes_one_event(coordinator_client, coordinator, member):
    response = coordinator_client.get(reverse("peers:deactivate", args=[member.pk]))

    assert response.status_code == 200
    assert_one_view(of=member, by=coordinator, what=Seen.DEACTIVATE_PAGE)


def test_the_waiting_list_writes_one_event_per_member_listed(
    coordinator_client, coordinator, match, other_member
):
    third = MemberFactory(first_name="Ola")

    response = coordinator_client.get(reverse("peers:waiting"))

    assert response.status_code == 200
    written = views()
    assert len(written) == 2  # the matched member is not waiting, so not shown
    assert {e.subject_key for e in written} == {
        pseudonym(other_member),
        pseudonym(third),
    }
    assert {(e.what, e.actor_name) for e in written} == {
        (Seen.WAITING_LIST.value, "Cora")
    }


def test_the_batch_proposal_writes_one_event_per_member_shown(
    coordinator_client, coordinator, other_member
):
    SupporterProfileFactory(capacity=1)
    left_waiting = MemberFactory(first_name="Ola")

    response = coordinator_client.get(reverse("peers:batch"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Still waiting after this proposal" in text  # one proposed, one left
    written = views()
    assert len(written) == 2
    assert {e.subject_key for e in written} == {
        pseudonym(other_member),
        pseudonym(left_waiting),
    }
    assert {e.what for e in written} == {Seen.BATCH_PROPOSAL.value}


# --- The member's own pages -----------------------------------------------------


def test_a_member_looking_at_their_own_pages_writes_nothing(
    member_client, match, member, checkin
):
    goal = GoalFactory(member=member)
    for url in [
        reverse("goals:home"),
        reverse("goals:list"),
        reverse("goals:detail", args=[goal.pk]),
        reverse("goals:timeline"),
        reverse("goals:strengths"),
        reverse("goals:tools"),
        reverse("peers:my-supporter"),
        reverse("data-views"),
    ]:
        assert member_client.get(url).status_code == 200, url

    assert views() == []
    assert not AuditEvent.objects.filter(kind=AuditKind.REFUSED).exists()


def test_the_member_reads_the_views_of_their_supporter(
    supporter_client, supporter, match, member
):
    supporter_client.get(reverse("peers:member", args=[member.pk]))
    supporter_client.get(reverse("peers:contact-add", args=[member.pk]))
    member_client = Client()
    member_client.force_login(member)

    text = member_client.get(reverse("data-views")).content.decode()

    assert "Sam (peer supporter) opened your member page" in text
    assert "Sam (peer supporter) opened the form to log a contact" in text
