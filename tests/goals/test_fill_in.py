"""Kind to slips: a day missed in the last week can be filled in, and a check-in
changed, from the check-in page; the journey marks a day filled in later; the
member's own time zone says what a day is; one check-in a day still holds; a day
out of reach is refused in words; and a very hard day filled in later is
answered with help now (and flags the supporter, with its date, if agreed)."""

import datetime
import html
import re

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import (
    CHECKIN_CHANGEABLE_DAYS,
    CheckIn,
    ConsentTo,
    EventKind,
    JourneyEvent,
)
from peers.caseload import Reason, caseload
from tests.factories import (
    CheckInFactory,
    ContactNoteFactory,
    MatchFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db

CRISIS_HEADING = "You don't have to carry this alone"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def ago(member, n: int) -> datetime.date:
    return member.local_date() - datetime.timedelta(days=n)


def long_day(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def fill_in(client, day, **data):
    return client.post(
        reverse("goals:checkin"),
        {"day": day.isoformat(), "wellbeing": "6", "hope": "7", **data},
    )


# --- The last week on the check-in page -----------------------------------------


def test_the_checkin_page_offers_the_last_week_to_fill_in_or_change(
    member_client, member
):
    services.checkin_record(member=member, day=ago(member, 2), wellbeing=4, hope=5)
    services.checkin_skip(member=member, day=ago(member, 3), reason="tired")

    text = page_text(member_client.get(reverse("goals:checkin")))

    rows = re.findall(r'<li class="row">\s*<span>(.*?)</li>', text, flags=re.S)
    assert len(rows) == CHECKIN_CHANGEABLE_DAYS
    flat = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert flat[0] == f"{long_day(ago(member, 1))}: no check-in Fill in " + long_day(
        ago(member, 1)
    )
    assert flat[1].startswith(
        f"{long_day(ago(member, 2))}: wellbeing 4, hope 5 (filled in later) Change"
    )
    assert flat[2].startswith(f"{long_day(ago(member, 3))}: skipped Fill in")
    assert flat[-1].startswith(long_day(ago(member, CHECKIN_CHANGEABLE_DAYS)))
    assert f'href="/check-in/?day={ago(member, 1).isoformat()}"' in text


def test_a_past_days_form_asks_about_that_day(member_client, member):
    day = ago(member, 2)

    text = page_text(
        member_client.get(reverse("goals:checkin"), {"day": day.isoformat()})
    )

    assert f"<h1>Check in for {long_day(day)}</h1>" in text
    assert f"Overall, how were you doing on {long_day(day)}?" in text
    assert "How hopeful did you feel?" in text
    assert "your journey will show it as filled in later" in text
    assert f'<input type="hidden" name="day" value="{day.isoformat()}"' in text
    assert f"Save {long_day(day)}" in text
    assert "Skip today" not in text


def test_a_missed_day_is_filled_in_and_marked_on_the_journey(member_client, member):
    yesterday = ago(member, 1)

    response = fill_in(member_client, yesterday, feelings="steadier")

    assert response.status_code == 302
    assert response["Location"] == f"/today/?filled-in={yesterday.isoformat()}"
    checkin = CheckIn.objects.get(member=member)
    assert (checkin.day, checkin.wellbeing, checkin.hope) == (yesterday, 6, 7)
    assert checkin.filled_in_later
    home = member_client.get(response["Location"])
    assert messages_of(home) == [f"Thank you: {long_day(yesterday)} is filled in."]
    assert CRISIS_HEADING not in page_text(home)
    journey = page_text(member_client.get(reverse("goals:timeline")))
    assert f"for {long_day(yesterday)}, filled in later" in journey
    assert JourneyEvent.objects.filter(checkin=checkin).count() == 1


def test_a_skipped_day_filled_in_later_is_marked_too(member_client, member):
    day = ago(member, 2)
    services.checkin_skip(member=member, day=day)

    fill_in(member_client, day)

    checkin = CheckIn.objects.get(member=member)
    assert not checkin.skipped and checkin.filled_in_later


def test_a_checkin_made_on_its_day_and_changed_later_is_not_filled_in_later(
    member_client, member
):
    day = ago(member, 3)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(20))):
        services.checkin_record(member=member, wellbeing=3, hope=3)

    response = fill_in(member_client, day, wellbeing="5")

    checkin = CheckIn.objects.get(member=member)
    assert (checkin.day, checkin.wellbeing) == (day, 5)
    assert not checkin.filled_in_later
    home = member_client.get(response["Location"])
    assert messages_of(home) == [
        f"Thank you: your check-in for {long_day(day)} is changed."
    ]


