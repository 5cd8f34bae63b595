"""Check-in reminders: at the chosen wall-clock time in the member's zone, once a
day at most, never when checked in, skipped, paused or stopped; a stop link that
works without signing in and refuses a forged or expired one calmly."""

import datetime
import re
import zoneinfo
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from goals import reminders
from goals.models import Consent, ConsentTo, Reminder
from goals.services import checkin_record, checkin_skip
from recovery.models import OutgoingEmail
from recovery.tasks import tick
from tests.factories import MemberFactory, ReminderFactory

pytestmark = pytest.mark.django_db

ZONES = [
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Chatham",
    "UTC",
]


def minutes_of(local_day: datetime.date, zone) -> list[datetime.datetime]:
    """Every UTC minute from a little before the local day starts to a little
    after it ends (a tick each minute)."""
    start = datetime.datetime.combine(local_day, datetime.time(0), tzinfo=zone)
    start = start.astimezone(UTC) - timedelta(hours=3)
    return [start + timedelta(minutes=n) for n in range(30 * 60)]


@settings(max_examples=60, deadline=None)
# The days the clocks change: a time that does not happen, and one that happens twice.
@example("America/New_York", datetime.date(2026, 3, 8), datetime.time(2, 30))
@example("America/New_York", datetime.date(2026, 11, 1), datetime.time(1, 30))
@example("Europe/London", datetime.date(2026, 3, 29), datetime.time(1, 0))
@example("Europe/London", datetime.date(2026, 10, 25), datetime.time(1, 59))
@example("Australia/Sydney", datetime.date(2026, 4, 5), datetime.time(2, 15))
@given(
    zone_name=st.sampled_from(ZONES),
    day=st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_due_once_a_day_at_the_chosen_wall_clock_time(zone_name, day, at):
    """Over every minute of a day (daylight-saving days included) the rule is
    due for that day in one run of minutes starting at the first minute whose wall
    clock shows the chosen time or later; the once-a-day key makes that one
    email."""
    zone = zoneinfo.ZoneInfo(zone_name)
    reminder = Reminder(on=True, weekdays="0123456", at=at)

    due = [
        (now, reminders.due_day(reminder, zone, now)) for now in minutes_of(day, zone)
    ]
    for_day = [now for now, due_for in due if due_for == day]

    assert for_day, "a reminder every day comes every day"
    first = for_day[0].astimezone(zone).replace(tzinfo=None)
    chosen = datetime.datetime.combine(day, at)
    assert first >= chosen
    # The first minute at or after the chosen time: never late but for a clock
    # that jumped forward over it (then the first minute after the jump).
    before = (for_day[0] - timedelta(minutes=1)).astimezone(zone).replace(tzinfo=None)
    assert before < chosen or before.date() != day
    # Keys are per day: the minutes due for this day make a single email.
    assert {due_for for _now, due_for in due if due_for} <= {
        day - timedelta(days=1),
        day,
        day + timedelta(days=1),
    }


def test_not_on_other_weekdays_and_not_while_paused():
    zone = zoneinfo.ZoneInfo("Europe/London")
    monday_evening = datetime.datetime(2026, 12, 7, 19, 30, tzinfo=zone)
    only_tuesdays = Reminder(on=True, weekdays="1", at=datetime.time(19, 0))
    paused = Reminder(
        on=True,
        weekdays="0123456",
        at=datetime.time(19, 0),
        paused_until=datetime.date(2026, 12, 7),
    )
    off = Reminder(on=False, weekdays="0123456", at=datetime.time(19, 0))

    assert reminders.due_day(only_tuesdays, zone, monday_evening) is None
    assert reminders.due_day(paused, zone, monday_evening) is None
    assert reminders.due_day(off, zone, monday_evening) is None


def test_a_reminder_missed_by_more_than_two_hours_is_dropped():
    zone = zoneinfo.ZoneInfo("UTC")
    reminder = Reminder(on=True, weekdays="0123456", at=datetime.time(9, 0))
    late = datetime.datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
    assert reminders.due_day(reminder, zone, late) is None


@pytest.fixture
def maya(db):
    member = MemberFactory(
        first_name="Maya", email="maya@example.org", time_zone="America/New_York"
    )
    ReminderFactory(member=member, at=datetime.time(19, 0))
    return member


def evening(time_machine, day=7):
    """7:05 pm in New York on a December day."""
    ny = zoneinfo.ZoneInfo("America/New_York")
    time_machine.move_to(datetime.datetime(2026, 12, day, 19, 5, tzinfo=ny), tick=False)


def test_the_tick_sends_one_gentle_email_with_no_data(
    maya, time_machine, django_capture_on_commit_callbacks
):
    evening(time_machine)
    checkin_record(
        member=maya,
        wellbeing=3,
        hope=4,
        note="ZZ-NOTE-ZZ",
        day=datetime.date(2026, 12, 6),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
        tick.call()  # the next minute, and a second worker: still one

    (email,) = mail.outbox
    assert email.to == ["maya@example.org"]
    assert email.subject == "A gentle reminder to check in"
    assert "ZZ-NOTE-ZZ" not in email.body and "Maya" not in email.body
    assert re.search(r"/reminders/stop/[^/\s]+/", email.body)
    assert OutgoingEmail.objects.get().key == "reminder-2026-12-07"


@pytest.mark.parametrize("done", ["checked in", "skipped"])
def test_none_on_a_day_already_checked_in_or_skipped(
    maya, time_machine, django_capture_on_commit_callbacks, done
):
    evening(time_machine)
    if done == "checked in":
        checkin_record(member=maya, wellbeing=5, hope=5)
    else:
        checkin_skip(member=maya, reason="resting")
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
    assert mail.outbox == []


def test_checking_in_between_asking_and_sending_sends_nothing(
    maya, time_machine, django_capture_on_commit_callbacks
):
    evening(time_machine)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        tick.call()
    checkin_record(member=maya, wellbeing=5, hope=5)
    for callback in waiting:
        callback()
    assert mail.outbox == []


def test_pause_for_a_week_then_resume(
    maya, time_machine, django_capture_on_commit_callbacks
):
    evening(time_machine)
    client = Client()
    client.force_login(maya)

    client.post(reverse("goals:reminder-pause"))
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
    paused = text(client.get(reverse("goals:reminders")))
    evening(time_machine, day=14)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()

    assert "Paused until Sunday 13 December." in paused
    assert [m.subject for m in mail.outbox] == ["A gentle reminder to check in"]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_stop_link_works_signed_out_and_changes_nothing_else(maya):
    maya.first_name = "Maya"
    token = reminders.stop_token(maya)
    client = Client()

    page = client.get(reverse("goals:reminder-stop", args=[token]))
    assert Reminder.objects.get(member=maya).on  # a mail program's look stops nothing
    done = client.post(reverse("goals:reminder-stop", args=[token]))

    assert page.status_code == 200 and "Stop reminders" in text(page)
    assert "Reminders are stopped" in text(done)
    reminder = Reminder.objects.get(member=maya)
    assert not reminder.on and reminder.weekdays == "0123456"
    assert reminder.at == datetime.time(19, 0)


@pytest.mark.parametrize("kind", ["forged", "expired"])
def test_a_forged_or_expired_stop_link_is_refused_calmly(maya, time_machine, kind):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 12, 0, tzinfo=UTC), tick=False)
    token = reminders.stop_token(maya)
    if kind == "forged":
        token = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    else:
        time_machine.shift(timedelta(days=reminders.STOP_LINK_DAYS + 1))

    page = Client().post(reverse("goals:reminder-stop", args=[token]))

    assert page.status_code == 400
    assert "This link has expired or is not complete" in text(page)
    assert Reminder.objects.get(member=maya).on


