"""When a chosen questionnaire is due (goals.measure_due), in the member's own time
zone, and telling them once under the bell, and by email only if they chose it."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from goals import measure_due
from goals import measure_services as services
from goals.measures import BARC_10
from goals.models import MeasureChoice
from recovery.models import Notification
from recovery.notifications import email_choose, sentence
from recovery.tasks import tick
from tests.factories import MemberFactory

NY = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        (datetime.date(2026, 1, 15), 1, datetime.date(2026, 2, 15)),
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 12, 5), 2, datetime.date(2027, 2, 5)),
    ],
)
def test_months_are_calendar_months(day, months, due):
    assert measure_due.add_months(day, months) == due


@pytest.fixture
def maya(db, time_machine):
    """Chose BARC-10 every month on 5 March 2026 (New York), nothing answered."""
    time_machine.move_to(datetime.datetime(2026, 3, 5, 9, tzinfo=NY), tick=False)
    member = MemberFactory(
        first_name="Maya", email="maya@example.org", time_zone="America/New_York"
    )
    services.measure_choices_save(member=member, chosen={BARC_10.key: 1})
    return member


def at(time_machine, day: datetime.date, hour: int, minute: int = 5, zone=NY):
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)
    time_machine.move_to(moment, tick=False)


def told(member) -> list[Notification]:
    return list(Notification.objects.filter(recipient=member, kind="measure_due"))


def test_due_a_month_after_choosing_at_ten_in_the_members_morning(
    maya, time_machine, django_capture_on_commit_callbacks
):
    at(time_machine, datetime.date(2026, 4, 4), 10)  # a day early
    assert measure_due.tell_due() == 0
    at(time_machine, datetime.date(2026, 4, 5), 9, 59)  # not yet ten
    assert measure_due.tell_due() == 0
    # 10:05 in New York is 14:05 UTC: due by the member's clock, not UTC's.
    at(time_machine, datetime.date(2026, 4, 5), 10)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
        tick.call()  # the next minute, and a second worker: still once

    (note,) = told(maya)
    assert note.url == reverse("goals:measures")
    assert sentence(note) == "A questionnaire you chose is ready, whenever you are"
    assert MeasureChoice.objects.get().notified_for == datetime.date(2026, 4, 5)
    assert mail.outbox == []  # no email unless chosen


def test_a_day_missed_by_the_worker_is_told_the_next_morning(maya, time_machine):
    at(time_machine, datetime.date(2026, 4, 5), 13)  # too late in the day
    assert measure_due.tell_due() == 0
    at(time_machine, datetime.date(2026, 4, 6), 10)
    assert measure_due.tell_due() == 1
    at(time_machine, datetime.date(2026, 4, 7), 10)
    assert measure_due.tell_due() == 0  # told already for this due day


def test_answering_moves_the_next_due_day(maya, time_machine):
    at(time_machine, datetime.date(2026, 3, 20), 18)
    draft = services.measure_draft(member=maya, questionnaire=BARC_10)
    services.measure_answer_all(draft=draft, answers=[4] * 10)
    services.measure_finish(member=maya, questionnaire=BARC_10)

    at(time_machine, datetime.date(2026, 4, 5), 10)
    assert measure_due.tell_due() == 0
    at(time_machine, datetime.date(2026, 4, 20), 10)
    assert measure_due.tell_due() == 1


def test_each_due_day_is_told_once_and_the_next_one_again(maya, time_machine):
    at(time_machine, datetime.date(2026, 4, 5), 10)
    assert measure_due.tell_due() == 1
    # Not answered: still due, told no more. Answered in May, due again in June.
    at(time_machine, datetime.date(2026, 4, 30), 10)
    assert measure_due.tell_due() == 0
    at(time_machine, datetime.date(2026, 5, 2), 16)
    draft = services.measure_draft(member=maya, questionnaire=BARC_10)
    services.measure_answer_all(draft=draft, answers=[4] * 10)
    services.measure_finish(member=maya, questionnaire=BARC_10)
    at(time_machine, datetime.date(2026, 6, 2), 10)
    assert measure_due.tell_due() == 1
    assert len(told(maya)) == 2


def test_an_email_goes_only_if_chosen_and_says_nothing_but_that(
    maya, time_machine, django_capture_on_commit_callbacks
):
    email_choose(maya, "measure_due", True)
    at(time_machine, datetime.date(2026, 4, 5), 10)
    with django_capture_on_commit_callbacks(execute=True):
        tick.call()
        tick.call()

    (email,) = mail.outbox
    assert email.to == ["maya@example.org"]
    assert email.subject == "A recovery questionnaire you chose is due"
    assert "Maya" not in email.body
    assert "barc" not in email.body.lower()  # not even in the link
    assert f"{reverse('goals:measures')}\n" in email.body


def test_nobody_is_told_of_what_they_did_not_choose(db, time_machine):
    at(time_machine, datetime.date(2026, 4, 5), 10)
    MemberFactory(time_zone="America/New_York")
    assert measure_due.tell_due() == 0
    assert not Notification.objects.exists()


def test_a_deactivated_member_is_not_told(maya, time_machine):
    maya.is_active = False
    maya.save()
    at(time_machine, datetime.date(2026, 4, 5), 10)
    assert measure_due.tell_due() == 0


def test_a_member_who_turned_it_off_in_the_app_gets_no_bell(maya, time_machine):
    from recovery.notifications import choices_save

    choices_save(maya, {"measure_due": (False, False)})
    at(time_machine, datetime.date(2026, 4, 5), 10)
    measure_due.tell_due()
    assert told(maya) == []
    # Told is told: the day is claimed, so turning it back on later sends no old news.
    assert MeasureChoice.objects.get().notified_for == datetime.date(2026, 4, 5)


def test_the_list_page_says_when_it_is_due(maya, time_machine, client):
    at(time_machine, datetime.date(2026, 3, 6), 12)
    client.force_login(maya)
    page = client.get(reverse("goals:measures")).content.decode()
    assert "Next one from 5 April 2026." in page
    at(time_machine, datetime.date(2026, 4, 5), 12)
    client.force_login(maya)  # a month later: signed in again
    page = client.get(reverse("goals:measures")).content.decode()
    assert "Ready for you, whenever you like." in page
