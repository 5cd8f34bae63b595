"""Reading what matching sees (`Wishes`, `Offer`) from the models, normalised as
the rules compare them."""

from __future__ import annotations

from collections.abc import Iterable

from peers.matching.rules import Offer, Wishes, normalise_language
from peers.models import MatchPreferences, SupporterProfile


def offer_from_profile(profile: SupporterProfile) -> Offer:
    """An Offer from a profile whose `experience_areas` are prefetched."""
    return offer_from_values(
        supporter_id=profile.user_id,
        languages=profile.languages,
        gender=profile.gender,
        areas=[area.name for area in profile.experience_areas.all()],
        pathways=profile.pathways,
        life_stage=profile.life_stage,
        availability=profile.availability,
        modes=profile.meeting_modes,
        region=profile.region,
        capacity=profile.capacity,
        active=profile.active_matches,
        accepting=profile.accepting and profile.user.is_active,
    )


def offer_from_values(
    *,
    supporter_id: int,
    languages: Iterable[str],
    gender: str,
    areas: Iterable[str],
    pathways: Iterable[str],
    life_stage: str,
    availability: Iterable[str],
    modes: Iterable[str],
    region: str,
    capacity: int,
    active: int,
    accepting: bool,
) -> Offer:
    """An Offer from a profile's stored values, normalised as matching compares
    them (for reading many profiles as plain values, without model instances)."""
    return Offer(
        supporter_id=supporter_id,
        languages=frozenset(normalise_language(lang) for lang in languages),
        gender=gender,
        areas=frozenset(areas),
        pathways=frozenset(pathways),
        life_stage=life_stage,
        availability=frozenset(availability),
        modes=frozenset(modes),
        region=region.strip(),
        capacity=capacity,
        active=active,
        accepting=accepting,
    )


def wishes_from_preferences(member_id: int, prefs: MatchPreferences | None) -> Wishes:
    """Wishes for a member; a member who set no preferences wishes for nothing in
    particular and can be matched with anyone who has room."""
    if prefs is None:
        return Wishes(member_id)
    return Wishes(
        member_id=member_id,
        languages=frozenset(normalise_language(lang) for lang in prefs.languages),
        language_must=prefs.language_must,
        gender=prefs.supporter_gender,
        gender_must=prefs.gender_must,
        areas=frozenset(area.name for area in prefs.experience_areas.all()),
        pathways=frozenset(prefs.pathways),
        life_stage=prefs.life_stage,
        availability=frozenset(prefs.availability),
        modes=frozenset(prefs.meeting_modes),
        region=prefs.region.strip(),
    )
