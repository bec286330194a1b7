"""The Method of Equal Shares as a function of the Add1 step, for bot/domain/equal_shares.py.

How Add1 stays fast, with the same result as rerunning MES at every step:

* Households are grouped. After any rounds a household's balance depends only on which of the
  items chosen so far it approved (its *pattern*): it is max(0, share - the caps of those items).
* A run is affine in the step. With the share `base + step`, every balance, cap and comparison
  is an affine function of the step while the same items are chosen and the same patterns pay
  all they have. A run records for each comparison it relied on the first later step at which it
  would come out differently, and Add1 jumps there and reruns from the first round concerned.
  Only what the result depends on is recorded: for the chosen item, which patterns pay all they
  have (those paying the cap keep doing so: balances only grow with the step and caps only
  shrink; empty purses only refill when an earlier round's poor pattern turns rich, which that
  round recorded); for every other item a lower bound on its cap — (cost - what a fixed set of
  poorer patterns holds) / the other supporters, a lower bound whichever patterns turn rich, and
  valid in later rounds too since balances only shrink within a run; which items are
  unaffordable. Before jumping, Add1 makes the first recorded change later where that record
  is loose (bot/domain/equal_shares_sharpen.py): a bound from an earlier round, or an item
  becoming affordable although it would still lose.
* Windows of steps are certified at once. Most recorded changes are a poor pattern reaching the
  chosen item's cap: the formulas change, the choices do not. Before such a change Add1 tries to
  certify a window up to the next possible change of a choice (bot/domain/equal_shares_window.py,
  with the argument there), halving it when it cannot, and falls back to the step-by-step records.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.domain.equal_shares import MenuItemCost, Selection

NEVER = math.inf


def _flip(a: int, s: int, step: int) -> float:
    """The first step after `step` at which `a + s·x > 0` stops holding or starts to."""
    if a + s * step > 0:
        return NEVER if s >= 0 else -(-a // -s)
    return NEVER if s <= 0 else -a // s + 1


@dataclass(frozen=True)
class Menu:
    """The election with items as indices 0..m-1 and identical ballots grouped."""

    ids: tuple[int, ...]
    costs: tuple[int, ...]
    keys: tuple[tuple[int, int, int], ...]  # tie-breaking: cost, fewer approvals, menu order
    supporters: tuple[tuple[tuple[int, int], ...], ...]  # per item: (ballot bitmask, households)
    approvals: tuple[int, ...]
    voters: int

    @classmethod
    def of(cls, items: Sequence[MenuItemCost], ballots: Sequence[frozenset[int]]) -> Menu:
        """Index the items and group the ballots."""
        bits = {item.id: 1 << i for i, item in enumerate(items)}
        groups: Counter[int] = Counter()
        for ballot, count in Counter(ballots).items():
            groups[sum(bits.get(item_id, 0) for item_id in ballot)] += count
        supporters = tuple(
            tuple((mask, count) for mask, count in groups.items() if mask >> i & 1)
            for i in range(len(items))
        )
        approvals = tuple(sum(count for _, count in group) for group in supporters)
        return cls(
            ids=tuple(item.id for item in items),
            costs=tuple(item.cost for item in items),
            keys=tuple((item.cost, -approvals[i], i) for i, item in enumerate(items)),
            supporters=supporters,
            approvals=approvals,
            voters=len(ballots),
        )

    def exhaustive(self, selection: Selection, budget: int) -> bool:
        """No approved item outside `selection` fits in what the budget has left."""
        left = budget - selection.cost
        return all(
            self.ids[i] in selection.items or cost > left or not self.approvals[i]
            for i, cost in enumerate(self.costs)
        )


@dataclass(frozen=True)
class Cap:
    """An item's payment cap q = (a + s·step) / d at one round, and how it was found."""

    a: int
    s: int
    d: int
    rest: int  # households paying the full cap
    short: tuple[tuple[int, int, int, int], ...]  # (pattern, households, a, s) paying all
    # they have, balance×den = a + s·step
    spent: tuple[tuple[int, int], ...]  # (pattern, households) with nothing left
    poorer: int  # households in `short` and `spent`


@dataclass(frozen=True)
class Unaffordable:
    """An item its supporters cannot pay for: together they hold (a + s·step) / den."""

    a: int
    s: int


