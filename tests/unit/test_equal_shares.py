"""The selection rules of the renovation menu: greedy and the Method of Equal Shares."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.equal_shares import (
    MenuItemCost,
    Selection,
    equal_shares,
    greedy,
    method_of_equal_shares,
)

BIKE, GYM, PARK, PLAYGROUND, LIBRARY = 1, 2, 3, 4, 5
COSTS = {BIKE: 700, GYM: 400, PARK: 250, PLAYGROUND: 200, LIBRARY: 100}
ITEMS = [MenuItemCost(id=item, cost=cost) for item, cost in COSTS.items()]


def ballots_from(columns: dict[int, set[int]], voters: int) -> list[frozenset[int]]:
    """Per-voter ballots from "item → the voters (0-based) who approved it"."""
    return [
        frozenset(item for item, who in columns.items() if voter in who) for voter in range(voters)
    ]


def test_equalshares_net_example_1() -> None:
    """equalshares.net/explanation, Example 1: bike path, playground, library."""
    ballots = ballots_from(
        {
            BIKE: {0, 1, 2, 3, 4, 5, 10},
            GYM: {0, 1, 2, 3, 4, 5},
            PARK: {1, 3, 4, 6, 9},
            PLAYGROUND: {6, 7, 8, 9},
            LIBRARY: {6, 8, 9},
        },
        11,
    )
    outcome = method_of_equal_shares(ITEMS, ballots, 1100)
    assert outcome.items == (BIKE, PLAYGROUND, LIBRARY)
    assert outcome.cost == 1000
    # Greedy by approvals takes the two sports projects instead.
    assert greedy(ITEMS, ballots, 1100).items == (BIKE, GYM)
    # Completion cannot add anything that fits in the 100 left.
    assert equal_shares(ITEMS, ballots, 1100).items == (BIKE, PLAYGROUND, LIBRARY)


def test_equalshares_net_example_2() -> None:
    """Example 2: the gym first, then the park with an effective vote count of 4.1 beating
    the playground's 4, then the playground; the library is no longer affordable."""
    ballots = ballots_from(
        {
            BIKE: {0, 1, 2, 3, 4, 5},
            GYM: {0, 1, 2, 3, 4, 5, 10},
            PARK: {1, 3, 4, 6, 9},
            PLAYGROUND: {6, 7, 8, 9},
            LIBRARY: {6, 8, 9},
        },
        11,
    )
    outcome = method_of_equal_shares(ITEMS, ballots, 1100)
    assert outcome.items == (GYM, PARK, PLAYGROUND)
    assert outcome.cost == 850


def test_the_largest_effective_vote_count_wins_not_the_smallest_payment() -> None:
    """Cost utilities: a 300-yuan item three households want (3 effective votes) comes before
    a 10-yuan item one household wants, although each supporter pays more for it."""
    items = [MenuItemCost(id=1, cost=10), MenuItemCost(id=2, cost=300)]
    ballots = [frozenset({1}), frozenset({2}), frozenset({2}), frozenset({2})]
    assert method_of_equal_shares(items, ballots, 400).items == (2, 1)


def test_ties_go_to_the_cheaper_then_the_more_approved_then_the_earlier_item() -> None:
    same = [MenuItemCost(id=7, cost=100), MenuItemCost(id=3, cost=100)]
    ballots = [frozenset({7, 3})] * 2
    assert method_of_equal_shares(same, ballots, 100).items == (7,)  # menu order
    # Equal effective vote counts (cost/q = 2 for both), different costs: the cheaper first.
    items = [MenuItemCost(id=1, cost=200), MenuItemCost(id=2, cost=100)]
    ballots = [frozenset({1}), frozenset({1}), frozenset({2}), frozenset({2})]
    assert method_of_equal_shares(items, ballots, 400).items == (2, 1)
    # Greedy: equal approvals, the cheaper first.
    assert greedy(items, ballots, 200).items == (2,)


