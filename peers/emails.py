"""Emails about matches (recovery.email). They name no goals, notes or numbers:
only that something changed and where to look. The digests' writers live with
their rules in peers/digests.py."""

from django.urls import reverse
from django.utils.translation import gettext as _

from peers.models import Match
from recovery.email import Letter, email_kind, email_person, sign_in_to_see
from recovery.models import User


def _match(params: dict) -> Match | None:
    return Match.objects.filter(pk=params.get("match_id")).first()


@email_kind("match_started_member")
def _started_for_member(person: User, params: dict) -> Letter | None:
    match = _match(params)
    if match is None or not match.is_active:
        return None
    subject = (
        _("You have a new peer supporter")
        if params.get("rematch")
        else _("You have a peer supporter")
    )
    what = _("who your peer supporter is")
    return Letter(subject, sign_in_to_see(what, reverse("peers:my-supporter")))


@email_kind("match_started_supporter")
def _started_for_supporter(person: User, params: dict) -> Letter | None:
    match = _match(params)
    if match is None or not match.is_active:
        return None
    what = _("who you are now supporting")
    subject = _("You have a new peer support match")
    return Letter(subject, sign_in_to_see(what, reverse("peers:caseload")))


@email_kind("match_ended")
def _ended(person: User, params: dict) -> Letter | None:
    match = _match(params)
    if match is None or match.is_active:
        return None
    what = _("what happens next")
    subject = _("A peer support match has ended")
    return Letter(subject, sign_in_to_see(what, reverse("home")))


def tell_match_started(match: Match, *, rematch: bool = False) -> None:
    params = {"match_id": match.pk, "rematch": rematch}
    key = f"match-{match.pk}-started"
    email_person(match.member, "match_started_member", key, params)
    email_person(match.supporter, "match_started_supporter", key, params)


def tell_match_ended(match: Match, *, tell_member: bool = True) -> None:
    key = f"match-{match.pk}-ended"
    if tell_member:
        email_person(match.member, "match_ended", key, {"match_id": match.pk})
    email_person(match.supporter, "match_ended", key, {"match_id": match.pk})
