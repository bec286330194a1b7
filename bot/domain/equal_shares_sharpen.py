"""Making a run's first recorded change of a choice later where that record is loose, before
Add1 jumps there (bot/domain/equal_shares_run.py says what a run records)."""

from __future__ import annotations

from fractions import Fraction

from bot.domain.equal_shares_run import Cap, Run, Unaffordable


def sharpen(run: Run) -> bool:
    """Make the earliest recorded change of a choice later if it comes from a loose record
    (whether it did). The choice changes only once the item's cap comes below the winner's
    (or when affordable: it may not be), and its cap is at least every lower bound found.

    * An item not evaluated in that round, whose bound from an earlier round stopped
      losing: its exact cap in the round, a lower bound at other steps too (as for every
      item evaluated); the change comes once both bounds have come below the winner's cap
      (or once it is affordable and the old bound has).
    * An item that becomes affordable: its cap then is at least (cost - what the patterns
      poorer than the winner's cap hold) / the others, which loses to the winner now; the
      change comes once it is affordable and that bound comes below the winner's cap. Each
      later round records the item as a candidate with its own such bound, or, where there
      is none, when the item becomes affordable in it.
    """
    index, current = min(enumerate(run.rounds), key=lambda pair: pair[1].decision_flip)
    if current.cap is None or not current.changes:
        return False
    item = min(current.changes, key=current.changes.__getitem__)
    flip, found = current.changes[item], current.found.get(item)
    if found is None:
        cap, affordable = run.evaluate(index, item, run.step)
        current.found[item] = cap
        if isinstance(cap, Cap):
            bound = (cap.a, cap.s, cap.d)
            flip = max(flip, run.loses(item, bound, current.winner, current.cap, run.step)[1])
        else:
            flip = max(flip, affordable)
    elif isinstance(found, Unaffordable) and item not in current.conditional:
        current.conditional[item] = _conditional(run, index, item)
        if current.conditional[item] is None:
            return False
        flip = run.rounds[index].changes[item]
    else:
        return False
    current.changes[item] = flip
    current.decision_flip = min(current.changes.values())
    return True


def _conditional(run: Run, index: int, item: int) -> Cap | None:
    """The bound on the cap of an item unaffordable in round `index` if it becomes
    affordable (see `sharpen`), recorded with what the later rounds need; None if there is
    none (everybody's balance is below the winner's cap)."""
    found: Cap | Unaffordable | None = None
    first: Cap | None = None
    formula = (0, 0, 1)
    for later in range(index, len(run.rounds)):
        r = run.rounds[later]
        bound = None if r.cap is None else _losing_bound(run, later, item)
        if bound is None or r.cap is None:
            if later == index:
                return None
            # no bound there: the round records when the item becomes affordable in it,
            # never before it does in this round (nor, then, in any later round)
            found, flip = run.evaluate(later, item, run.step)
            assert isinstance(found, Unaffordable)
            r.found[item] = found
            r.bounds[item] = formula  # the bound from the round before holds here too
        else:
            formula = (bound.a, bound.s, bound.d)
            flip = run.loses(item, formula, r.winner, r.cap, run.step)[1]
            r.conditional[item] = bound
            if later == index:
                flip, first = max(r.changes[item], flip), bound
            else:
                r.bounds[item] = formula
        r.changes[item] = flip
        r.decision_flip = min(r.changes.values())
        if found is not None:
            break
    return first


def _losing_bound(run: Run, index: int, item: int) -> Cap | None:
    """(cost - what the supporters poorer than the winner's cap (per yuan) hold) / the
    others: a lower bound on the item's cap in round `index` whenever it is affordable,
    above the winner's now while it is not; None if nobody is that rich."""
    current, step, costs, cap = (
        run.rounds[index],
        run.step,
        run.menu.costs,
        run.rounds[index].cap,
    )
    assert cap is not None
    # the winner's cap per yuan, as this item's cap × den
    threshold = Fraction(costs[item] * (cap.a + cap.s * step), cap.rest * costs[current.winner])
    short, spent = [], []
    for pattern, count in run.patterns(current.prefix, item):
        a, s = run.balance(index, pattern)
        value = a + s * step
        if value < 0:
            spent.append((pattern, count))
        elif value * threshold.denominator < threshold.numerator:
            short.append((pattern, count, a, s))
    poorer = sum(c for _, c in spent) + sum(c for _, c, _, _ in short)
    rest = run.menu.approvals[item] - poorer
    if not rest:
        return None
    return Cap(
        a=costs[item] * current.den - sum(c * a for _, c, a, _ in short),
        s=-sum(c * s for _, c, _, s in short),
        d=current.den * rest,
        rest=rest,
        short=tuple(short),
        spent=tuple(spent),
        poorer=poorer,
    )
