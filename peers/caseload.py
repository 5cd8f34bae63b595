"""A supporter's caseload: their active members, who needs attention first and why.

Everything is read in a fixed number of queries for the whole caseload, and only
what each member shares is used: wellbeing numbers (for "falling" and the
sparkline) only when the member shares them, and a very hard day (the "crisis
flag") only when the member consented to their supporter being told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from goals.models import (
    SCALE_MAX,
    SCALE_MIN,
    CheckIn,
    Consent,
    ConsentTo,
    Goal,
    GoalStatus,
    Sharing,
    Step,
)
from peers.models import (
    AnsweredBy,
    AnsweredReason,
    ContactNote,
    CrisisFollowUp,
    Match,
    Message,
    ReasonAnswered,
)
from recovery.charts import Frame, Line, sparkline
from recovery.models import User
from recovery.search import name_matches

SPARKLINE_DAYS = 14
# The sparkline is the size of a word, its line 2 units clear of the top and the
# bottom so that its stroke shows whole.
SPARKLINE = Frame(96, 24, top=2, bottom=2)


class Recent(NamedTuple):
    """What the caseload reads of one recent check-in."""

    day: date
    wellbeing: int | None
    skipped: bool
    wants_to_talk: bool
    # When the member asked to talk (CheckIn.talk_asked_at).
    at: datetime | None = None


class Reason(IntEnum):
    """Why a member comes first; a lower value comes first."""

    CRISIS_FLAG = 0
    ASKED_TO_TALK = 1
    FALLING = 2
    QUIET = 3
    NOT_CONTACTED = 4
    NO_CONTACT_LATELY = 5


# The caseload's filter: each reason by the word in the address and its label.
REASON_FILTERS = {
    "crisis-flag": (Reason.CRISIS_FLAG, _lazy("Crisis flag")),
    "asked-to-talk": (Reason.ASKED_TO_TALK, _lazy("Asked to talk")),
    "falling": (Reason.FALLING, _lazy("Wellbeing falling lately")),
    "quiet": (Reason.QUIET, _lazy("No check-in lately")),
    "not-contacted": (Reason.NOT_CONTACTED, _lazy("New match, not contacted yet")),
    "no-contact": (Reason.NO_CONTACT_LATELY, _lazy("No contact lately")),
}
# Anyone with at least one reason to be contacted.
ANY_REASON = "any"


@dataclass(frozen=True)
class Attention:
    reason: Reason
    words: str


@dataclass
class CaseloadRow:
    member: User
    match: Match
    numbers_shared: bool
    crisis_flag_consent: bool = False
    # The latest hard day a follow-up was recorded for (CrisisFollowUp).
    followed_up_day: date | None = None
    # The hard day the crisis flag stands for, while it is not followed up.
    crisis_day: date | None = None
    last_checkin: Recent | None = None
    # The latest contact made, or message from the supporter, as a day.
    last_contact: date | None = None
    # The latest contact made (a note carries a day) and the latest message from
    # the supporter (to the minute): what answers an ask to talk.
    last_note: date | None = None
    last_message_at: datetime | None = None
    sparkline: list[int] = field(default_factory=list)
    active_shared_goals: int = 0
    steps_done_this_week: int = 0
    attention: list[Attention] = field(default_factory=list)

    @property
    def first_reason(self) -> int:
        return min((a.reason for a in self.attention), default=len(Reason) + 1)

    @property
    def spark(self) -> Line:
        return wellbeing_sparkline(self.sparkline)


def wellbeing_sparkline(values: list[int]) -> Line:
    """Wellbeing check-ins, oldest first, as a line across SPARKLINE on the
    check-in's scale."""
    return sparkline(values, frame=SPARKLINE, low=SCALE_MIN, high=SCALE_MAX)


def _is_falling(scores: list[int]) -> bool:
    """The average of the latest check-ins is clearly below the ones before."""
    n = settings.ATTENTION["falling_checkins"]
    if len(scores) < 2 * n:
        return False
    latest, before = scores[:n], scores[n : 2 * n]
    return sum(before) / n - sum(latest) / n >= settings.ATTENTION["falling_drop"]


