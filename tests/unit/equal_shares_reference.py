"""A slow, obviously correct Method of Equal Shares to test bot/domain/equal_shares.py against.

Written from the published pseudo-code (equalshares.net, "Implementation"; the same rule as
pabutools' `method_of_equal_shares` with cost satisfaction), one voter at a time, in exact
fractions, with none of the module's shortcuts: no grouping of ballots, no lower bounds, and
Add1 runs MES from scratch once per step.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from bot.domain.equal_shares import MenuItemCost, Selection, greedy


def reference_mes(
    items: Sequence[MenuItemCost], ballots: Sequence[frozenset[int]], per_voter: Fraction
) -> tuple[int, ...]:
    """One run of MES in which every voter starts with `per_voter` yuan."""
    balance = [per_voter] * len(ballots)
    approvers = {
        item.id: [v for v, ballot in enumerate(ballots) if item.id in ballot] for item in items
    }
    order = {item.id: index for index, item in enumerate(items)}
    remaining = [item for item in items if approvers[item.id]]
    winners: list[int] = []
    while True:
        best: tuple[Fraction, tuple[int, int, int], MenuItemCost, Fraction] | None = None
        for item in remaining:
            voters = sorted(approvers[item.id], key=lambda v: balance[v])
            if sum(balance[v] for v in voters) < item.cost:
                continue  # not affordable
            paid = Fraction(0)
            left = len(voters)
            for v in voters:
                max_payment = (item.cost - paid) / left
                if max_payment <= balance[v]:
                    break  # v and every richer approver can pay max_payment
                paid += balance[v]
                left -= 1
            # the smallest payment per yuan of cost is the largest effective vote count
            key = (max_payment / item.cost, (item.cost, -len(voters), order[item.id]))
            if best is None or key < best[:2]:
                best = (*key, item, max_payment)
        if best is None:
            return tuple(winners)
        _, _, chosen, max_payment = best
        for v in approvers[chosen.id]:
            balance[v] -= min(balance[v], max_payment)
        winners.append(chosen.id)
        remaining.remove(chosen)


def reference_add1(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: int,
    increment: int = 1,
) -> tuple[int, ...]:
    """MES with Add1: each voter's budget raised by `increment` a step, from scratch, until
    the outcome is exhaustive (stop there) or costs more than `budget` (keep the one before)."""
    if not ballots:
        return ()
    costs = {item.id: item.cost for item in items}
    approved = [item for item in items if any(item.id in ballot for ballot in ballots)]
    step = 0
    previous: tuple[int, ...] = ()
    while True:
        outcome = reference_mes(items, ballots, Fraction(budget, len(ballots)) + step * increment)
        spent = sum(costs[item_id] for item_id in outcome)
        if spent > budget:
            return previous
        if all(item.id in outcome or spent + item.cost > budget for item in approved):
            return outcome
        previous = outcome
        step += 1


def reference_equal_shares(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: int,
    increment: int = 1,
) -> Selection:
    """MES with Add1, then greedy by approvals."""
    chosen = reference_add1(items, ballots, budget, increment)
    return greedy(items, ballots, budget, chosen=chosen)