def test_a_past_days_form_is_filled_with_its_check_in(member_client, member):
    day = ago(member, 4)
    services.checkin_record(member=member, day=day, wellbeing=2, hope=8)

    response = member_client.get(reverse("goals:checkin"), {"day": day.isoformat()})

    assert response.context["form"]["wellbeing"].value() == 2
    assert "You checked in that day. Saving again changes" in page_text(response)


def test_one_check_in_a_day_still_holds_for_a_day_filled_in(member_client, member):
    day = ago(member, 1)

    fill_in(member_client, day)
    fill_in(member_client, day, wellbeing="8")

    assert CheckIn.objects.get(member=member).wellbeing == 8
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(member=member, day=day, wellbeing=1, hope=1)


def test_today_is_still_checked_in_as_before(member_client, member):
    response = member_client.post(
        reverse("goals:checkin"), {"wellbeing": "6", "hope": "7"}
    )

    assert response["Location"] == reverse("goals:home")
    checkin = CheckIn.objects.get(member=member)
    assert checkin.day == member.local_date() and not checkin.filled_in_later


# --- Out of reach ---------------------------------------------------------------


def test_a_day_older_than_a_week_is_refused_in_words(member_client, member):
    day = ago(member, CHECKIN_CHANGEABLE_DAYS + 1)

    response = fill_in(member_client, day)

    assert response.status_code == 200
    assert (
        f"{day:%A} {day.day} {day:%B} {day.year} is more than 7 days ago. Check-ins "
        "can be filled in or changed for 7 days; your journey keeps the days before."
    ) in page_text(response)
    assert not CheckIn.objects.exists()


def test_the_oldest_day_of_the_week_can_still_be_filled_in(member_client, member):
    fill_in(member_client, ago(member, CHECKIN_CHANGEABLE_DAYS))

    assert CheckIn.objects.get().day == ago(member, CHECKIN_CHANGEABLE_DAYS)


def test_a_day_to_come_is_refused_in_words(member_client, member):
    response = fill_in(member_client, ago(member, -1))

    assert "That day has not come yet. You can check in for today, or fill in" in (
        page_text(response)
    )
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("day", ["2026-02-30", "soon", "1999-01-01"])
def test_a_link_to_a_day_out_of_reach_says_why_and_offers_today(member_client, day):
    response = member_client.get(reverse("goals:checkin"), {"day": day})

    assert response.status_code == 200
    text = page_text(response)
    assert "<h1>Check in</h1>" in text
    if day == "1999-01-01":
        assert messages_of(response) == [
            "Friday 1 January 1999 is more than 7 days ago. Check-ins can be filled "
            "in or changed for 7 days; your journey keeps the days before."
        ]


def test_the_members_own_time_zone_says_what_a_day_is(client, member):
    member.time_zone = "Pacific/Kiritimati"  # UTC+14
    member.save()
    client.force_login(member)
    # 11:00 UTC on 1 March is already 2 March in Kiritimati.
    with time_machine.travel(
        datetime.datetime(2026, 3, 1, 11, 0, tzinfo=datetime.UTC), tick=False
    ):
        refused = fill_in(client, datetime.date(2026, 2, 22))
        fill_in(client, datetime.date(2026, 2, 23))
        fill_in(client, datetime.date(2026, 3, 2), wellbeing="9")

    assert "is more than 7 days ago" in page_text(refused)
    days = dict(CheckIn.objects.values_list("day", "filled_in_later"))
    assert days == {datetime.date(2026, 2, 23): True, datetime.date(2026, 3, 2): False}


