"""Batch matching says what each button confirms, so nobody confirms more than they
meant: "Confirm only the ticked matches" makes the ticked ones, and "Confirm all 12
proposed matches, ticked or not" makes all of them. Nothing starts ticked."""

import re

import pytest
from django.urls import reverse

from peers.models import Match
from tests.factories import MemberFactory, SupporterFactory, SupporterProfileFactory
from tests.helpers import page_text, signed_in

pytestmark = pytest.mark.django_db

URL = reverse("peers:batch")


@pytest.fixture
def twelve_waiting(db):
    """Twelve members waiting, and three supporters with four places each."""
    for n in range(3):
        SupporterProfileFactory(
            user=SupporterFactory(first_name=f"Helper{n}"), capacity=4
        )
    return [MemberFactory(first_name=f"Waiting{n:02}") for n in range(12)]


def proposed_rows(text: str) -> list[str]:
    return re.findall(r'name="proposed" value="([0-9:]+)"', text)


def test_without_javascript_each_button_says_what_it_confirms(
    coordinator, twelve_waiting
):
    text = page_text(signed_in(coordinator).get(URL))

    assert len(proposed_rows(text)) == 12
    assert ">Confirm only the ticked matches</button>" in text
    assert ">Confirm all 12 proposed matches, ticked or not</button>" in text
    assert "Only the matches you tick are made by the first button." in text
    # Nothing is ticked for the coordinator: a tick is what they chose.
    assert text.count('type="checkbox" class="tick" name="ticked"') == 12
    assert " checked" not in text


def test_the_live_count_comes_from_our_own_script_with_the_nonce(
    coordinator, twelve_waiting
):
    response = signed_in(coordinator).get(URL)
    text = page_text(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])

    assert f'src="/static/js/batch.js" nonce="{nonce.group(1)}" defer' in text
    assert 'data-one="Confirm the 1 ticked match"' in text
    assert 'data-many="Confirm the %(n)s ticked matches"' in text
    assert 'data-words="%(n)s of 12 ticked."' in text
    assert "<script>" not in text


def test_ticking_3_of_12_and_confirming_the_ticked_makes_exactly_those_3(
    coordinator, twelve_waiting
):
    client = signed_in(coordinator)
    rows = proposed_rows(page_text(client.get(URL)))
    ticked = [rows[0], rows[5], rows[11]]

    response = client.post(
        URL, {"proposed": rows, "ticked": ticked, "confirm": "ticked"}, follow=True
    )

    made = set(Match.objects.active().values_list("member_id", "supporter_id"))
    assert made == {tuple(int(part) for part in row.split(":")[:2]) for row in ticked}
    assert "3 of 3 proposed matches were made." in page_text(response)


def test_confirm_all_makes_every_proposed_match_ticked_or_not(
    coordinator, twelve_waiting
):
    client = signed_in(coordinator)
    rows = proposed_rows(page_text(client.get(URL)))

    response = client.post(
        URL, {"proposed": rows, "ticked": rows[:3], "confirm": "all"}, follow=True
    )

    assert Match.objects.active().count() == 12
    assert "12 of 12 proposed matches were made." in page_text(response)


def test_confirming_the_ticked_with_none_ticked_makes_nothing_and_says_why(
    coordinator, twelve_waiting
):
    client = signed_in(coordinator)
    rows = proposed_rows(page_text(client.get(URL)))

    response = client.post(URL, {"proposed": rows, "confirm": "ticked"}, follow=True)

    assert not Match.objects.exists()
    assert "Nothing was confirmed: no match was ticked." in page_text(response)
