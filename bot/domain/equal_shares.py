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

How it stays fast, with the same result as rerunning MES at every step:

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
  unaffordable.
* Windows of steps are certified at once. Most recorded changes are a poor pattern reaching the
  chosen item's cap: the formulas change, the choices do not. Before such a change Add1 tries to
  certify a window up to the next possible change of a choice (`_Run.holds_until`, with the
  argument there), halving it when it cannot, and falls back to the step-by-step records.

tests/unit/test_equal_shares_reference.py checks the result against a plain per-household MES
rerun at every single step, tests/unit/test_equal_shares_pabutools.py against pabutools' outcomes
(stored by tests/unit/make_pabutools_golden.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from pydantic import Field

from bot.domain.models import Frozen

NEVER = math.inf


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
    run = _Run(_Menu.of(items, ballots), Fraction(budget))
    run.rerun(0, 0)
    return run.selection()


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
    menu = _Menu.of(items, ballots)
    run = _Run(menu, Fraction(budget), increment)
    run.rerun(0, 0)
    outcome = run.selection()
    window = 32  # how many steps to try to certify past the next change of a cap's formula
    while not menu.exhaustive(outcome, budget):
        decision = min(r.decision_flip for r in run.rounds)
        poor = min(r.poor_flip for r in run.rounds)
        step = min(decision, poor)
        if step == NEVER:  # unreachable: with shares past every cost, everything is affordable
            break
        # when a cap's formula changes before any choice could, try to certify that the
        # choices outlast it, over fewer steps each time it cannot be
        last = min(decision - 1, run.step + window)
        while poor <= last:
            if run.holds_until(int(last)):
                step, window = last + 1, 2 * window
                break
            window = (int(last) - run.step) // 2
            last = run.step + window
        window = max(window, 4)
        run.rerun(run.first_round_changing_at(step), int(step))
        following = run.selection()
        if following.cost > budget:
            break
        outcome = following
    return greedy(items, ballots, budget, chosen=outcome.items)


def _flip(a: int, s: int, step: int) -> float:
    """The first step after `step` at which `a + s·x > 0` stops holding or starts to."""
    if a + s * step > 0:
        return NEVER if s >= 0 else -(-a // -s)
    return NEVER if s <= 0 else -a // s + 1


@dataclass(frozen=True)
class _Menu:
    """The election with items as indices 0..m-1 and identical ballots grouped."""

    ids: tuple[int, ...]
    costs: tuple[int, ...]
    keys: tuple[tuple[int, int, int], ...]  # tie-breaking: cost, fewer approvals, menu order
    supporters: tuple[tuple[tuple[int, int], ...], ...]  # per item: (ballot bitmask, households)
    approvals: tuple[int, ...]
    voters: int

    @classmethod
    def of(cls, items: Sequence[MenuItemCost], ballots: Sequence[frozenset[int]]) -> _Menu:
        """Index the items and group the ballots."""
        index = {item.id: i for i, item in enumerate(items)}
        groups = Counter(
            sum(1 << index[item_id] for item_id in ballot if item_id in index)
            for ballot in ballots
        )
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
class _Cap:
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
class _Unaffordable:
    """An item its supporters cannot pay for: together they hold (a + s·step) / den."""

    a: int
    s: int


@dataclass
class _Round:
    """One MES round: what it starts from (formulas in the step) and what it decided."""

    prefix: int  # bitmask of the items chosen before this round
    den: int  # balances are (a + s·step) / den; a negative value means an empty purse
    balances: dict[int, tuple[int, int]]  # pattern (prefix bits approved) → (a, s), lazily
    bounds: dict[int, tuple[int, int, int] | None]  # item → lower bound on its cap, or
    # None: its supporters cannot afford it (recorded by the round that found out)
    winner: int = -1
    cap: _Cap | None = None
    paid: dict[int, tuple[int, int]] = field(default_factory=dict)  # see _Run._balance
    found: dict[int, _Cap | _Unaffordable] = field(default_factory=dict)  # evaluated here
    decision_flip: float = NEVER  # the first later step at which this round's choice may
    # change: an item's affordability, or how a lower bound compares with the winner's cap
    poor_flip: float = NEVER  # ... at which a pattern paying all it has reaches the cap


class _Run:
    """MES as a function of the step, with shares `budget / voters + increment · step`."""

    def __init__(self, menu: _Menu, budget: Fraction, increment: int = 1) -> None:
        self.menu = menu
        self.patterns: dict[tuple[int, int], list[tuple[int, int]]] = {}
        den = menu.voters * budget.denominator
        self.share = (budget.numerator, increment * den, den)  # (a + s·step) / d
        first = _Round(
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

    def selection(self) -> Selection:
        """The items chosen by the last run, in order."""
        chosen = [r.winner for r in self.rounds if r.winner >= 0]
        return Selection(
            items=tuple(self.menu.ids[i] for i in chosen),
            cost=sum(self.menu.costs[i] for i in chosen),
        )

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
                bounds[item] = (found.a, found.s, found.d) if isinstance(found, _Cap) else None
            del bounds[current.winner]
            current = _Round(
                prefix=current.prefix | 1 << current.winner,
                den=current.den * cap.rest,
                balances={},
                bounds=bounds,
            )
            self.rounds.append(current)

    def _balance(self, index: int, pattern: int) -> tuple[int, int]:
        """(a, s): the balance × den of the households with `pattern` entering round `index`:
        the share less the caps of the items in the pattern (negative: nothing left)."""
        current = self.rounds[index]
        known = current.balances.get(pattern)
        if known is None:
            paid = current.paid
            if not paid:  # per chosen item's bit, its cap × den
                a, s, d = self.share
                paid[0] = (a * (current.den // d), s * (current.den // d))
                for r in self.rounds[:index]:
                    assert r.cap is not None
                    paid[1 << r.winner] = (
                        r.cap.a * (current.den // r.cap.d),
                        r.cap.s * (current.den // r.cap.d),
                    )
            a, s = paid[0]
            rest = pattern
            while rest:
                bit = rest & -rest
                cap_a, cap_s = paid[bit]
                a -= cap_a
                s -= cap_s
                rest ^= bit
            known = current.balances[pattern] = (a, s)
        return known

    def _patterns(self, prefix: int, item: int) -> list[tuple[int, int]]:
        """The item's supporters grouped by which of the items in `prefix` they approved."""
        key = (prefix, item)
        found = self.patterns.get(key)
        if found is None:
            counts: dict[int, int] = {}
            for mask, count in self.menu.supporters[item]:
                counts[mask & prefix] = counts.get(mask & prefix, 0) + count
            found = self.patterns[key] = list(counts.items())
        return found

    def _cap(self, index: int, item: int, step: int) -> tuple[_Cap | _Unaffordable, float]:
        """The item's exact payment cap at round `index` (or how short its supporters fall),
        and the first step at which its affordability changes."""
        current = self.rounds[index]
        purses = []
        spent = []
        total = 0
        balances, balance = current.balances, self._balance
        for pattern, count in self._patterns(current.prefix, item):
            known = balances.get(pattern)
            a, s = balance(index, pattern) if known is None else known
            value = a + s * step
            if value >= 0:  # negative: spent out, until an earlier round says otherwise
                purses.append((value, pattern, count, a, s))
                total += count * value
            else:
                spent.append((pattern, count))
        need = self.menu.costs[item] * current.den
        if total < need:
            total_a = sum(count * a for _, _, count, a, _ in purses)
            total_s = sum(count * s for _, _, count, _, s in purses)
            # flips with "total >= need"
            return _Unaffordable(total_a, total_s), _flip(need - total_a, -total_s, step)
        # affordable for good: balances only grow with the step (slopes s > 0)
        flip = NEVER
        purses.sort()
        paid = paid_a = paid_s = 0
        rest = sum(purse[2] for purse in purses)
        short = []
        poorer = sum(count for _, count in spent)
        for value, pattern, count, a, s in purses:
            if value * rest >= need - paid:  # this pattern and all richer ones pay the cap
                break
            paid += count * value
            paid_a += count * a
            paid_s += count * s
            rest -= count
            poorer += count
            short.append((pattern, count, a, s))
        cap = _Cap(
            a=need - paid_a,
            s=-paid_s,
            d=current.den * rest,
            rest=rest,
            short=tuple(short),
            spent=tuple(spent),
            poorer=poorer,
        )
        return cap, flip

    def _loses(
        self, item: int, bound: tuple[int, int, int], winner: int, cap: _Cap, step: int
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

    def _decide(self, current: _Round, step: int) -> bool:
        """Choose this round's item at `step` (False if none is affordable) and record when
        the choice and the chosen item's cap could change."""
        index = len(self.rounds) - 1
        costs = self.menu.costs
        current.found = {}
        flips = [NEVER]
        candidates = [(item, bound) for item, bound in current.bounds.items() if bound]
        # the most promising first; only an ordering, every decision below is exact
        candidates.sort(key=lambda c: ((c[1][0] + c[1][1] * step) / (c[1][2] * costs[c[0]]), c[0]))
        best: tuple[int, _Cap] | None = None
        best_flip = NEVER  # when the best item's supporters could no longer afford it
        skipped = []
        for item, bound in candidates:
            if best is not None and self._loses(item, bound, *best, step)[0]:
                skipped.append((item, bound))
                continue
            cap, flip = self._cap(index, item, step)
            current.found[item] = cap
            if not isinstance(cap, _Cap):
                flips.append(flip)
                continue
            if best is None or not self._loses(item, (cap.a, cap.s, cap.d), *best, step)[0]:
                best, best_flip = (item, cap), flip
        if best is None:
            current.winner, current.cap = -1, None
            current.decision_flip, current.poor_flip = min(flips), NEVER
            return False
        winner, cap = best
        flips.append(best_flip)
        for item, found in current.found.items():
            if isinstance(found, _Cap) and item != winner:
                flips.append(self._loses(item, (found.a, found.s, found.d), *best, step)[1])
        flips.extend(self._loses(item, bound, *best, step)[1] for item, bound in skipped)
        current.winner, current.cap, current.decision_flip = winner, cap, min(flips)
        # the poor keep paying all they have while their balance stays under the cap
        current.poor_flip = min(
            [_flip(cap.a - a * cap.rest, cap.s - s * cap.rest, step) for _, _, a, s in cap.short],
            default=NEVER,
        )
        return True

    def holds_until(self, last: int) -> bool:
        """Whether every run from this step to `last` makes the same choices as this one
        (sufficient, not necessary), although the caps' formulas change in between.

        The rounds before the first one with a record changing by `last` are exact throughout.
        From there on, round by round, for every step t of the window:

        * balances lie between lines lo(t) and hi(t): lo = share - the caps from above of the
          pattern's items, or 0 for a purse empty now (it only grows); hi = the chord of
          max(0, share - the caps from below), a convex function;
        * the chosen item's cap is at most its cap computed from lo, which is convex in t (the
          largest, over sets S of patterns, of the affine (cost - what S holds) / the others),
          so at most that cap's chord; it is at least (cost - what this step's poorer set S
          holds at most) / the others, as for any S;
        * every other item's cap is at least that same line for its own poorer set at this
          step, or a bound from an earlier round (caps only grow within a run); an item stays
          unaffordable while its supporters hold less than its cost, at most;
        * no balance grows by more than `rise` (the share's growth plus how much each cap
          chosen before may drop, a convex function of t), which gives quick bounds, tried
          first: concave from below, convex from above.

        At this step every bound equals the exact value and this run's comparisons hold. A
        concave lower bound (a line is one) that is above a line at both ends of the window is
        above it in between, and a convex upper bound below a constant likewise, so each
        comparison is checked at `last` only.
        """
        first = next(i for i, r in enumerate(self.rounds) if r.poor_flip <= last)
        costs, step = self.menu.costs, self.step
        # Values at `last` are integer numerators over one denominator per round, which every
        # earlier cap's denominator divides: caps from above and balances from below over
        # `low_den` (a multiple of the round's den), caps from below and balances from above
        # over `high_den` (the round's den).
        low_den = high_den = self.rounds[first].den
        a, s, d = self.share
        share = a + s * last  # over d
        # how much any balance may have grown since this step, at most (× high_den)
        rise = s * (last - step) * (high_den // d)
        # chosen item → (numerator, denominator) of its cap at `last` from above / below
        high: dict[int, tuple[int, int]] = {}
        low: dict[int, tuple[int, int]] = {}
        for r in self.rounds[:first]:  # these rounds' formulas still hold at `last`
            if r.cap is not None:
                high[r.winner] = low[r.winner] = (r.cap.a + r.cap.s * last, r.cap.d)
                rise += max(0, -r.cap.s * (last - step)) * (high_den // r.cap.d)
        # item → a lower bound on its cap: numerator, denominator, and if it is a quick one,
        # what makes it a sharp one; None: unaffordable
        bounds: dict[int, tuple[int, int, _Cap | None, _Purses | None] | None] = {
            item: None if bound is None else (bound[0] + bound[1] * last, bound[2], None, None)
            for item, bound in self.rounds[first].bounds.items()
        }
        for index in range(first, len(self.rounds)):
            current = self.rounds[index]
            purses = _Purses(self, index, low_den, high_den, (share, d), high, low)
            for item, found in current.found.items():
                if isinstance(found, _Cap):
                    # quickly: the poorer patterns hold at most `rise` more each
                    held = found.a + found.s * step - found.poorer * rise
                    bounds[item] = (held, found.d, found, purses)
                    continue
                # unaffordable, quickly: every supporter holds at most `rise` more; or sharply
                need = costs[item] * high_den
                if found.a + found.s * step + self.menu.approvals[item] * rise >= need:
                    patterns = self._patterns(current.prefix, item)
                    if sum(c * purses.above(p) for p, c in patterns) >= need:
                        return False  # may have become affordable
                bounds[item] = None
            winner, cap = current.winner, current.cap
            if cap is None:
                return True  # nothing affordable, to the end
            low[winner] = purses.lower_cap(costs[winner], cap)
            rise = rise * cap.rest + max(0, cap.a + cap.s * step - low[winner][0])
            del bounds[winner]
            # every other item must still lose to the winner's cap from above: quickly, its
            # cap now (balances only grow); else sharply, computed from the balances from below
            high[winner] = ((cap.a + cap.s * step) * (low_den // current.den), low_den * cap.rest)
            if not self._all_lose(bounds, winner, high[winner], sharpen=False):
                need = costs[winner] * low_den
                below = sorted(
                    (purses.below(p), c) for p, c in self._patterns(current.prefix, winner)
                )
                if sum(v * c for v, c in below) < need:
                    return False
                rest = sum(c for _, c in below)
                for value, count in below:
                    if value * rest >= need:
                        break
                    need -= value * count
                    rest -= count
                low_den *= rest
                high[winner] = (need * cap.rest, low_den * cap.rest)
                if not self._all_lose(bounds, winner, high[winner], sharpen=True):
                    return False
            low_den, high_den = low_den * cap.rest, high_den * cap.rest
        return True

    def _all_lose(
        self,
        bounds: dict[int, tuple[int, int, _Cap | None, _Purses | None] | None],
        winner: int,
        winning: tuple[int, int],
        *,
        sharpen: bool,
    ) -> bool:
        """Whether every item with a bound loses to a cap of `winning`: a higher cap per yuan,
        or equal and losing ties; quick bounds are sharpened if asked."""
        costs, keys = self.menu.costs, self.menu.keys
        winning_n, winning_d = winning[0], winning[1] * costs[winner]
        for item, bound in bounds.items():
            if bound is None:
                continue
            num, den, its_cap, its_purses = bound
            diff = num * winning_d - winning_n * den * costs[item]
            if diff > 0 or (diff == 0 and keys[item] > keys[winner]):
                continue
            if not sharpen or its_cap is None or its_purses is None:
                return False
            num, den = its_purses.lower_cap(costs[item], its_cap)
            bounds[item] = (num, den, None, None)
            diff = num * winning_d - winning_n * den * costs[item]
            if diff < 0 or (diff == 0 and keys[item] < keys[winner]):
                return False
        return True


class _Purses:
    """Bounds at the end of a window on the balances entering one round, by pattern: from
    below (× low_den) and from above (× high_den)."""

    def __init__(
        self,
        run: _Run,
        index: int,
        low_den: int,
        high_den: int,
        share: tuple[int, int],
        high: dict[int, tuple[int, int]],
        low: dict[int, tuple[int, int]],
    ) -> None:
        self.low_den, self.high_den = low_den, high_den
        # the share and, per item chosen before, its bit and what it costs a household: now
        # (× the round's den, exactly), at the window's end at most and at least
        den, step = run.rounds[index].den, run.step
        a, s, d = run.share
        self.share = ((a + s * step) * (den // d), share[0] * (low_den // share[1]))
        self.share_high = share[0] * (high_den // share[1])
        self.paid: dict[int, tuple[int, int, int]] = {}
        for r in run.rounds[:index]:
            assert r.cap is not None
            most, most_den = high[r.winner]
            least, least_den = low[r.winner]
            self.paid[1 << r.winner] = (
                (r.cap.a + r.cap.s * step) * (den // r.cap.d),
                most * (low_den // most_den),
                least * (high_den // least_den),
            )
        self.known: dict[int, tuple[int, int]] = {}

    def lower_cap(self, cost: int, cap: _Cap) -> tuple[int, int]:
        """(cost - what this step's poorer patterns hold at most) / the others."""
        held = sum(c * self.above(p) for p, c, _, _ in cap.short)
        held += sum(c * self.above(p) for p, c in cap.spent)
        return cost * self.high_den - held, self.high_den * cap.rest

    def below(self, pattern: int) -> int:
        """The balance at least."""
        return self._bounds(pattern)[0]

    def above(self, pattern: int) -> int:
        """The balance at most."""
        return self._bounds(pattern)[1]

    def _bounds(self, pattern: int) -> tuple[int, int]:
        known = self.known.get(pattern)
        if known is None:
            now, below = self.share
            above = self.share_high
            rest = pattern
            while rest:
                bit = rest & -rest
                exact, most, least = self.paid[bit]
                now -= exact
                below -= most
                above -= least
                rest ^= bit
            # empty now: maybe not for long, but never below zero
            known = self.known[pattern] = (below if now >= 0 else 0, max(0, above))
        return known