# --- A very hard day, filled in later --------------------------------------------


def test_a_very_hard_day_filled_in_later_shows_help_now(member_client, member):
    day = ago(member, 2)

    response = fill_in(member_client, day, wellbeing="1")
    text = page_text(member_client.get(response["Location"]))

    assert CRISIS_HEADING in text
    assert f"You wrote that {long_day(day)} was very hard." in text


def test_help_now_is_for_a_very_hard_day_only(member_client, member):
    day = ago(member, 2)
    services.checkin_record(member=member, day=day, wellbeing=5, hope=5)

    text = page_text(
        member_client.get(reverse("goals:home"), {"filled-in": day.isoformat()})
    )

    assert CRISIS_HEADING not in text


@pytest.mark.parametrize("value", ["", "yesterday", "2026-13-01"])
def test_home_ignores_a_filled_in_day_that_is_no_day(member_client, value):
    response = member_client.get(reverse("goals:home"), {"filled-in": value})

    assert response.status_code == 200
    assert CRISIS_HEADING not in page_text(response)


@pytest.fixture
def matched(member, supporter):
    match = MatchFactory(member=member, supporter=supporter)
    ContactNoteFactory(match=match, contact_date=ago(member, 1))
    return match


def flags(supporter) -> list[str]:
    return [
        a.words
        for row in caseload(supporter)
        for a in row.attention
        if a.reason == Reason.CRISIS_FLAG
    ]


def test_a_very_hard_day_filled_in_later_flags_the_supporter_with_its_date(
    member_client, member, supporter, matched
):
    """The member agreed that their supporter is told of very hard days: a day
    filled in later is one, and the flag names it (goals.services.checkin_record
    says why)."""
    services.consent_give(member=member, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
    day = ago(member, 3)

    fill_in(member_client, day, wellbeing="0")

    assert flags(supporter) == [f"crisis flag: a very hard day on {long_day(day)}"]


def test_without_consent_a_very_hard_day_filled_in_flags_nobody(
    member_client, member, supporter, matched
):
    fill_in(member_client, ago(member, 3), wellbeing="0")

    assert flags(supporter) == []


def test_the_flags_week_counts_from_the_day_not_from_the_filling_in(
    member_client, member, supporter, matched
):
    services.consent_give(member=member, what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER)
    day = ago(member, settings.CRISIS_FLAG_DAYS)

    fill_in(member_client, day, wellbeing="0")

    assert CheckIn.objects.get().filled_in_later
    assert flags(supporter) == []


def test_the_supporter_sees_a_day_was_filled_in_later(
    client, member, supporter, matched
):
    day = ago(member, 2)
    services.checkin_record(member=member, day=day, wellbeing=6, hope=6)
    client.force_login(supporter)

    text = page_text(client.get(reverse("peers:member", args=[member.pk])))

    assert f"for {day:%a} {day.day} {day:%b}, filled in later" in text


def test_the_checkin_page_reads_the_week_in_the_same_queries(member, client):
    """However many days of the week have check-ins: session, user, the bell, the
    week's check-ins, the tools on offer, and the day's tools or sharing choice."""
    full = MemberFactory(username="week-full")
    for n in range(CHECKIN_CHANGEABLE_DAYS + 1):
        CheckInFactory(member=full, day=ago(full, n))
    counts = []
    for person in (member, full):
        client.force_login(person)
        client.get(reverse("goals:checkin"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("goals:checkin"), {"day": ago(person, 2).isoformat()})
        counts.append(len(captured))

    assert counts == [6, 6]


def test_journey_moment_of_a_filled_in_day_is_one_checkin(member):
    checkin, _new = services.checkin_record(
        member=member, day=ago(member, 1), wellbeing=5, hope=5
    )

    assert list(JourneyEvent.objects.values_list("kind", "checkin")) == [
        (EventKind.CHECKIN, checkin.pk)
    ]
