"""Reads for coordinators' pages: the waiting list, what each member would like in
words, one member's history and the supporters who would fit them, matches,
supporters as matching sees them, and the batch proposal; and a member's own page
of their supporter.

Every read but `my_supporter_for` is for a coordinator (the views check the role);
nothing here returns a member's goals or check-ins, and of the contact log only what
`peers.access` lets the reader see.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from peers import access, conversations, matching
from peers.models import (
    AnsweredReason,
    Availability,
    ChangeRequest,
    ContactNote,
    CrisisFollowUp,
    ExperienceArea,
    Gender,
    LifeStage,
    Match,
    MatchPreferences,
    MeetingMode,
    Pathway,
    ReasonAnswered,
    Suggestion,
    SuggestionStatus,
    SupporterProfile,
)
from recovery.models import Role, User
from recovery.search import name_matches

# Supporters suggested for one member at a time.
SUGGESTIONS = 5

# --- The waiting list -----------------------------------------------------------


def waiting_list() -> QuerySet[User]:
    """Members waiting for a supporter, longest wait first.

    Two kinds of people wait: active members without an active match (waiting since
    the later of joining and their last match ending) and members who asked for a
    change (waiting since they asked). Each row carries `waiting_since`,
    `has_supporter`, `request_at` and `request_reason`.
    """
    active_match = Match.objects.active().filter(member=OuterRef("pk"))
    last_end = (
        Match.objects.filter(member=OuterRef("pk"), ended_at__isnull=False)
        .order_by("-ended_at")
        .values("ended_at")[:1]
    )
    open_request = (
        ChangeRequest.objects.open()
        .filter(member=OuterRef("pk"))
        .order_by("created_at")
    )
    return (
        User.objects.filter(role=Role.MEMBER, is_active=True)
        .annotate(
            has_supporter=Exists(active_match),
            request_at=Subquery(open_request.values("created_at")[:1]),
            request_reason=Subquery(open_request.values("reason")[:1]),
        )
        .filter(Q(has_supporter=False) | Q(request_at__isnull=False))
        .annotate(
            waiting_since=Case(
                When(has_supporter=True, then=F("request_at")),
                default=Greatest(
                    "date_joined", Coalesce(Subquery(last_end), "date_joined")
                ),
                output_field=DateTimeField(),
            )
        )
        .order_by("waiting_since", "pk")
    )


def waiting_found(
    *,
    name: str = "",
    language: str = "",
    region: str = "",
    waited_days: int | None = None,
    now: datetime | None = None,
) -> QuerySet[User]:
    """The waiting list narrowed to a name, a language the member asked for, their
    region and a least wait, still longest wait first. Only waiting members: a
    search never reaches anyone else."""
    found = waiting_list().filter(name_matches(name))
    if language:
        # Languages are kept as a JSON list; an element is matched whole, ignoring
        # case, in the database's text of it (PostgreSQL writes "Español" as it
        # is, SQLite as JSON escapes it).
        found = found.filter(
            Q(match_preferences__languages__icontains=f'"{language}"')
            | Q(match_preferences__languages__icontains=json.dumps(language))
        )
    if region:
        found = found.filter(match_preferences__region__iexact=region)
    if waited_days:
        since = (now or timezone.now()) - timedelta(days=waited_days)
        found = found.filter(waiting_since__lte=since)
    return found


def waiting_languages_and_regions() -> tuple[list[str], list[str]]:
    """The languages and regions the people waiting asked for, each once
    (ignoring case) and sorted: the waiting list's filter offers these. One
    query."""
    languages: dict[str, str] = {}
    regions: dict[str, str] = {}
    for spoken, region in MatchPreferences.objects.filter(
        member__in=waiting_list().values("pk")
    ).values_list("languages", "region"):
        for language in spoken or []:
            languages.setdefault(language.casefold(), language)
        if region:
            regions.setdefault(region.casefold(), region)
    return (
        sorted(languages.values(), key=str.casefold),
        sorted(regions.values(), key=str.casefold),
    )


def waiting_page_rows(members: QuerySet[User]) -> QuerySet[User]:
    """The waiting list with what each row shows, in a fixed number of queries."""
    return members.select_related("match_preferences").prefetch_related(
        "match_preferences__experience_areas",
        Prefetch(
            "matches",
            queryset=Match.objects.active().select_related("supporter"),
            to_attr="current_matches",
        ),
    )


def members_without_supporter() -> QuerySet[User]:
    """Active members without an active match: the people batch matching is for."""
    return (
        User.objects.filter(role=Role.MEMBER, is_active=True)
        .filter(~Exists(Match.objects.active().filter(member=OuterRef("pk"))))
        .select_related("match_preferences")
        .prefetch_related("match_preferences__experience_areas")
        .order_by("date_joined", "pk")
    )


def preferences_of(member: User) -> MatchPreferences | None:
    try:
        return member.match_preferences
    except MatchPreferences.DoesNotExist:
        return None


def _labels(values, choices: type[models.TextChoices]) -> str:
    return ", ".join(_label(value, choices) for value in values)


def _label(value: str, choices: type[models.TextChoices]) -> str:
    """The words for a stored choice; a value no longer among the choices (from an
    older version) as it was stored."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def preference_words(prefs: MatchPreferences | None) -> list[str]:
    """A member's matching preferences in plain words, "must"s first. Reads the
    prefetched `experience_areas`."""
    if prefs is None:
        return [_("No preferences set yet: anyone with a free place fits.")]
    words = []
    if prefs.languages:
        text = _("Speaks %s") % ", ".join(prefs.languages)
        words.append(text + (_(" (a must)") if prefs.language_must else ""))
    if prefs.supporter_gender:
        text = _("Would like a supporter who is: %s") % _label(
            prefs.supporter_gender, Gender
        )
        words.append(text + (_(" (a must)") if prefs.gender_must else ""))
    areas = [area.name for area in prefs.experience_areas.all()]
    if areas:
        words.append(_("Lived experience: %s") % ", ".join(areas))
    if prefs.pathways:
        words.append(_("Pathway: %s") % _labels(prefs.pathways, Pathway))
    if prefs.life_stage:
        words.append(_("Life stage: %s") % _labels([prefs.life_stage], LifeStage))
    if prefs.availability:
        words.append(_("Free: %s") % _labels(prefs.availability, Availability).lower())
    if prefs.meeting_modes:
        words.append(
            _("Meets by: %s") % _labels(prefs.meeting_modes, MeetingMode).lower()
        )
    if prefs.region:
        words.append(_("Region: %s") % prefs.region)
    return words or [_("No preferences set yet: anyone with a free place fits.")]


