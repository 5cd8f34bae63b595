"""Reads for coordinators' matching work that have no page of their own to test
them through."""

import pytest

from peers import matching, selectors
from peers.models import SupporterProfile
from tests.factories import (
    ExperienceAreaFactory,
    SupporterFactory,
    SupporterProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_offers_read_as_values_equal_offers_from_profiles():
    """`supporter_offers` reads plain values for speed; what it builds is what
    `offer_from_profile` (the services' path) builds from the same profiles."""
    grief, parenting = (
        ExperienceAreaFactory(name="Grief"),
        ExperienceAreaFactory(name="Parenting"),
    )
    first = SupporterProfileFactory(
        languages=["English", " Spanish  "],
        region=" North ",
        pathways=["mutual_help"],
        availability=["weekends"],
        meeting_modes=["phone", "video"],
        capacity=6,
        active_matches=2,
    )
    first.experience_areas.set([grief, parenting])
    SupporterProfileFactory(accepting=False)  # no areas, not accepting
    SupporterProfileFactory(user=SupporterFactory(is_active=False))  # left

    profiles = SupporterProfile.objects.filter(user__is_active=True).prefetch_related(
        "experience_areas"
    )
    expected = {p.user_id: matching.offer_from_profile(p) for p in profiles}

    assert selectors.supporter_offers() == expected
    assert len(expected) == 2
    assert expected[first.user_id].areas == {"Grief", "Parenting"}
    assert selectors.supporter_offers(exclude=first.user_id).keys() == (
        expected.keys() - {first.user_id}
    )