@dataclass
class Round:
    """One MES round: what it starts from (formulas in the step) and what it decided."""

    prefix: int  # bitmask of the items chosen before this round
    den: int  # balances are (a + s·step) / den; a negative value means an empty purse
    balances: dict[int, tuple[int, int]]  # pattern (prefix bits approved) → (a, s), lazily
    bounds: dict[int, tuple[int, int, int] | None]  # item → lower bound on its cap, or
    # None: its supporters cannot afford it (recorded by the round that found out)
    winner: int = -1
    cap: Cap | None = None
    paid: dict[int, tuple[int, int]] = field(default_factory=dict)  # see Run.balance
    found: dict[int, Cap | Unaffordable] = field(default_factory=dict)  # evaluated here
    changes: dict[int, float] = field(default_factory=dict)  # per item evaluated or not,
    # the first later step at which this round's choice may change because of it: it becomes
    # affordable, or a lower bound on its cap comes below the winner's
    decision_flip: float = NEVER  # the first of those
    conditional: dict[int, Cap | None] = field(default_factory=dict)  # see equal_shares_sharpen
    poor_flip: float = NEVER  # ... at which a pattern paying all it has reaches the cap


class Run:
    """MES as a function of the step, with shares `budget / voters + increment · step`."""

    def __init__(self, menu: Menu, budget: Fraction, increment: int = 1) -> None:
        self.menu = menu
        self.groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
        den = menu.voters * budget.denominator
        self.share = (budget.numerator, increment * den, den)  # (a + s·step) / d
        first = Round(
            prefix=0,
            den=den,
            balances={},
            # nobody pays more than an equal split among all supporters
            bounds={
                i: (cost, 0, menu.approvals[i])
                for i, cost in enumerate(menu.costs)
                if menu.approvals[i]
            },
        )
        self.rounds = [first]
        self.step = 0

    def chosen(self) -> tuple[int, ...]:
        """The items (indices) chosen by the last run, in order."""
        return tuple(r.winner for r in self.rounds if r.winner >= 0)

    def first_round_changing_at(self, step: float) -> int:
        """The first round relying on a comparison that may change by `step`."""
        return next(
            i for i, r in enumerate(self.rounds) if min(r.decision_flip, r.poor_flip) <= step
        )

    def rerun(self, first_round: int, step: int) -> None:
        """Run MES at `step`, keeping the rounds before `first_round` (still valid)."""
        self.step = step
        del self.rounds[first_round + 1 :]
        current = self.rounds[first_round]
        while self._decide(current, step):
            cap = current.cap
            assert cap is not None
            bounds = dict(current.bounds)
            for item, found in current.found.items():
                bounds[item] = (found.a, found.s, found.d) if isinstance(found, Cap) else None
            del bounds[current.winner]
            current = Round(
                prefix=current.prefix | 1 << current.winner,
                den=current.den * cap.rest,
                balances={},
                bounds=bounds,
            )
            self.rounds.append(current)

    def balance(self, index: int, pattern: int) -> tuple[int, int]:
        """(a, s): the balance × den of the households with `pattern` entering round `index`:
        the share less the caps of the items in the pattern (negative: nothing left)."""
        current = self.rounds[index]
        balances = current.balances
        known = balances.get(pattern)
        if known is not None:
            return known
        paid = current.paid
        if 0 not in balances:  # per chosen item's bit, its cap × den; no item: the share
            a, s, d = self.share
            balances[0] = (a * (current.den // d), s * (current.den // d))
            for r in self.rounds[:index]:
                assert r.cap is not None
                paid[1 << r.winner] = (
                    r.cap.a * (current.den // r.cap.d),
                    r.cap.s * (current.den // r.cap.d),
                )
            known = balances.get(pattern)
        # less the pattern's lowest items, down to a part known (at worst none), and back
        bits = []
        rest = pattern
        while known is None:
            bit = rest & -rest
            bits.append(bit)
            rest ^= bit
            known = balances.get(rest)
        a, s = known
        for bit in reversed(bits):
            cap_a, cap_s = paid[bit]
            a -= cap_a
            s -= cap_s
            rest |= bit
            balances[rest] = (a, s)
        return a, s

    def patterns(self, prefix: int, item: int) -> list[tuple[int, int]]:
        """The item's supporters grouped by which of the items in `prefix` they approved."""
        key = (prefix, item)
        found = self.groups.get(key)
        if found is None:
            counts: dict[int, int] = {}
            for mask, count in self.menu.supporters[item]:
                counts[mask & prefix] = counts.get(mask & prefix, 0) + count
            found = self.groups[key] = list(counts.items())
        return found

    def evaluate(self, index: int, item: int, step: int) -> tuple[Cap | Unaffordable, float]:
        """The item's exact payment cap at round `index` (or how short its supporters fall),
        and the first step at which its affordability changes."""
        current = self.rounds[index]
        purses = []
        spent = []
        balances, balance = current.balances, self.balance
        for pattern, count in self.patterns(current.prefix, item):
            known = balances.get(pattern)
            a, s = balance(index, pattern) if known is None else known
            value = a + s * step
            if value >= 0:  # negative: spent out, until an earlier round says otherwise
                purses.append((value, pattern, count, a, s))
            else:
                spent.append((pattern, count))
        need = self.menu.costs[item] * current.den
        purses.sort(key=itemgetter(0))  # equal balances: either order, the same cap
        paid = paid_a = paid_s = poor = 0
        rest = self.menu.approvals[item] - sum(count for _, count in spent)
        for value, _, count, a, s in purses:
            if value * rest >= need - paid:  # this pattern and all richer ones pay the cap
                break
            paid += count * value
            paid_a += count * a
            paid_s += count * s
            rest -= count
            poor += 1
        else:  # all of them hold paid_a + paid_s·step, less than the cost; flips with
            # "total >= need"
            return Unaffordable(paid_a, paid_s), _flip(need - paid_a, -paid_s, step)
        # affordable for good: balances only grow with the step (slopes s > 0)
        cap = Cap(
            a=need - paid_a,
            s=-paid_s,
            d=current.den * rest,
            rest=rest,
            short=tuple((pattern, count, a, s) for _, pattern, count, a, s in purses[:poor]),
            spent=tuple(spent),
            poorer=self.menu.approvals[item] - rest,
        )
        return cap, NEVER

    def loses(
        self, item: int, bound: tuple[int, int, int], winner: int, cap: Cap, step: int
    ) -> tuple[bool, float]:
        """Whether an item whose cap is at least `bound` loses to `winner` at `step`, and the
        first later step at which that changes: per yuan of cost its cap is higher, or equal
        and the tie-break prefers the winner."""
        a, s, d = bound
        cost, winner_cost = self.menu.costs[item], self.menu.costs[winner]
        diff_a = a * cap.d * winner_cost - cap.a * d * cost
        diff_s = s * cap.d * winner_cost - cap.s * d * cost
        if self.menu.keys[item] > self.menu.keys[winner]:  # loses ties: diff >= 0
            return diff_a + diff_s * step >= 0, _flip(-diff_a, -diff_s, step)
        return diff_a + diff_s * step > 0, _flip(diff_a, diff_s, step)

    def _decide(self, current: Round, step: int) -> bool:
        """Choose this round's item at `step` (False if none is affordable) and record when
        the choice and the chosen item's cap could change."""
        index = len(self.rounds) - 1
        costs = self.menu.costs
        current.found, current.changes, current.conditional = {}, {}, {}
        changes = current.changes
        candidates = [(item, bound) for item, bound in current.bounds.items() if bound]
        # the most promising first; only an ordering, every decision below is exact
        candidates.sort(key=lambda c: ((c[1][0] + c[1][1] * step) / (c[1][2] * costs[c[0]]), c[0]))
        best: tuple[int, Cap] | None = None
        skipped = []
        for item, bound in candidates:
            if best is not None and self.loses(item, bound, *best, step)[0]:
                skipped.append((item, bound))
                continue
            cap, flip = self.evaluate(index, item, step)
            current.found[item] = cap
            if not isinstance(cap, Cap):
                changes[item] = flip
                continue
            # affordable for good (flip is NEVER)
            if best is None or not self.loses(item, (cap.a, cap.s, cap.d), *best, step)[0]:
                best = (item, cap)
        if best is None:
            current.winner, current.cap, current.poor_flip = -1, None, NEVER
            current.decision_flip = min(changes.values(), default=NEVER)
            return False
        winner, cap = best
        for item, found in current.found.items():
            if isinstance(found, Cap) and item != winner:
                changes[item] = self.loses(item, (found.a, found.s, found.d), *best, step)[1]
        for item, bound in skipped:
            changes[item] = self.loses(item, bound, *best, step)[1]
        current.winner, current.cap = winner, cap
        current.decision_flip = min(changes.values(), default=NEVER)
        # the poor keep paying all they have while their balance stays under the cap
        current.poor_flip = min(
            [_flip(cap.a - a * cap.rest, cap.s - s * cap.rest, step) for _, _, a, s in cap.short],
            default=NEVER,
        )
        return True