@dataclass(frozen=True)
class WaitingRow:
    member: User
    waiting_since: datetime
    days_waiting: int
    asked_for_change: bool
    reason: str
    current_supporter: User | None
    preferences: list[str]


def waiting_row(member: User, now: datetime) -> WaitingRow:
    current = member.current_matches[0] if member.current_matches else None
    return WaitingRow(
        member=member,
        waiting_since=member.waiting_since,
        days_waiting=max((now - member.waiting_since).days, 0),
        asked_for_change=member.request_at is not None,
        reason=member.request_reason or "",
        current_supporter=current.supporter if current else None,
        preferences=preference_words(preferences_of(member)),
    )


# --- One member: their history and the supporters who would fit -----------------


@dataclass(frozen=True)
class MemberHistory:
    """What the coordinator's page of one member shows of the programme's record:
    never a goal, a check-in or a message's text."""

    matches: list[Match]
    requests: QuerySet[ChangeRequest]
    follow_ups: QuerySet[CrisisFollowUp]
    answered: QuerySet[ReasonAnswered]


def member_history(member: User) -> MemberHistory:
    """A member's matches (newest first, with their conversation figures), their
    requests for a change, the crisis flags followed up and the latest 50 reasons
    answered. "Asked to talk" is left out: it comes from a check-in, their plan."""
    matches = (
        Match.objects.filter(member=member)
        .select_related("supporter", "started_by", "ended_by")
        .order_by("-started_at", "-pk")
    )
    return MemberHistory(
        matches=with_conversation_figures(matches),
        requests=ChangeRequest.objects.filter(member=member).order_by("-created_at"),
        follow_ups=CrisisFollowUp.objects.filter(match__member=member).select_related(
            "by"
        ),
        answered=ReasonAnswered.objects.filter(match__member=member)
        .exclude(reason=AnsweredReason.ASKED_TO_TALK)
        .select_related("by")[:50],
    )


