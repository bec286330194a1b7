"""How long the Method of Equal Shares with Add1 takes to select a renovation menu.

    python benchmarks/equal_shares.py [--households N --items M --budget YUAN] [--runs 5]
                                      [--ticks 5] [--seed 1]

Without --households, the three standard menus: 300 households × 10 items with ¥300,000,
3,000 × 20 with ¥2,000,000, and 10,000 × 30 with ¥6,000,000. Item costs are drawn in whole
thousands of yuan (log-normal, together about 2.2 times the budget, so that not everything
fits); each household ticks 1 to --ticks items, some items far more popular than others
(Pareto weights). Printed per menu: the median and the slowest of `--runs` selections
(`equal_shares`, exact arithmetic), the number of distinct ballots, and what was selected.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain.equal_shares import MenuItemCost, equal_shares  # noqa: E402

STANDARD = ((300, 10, 300_000), (3_000, 20, 2_000_000), (10_000, 30, 6_000_000))


def menu(
    seed: int, households: int, items: int, budget: int, ticks: int
) -> tuple[list[MenuItemCost], list[frozenset[int]]]:
    """A seeded random menu and its ballots."""
    rng = random.Random(seed)
    weights = [rng.lognormvariate(0, 1) for _ in range(items)]
    scale = 2.2 * budget / sum(weights)
    costs = [max(1_000, round(w * scale, -3)) for w in weights]
    popularity = [rng.paretovariate(1.2) for _ in range(items)]
    ballots = []
    for _ in range(households):
        picks: set[int] = set()
        for _ in range(rng.randint(1, min(ticks, items))):
            picks.add(rng.choices(range(items), weights=popularity)[0])
        ballots.append(frozenset(i + 1 for i in picks))
    return [MenuItemCost(id=i + 1, cost=int(c)) for i, c in enumerate(costs)], ballots


def main() -> None:
    """Time the selections and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--budget", type=int, default=2_000_000)
    parser.add_argument("--ticks", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    cases = [(args.households, args.items, args.budget)] if args.households else STANDARD
    for households, size, budget in cases:
        items, ballots = menu(args.seed, households, size, budget, args.ticks)
        timings = []
        selection = None
        for _ in range(args.runs):
            start = time.perf_counter()
            selection = equal_shares(items, ballots, budget)
            timings.append((time.perf_counter() - start) * 1000)
        assert selection is not None
        print(
            f"{households} households × {size} items, ¥{budget:,}"
            f" ({len(set(ballots))} distinct ballots): median {statistics.median(timings):.1f} ms,"
            f" slowest {max(timings):.1f} ms; {len(selection.items)} items for"
            f" ¥{selection.cost:,}"
        )


if __name__ == "__main__":
    main()
