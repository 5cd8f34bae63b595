"""Compatibility of a member and a peer supporter, and batch matching.

- `rules`: what matching sees of people (`Wishes`, `Offer`), the named criteria
  the score is the sum of (each written once, in `CRITERIA`), the hard
  requirements, and the explained score a coordinator reads.
- `solver`: the batch proposal, a minimum-cost flow over the table of every
  pair's points, which `rules.points_table` derives from the same criteria.
- `adapters`: reading `Wishes` and `Offer` from the models.

The rules work on plain data, so they are tested on random programmes without a
database (tests/peers/test_matching.py). A new criterion is one entry in
`rules.CRITERIA`: the words, the points, the batch table and the scale follow.
"""

from peers.matching.adapters import (
    offer_from_profile,
    offer_from_values,
    wishes_from_preferences,
)
from peers.matching.rules import (
    CRITERIA,
    WEIGHTS,
    Offer,
    Part,
    Score,
    Wishes,
    allowed,
    misses,
    most_points,
    normalise_language,
    points,
    points_table,
    rank,
    score,
    unmet_requirements,
)
from peers.matching.solver import Pairing, propose

__all__ = [
    "CRITERIA",
    "WEIGHTS",
    "Offer",
    "Pairing",
    "Part",
    "Score",
    "Wishes",
    "allowed",
    "misses",
    "most_points",
    "normalise_language",
    "offer_from_profile",
    "offer_from_values",
    "points",
    "points_table",
    "propose",
    "rank",
    "score",
    "unmet_requirements",
    "wishes_from_preferences",
]