def attention_for(
    row: CaseloadRow, recent: list[Recent], today: date
) -> list[Attention]:
    """The reasons, in words, why this member may need their supporter now.

    `recent` are the member's check-ins of the last weeks, newest first.
    """
    rules = settings.ATTENTION
    reasons = []
    if row.crisis_flag_consent:
        flag_after = today - timedelta(days=settings.CRISIS_FLAG_DAYS)
        hard = [
            c
            for c in recent
            if not c.skipped
            and c.wellbeing is not None
            and c.wellbeing <= settings.CRISIS_WELLBEING
            and c.day > flag_after
        ]
        followed = row.followed_up_day
        if hard and (followed is None or followed < hard[0].day):
            row.crisis_day = hard[0].day
            words = _("crisis flag: a very hard day on %(day)s") % {
                "day": formats.date_format(hard[0].day, "l j F")
            }
            reasons.append(Attention(Reason.CRISIS_FLAG, words))
    # An ask within the last days stands until a contact made on its day or
    # later (a note carries a day), or a message from the supporter after it.
    talk_from = today - timedelta(days=rules["talk_days"])

    def still_asking(c: Recent) -> bool:
        if not c.wants_to_talk or c.day < talk_from:
            return False
        if row.last_note is not None and row.last_note >= c.day:
            return False
        answered_at = row.last_message_at
        if answered_at is None:
            return True
        if c.at is None:  # an ask whose time is not known: a later day's message
            return timezone.localdate(answered_at, row.member.zone) <= c.day
        return answered_at <= c.at

    if any(still_asking(c) for c in recent):
        reasons.append(Attention(Reason.ASKED_TO_TALK, _("asked to talk")))
    scored = [c.wellbeing for c in recent if not c.skipped]
    if row.numbers_shared and _is_falling(scored):
        reasons.append(Attention(Reason.FALLING, _("wellbeing falling lately")))
    last_day = row.last_checkin.day if row.last_checkin else None
    quiet_from = last_day or row.match.started_at.date()
    quiet_days = (today - quiet_from).days
    if quiet_days >= rules["quiet_days"]:
        words = ngettext(
            "no check-in for %(days)d day", "no check-in for %(days)d days", quiet_days
        ) % {"days": quiet_days}
        reasons.append(Attention(Reason.QUIET, words))
    if row.last_contact is None:
        reasons.append(
            Attention(Reason.NOT_CONTACTED, _("new match, not contacted yet"))
        )
    else:
        gap = (today - row.last_contact).days
        if gap >= rules["no_contact_days"]:
            words = ngettext(
                "no contact for %(days)d day", "no contact for %(days)d days", gap
            ) % {"days": gap}
            reasons.append(Attention(Reason.NO_CONTACT_LATELY, words))
    return reasons


def _later(a: date | None, b: date | None) -> date | None:
    return max((d for d in (a, b) if d is not None), default=None)