def test_the_settings_page_turns_it_on_for_chosen_days_and_time():
    member = MemberFactory(email="noor@example.org")
    client = Client()
    client.force_login(member)

    response = client.post(
        reverse("goals:reminders"), {"on": "on", "weekdays": ["0", "3"], "at": "08:30"}
    )
    refused = client.post(reverse("goals:reminders"), {"on": "on", "at": "08:30"})

    assert response.status_code == 302
    reminder = Reminder.objects.get(member=member)
    assert (reminder.on, reminder.weekdays, reminder.at) == (
        True,
        "03",
        datetime.time(8, 30),
    )
    assert "Choose at least one day, or turn it off." in text(refused)


def test_opening_the_settings_page_writes_nothing_and_saving_twice_keeps_one():
    member = MemberFactory(email="noor@example.org")
    client = Client()
    client.force_login(member)

    page = client.get(reverse("goals:reminders"))
    assert page.status_code == 200
    assert not Reminder.objects.filter(member=member).exists()

    # Two tabs opened before the first save: the second changes the same reminder.
    reminders.reminder_save(
        member=member, on=True, weekdays="03", at=datetime.time(8, 30)
    )
    paused = reminders.pause_for_a_week(member).paused_until
    reminders.reminder_save(
        member=member, on=True, weekdays="1", at=datetime.time(9, 0)
    )

    reminder = Reminder.objects.get(member=member)
    assert (reminder.weekdays, reminder.at) == ("1", datetime.time(9, 0))
    assert reminder.paused_until == paused


def test_someone_elses_reminder_is_never_theirs_to_change(maya, other_member):
    client = Client()
    client.force_login(other_member)
    client.post(reverse("goals:reminders"), {"weekdays": ["1"], "at": "06:00"})
    client.post(reverse("goals:reminder-pause"))

    reminder = Reminder.objects.get(member=maya)
    assert (
        reminder.on and reminder.weekdays == "0123456" and reminder.paused_until is None
    )


def test_reminders_by_email_are_a_consent_on_record_given_and_withdrawn():
    """The privacy page's record of what the member agreed to includes reminders
    by email: turned on from the settings page, off again there or by the email's
    stop link, each kept with its moment."""
    member = MemberFactory(email="noor@example.org")
    client = Client()
    client.force_login(member)
    on = {"on": "on", "weekdays": ["0", "3"], "at": "08:30"}

    client.post(reverse("goals:reminders"), on)
    client.post(reverse("goals:reminders"), on)  # saved again: still one open
    given = Consent.objects.get(member=member, what=ConsentTo.EMAIL_REMINDERS)
    client.post(reverse("goals:reminders"), {"weekdays": ["0"], "at": "08:30"})
    client.post(reverse("goals:reminders"), on)
    Client().post(reverse("goals:reminder-stop", args=[reminders.stop_token(member)]))

    records = list(
        Consent.objects.filter(member=member, what=ConsentTo.EMAIL_REMINDERS)
        .order_by("given_at", "pk")
        .values_list("pk", "withdrawn_at")
    )
    assert [pk for pk, _ in records][0] == given.pk
    assert len(records) == 2 and all(withdrawn for _, withdrawn in records)
    privacy = text(client.get(reverse("goals:privacy")))
    assert "Reminders by email" in privacy
