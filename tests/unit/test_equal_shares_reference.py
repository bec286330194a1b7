"""The fast Method of Equal Shares against slow, plain ones, on seeded random elections.

`equal_shares` groups ballots and jumps over the Add1 steps at which nothing can change; here it
must give exactly what a per-household MES from the published pseudo-code gives when rerun at
every single step (tests/unit/equal_shares_reference.py), and, on larger menus, what its own
one-run `method_of_equal_shares` gives when rerun at every step.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.equal_shares import (
    MenuItemCost,
    Selection,
    equal_shares,
    greedy,
    method_of_equal_shares,
)
from tests.unit.equal_shares_reference import reference_equal_shares, reference_mes

Election = tuple[list[MenuItemCost], list[frozenset[int]], int]


def small_election(rng: random.Random) -> Election:
    """Up to 7 items and 14 households; round costs half the time, so that ties happen."""
    items = [
        MenuItemCost(id=i + 1, cost=rng.choice([rng.randint(1, 500), 50 * rng.randint(1, 10)]))
        for i in range(rng.randint(1, 7))
    ]
    liking = rng.random()
    ballots = [
        frozenset(item.id for item in items if rng.random() < liking)
        for _ in range(rng.randint(0, 14))
    ]
    return items, ballots, rng.randint(0, 1500)


def menu_election(rng: random.Random, households: int, size: int) -> Election:
    """A renovation menu: costs in yuan, some items far more popular, 1-4 ticks a ballot."""
    costs = [rng.choice([500, 2_000, 5_000, 8_000, 15_000, 30_000]) for _ in range(size)]
    items = [
        MenuItemCost(id=100 + i, cost=c + rng.randint(0, 99) * 10) for i, c in enumerate(costs)
    ]
    popularity = [rng.paretovariate(1.5) for _ in items]
    ballots = []
    for _ in range(households):
        ticks = rng.randint(0, 4)
        ballots.append(frozenset(rng.choices([item.id for item in items], popularity, k=ticks)))
    return items, ballots, sum(costs) * rng.randint(30, 70) // 100


def add1_by_stepping(
    items: list[MenuItemCost], ballots: list[frozenset[int]], budget: int
) -> Selection:
    """Add1 by the book: one yuan more per household a step, a fresh MES run each step."""
    costs = {item.id: item.cost for item in items}
    approved = [item for item in items if any(item.id in ballot for ballot in ballots)]
    previous = Selection(items=(), cost=0)
    step = 0
    while True:
        outcome = method_of_equal_shares(items, ballots, budget + step * len(ballots))
        assert outcome.cost == sum(costs[i] for i in outcome.items)
        if outcome.cost > budget:
            return greedy(items, ballots, budget, chosen=previous.items)
        if all(item.id in outcome.items or outcome.cost + item.cost > budget for item in approved):
            return greedy(items, ballots, budget, chosen=outcome.items)
        previous = outcome
        step += 1


def test_one_run_matches_the_per_household_reference() -> None:
    rng = random.Random(20260601)
    for case in range(300):
        items, ballots, whole = small_election(rng)
        if not ballots:
            continue
        budget = Fraction(whole, rng.choice([1, 1, 3, 7]))  # fractions are accepted too
        expected = reference_mes(items, ballots, budget / len(ballots))
        assert method_of_equal_shares(items, ballots, budget).items == expected, case


def test_add1_and_greedy_match_the_per_household_reference() -> None:
    rng = random.Random(20260602)
    for case in range(300):
        items, ballots, budget = small_election(rng)
        assert equal_shares(items, ballots, budget) == reference_equal_shares(
            items, ballots, budget
        ), case


def test_add1_with_larger_steps_matches_the_reference() -> None:
    rng = random.Random(20260603)
    for case in range(100):
        items, ballots, budget = small_election(rng)
        increment = rng.choice([2, 10, 25])
        assert equal_shares(items, ballots, budget, increment=increment) == (
            reference_equal_shares(items, ballots, budget, increment)
        ), case


@pytest.mark.parametrize("seed", range(8))
def test_add1_matches_rerunning_mes_at_every_step_on_real_sized_menus(seed: int) -> None:
    """Hundreds of steps each: the jumps over steps that change nothing land where stepping
    one yuan at a time does."""
    rng = random.Random(seed)
    items, ballots, budget = menu_election(rng, households=rng.randint(40, 120), size=8)
    assert equal_shares(items, ballots, budget) == add1_by_stepping(items, ballots, budget)


@pytest.mark.parametrize("seed", range(4))
def test_add1_matches_rerunning_mes_at_every_step_on_menus_of_ten_items(seed: int) -> None:
    """More rounds and more households: records made later where they were loose (an item's
    bound from an earlier round, an item becoming affordable that would still lose) and
    windows certified across them land where stepping one yuan at a time does."""
    rng = random.Random(1000 + seed)
    items, ballots, budget = menu_election(rng, households=rng.randint(120, 240), size=10)
    assert equal_shares(items, ballots, budget) == add1_by_stepping(items, ballots, budget)


@pytest.mark.parametrize(("seed", "households"), [(3007, 300), (3118, 300), (3126, 150)])
def test_add1_matches_rerunning_mes_at_every_step_where_an_item_may_become_affordable(
    seed: int, households: int
) -> None:
    """Menus on which an item that becomes affordable while it would still lose is a candidate
    again in the later rounds, with its bound, up to the round where nobody is rich enough
    for one (a rerun from that round must still see it)."""
    items, ballots, budget = menu_election(random.Random(seed), households=households, size=12)
    assert equal_shares(items, ballots, budget) == add1_by_stepping(items, ballots, budget)


@st.composite
def elections(draw: st.DrawFn) -> Election:
    """Small elections with few distinct costs, so that ties and near-ties are common."""
    costs = draw(st.lists(st.sampled_from([30, 50, 60, 90, 120, 200]), min_size=1, max_size=5))
    items = [MenuItemCost(id=i + 1, cost=cost) for i, cost in enumerate(costs)]
    ids = [item.id for item in items]
    ballots = draw(st.lists(st.frozensets(st.sampled_from(ids)), max_size=9))
    return items, ballots, draw(st.integers(min_value=0, max_value=600))


@settings(max_examples=200, deadline=None)
@given(elections())
def test_add1_and_greedy_match_the_reference_on_tie_heavy_elections(election: Election) -> None:
    items, ballots, budget = election
    assert equal_shares(items, ballots, budget) == reference_equal_shares(items, ballots, budget)
