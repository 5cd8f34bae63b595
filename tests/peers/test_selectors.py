"""Reads for coordinators' matching work: those with no page of their own to test
them through, and what a page's read returns, apart from how the page shows it."""

import pytest

from peers import matching, selectors
from peers.models import SupporterProfile
from tests.factories import (
    ChangeRequestFactory,
    ExperienceAreaFactory,
    MatchFactory,
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


def test_suggestions_for_a_member_leave_out_their_supporter_and_count_the_rest(
    match, other_supporter
):
    """What the suggestions page shows, read in one place: the current match, an
    open request, the fits best first, and how many supporters are not shown."""
    full = SupporterProfileFactory(capacity=1).user
    MatchFactory(supporter=full)
    ChangeRequestFactory(member=match.member, reason="evenings")

    found = selectors.suggestions_for(match.member)

    assert found.current == match
    assert found.request_open.reason == "evenings"
    assert [fit.supporter for fit in found.fits] == [other_supporter]
    assert found.fits[0].score.total == matching.points(
        matching.wishes_from_preferences(match.member.pk, None),
        selectors.supporter_offers()[other_supporter.pk],
    )
    assert found.not_shown == 1  # full; the current supporter is not counted
    assert found.preferences == [
        "No preferences set yet: anyone with a free place fits."
    ]


def test_at_most_the_limit_of_suggestions_best_first(member):
    for n in range(4):
        SupporterProfileFactory(capacity=5 + n)

    found = selectors.suggestions_for(member, limit=2)

    assert len(found.fits) == 2
    assert found.fits[0].score.total >= found.fits[1].score.total
    assert found.not_shown == 0