def caseload(
    supporter: User,
    *,
    today: date | None = None,
    only: User | None = None,
    name: str = "",
) -> list[CaseloadRow]:
    """The supporter's active members, those needing attention first (or the row
    of `only` that member, for their page; or those whose name holds `name`).

    Two queries whatever the caseload's size.
    """
    today = today or timezone.localdate(timezone.now(), supporter.zone)
    week_start = today - timedelta(days=today.weekday())
    of_member = OuterRef("member_id")

    def counted(queryset, group_by: str):
        return Coalesce(
            Subquery(
                queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
            ),
            0,
        )

    # One row per match with everything but the recent check-ins: each figure is a
    # subquery that an index answers per member (the latest check-in is one index
    # probe, where grouping read every check-in of the caseload).
    matches = list(
        Match.objects.active()
        .filter(supporter=supporter, member__is_active=True)
        .filter(**({"member": only} if only is not None else {}))
        .filter(name_matches(name, via="member__"))
        .select_related("member", "member__sharing")
        .annotate(
            crisis_flag_consent=Exists(
                Consent.objects.filter(
                    member=of_member,
                    what=ConsentTo.CRISIS_FLAG_TO_SUPPORTER,
                    withdrawn_at__isnull=True,
                )
            ),
            last_checkin_day=Subquery(
                CheckIn.objects.filter(member=of_member)
                .order_by("-day")
                .values("day")[:1]
            ),
            # A contact made, or a message from the supporter, whichever is later.
            last_note=Subquery(
                ContactNote.objects.filter(match=OuterRef("pk"), reached=True)
                .order_by("-contact_date")
                .values("contact_date")[:1]
            ),
            last_message_at=Subquery(
                Message.objects.filter(match=OuterRef("pk"), author=supporter)
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
            followed_up_day=Subquery(
                CrisisFollowUp.objects.filter(match=OuterRef("pk"))
                .order_by("-day")
                .values("day")[:1]
            ),
            active_shared_goals=counted(
                Goal.objects.filter(
                    member=of_member, shared=True, status=GoalStatus.ACTIVE
                ),
                "member",
            ),
            steps_done_this_week=counted(
                Step.objects.filter(
                    goal__member=of_member,
                    goal__shared=True,
                    done=True,
                    done_at__date__gte=week_start,
                ),
                "goal__member",
            ),
        )
    )
    if not matches:
        return []
    member_ids = [m.member_id for m in matches]
    window_start = today - timedelta(days=max(28, SPARKLINE_DAYS))

    recent: dict[int, list[Recent]] = defaultdict(list)
    # Only the columns the reasons need: a caseload of 40 reads about a thousand
    # check-ins, and whole model rows (notes included) were a quarter of its time.
    for member_id, *fields in (
        CheckIn.objects.filter(member_id__in=member_ids, day__gte=window_start)
        .order_by("member_id", "-day")
        .values_list(
            "member_id",
            "day",
            "wellbeing",
            "skipped",
            "wants_to_talk",
            "talk_asked_at",
        )
    ):
        recent[member_id].append(Recent(*fields))

    rows = []
    for match in matches:
        member = match.member
        member_recent = recent.get(member.pk, [])
        numbers = Sharing.for_member(member).numbers_shared
        last_checkin = member_recent[0] if member_recent else None
        if last_checkin is None and match.last_checkin_day is not None:
            # Older than the window: enough to say how long it has been.
            last_checkin = Recent(match.last_checkin_day, None, False, False)
        message_day = (
            timezone.localdate(match.last_message_at, supporter.zone)
            if match.last_message_at
            else None
        )
        row = CaseloadRow(
            member=member,
            match=match,
            numbers_shared=numbers,
            crisis_flag_consent=match.crisis_flag_consent,
            last_checkin=last_checkin,
            last_contact=_later(match.last_note, message_day),
            last_note=match.last_note,
            last_message_at=match.last_message_at,
            followed_up_day=match.followed_up_day,
            active_shared_goals=match.active_shared_goals,
            steps_done_this_week=match.steps_done_this_week,
        )
        if numbers:
            sparkline_from = today - timedelta(days=SPARKLINE_DAYS)
            row.sparkline = [
                c.wellbeing
                for c in reversed(member_recent)
                if not c.skipped and c.day > sparkline_from
            ]
        row.attention = attention_for(row, member_recent, today)
        rows.append(row)
    rows.sort(key=lambda r: (r.first_reason, r.member.display_name.casefold()))
    return rows


def with_reason(rows: list[CaseloadRow], reason: str) -> list[CaseloadRow]:
    """The rows with the reason the filter names ("quiet"), or with any reason
    ("any"), in the order they came."""
    if reason == ANY_REASON:
        return [row for row in rows if row.attention]
    wanted = REASON_FILTERS[reason][0]
    return [row for row in rows if any(a.reason == wanted for a in row.attention)]


# The reasons a contact made (or a message from the supporter) answers.
ANSWERABLE = {
    Reason.ASKED_TO_TALK: AnsweredReason.ASKED_TO_TALK,
    Reason.NOT_CONTACTED: AnsweredReason.NOT_CONTACTED,
    Reason.NO_CONTACT_LATELY: AnsweredReason.NO_CONTACT_LATELY,
}


def _answerable_now(match: Match) -> dict[AnsweredReason, str]:
    row = next(iter(caseload(match.supporter, only=match.member)), None)
    if row is None:
        return {}
    return {
        ANSWERABLE[a.reason]: a.words for a in row.attention if a.reason in ANSWERABLE
    }


@contextmanager
def answers_recorded(match: Match, *, how: AnsweredBy, by: User) -> Iterator[None]:
    """Around a contact logged or a message sent: the reasons that stood before it
    and no longer do are kept in the member's history, with who and when. Call
    inside the transaction that writes the contact or the message."""
    before = _answerable_now(match)
    yield
    if not before:
        return
    after = _answerable_now(match)
    ReasonAnswered.objects.bulk_create(
        ReasonAnswered(match=match, reason=reason, words=words, how=how, by=by)
        for reason, words in before.items()
        if reason not in after
    )
