"""A database rule never reaches a person as its name: every constraint carries
words, and every form checks its rules first and says what to change."""

import datetime
import html
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.factories import MatchFactory

OURS = ("recovery", "goals", "peers")


def text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_every_constraint_says_what_to_change_in_words():
    wordless = [
        f"{model.__name__}.{constraint.name}"
        for model in apps.get_models()
        if model._meta.app_label in OURS
        for constraint in model._meta.constraints
        if constraint.violation_error_message
        == constraint.default_violation_error_message
    ]
    assert wordless == []


@pytest.fixture
def supporter_client(member, supporter):
    MatchFactory(member=member, supporter=supporter)
    client = Client()
    client.force_login(supporter)
    return client


def test_a_future_contact_of_9999_minutes_is_refused_in_words(member, supporter_client):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = supporter_client.post(
        reverse("peers:contact-add", args=[member.pk]),
        {"contact_date": tomorrow.isoformat(), "mode": "phone", "minutes": "9999"},
    )

    page = text(response)
    assert response.status_code == 200
    assert "A contact date cannot be in the future." in page
    assert "A contact can last at most 1,440 minutes (a day)." in page
    assert "onstraint" not in page and "violated" not in page


def test_a_long_contact_today_is_refused_by_the_form_not_the_database(
    member, supporter_client
):
    response = supporter_client.post(
        reverse("peers:contact-add", args=[member.pk]),
        {
            "contact_date": datetime.date.today().isoformat(),
            "mode": "phone",
            "minutes": "1441",
        },
    )
    page = text(response)
    assert "A contact can last at most 1,440 minutes (a day)." in page
    assert "violated" not in page


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_dates_outside_a_sensible_range_are_refused_in_words(
    day, member, member_client, supporter_client
):
    last = datetime.date.today().year + 50
    words = f"Please choose a date between 2000 and {last}."
    goal = member_client.post(
        reverse("goals:create"),
        {"title": "Walk", "domain": "health", "target_date": day},
    )
    contact = supporter_client.post(
        reverse("peers:contact-add", args=[member.pk]),
        {
            "contact_date": datetime.date.today().isoformat(),
            "mode": "phone",
            "follow_up": day,
        },
    )

    assert goal.status_code == contact.status_code == 200
    assert words in text(goal)
    assert words in text(contact)


def test_the_date_pickers_offer_the_same_range(member, member_client):
    page = member_client.get(reverse("goals:create")).content.decode()
    assert 'min="2000-01-01"' in page
    assert f'max="{datetime.date.today().year + 50}-12-31"' in page


def test_a_contact_dated_year_one_is_refused_in_words(member, supporter_client):
    response = supporter_client.post(
        reverse("peers:contact-add", args=[member.pk]),
        {"contact_date": "0001-01-01", "mode": "phone"},
    )
    last = datetime.date.today().year + 50
    assert f"Please choose a date between 2000 and {last}." in text(response)
