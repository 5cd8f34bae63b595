"""Choosing a time zone in plain words: the programme's usual zones first, then
every place grouped by region, with readable names and today's offset; anything
else refused in words."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from recovery.settings import time_zones
from recovery.time_zones import (
    REGIONS,
    is_known,
    offset_words,
    place_name,
    time_zone_choices,
    zones_by_region,
)
from tests.helpers import page_text, signed_in

WINTER = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("zone", "name"),
    [
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires, Argentina"),
        ("America/Indiana/Knox", "Knox, Indiana"),
        ("Europe/Isle_of_Man", "Isle of Man"),
        ("UTC", "UTC"),
    ],
)
def test_a_place_is_named_from_its_zone(zone, name):
    assert place_name(zone) == name


@pytest.mark.parametrize(
    ("zone", "now", "words"),
    [
        ("America/New_York", WINTER, "UTC\u22125"),
        ("America/New_York", SUMMER, "UTC\u22124"),
        ("Asia/Kolkata", SUMMER, "UTC+5:30"),
        ("Pacific/Chatham", WINTER, "UTC+13:45"),
        ("Europe/London", WINTER, "UTC"),
        ("Europe/London", SUMMER, "UTC+1"),
    ],
)
def test_the_offset_is_the_one_in_force_now(zone, now, words):
    assert offset_words(zone, now) == words


def test_usual_zones_come_first_then_each_region_then_utc(settings):
    settings.USUAL_TIME_ZONES = ["America/New_York", "America/Chicago"]

    groups = time_zone_choices(WINTER)

    labels = [label for label, _options in groups]
    assert labels[0] == "Usual for this programme"
    assert groups[0][1] == [
        ("America/New_York", "New York (UTC\u22125)"),
        ("America/Chicago", "Chicago (UTC\u22126)"),
    ]
    assert labels[1:] == [str(words) for words in REGIONS.values()] + ["Other"]
    assert groups[-1][1] == [("UTC", "UTC (Coordinated Universal Time)")]


def test_every_place_is_offered_once_and_no_alias_is(settings):
    settings.USUAL_TIME_ZONES = ["Europe/London"]

    offered = [zone for _label, options in time_zone_choices() for zone, _ in options]

    assert len(offered) == len(set(offered))
    places = {zone for zones in zones_by_region().values() for zone in zones}
    assert set(offered) == places | {"UTC"}
    assert len(offered) > 300  # every place, grouped: never one flat list
    for alias in ("US/Eastern", "Etc/GMT+5", "EST5EDT", "GB"):
        assert alias in zoneinfo.available_timezones()
        assert alias not in offered and not is_known(alias)


def test_within_a_region_places_read_in_order_of_their_names(settings):
    settings.USUAL_TIME_ZONES = ["UTC"]
    europe = dict(time_zone_choices(WINTER))["Europe"]

    names = [label.rsplit(" (", 1)[0] for _zone, label in europe]
    assert names == sorted(names, key=str.casefold)
    assert ("Europe/Lisbon", "Lisbon (UTC)") in europe


def test_the_usual_zones_default_to_the_programmes_own_and_are_checked():
    assert time_zones(["America/New_York"]) == ["America/New_York"]
    with pytest.raises(ImproperlyConfigured, match="Mars/Olympus"):
        time_zones(["Europe/Paris", "Mars/Olympus"])
    with pytest.raises(ImproperlyConfigured, match="not a time zone"):
        time_zones(["../../etc/passwd"])


# --- Where a zone is chosen -----------------------------------------------------


@pytest.mark.django_db
def test_the_settings_page_offers_usual_zones_first_in_groups(
    member, settings, time_machine
):
    time_machine.move_to(WINTER, tick=False)
    settings.USUAL_TIME_ZONES = ["America/New_York", "America/Chicago"]

    text = page_text(signed_in(member).get(reverse("account")))

    select = text[text.index('<select name="time_zone"') : text.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups[:3] == ["Usual for this programme", "Africa", "The Americas"]
    assert select.index("New York (UTC\u22125)") < select.index("Chicago")
    assert select.index("Chicago") < select.index('<optgroup label="Africa">')
    assert '<option value="UTC" selected>UTC (Coordinated Universal Time)' in select


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "US/Eastern", "<b>x</b>"])
def test_a_zone_not_on_the_list_is_refused_in_words(member, zone):
    response = signed_in(member).post(
        reverse("account"), {"first_name": "Maya", "time_zone": zone}
    )

    assert response.status_code == 200
    assert f"“{zone}” is not a time zone we know." in page_text(response)
    member.refresh_from_db()
    assert member.time_zone == "UTC"


@pytest.mark.django_db
def test_an_older_alias_a_person_has_stays_theirs_until_they_change_it(member):
    member.time_zone = "US/Eastern"
    member.save()
    client = signed_in(member)

    text = page_text(client.get(reverse("account")))
    client.post(reverse("account"), {"first_name": "Maya", "time_zone": "US/Eastern"})

    assert '<optgroup label="Your time zone now">' in text
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in text
    member.refresh_from_db()
    assert member.time_zone == "US/Eastern"


@pytest.mark.django_db
def test_a_new_account_starts_in_the_programmes_usual_zone_or_its_own_choice(
    client, settings
):
    from recovery.invitations import invitation_create
    from recovery.models import Role, User

    settings.USUAL_TIME_ZONES = ["Europe/Berlin", "Europe/Lisbon"]
    _, token = invitation_create(name="Jo", role=Role.MEMBER, by=None)
    _, other = invitation_create(name="Kai", role=Role.MEMBER, by=None)
    url = reverse("invitation-accept", args=[token])
    password = "quiet-harbour-lantern-42"

    page = page_text(client.get(url))
    client.post(url, {"username": "jo", "password1": password, "password2": password})
    Client().post(
        reverse("invitation-accept", args=[other]),
        {
            "username": "kai",
            "password1": password,
            "password2": password,
            "time_zone": "Asia/Tokyo",
        },
    )

    assert '<option value="Europe/Berlin" selected>Berlin (UTC+' in page
    assert User.objects.get(username="jo").time_zone == "Europe/Berlin"
    assert User.objects.get(username="kai").time_zone == "Asia/Tokyo"
