"""The Method of Equal Shares against pabutools, the academic reference implementation.

tests/unit/data/equal_shares_pabutools.json holds seeded elections with pabutools' outcomes
(one MES run, and MES with Add1), written by tests/unit/make_pabutools_golden.py, whose
docstring says how pabutools was given our tie-breaking; pabutools itself is not installed
with the tests. pabutools stops at MES + Add1: our greedy completion is applied to its outcome.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.domain.equal_shares import MenuItemCost, equal_shares, greedy, method_of_equal_shares

GOLDEN = json.loads(
    (Path(__file__).parent / "data" / "equal_shares_pabutools.json").read_text(encoding="utf-8")
)
ELECTIONS: list[dict[str, Any]] = GOLDEN["elections"]


def election(
    stored: dict[str, Any],
) -> tuple[list[MenuItemCost], list[frozenset[int]], int]:
    """The items, one ballot per household, and the budget of a stored election."""
    items = [MenuItemCost(id=item_id, cost=cost) for item_id, cost in stored["items"]]
    ballots = [frozenset(ballot) for ballot, count in stored["ballots"] for _ in range(count)]
    return items, ballots, stored["budget"]


def test_the_stored_outcomes_cover_small_and_larger_elections() -> None:
    households = [sum(count for _, count in stored["ballots"]) for stored in ELECTIONS]
    assert len(ELECTIONS) >= 400
    assert max(households) >= 300
    assert any(stored["increment"] > 1 for stored in ELECTIONS)


def test_one_run_matches_pabutools() -> None:
    for case, stored in enumerate(ELECTIONS):
        items, ballots, budget = election(stored)
        assert method_of_equal_shares(items, ballots, budget).items == tuple(stored["mes"]), case


def test_add1_then_greedy_matches_pabutools() -> None:
    for case, stored in enumerate(ELECTIONS):
        items, ballots, budget = election(stored)
        expected = greedy(items, ballots, budget, chosen=stored["mes_add1"])
        increment = stored["increment"]
        assert equal_shares(items, ballots, budget, increment=increment) == expected, case
