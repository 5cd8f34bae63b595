"""Check-in reminders: opt-in, gentle, never more than one a day.

The rules:
- A reminder comes on the member's chosen weekdays, at their chosen wall-clock
  time in their own time zone. It comes at that clock time whatever the offset
  that day: on the day the clocks go forward past it, it comes at the first
  minute after, and on the day a time happens twice, at the first.
- It comes once a day at most (the email's key is the member's date). It does not
  come at all on a day they have already checked in or skipped, while paused, or
  once it is turned off. A reminder the worker could not send near its time (the
  worker was down) is dropped after two hours rather than sent late in the day.
- Its email has no numbers, notes or goal titles: a kind line and links, one of
  them to stop reminders without signing in (a signed link that lasts 60 days and
  changes nothing else).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goals import services
from goals.models import CheckIn, ConsentTo, Reminder
from recovery import schedule
from recovery.email import Letter, email_kind, email_person, link
from recovery.models import User

KIND = "checkin_reminder"
PAUSE_DAYS = 7
STOP_SALT = "goals.reminders.stop"
STOP_LINK_DAYS = 60


def due_day(reminder: Reminder, zone, now: datetime) -> date | None:
    """The member's date a reminder is due for at `now`, or None."""
    if not reminder.on:
        return None
    day = schedule.due_day(
        zone=zone, at=reminder.at, now=now, weekdays=reminder.weekdays
    )
    if day is None or (reminder.paused_until and day <= reminder.paused_until):
        return None
    return day


def send_due(now: datetime | None = None) -> int:
    """Ask for every reminder due now (the worker's minute tick). Returns how many
    were asked for; one already asked for today is not asked for again."""
    now = now or timezone.now()
    due = []
    for reminder in Reminder.objects.filter(
        on=True, member__is_active=True
    ).select_related("member"):
        day = due_day(reminder, reminder.member.zone, now)
        if day is not None and reminder.member.email:
            due.append((reminder.member, day))
    if not due:
        return 0
    checked_in = set(
        CheckIn.objects.filter(
            member__in=[member for member, _ in due], day__in={day for _, day in due}
        ).values_list("member_id", "day")
    )
    asked = 0
    for member, day in due:
        if (member.pk, day) in checked_in:
            continue
        params = {"day": day.isoformat()}
        if email_person(member, KIND, f"reminder-{day.isoformat()}", params):
            asked += 1
    return asked


def reminder_or_default(member: User) -> Reminder:
    """The member's reminder, or an unsaved one with the defaults (off): opening
    the reminder page writes nothing."""
    return Reminder.objects.filter(member=member).first() or Reminder(member=member)


@transaction.atomic
def reminder_save(*, member: User, on: bool, weekdays: str, at: time) -> Reminder:
    """Save the member's choices. The reminder is made when first saved; the
    form sent again, or from a second tab, changes that same one. A pause stays.
    Reminders by email are a consent the member gives and can withdraw: turning
    them on or off is kept in their consent record, as their other choices are."""
    reminder, _created = Reminder.objects.update_or_create(
        member=member, defaults={"on": on, "weekdays": weekdays, "at": at}
    )
    _consent_follows(member, on=on)
    return reminder


def _consent_follows(member: User, *, on: bool) -> None:
    change = services.consent_give if on else services.consent_withdraw
    change(member=member, what=ConsentTo.EMAIL_REMINDERS)


def _reminder_made(member: User) -> Reminder:
    """The member's reminder, saved with the defaults (off) if they had none."""
    reminder, _created = Reminder.objects.get_or_create(member=member)
    return reminder


def pause_for_a_week(member: User) -> Reminder:
    reminder = _reminder_made(member)
    reminder.paused_until = member.local_date() + timedelta(days=PAUSE_DAYS - 1)
    reminder.save(update_fields=["paused_until", "updated_at"])
    return reminder


def resume(member: User) -> Reminder:
    reminder = _reminder_made(member)
    reminder.paused_until = None
    reminder.save(update_fields=["paused_until", "updated_at"])
    return reminder


def stop_token(member: User) -> str:
    return signing.dumps(member.pk, salt=STOP_SALT)


def member_of_stop_token(token: str) -> int | None:
    """The member a stop link names, or None for a forged or expired one."""
    try:
        return signing.loads(
            token, salt=STOP_SALT, max_age=timedelta(days=STOP_LINK_DAYS)
        )
    except signing.BadSignature:
        return None


def stop_by_token(token: str) -> bool:
    """Turn off the reminder a stop link names (off already, or none: the same).
    False for a forged or expired link. Nothing but the on/off changes."""
    pk = member_of_stop_token(token)
    if pk is None:
        return False
    member = User.objects.filter(pk=pk).first()
    if member is not None:
        with transaction.atomic():
            Reminder.objects.filter(member=member).update(on=False)
            _consent_follows(member, on=False)
    return True


@email_kind(KIND)
def _reminder_email(person: User, params: dict) -> Letter | None:
    day = date.fromisoformat(params["day"])
    reminder = Reminder.objects.filter(member=person, on=True).first()
    if reminder is None or CheckIn.objects.filter(member=person, day=day).exists():
        return None  # turned off, or checked in since: nothing to say
    body = _(
        "Hello,\n\n"
        "This is the reminder you asked for. If you would like to check in today, "
        "it takes a few taps:\n%(checkin)s\n\n"
        "No pressure: a day without a check-in is fine too.\n\n"
        "Change the days or the time, or pause for a week: %(settings)s\n"
        "Stop these reminders: %(stop)s\n"
    ) % {
        "checkin": link(reverse("goals:checkin")),
        "settings": link(reverse("goals:reminders")),
        "stop": link(reverse("goals:reminder-stop", args=[stop_token(person)])),
    }
    return Letter(_("A gentle reminder to check in"), body)