def test_add1_completion_spends_more_of_the_budget_than_plain_mes() -> None:
    """Plain MES leaves money unspent when the shares of an item's supporters fall just short;
    raising the virtual budget lets it through."""
    items = [MenuItemCost(id=1, cost=60), MenuItemCost(id=2, cost=60)]
    ballots = [frozenset({1}), frozenset({2}), frozenset({2})]  # 40 yuan each of 120
    assert method_of_equal_shares(items, ballots, 120).items == (2,)
    completed = equal_shares(items, ballots, 120)
    assert completed.items == (2, 1)
    assert completed.cost == 120


def test_add1_stops_at_the_first_exhaustive_outcome() -> None:
    """A bench (110 yuan) two of three households want, a lamp (50) one of them wants, 130
    yuan. At 43.33 each nothing is affordable; from 50.33 each the lamp is, and once it is
    chosen the bench no longer fits in the 80 left: that outcome is exhaustive and Add1 stops
    there (equalshares.net, pabutools). Raising the shares further would have dropped the lamp
    for the bench."""
    bench, lamp = MenuItemCost(id=1, cost=110), MenuItemCost(id=2, cost=50)
    ballots = [frozenset({1}), frozenset(), frozenset({1, 2})]
    assert method_of_equal_shares([bench, lamp], ballots, 130).items == ()
    assert method_of_equal_shares([bench, lamp], ballots, 130 + 3 * 7).items == (2,)  # 50.33
    assert method_of_equal_shares([bench, lamp], ballots, 130 + 3 * 12).items == (1,)  # 55.33
    assert equal_shares([bench, lamp], ballots, 130) == Selection(items=(2,), cost=50)


def test_add1_keeps_the_outcome_before_one_that_costs_too_much() -> None:
    """Two households, 100 yuan: the gate (50) first at 50 each; the wall (60) becomes
    affordable at 55 each and the pair would cost 110, so Add1 keeps the gate alone and the
    greedy completion adds the lamp (30) from the 50 left."""
    wall, gate, lamp = (MenuItemCost(id=i, cost=c) for i, c in ((1, 60), (2, 50), (3, 30)))
    ballots = [frozenset({1, 2}), frozenset({1, 2, 3})]
    assert method_of_equal_shares([wall, gate, lamp], ballots, 100).items == (2,)
    assert method_of_equal_shares([wall, gate, lamp], ballots, 110).items == (2, 1)
    assert equal_shares([wall, gate, lamp], ballots, 100) == Selection(items=(2, 3), cost=80)


def test_nobody_voted_selects_nothing() -> None:
    assert equal_shares(ITEMS, [], 1000).items == ()
    assert greedy(ITEMS, [frozenset()], 1000).items == ()


menus = st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=6).map(
    lambda costs: [MenuItemCost(id=i + 1, cost=c) for i, c in enumerate(costs)]
)


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[MenuItemCost], list[frozenset[int]], int]:
    items = draw(menus)
    ids = [item.id for item in items]
    ballots = draw(st.lists(st.frozensets(st.sampled_from(ids)), min_size=0, max_size=12))
    budget = draw(st.integers(min_value=0, max_value=1500))
    return items, ballots, budget


@settings(max_examples=150, deadline=None)
@given(elections())
def test_no_rule_ever_spends_more_than_the_budget(
    election: tuple[list[MenuItemCost], list[frozenset[int]], int],
) -> None:
    items, ballots, budget = election
    costs = {item.id: item.cost for item in items}
    for outcome in (
        method_of_equal_shares(items, ballots, budget),
        equal_shares(items, ballots, budget),
        equal_shares(items, ballots, budget, increment=10),
        greedy(items, ballots, budget),
    ):
        assert outcome.cost == sum(costs[i] for i in outcome.items) <= budget
        assert len(set(outcome.items)) == len(outcome.items)
        approved = {i for ballot in ballots for i in ballot}
        assert set(outcome.items) <= approved


@settings(max_examples=150, deadline=None)
@given(elections())
def test_with_enough_money_everything_approved_is_selected(
    election: tuple[list[MenuItemCost], list[frozenset[int]], int],
) -> None:
    items, ballots, _ = election
    approved = {i for ballot in ballots for i in ballot}
    enough = sum(item.cost for item in items)
    assert set(equal_shares(items, ballots, enough).items) == approved
    assert set(greedy(items, ballots, enough).items) == approved
