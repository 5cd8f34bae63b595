"""A member's safety and wellness plans from their supporter's side
(peers/access.py, peers/views/supporter.py): read only while the member shares
them and only by their current supporter, gone the moment sharing stops, and
every read written to the audit log the member reads."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.urls import reverse

from goals import plans
from goals.models import PlanKind, PlanSection
from peers import access
from peers.models import Match
from peers.services import match_create, match_end
from recovery.models import AuditEvent, AuditKind, Seen
from tests.factories import MatchFactory, WellnessToolFactory
from tests.helpers import signed_in, words_of

pytestmark = pytest.mark.django_db

SAFETY_WORDS = "ZZ-SAFETY-WORDS"
WELLNESS_WORDS = "ZZ-WELLNESS-WORDS"


def plan_url(member, kind="safety"):
    return reverse(f"peers:member-{kind}-plan", args=[member.pk])


@pytest.fixture
def written(member, match):
    """Maya's two plans, written on 2 March 2026; neither shared yet."""
    WellnessToolFactory(member=member, name="A walk by the river")
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)):
        plans.plan_item_add(
            member=member,
            kind=PlanKind.SAFETY,
            section=PlanSection.HELPERS,
            text=SAFETY_WORDS,
            phone="555 123 4567",
        )
        plans.plan_item_add(
            member=member,
            kind=PlanKind.WELLNESS,
            section=PlanSection.DAILY,
            text=WELLNESS_WORDS,
        )


def share(member, kind="safety", shared=True):
    plans.plan_set_shared(member=member, kind=kind, shared=shared)


def test_private_plans_are_nowhere_on_the_supporters_pages(member, supporter, written):
    client = signed_in(supporter)

    page = words_of(client.get(reverse("peers:member", args=[member.pk])))

    assert "They share with you" not in page
    assert "safety plan" not in page.lower()
    for kind in ("safety", "wellness"):
        response = client.get(plan_url(member, kind))
        assert response.status_code == 404
        assert SAFETY_WORDS not in words_of(response)


def test_a_shared_plan_shows_on_the_member_page_with_last_updated(
    member, supporter, written
):
    share(member)

    page = words_of(signed_in(supporter).get(reverse("peers:member", args=[member.pk])))

    assert "They share with you: their safety plan (last updated 2 March 2026)" in page
    assert "wellness plan" not in page
    assert SAFETY_WORDS not in page  # the words are one tap further, and audited


def test_the_supporter_reads_a_shared_plan_whole_and_it_is_audited(
    member, supporter, written, member_client
):
    share(member)
    share(member, "wellness")
    client = signed_in(supporter)

    safety = client.get(plan_url(member))
    wellness = client.get(plan_url(member, "wellness"))

    assert safety.status_code == wellness.status_code == 200
    assert SAFETY_WORDS in words_of(safety)
    assert 'href="tel:5551234567"' in safety.content.decode()
    assert "Last updated 2 March 2026." in words_of(safety)
    assert WELLNESS_WORDS in words_of(wellness)
    assert "A walk by the river" in words_of(wellness)
    seen = list(
        AuditEvent.objects.about(member)
        .filter(kind=AuditKind.VIEWED)
        .values_list("what", flat=True)
    )
    assert Seen.SAFETY_PLAN in seen and Seen.WELLNESS_PLAN in seen
    views = words_of(member_client.get(reverse("data-views")))
    assert "Sam (peer supporter) read your safety plan" in views
    assert "Sam (peer supporter) read your wellness plan" in views


def test_sharing_switched_off_hides_the_plan_at_once(member, supporter, written):
    share(member)
    client = signed_in(supporter)
    assert client.get(plan_url(member)).status_code == 200

    share(member, shared=False)

    response = client.get(plan_url(member))
    assert response.status_code == 404
    assert SAFETY_WORDS not in words_of(response)
    page = words_of(client.get(reverse("peers:member", args=[member.pk])))
    assert "They share with you" not in page


def test_a_former_supporter_sees_nothing(member, supporter, coordinator, written):
    share(member)
    match = Match.objects.active().get(member=member)
    match_end(match=match, by=coordinator, reason="moved")
    client = signed_in(supporter)

    for kind in ("safety", "wellness"):
        response = client.get(plan_url(member, kind))
        assert response.status_code == 404
        assert SAFETY_WORDS not in words_of(response)
    assert not AuditEvent.objects.filter(what=Seen.SAFETY_PLAN).exists()


def test_a_new_supporter_reads_what_is_shared_now(
    member, supporter, other_supporter, coordinator, written
):
    share(member)
    match_end(
        match=Match.objects.active().get(member=member),
        by=coordinator,
        reason="moved",
    )
    match_create(member=member, supporter=other_supporter, by=coordinator)

    assert signed_in(other_supporter).get(plan_url(member)).status_code == 200
    assert signed_in(supporter).get(plan_url(member)).status_code == 404


def test_another_supporter_and_a_coordinator_are_refused(
    member, other_supporter, coordinator, other_member, written
):
    share(member)
    MatchFactory(member=other_member, supporter=other_supporter)

    assert signed_in(other_supporter).get(plan_url(member)).status_code == 404
    assert signed_in(coordinator).get(plan_url(member)).status_code == 403
    assert signed_in(other_member).get(plan_url(member)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, member, written):
    share(member)
    response = client.get(plan_url(member))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_reads_take_the_viewer_and_the_active_match(
    member, supporter, other_supporter, match, written
):
    share(member)
    assert [p.kind for p in access.shared_plans(supporter, match)] == ["safety"]
    sheet = access.shared_plan(supporter, match, PlanKind.SAFETY)
    assert [i.text for i in sheet.section("helpers").items] == [SAFETY_WORDS]
    with pytest.raises(Http404):
        access.shared_plans(other_supporter, match)
    with pytest.raises(Http404):
        access.shared_plan(supporter, match, PlanKind.WELLNESS)
