"""Selecting menu items within a budget (pure, exact): greedy by approvals, or the Method of
Equal Shares (MES) for approval ballots with cost utilities (equalshares.net), completed by
"Add1" and then greedily.

MES: every household starts with an equal share of the budget. Each round picks, among the items
whose supporters can still pay for them, the one needing the smallest payment cap q per yuan of
cost (the largest effective vote count cost/q); each supporter pays min(balance, q). Ties go to
the cheaper item, then the more approved, then the earlier on the menu.

Add1, as pabutools' `method_of_equal_shares(..., voter_budget_increment=1)` and equalshares.net's
completion with its "exhaustive" option: run MES again from scratch with each household's share
raised by 1 yuan, then 2, ... (the share starts at budget / households exactly, not rounded
down), and stop at the first outcome that is exhaustive — no item outside it that anybody
approved costs at most what the real budget has left (equalshares.net also counts items nobody
approved; they are never selected here, so they do not hold the completion back) — or, when an
outcome costs more than the real budget, keep the one before. Whatever money is left then goes
greedily by approvals. The first outcome (plain MES) never overspends, so there always is one.

Arithmetic is exact (integers and `Fraction`s), so the selection never depends on rounding.

How Add1 stays fast, with the same result as rerunning MES at every step, is said where it is
done: bot/domain/equal_shares_run.py runs MES as a function of the step and records where its
formulas and choices may change, bot/domain/equal_shares_sharpen.py makes loose records later,
and bot/domain/equal_shares_window.py certifies at once that the choices hold over a window of
steps although the formulas change.

tests/unit/test_equal_shares_reference.py checks the result against a plain per-household MES
rerun at every single step, tests/unit/test_equal_shares_pabutools.py against pabutools' outcomes
(stored by tests/unit/make_pabutools_golden.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from pydantic import Field

from bot.domain.equal_shares_run import NEVER, Menu, Run
from bot.domain.equal_shares_sharpen import sharpen
from bot.domain.equal_shares_window import holds_until
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


def method_of_equal_shares(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: Fraction | int,
) -> Selection:
    """One run of MES with `budget` shared equally among the ballots (no completion)."""
    if not ballots:
        return Selection(items=(), cost=0)
    run = Run(Menu.of(items, ballots), Fraction(budget))
    run.rerun(0, 0)
    return _selection(run)


def equal_shares(
    items: Sequence[MenuItemCost],
    ballots: Sequence[frozenset[int]],
    budget: int,
    *,
    increment: int = 1,
) -> Selection:
    """MES completed by Add1 (shares raised `increment` yuan a step), then greedily.

    Exactly the outcome of rerunning MES at every step (see the module's docstring).
    """
    if not ballots:
        return greedy(items, ballots, budget)
    menu = Menu.of(items, ballots)
    run = Run(menu, Fraction(budget), increment)
    run.rerun(0, 0)
    outcome = _selection(run)
    window = 32  # how many steps to try to certify past the next change of a cap's formula
    while not menu.exhaustive(outcome, budget):
        for _ in range(3):  # a few items' bounds from earlier rounds made sharp, if they limit
            decision = min(r.decision_flip for r in run.rounds)
            if decision > run.step + window or not sharpen(run):
                break
        decision = min(r.decision_flip for r in run.rounds)
        poor = min(r.poor_flip for r in run.rounds)
        step = min(decision, poor)
        if step == NEVER:  # unreachable: with shares past every cost, everything is affordable
            break
        # when a cap's formula changes before any choice could, try to certify that the
        # choices outlast it, over fewer steps each time it cannot be
        last = min(decision - 1, run.step + window)
        while poor <= last:
            if holds_until(run, int(last)):
                step, window = last + 1, 2 * window
                break
            window = (int(last) - run.step) // 2
            last = run.step + window
        window = max(window, 4)
        run.rerun(run.first_round_changing_at(step), int(step))
        following = _selection(run)
        if following.cost > budget:
            break
        outcome = following
    return greedy(items, ballots, budget, chosen=outcome.items)


def _selection(run: Run) -> Selection:
    """The items chosen by the run's last rerun, in order, and what they cost together."""
    chosen = run.chosen()
    return Selection(
        items=tuple(run.menu.ids[i] for i in chosen), cost=sum(run.menu.costs[i] for i in chosen)
    )