@dataclass(frozen=True)
class Fit:
    """One suggested supporter: their score, part by part, and what did not match."""

    supporter: User
    score: matching.Score
    misses: list[str]


@dataclass(frozen=True)
class Suggestions:
    """The suggestions page for one member: what they would like, their current
    match and open request, the best fits first, and how many supporters are not
    shown (full, not accepting, or missing a must)."""

    preferences: list[str]
    current: Match | None
    request_open: ChangeRequest | None
    fits: list[Fit]
    not_shown: int


def suggestions_for(member: User, *, limit: int = SUGGESTIONS) -> Suggestions:
    """The supporters who would fit `member` best, ranked, each with the reasons
    for its score; their current supporter is never suggested again."""
    prefs = preferences_of(member)
    current = (
        Match.objects.active().filter(member=member).select_related("supporter").first()
    )
    wishes = matching.wishes_from_preferences(member.pk, prefs)
    offers = supporter_offers(exclude=current.supporter_id if current else None)
    candidates = matching.allowed(wishes, offers.values())
    ranked = matching.rank(wishes, candidates, limit=limit)
    supporters = User.objects.in_bulk([s.offer.supporter_id for s in ranked])
    return Suggestions(
        preferences=preference_words(prefs),
        current=current,
        request_open=ChangeRequest.objects.open().filter(member=member).first(),
        fits=[
            Fit(
                supporter=supporters[s.offer.supporter_id],
                score=s,
                misses=matching.misses(wishes, s.offer),
            )
            for s in ranked
        ],
        not_shown=len(offers) - len(candidates),
    )


# --- Matches and supporters -----------------------------------------------------


def match_history() -> QuerySet[Match]:
    """Every match, newest first, with the people named on each row."""
    return Match.objects.select_related(
        "member", "supporter", "started_by", "ended_by"
    ).order_by("-started_at", "-pk")


def with_conversation_figures(matches: Iterable[Match]) -> list[Match]:
    """The matches, each with its conversation's counts and last date (never its
    text) as `match.talk`, read in one query."""
    matches = list(matches)
    figures = conversations.figures_by_match(matches)
    for match in matches:
        match.talk = figures.get(match.pk)
    return matches


def supporters_with_profiles() -> list[tuple[User, SupporterProfile | None]]:
    """Every active supporter by name, with their profile (None: not filled in
    yet) and its lived-experience areas."""
    people = (
        User.objects.filter(role=Role.SUPPORTER, is_active=True)
        .select_related("supporter_profile")
        .prefetch_related("supporter_profile__experience_areas")
        .order_by("first_name", "username")
    )
    return [(person, profile_of(person)) for person in people]


def profile_of(supporter: User) -> SupporterProfile | None:
    try:
        return supporter.supporter_profile
    except SupporterProfile.DoesNotExist:
        return None


def caseload_matches(supporter: User) -> QuerySet[Match]:
    """A supporter's active matches, the longest first, with each member."""
    return (
        Match.objects.active()
        .filter(supporter=supporter)
        .select_related("member")
        .order_by("started_at")
    )


def areas_with_supporter_counts() -> QuerySet[ExperienceArea]:
    """The lived-experience areas, each with how many supporters name it
    (`supporters`)."""
    return ExperienceArea.objects.annotate(
        supporters=Count("supporterprofile", distinct=True)
    )


# --- A member's own page of their supporter -------------------------------------


@dataclass(frozen=True)
class MySupporter:
    """What a member's "my supporter" page shows: their match (None: waiting),
    their open request for a change, ideas waiting for their answer, ideas they
    left aside in this match (each can be taken back), and notes shared with them."""

    match: Match | None
    open_request: ChangeRequest | None
    suggestions: QuerySet[Suggestion]
    left_aside: QuerySet[Suggestion] | list[Suggestion]
    notes: QuerySet[ContactNote]


