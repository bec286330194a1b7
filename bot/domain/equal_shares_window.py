"""Certifying at once that a run of the Method of Equal Shares makes the same choices over a
window of Add1 steps, although the formulas of its caps change in between
(bot/domain/equal_shares_run.py records where they do)."""

from __future__ import annotations

from bot.domain.equal_shares_run import Cap, Run


def holds_until(run: Run, last: int) -> bool:
    """Whether every run from `run`'s step to `last` makes the same choices as `run`
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
    first = next(i for i, r in enumerate(run.rounds) if r.poor_flip <= last)
    costs, step = run.menu.costs, run.step
    # Values at `last` are integer numerators over one denominator per round, which every
    # earlier cap's denominator divides: caps from above and balances from below over
    # `low_den` (a multiple of the round's den), caps from below and balances from above
    # over `high_den` (the round's den).
    low_den = high_den = run.rounds[first].den
    a, s, d = run.share
    share = a + s * last  # over d
    # how much any balance may have grown since this step, at most (× high_den)
    rise = s * (last - step) * (high_den // d)
    # chosen item → (numerator, denominator) of its cap at `last` from above / below
    high: dict[int, tuple[int, int]] = {}
    low: dict[int, tuple[int, int]] = {}
    for r in run.rounds[:first]:  # these rounds' formulas still hold at `last`
        if r.cap is not None:
            high[r.winner] = low[r.winner] = (r.cap.a + r.cap.s * last, r.cap.d)
            rise += max(0, -r.cap.s * (last - step)) * (high_den // r.cap.d)
    # item → a lower bound on its cap: numerator, denominator, and if it is a quick one,
    # what makes it a sharp one; None: unaffordable
    bounds: dict[int, tuple[int, int, Cap | None, _Purses | None] | None] = {
        item: None if bound is None else (bound[0] + bound[1] * last, bound[2], None, None)
        for item, bound in run.rounds[first].bounds.items()
    }
    for index in range(first, len(run.rounds)):
        current = run.rounds[index]
        purses = _Purses(run, index, low_den, high_den, (share, d), high, low)
        for item, found in current.found.items():
            if isinstance(found, Cap):
                # quickly: the poorer patterns hold at most `rise` more each
                held = found.a + found.s * step - found.poorer * rise
                bounds[item] = (held, found.d, found, purses)
                continue
            # unaffordable, quickly: every supporter holds at most `rise` more; or sharply
            need = costs[item] * high_den
            bounds[item] = None
            if found.a + found.s * step + run.menu.approvals[item] * rise >= need:
                patterns = run.patterns(current.prefix, item)
                if sum(c * purses.above(p) for p, c in patterns) >= need:
                    # may have become affordable: then it must lose, if the run says how
                    bound = current.conditional.get(item)
                    if bound is None:
                        return False
                    held = bound.a + bound.s * step - bound.poorer * rise
                    bounds[item] = (held, bound.d, bound, purses)
        for item, bound in current.conditional.items():  # the round's own bounds for items
            # that may have become affordable since an earlier round
            if bound is not None and item not in current.found and bounds.get(item):
                held = bound.a + bound.s * step - bound.poorer * rise
                bounds[item] = (held, bound.d, bound, purses)
        winner, cap = current.winner, current.cap
        if cap is None:
            return True  # nothing affordable, to the end
        low[winner] = purses.lower_cap(costs[winner], cap)
        rise = rise * cap.rest + max(0, cap.a + cap.s * step - low[winner][0])
        del bounds[winner]
        # every other item must still lose to the winner's cap from above: quickly, its
        # cap now (balances only grow); else sharply, computed from the balances from below
        high[winner] = ((cap.a + cap.s * step) * (low_den // current.den), low_den * cap.rest)
        if not _all_lose(run, bounds, winner, high[winner], sharpen=False):
            need = costs[winner] * low_den
            below = sorted((purses.below(p), c) for p, c in run.patterns(current.prefix, winner))
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
            if not _all_lose(run, bounds, winner, high[winner], sharpen=True):
                return False
        low_den, high_den = low_den * cap.rest, high_den * cap.rest
    return True


def _all_lose(
    run: Run,
    bounds: dict[int, tuple[int, int, Cap | None, _Purses | None] | None],
    winner: int,
    winning: tuple[int, int],
    *,
    sharpen: bool,
) -> bool:
    """Whether every item with a bound loses to a cap of `winning`: a higher cap per yuan,
    or equal and losing ties; quick bounds are sharpened if asked."""
    costs, keys = run.menu.costs, run.menu.keys
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
        run: Run,
        index: int,
        low_den: int,
        high_den: int,
        share: tuple[int, int],
        high: dict[int, tuple[int, int]],
        low: dict[int, tuple[int, int]],
    ) -> None:
        self.low_den, self.high_den = low_den, high_den
        self.run, self.index = run, index
        # per item chosen before, its bit and what it costs a household at the window's end,
        # at most and at least
        self.paid: dict[int, tuple[int, int]] = {}
        for r in run.rounds[:index]:
            most, most_den = high[r.winner]
            least, least_den = low[r.winner]
            self.paid[1 << r.winner] = (
                most * (low_den // most_den),
                least * (high_den // least_den),
            )
        # pattern → the share less what its items cost at most / at least, not clamped
        self.raw: dict[int, tuple[int, int]] = {
            0: (share[0] * (low_den // share[1]), share[0] * (high_den // share[1]))
        }
        self.tops: dict[int, int] = {}

    def lower_cap(self, cost: int, cap: Cap) -> tuple[int, int]:
        """(cost - what this step's poorer patterns hold at most) / the others."""
        tops, above = self.tops, self.above
        held = 0
        for pattern, count, _, _ in cap.short:
            top = tops.get(pattern)
            held += count * (above(pattern) if top is None else top)
        for pattern, count in cap.spent:
            held += count * above(pattern)
        return cost * self.high_den - held, self.high_den * cap.rest

    def below(self, pattern: int) -> int:
        """The balance at least: empty now, maybe not for long, but never below zero."""
        a, s = self.run.balance(self.index, pattern)
        return self._raw(pattern)[0] if a + s * self.run.step >= 0 else 0

    def above(self, pattern: int) -> int:
        """The balance at most."""
        top = self.tops[pattern] = max(0, self._raw(pattern)[1])
        return top

    def _raw(self, pattern: int) -> tuple[int, int]:
        raw = self.raw
        known = raw.get(pattern)
        if known is not None:
            return known
        # less the pattern's lowest items, down to a part known (at worst none), and back
        bits = []
        rest = pattern
        while known is None:
            bit = rest & -rest
            bits.append(bit)
            rest ^= bit
            known = raw.get(rest)
        below, above = known
        for bit in reversed(bits):
            most, least = self.paid[bit]
            below -= most
            above -= least
            rest |= bit
            raw[rest] = (below, above)
        return below, above
