"""How long counting a resolution takes (the pure counter, Art. 278 major matter).

    python benchmarks/count_resolution.py [--households 10000] [--runs 20]

Households get areas of 50.01-59.97 m², every seventh shares an owner key with two others,
and every second one has answered (four in five of them agree). Printed: the median and the
slowest of `--runs` counts, in milliseconds, and the result.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain.consent import Answer, Flat, RuleKind, count, rule_for  # noqa: E402


def main() -> None:
    """Count `--runs` times and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    flats = [
        Flat(
            id=i,
            area=Decimal(50) + Decimal("0.01") * (i % 997 + 1),
            owner_key=str(i // 3) if i % 7 == 0 else "",
        )
        for i in range(args.households)
    ]
    answers = {i: Answer.AGREE if i % 5 else Answer.DISAGREE for i in range(0, args.households, 2)}
    rule = rule_for(RuleKind.MAJOR)
    timings = []
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        result = count(rule, flats, answers)
        timings.append((time.perf_counter() - start) * 1000)
    assert result is not None
    print(
        f"{args.households} households, {len(answers)} answers: median "
        f"{statistics.median(timings):.1f} ms, slowest {max(timings):.1f} ms"
        f" (passed: {result.passed}; missing: "
        + ", ".join(f"{m.dimension} {float(m.amount):.2f}" for m in result.missing)
        + ")"
    )


if __name__ == "__main__":
    main()
