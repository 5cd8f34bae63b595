"""Digests for staff, by email from the worker's minute tick.

- A supporter's, daily at the time they choose (on unless they turn it off): the
  members who may welcome contact, by first name with the reasons in words, and
  how many messages wait. Nothing a member wrote. No email on a day with nothing
  to say.
- A coordinator's, weekly on Monday at their time: the programme in figures
  (waiting list and longest wait, busy supporters, matches without contact or
  conversation lately, change requests waiting, emails that failed). No names.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peers import caseload, selectors
from peers.models import (
    ChangeRequest,
    ContactNote,
    DigestSetting,
    Match,
    Message,
    SupporterProfile,
)
from recovery import email, schedule
from recovery.email import Letter, email_kind, email_person
from recovery.models import Role, User

DEFAULT_AT = time(8, 0)
MONDAY = "0"
NO_CONTACT_DAYS = 14
SILENT_DAYS = 21


def setting_of(user: User) -> DigestSetting:
    """The person's digest setting, or the default one (on) if they never chose."""
    return DigestSetting.objects.filter(user=user).first() or DigestSetting(user=user)


def digest_turn(*, user: User, on: bool) -> DigestSetting:
    """Turn a person's digest on or off. Asked twice (a double click), the
    second changes nothing."""
    setting, _created = DigestSetting.objects.update_or_create(
        user=user, defaults={"on": on}
    )
    return setting


def send_due(now: datetime | None = None) -> int:
    """Ask for each digest due now; each is once a day (a week) by its key."""
    now = now or timezone.now()
    chosen = {d.user_id: d for d in DigestSetting.objects.all()}
    asked = 0
    staff = User.objects.filter(
        role__in=[Role.SUPPORTER, Role.COORDINATOR], is_active=True
    ).exclude(email="")
    for person in staff:
        setting = chosen.get(person.pk) or DigestSetting(user=person)
        if not setting.on:
            continue
        weekly = person.role == Role.COORDINATOR
        day = schedule.due_day(
            zone=person.zone,
            at=setting.at,
            now=now,
            weekdays=MONDAY if weekly else schedule.EVERY_DAY,
        )
        if day is None:
            continue
        kind, key = (
            ("coordinator_digest", f"week-{day.isoformat()}")
            if weekly
            else ("supporter_digest", f"day-{day.isoformat()}")
        )
        if email_person(person, kind, key, {"day": day.isoformat()}):
            asked += 1
    return asked


def _emailable(reason: caseload.Attention) -> str:
    """A reason as an email may say it: a crisis flag tells of a member's very
    hard day, which they agreed their supporter sees in the planner, not in an
    inbox, so the email only asks the supporter to look in."""
    if reason.reason == caseload.Reason.CRISIS_FLAG:
        return _("please look in on the planner today")
    return reason.words


def supporter_lines(supporter: User, day: date) -> tuple[list[str], int]:
    """The members who may welcome contact ("Maya: asked to talk"), and how many
    messages from members wait unread."""
    rows = caseload.caseload(supporter, today=day)
    lines = [
        f"{row.member.display_name}: {'; '.join(_emailable(a) for a in row.attention)}"
        for row in rows
        if row.attention
    ]
    waiting = (
        Message.objects.filter(
            match__supporter=supporter,
            match__ended_at__isnull=True,
            seen_at__isnull=True,
        )
        .exclude(author=supporter)
        .count()
    )
    return lines, waiting


@email_kind("supporter_digest")
def _supporter_digest(person: User, params: dict) -> Letter | None:
    day = date.fromisoformat(params["day"])
    lines, waiting = supporter_lines(person, day)
    if not lines and not waiting:
        return None  # nothing to say today: no email
    parts = []
    if lines:
        parts.append(_("Members who may welcome contact today:"))
        parts += [f"- {line}" for line in lines]
    if waiting:
        parts.append(
            ngettext(
                "%(n)d message from your members is waiting.",
                "%(n)d messages from your members are waiting.",
                waiting,
            )
            % {"n": waiting}
        )
    parts.append("")
    parts.append(email.sign_in_to_see(_("your caseload"), reverse("peers:caseload")))
    parts.append(
        _("Turn this daily email off or change its time: %(link)s")
        % {"link": email.link(reverse("peers:digest"))}
    )
    return Letter(_("Your caseload today"), "\n".join(parts))


def programme_figures(day: date) -> list[str]:
    """This week's figures for coordinators, in words: counts only."""
    now = timezone.now()
    waiting = selectors.waiting_list()
    longest = waiting.first()
    busy = sum(
        profile.is_busy
        for profile in SupporterProfile.objects.filter(user__is_active=True).only(
            "capacity", "active_matches"
        )
    )
    active = Match.objects.active().filter(member__is_active=True)
    last_contact = (
        ContactNote.objects.filter(match=OuterRef("pk"))
        .order_by("-contact_date")
        .values("contact_date")[:1]
    )
    no_contact_since = day - timedelta(days=NO_CONTACT_DAYS)
    no_contact = (
        active.filter(started_at__date__lt=no_contact_since)
        .annotate(last=Subquery(last_contact))
        .filter(Q(last__isnull=True) | Q(last__lt=no_contact_since))
    )
    silent_since = now - timedelta(days=SILENT_DAYS)
    silent = (
        active.filter(started_at__lt=silent_since)
        .annotate(last=Max("messages__created_at"))
        .filter(Q(last__isnull=True) | Q(last__lt=silent_since))
    )
    requests = ChangeRequest.objects.open()
    waiting_count = waiting.count()
    waiting_line = ngettext(
        "%(n)d member waiting for a supporter",
        "%(n)d members waiting for a supporter",
        waiting_count,
    ) % {"n": waiting_count}
    if longest is not None:
        days = (now - longest.waiting_since).days
        waiting_line += ngettext(
            ", the longest for %(d)d day", ", the longest for %(d)d days", days
        ) % {"d": days}
    failed = email.failed_count()
    return [
        waiting_line,
        ngettext(
            "%(n)d supporter over %(p)d%% of their capacity",
            "%(n)d supporters over %(p)d%% of their capacity",
            busy,
        )
        % {"n": busy, "p": round(settings.BUSY_LOAD * 100)},
        ngettext(
            "%(n)d match with no contact logged for %(d)d days",
            "%(n)d matches with no contact logged for %(d)d days",
            no_contact.count(),
        )
        % {"n": no_contact.count(), "d": NO_CONTACT_DAYS},
        ngettext(
            "%(n)d conversation silent for %(d)d days",
            "%(n)d conversations silent for %(d)d days",
            silent.count(),
        )
        % {"n": silent.count(), "d": SILENT_DAYS},
        ngettext(
            "%(n)d change request waiting",
            "%(n)d change requests waiting",
            requests.count(),
        )
        % {"n": requests.count()},
        ngettext(
            "%(n)d email that could not be sent in the last 7 days",
            "%(n)d emails that could not be sent in the last 7 days",
            failed,
        )
        % {"n": failed},
    ]


@email_kind("coordinator_digest")
def _coordinator_digest(person: User, params: dict) -> Letter:
    day = date.fromisoformat(params["day"])
    parts = [_("The programme this week:")]
    parts += [f"- {line}" for line in programme_figures(day)]
    parts.append("")
    parts.append(email.sign_in_to_see(_("the waiting list"), reverse("peers:waiting")))
    parts.append(
        _("Turn this weekly email off or change its time: %(link)s")
        % {"link": email.link(reverse("peers:digest"))}
    )
    return Letter(_("The programme this week"), "\n".join(parts))