def my_supporter_for(member: User) -> MySupporter:
    """The member's own page of their supporter, read for the member alone."""
    match = (
        Match.objects.active()
        .filter(member=member)
        .select_related("supporter", "supporter__supporter_profile")
        .first()
    )
    return MySupporter(
        match=match,
        open_request=ChangeRequest.objects.open().filter(member=member).first(),
        suggestions=Suggestion.objects.filter(
            member=member, status=SuggestionStatus.OPEN
        ).select_related("goal", "supporter"),
        left_aside=Suggestion.objects.left_aside_in(match).order_by("-answered_at")[:5]
        if match
        else [],
        notes=access.notes_shared_with_member(member)[:10],
    )


# --- Batch matching -------------------------------------------------------------


def supporter_offers(*, exclude: int | None = None) -> dict[int, matching.Offer]:
    """What every active supporter offers matching, by supporter id.

    Read as plain values in two queries: hundreds of profiles, users and areas as
    model instances were two thirds of the suggestions page's time."""
    profiles = SupporterProfile.objects.filter(
        user__is_active=True, user__role=Role.SUPPORTER
    ).exclude(user_id=exclude)
    areas: dict[int, list[str]] = defaultdict(list)
    for user_id, name in SupporterProfile.experience_areas.through.objects.filter(
        supporterprofile__in=profiles
    ).values_list("supporterprofile__user_id", "experiencearea__name"):
        areas[user_id].append(name)
    columns = ("user_id", "languages", "gender", "pathways", "life_stage")
    columns += ("availability", "meeting_modes", "region", "capacity")
    columns += ("active_matches", "accepting")
    offers = {}
    for row in profiles.values(*columns):
        offers[row["user_id"]] = matching.offer_from_values(
            supporter_id=row["user_id"],
            languages=row["languages"],
            gender=row["gender"],
            areas=areas[row["user_id"]],
            pathways=row["pathways"],
            life_stage=row["life_stage"],
            availability=row["availability"],
            modes=row["meeting_modes"],
            region=row["region"],
            capacity=row["capacity"],
            active=row["active_matches"],
            accepting=row["accepting"],  # the user is active: filtered above
        )
    return offers


@dataclass(frozen=True)
class ProposalRow:
    member: User
    supporter: User
    score: matching.Score

    @property
    def value(self) -> str:
        """How the row is posted back: "memberid:supporterid:score"."""
        return f"{self.member.pk}:{self.supporter.pk}:{self.score.total}"


def batch_proposal() -> tuple[list[ProposalRow], list[User]]:
    """The batch proposal for everyone without a supporter, and who it leaves
    waiting. Reads only: nothing is applied until a coordinator confirms."""
    waiting_members = list(members_without_supporter())
    offers = supporter_offers()
    wishes = {
        m.pk: matching.wishes_from_preferences(m.pk, preferences_of(m))
        for m in waiting_members
    }
    pairings = proposed_pairings(list(wishes.values()), list(offers.values()))
    people = {m.pk: m for m in waiting_members}
    people.update(User.objects.in_bulk([p.supporter_id for p in pairings]))
    rows = [
        ProposalRow(
            member=people[p.member_id],
            supporter=people[p.supporter_id],
            score=matching.score(wishes[p.member_id], offers[p.supporter_id]),
        )
        for p in pairings
    ]
    # Longest wait first, as the waiting list reads (members_without_supporter).
    waited = {m.pk: n for n, m in enumerate(waiting_members)}
    rows.sort(key=lambda row: waited[row.member.pk])
    proposed = {p.member_id for p in pairings}
    return rows, [m for m in waiting_members if m.pk not in proposed]


def proposed_pairings(
    wishes: list[matching.Wishes], offers: list[matching.Offer]
) -> list[matching.Pairing]:
    """`matching.propose`, remembered for the same wishes and offers.

    Solving takes about a second for thousands waiting, and a coordinator opens
    the batch page, confirms part of it and comes back to it. The key is everything
    the proposal depends on (who waits, what they wish, what every supporter
    offers, places included), so any change of those solves again: a remembered
    proposal is never stale.
    """
    inputs = repr((wishes, offers)).encode()
    key = f"batch-proposal:{hashlib.sha256(inputs).hexdigest()}"
    return cache.get_or_set(
        key,
        lambda: matching.propose(wishes, offers),
        settings.BATCH_CACHE_SECONDS,
    )
