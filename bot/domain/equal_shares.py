"""Selecting menu items within a budget (pure, exact): greedy by approvals, or the Method of
Equal Shares for approval ballots with cost utilities (equalshares.net), completed by "Add1"
and then greedily.

Arithmetic is done in `Fraction`s, so the selection never depends on float rounding.
Ties between items are broken by lower cost, then more approvals, then menu order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from pydantic import Field

from bot.domain.models import Frozen


class MenuItemCost(Frozen):
    """An item as the rules see it: its menu position and its estimated cost (yuan)."""

    id: int
    cost: int = Field(gt=0)


class Selection(Frozen):
    """The chosen items (in the order they were chosen) and what they cost together."""

    items: tuple[int, ...]
    cost: int


def _approvals(items: Sequence[MenuItemCost], ballots: Sequence[frozenset[int]]) -> dict[int, int]:
    counts = {item.id: 0 for item in items}
    for ballot in ballots:
        for item_id in ballot:
            if item_id in counts:
                counts[item_id] += 1
    return counts


def _tie_key(
    item: MenuItemCost, approvals: Mapping[int, int], order: Mapping[int, int]
) -> tuple[int, int, int]:
    return (item.cost, -approvals[item.id], order[item.id])


def greedy(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: int,
    *,
    chosen: Sequence[int] = (),
) -> Selection:
    """Most approvals first, each item taken if it still fits (after `chosen`, if given).

    Items nobody approved are never taken.
    """
    approvals = _approvals(items, ballots)
    order = {item.id: index for index, item in enumerate(items)}
    by_id = {item.id: item for item in items}
    picked = list(chosen)
    spent = sum(by_id[item_id].cost for item_id in picked)
    candidates = sorted(
        (item for item in items if item.id not in picked and approvals[item.id] > 0),
        key=lambda item: (-approvals[item.id], item.cost, order[item.id]),
    )
    for item in candidates:
        if spent + item.cost <= budget:
            picked.append(item.id)
            spent += item.cost
    return Selection(items=tuple(picked), cost=spent)


def _payment_cap(cost: int, balances: Sequence[Fraction]) -> Fraction | None:
    """The smallest q such that the supporters, each paying min(balance, q), pay `cost`
    exactly; None if together they cannot afford it."""
    if sum(balances, Fraction(0)) < cost:
        return None
    paid = Fraction(0)
    remaining = len(balances)
    for balance in sorted(balances):
        q = (cost - paid) / remaining
        if q <= balance:
            return q
        paid += balance
        remaining -= 1
    return None  # unreachable: the sum covered the cost


def method_of_equal_shares(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: Fraction | int,
) -> Selection:
    """One run of MES with `budget` shared equally among the ballots (no completion).

    Each round picks the affordable item with the smallest q/cost (the largest effective vote
    count cost/q); its supporters pay min(balance, q).
    """
    if not ballots:
        return Selection(items=(), cost=0)
    approvals = _approvals(items, ballots)
    order = {item.id: index for index, item in enumerate(items)}
    share = Fraction(budget) / len(ballots)
    balances = [share] * len(ballots)
    supporters = {
        item.id: [voter for voter, ballot in enumerate(ballots) if item.id in ballot]
        for item in items
    }
    remaining = [item for item in items if supporters[item.id]]
    picked: list[int] = []
    while True:
        best: tuple[Fraction, tuple[int, int, int], MenuItemCost, Fraction] | None = None
        affordable = []
        for item in remaining:
            q = _payment_cap(item.cost, [balances[v] for v in supporters[item.id]])
            if q is None:
                continue  # cannot become affordable again: balances only shrink
            affordable.append(item)
            key = (q / item.cost, _tie_key(item, approvals, order), item, q)
            if best is None or key[:2] < best[:2]:
                best = key
        if best is None:
            break
        _, _, chosen, q = best
        for voter in supporters[chosen.id]:
            balances[voter] -= min(balances[voter], q)
        picked.append(chosen.id)
        remaining = [item for item in affordable if item.id != chosen.id]
    cost = sum(item.cost for item in items if item.id in picked)
    return Selection(items=tuple(picked), cost=cost)


def equal_shares(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: int,
    *,
    increment: int = 1,
) -> Selection:
    """MES completed by Add1, then greedily.

    Add1: raise each household's budget by `increment` yuan (1 by default) and rerun from
    scratch, stopping at the first outcome that spends the whole budget, or keeping the
    previous outcome when the next one would cost more than the real budget (also when every
    approved item is already chosen). Then the remaining items are added greedily by
    approvals while they fit.
    """
    outcome = method_of_equal_shares(items, ballots, budget)
    approved = {item_id for ballot in ballots for item_id in ballot} & {i.id for i in items}
    voters = len(ballots)
    virtual = Fraction(budget)
    while voters and outcome.cost < budget and set(outcome.items) != approved:
        virtual += increment * voters
        following = method_of_equal_shares(items, ballots, virtual)
        if following.cost > budget:
            break
        outcome = following
    return greedy(items, ballots, budget, chosen=outcome.items)
