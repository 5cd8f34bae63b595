"""Batch matching: the pairings of waiting members with supporters that give the
greatest total compatibility under every supporter's capacity, never breaking a
member's hard requirements. Proposed, never applied: a coordinator confirms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peers.matching.rules import Offer, Wishes, points_table


@dataclass(frozen=True)
class Pairing:
    member_id: int
    supporter_id: int
    score: int


def propose(wishes: Sequence[Wishes], offers: Sequence[Offer]) -> list[Pairing]:
    """The batch of pairings with the greatest total compatibility.

    A minimum-cost flow (OR-Tools' `SimpleMinCostFlow`) sends each member from the
    source either through one allowed supporter, up to that supporter's free
    places, or straight to the sink (still waiting). An allowed pair is worth
    `score * scale + 1`; `scale` exceeds the number of possible pairings, so the
    result has the greatest total score, and among equal totals, the most members
    matched.

    Members who would score every supporter alike (everyone who set no wishes, for
    one) are interchangeable, so each such kind is one node with as many units of
    flow as it has members: a third of the arcs, the same optimum.
    """
    # Imported here, their only use: numpy and OR-Tools add tens of megabytes to
    # every process that loads them, and web workers rarely run a batch proposal.
    import numpy as np
    from ortools.graph.python import min_cost_flow

    places = np.array([min(o.places_free, len(wishes)) for o in offers], np.int64)
    if not wishes or not places.sum():
        return []
    scale = min(len(wishes), int(places.sum())) + 1
    table = points_table(wishes, offers)

    # Rows as bytes in a dict: far quicker than sorting whole rows (np.unique with
    # axis=0 took 0.35 s for 5,000 members).
    kind_numbers: dict[bytes, int] = {}
    first_rows: list[int] = []
    kind_of = np.empty(len(table), np.int64)
    for row_number, row in enumerate(table):
        kind = kind_numbers.setdefault(row.tobytes(), len(kind_numbers))
        if kind == len(first_rows):
            first_rows.append(row_number)
        kind_of[row_number] = kind
    kind_sizes = np.bincount(kind_of)
    kinds = table[first_rows]
    k, m = kinds.shape
    kind_rows, supporter_cols = np.nonzero(kinds >= 0)
    pairs = len(kind_rows)
    source, sink = k + m, k + m + 1  # kinds are nodes 0..k-1, supporters k..k+m-1
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(k, source), kind_rows, k + np.arange(m), [source]]),
        np.concatenate([np.arange(k), k + supporter_cols, np.full(m, sink), [sink]]),
        np.concatenate([kind_sizes, kind_sizes[kind_rows], places, [len(wishes)]]),
        np.concatenate(
            [
                np.zeros(k, np.int64),
                -(kinds[kind_rows, supporter_cols] * scale + 1),
                np.zeros(m + 1, np.int64),
            ]
        ),
    )
    flow.set_node_supply(source, len(wishes))
    flow.set_node_supply(sink, -len(wishes))
    status = flow.solve()
    if status != flow.OPTIMAL:
        # Never infeasible (the source-sink arc takes anyone); OR-Tools can still
        # refuse costs or capacities too large for its integers.
        raise RuntimeError(f"The batch solver stopped: {status}.")
    sent = flow.flows(arcs[k : k + pairs])

    # Hand each kind's members out in the order they came, to the supporters its
    # flow went to.
    members_of_kind = np.split(
        np.argsort(kind_of, kind="stable"), np.cumsum(kind_sizes)[:-1]
    )
    next_member = [0] * k
    pairings = []
    for arc in np.flatnonzero(sent):
        kind, column = int(kind_rows[arc]), int(supporter_cols[arc])
        start = next_member[kind]
        next_member[kind] += int(sent[arc])
        pairings.extend(
            Pairing(
                wishes[member].member_id,
                offers[column].supporter_id,
                int(kinds[kind, column]),
            )
            for member in members_of_kind[kind][start : next_member[kind]]
        )
    pairings.sort(key=lambda p: p.member_id)
    return pairings
