"""Votes: what a result means for people (pure): why an item with more votes than one chosen
was left out, and areas said exactly.

The reasons are read from the result itself (the menu, its approvals, what was selected and
the budget), not from the selection's internals: greedy takes items by approvals (the cheaper
first on a tie, then menu order) while they fit, so replaying that order over what was
selected says how much was left when a left-out item's turn came. The Method of Equal Shares
leaves an item out when the equal shares of the households that approve it cannot pay for it,
and its completion then takes only what fits the money left.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from bot.domain.models import Frozen
from bot.domain.votes.common import SelectionRule
from bot.domain.votes.menus import Menu, MenuItem, MenuResult


class Why(StrEnum):
    """Why an item with more votes than a chosen one was not chosen."""

    BUDGET = "budget"  # greedy: when its turn came, the money left did not cover it
    SHARES = "shares"  # equal shares: its supporters' shares of the budget did not cover it


class LeftOut(Frozen):
    """An item left out although it has more votes than an item chosen."""

    item_id: int
    title: str
    approvals: int
    cost: int  # yuan
    why: Why
    left: int  # yuan of the budget left when its turn came (greedy) or in the end (shares)


def left_out(menu: Menu, result: MenuResult) -> tuple[LeftOut, ...]:
    """Each item not selected with more votes than the least-voted selected item, most votes
    first (then menu order), and why; nothing without a budget or a selection."""
    if menu.budget is None or not result.selected:
        return ()
    selected = set(result.selected)
    fewest = min(result.count(item_id) for item_id in selected)
    if menu.rule is SelectionRule.GREEDY:
        return _greedy_reasons(menu, result, menu.budget, selected, fewest)
    left = menu.budget - (result.spent or 0)
    order = sorted(menu.items, key=lambda item: (-result.count(item.id), item.position))
    return tuple(
        _left_out(item, result, Why.SHARES, left)
        for item in order
        if item.id not in selected and result.count(item.id) > fewest
    )


def _greedy_reasons(
    menu: Menu, result: MenuResult, budget: int, selected: set[int], fewest: int
) -> tuple[LeftOut, ...]:
    """Greedy's order replayed over what it selected: what was left at each item's turn."""
    order = sorted(menu.items, key=lambda item: (-result.count(item.id), item.cost, item.position))
    spent = 0
    reasons = []
    for item in order:
        if item.id in selected:
            spent += item.cost
        elif result.count(item.id) > fewest:
            reasons.append(_left_out(item, result, Why.BUDGET, budget - spent))
    return tuple(reasons)


def _left_out(item: MenuItem, result: MenuResult, why: Why, left: int) -> LeftOut:
    return LeftOut(
        item_id=item.id,
        title=item.title,
        approvals=result.count(item.id),
        cost=item.cost,
        why=why,
        left=max(left, 0),
    )


def square_metres(area: Fraction | Decimal | int) -> str:
    """An area exactly, without trailing zeros, thousands separated: "1,250.5" (the roster
    keeps hundredths of a square metre, so sums of its areas are exact decimals)."""
    value = Fraction(area)
    for places in range(7):
        scaled = value * 10**places
        if scaled.denominator == 1:
            exact = Decimal(scaled.numerator).scaleb(-places)
            return f"{exact:,.{places}f}"
    return f"{float(value):,.2f}"  # not a decimal fraction: never from the roster
