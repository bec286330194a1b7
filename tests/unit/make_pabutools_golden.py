"""Write tests/unit/data/equal_shares_pabutools.json: pabutools' outcomes on seeded elections.

pabutools (the academic reference implementation of the Method of Equal Shares) pulls gurobipy,
pulp, numpy and gmpy2 into an install, so the test suite does not import it: it compares
bot/domain/equal_shares.py with the outcomes stored by this script
(tests/unit/test_equal_shares_pabutools.py). Run it again only to change the elections or to
check a new pabutools version, in a scratch virtualenv (pabutools' own dependencies without
gurobipy, which its MES does not use), from the repository's root:

    python3 -m venv /tmp/pabutools
    /tmp/pabutools/bin/pip install -e '.[test]'
    /tmp/pabutools/bin/pip install --no-deps pabutools pulp numpy gmpy2 natsort preflibtools
    /tmp/pabutools/bin/python -m tests.unit.make_pabutools_golden

pabutools' `method_of_equal_shares` with cost satisfaction is one MES run, and with
`voter_budget_increment` MES with Add1 stopping at the first exhaustive outcome (or keeping the
one before an outcome over the budget), in exact fractions. Its default tie-breaking is by
project name; it is given ours (cheaper, then more approved, then earlier on the menu), so that
ties compare too. It stops at MES + Add1; the test applies our greedy completion to its outcome.
"""

from __future__ import annotations

import json
import random
from importlib.metadata import version
from pathlib import Path

from pabutools.election import (  # type: ignore[import-untyped,import-not-found]
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    Instance,
    Project,
)
from pabutools.rules import method_of_equal_shares  # type: ignore[import-untyped,import-not-found]
from pabutools.tiebreaking import TieBreakingRule  # type: ignore[import-untyped,import-not-found]

from tests.unit.test_equal_shares_reference import Election, menu_election, small_election

GOLDEN = Path(__file__).parent / "data" / "equal_shares_pabutools.json"


def pabutools_outcome(election: Election, increment: int | None) -> list[int]:
    """pabutools' MES (with Add1 by `increment` if given), item ids in the order chosen."""
    items, ballots, budget = election
    projects = {item.id: Project(str(item.id), item.cost) for item in items}
    instance = Instance(projects.values(), budget_limit=budget)
    profile = ApprovalProfile(
        [ApprovalBallot([projects[i] for i in ballot]) for ballot in ballots], instance=instance
    )
    approvals = {item.id: sum(item.id in ballot for ballot in ballots) for item in items}
    order = {item.id: index for index, item in enumerate(items)}
    ours = TieBreakingRule(
        lambda _instance, _profile, project: (
            project.cost,
            -approvals[int(project.name)],
            order[int(project.name)],
        )
    )
    outcome = method_of_equal_shares(
        instance,
        profile,
        sat_class=Cost_Sat,
        tie_breaking=ours,
        voter_budget_increment=increment,
    )
    return [int(project.name) for project in outcome]


def record(election: Election, increment: int) -> dict[str, object]:
    """One election and pabutools' outcomes, ballots as (item ids, how many households)."""
    items, ballots, budget = election
    counts: dict[tuple[int, ...], int] = {}
    for ballot in ballots:
        key = tuple(sorted(ballot))
        counts[key] = counts.get(key, 0) + 1
    return {
        "items": [[item.id, item.cost] for item in items],
        "ballots": [[list(ballot), count] for ballot, count in counts.items()],
        "budget": budget,
        "increment": increment,
        "mes": pabutools_outcome(election, None),
        "mes_add1": pabutools_outcome(election, increment),
    }


def elections() -> list[tuple[Election, int]]:
    """Small elections (ties are common: round costs half the time), some with larger Add1
    steps, and a few renovation menus with more households."""
    rng = random.Random(20260611)
    found: list[tuple[Election, int]] = []
    while len(found) < 400:
        election = small_election(rng)
        if election[1]:
            found.append((election, rng.choice([1, 1, 1, 1, 2, 10, 25])))
    for households in (20, 30, 40, 60, 80, 120):
        for size in (6, 8):
            found.append((menu_election(rng, households=households, size=size), 1))
    for households in (200, 300):
        found.append((menu_election(rng, households=households, size=10), 1))
    return found


def main() -> None:
    """Compute and write the outcomes, one election a line."""
    lines = [json.dumps(record(election, increment)) for election, increment in elections()]
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(
        f'{{"pabutools": "{version("pabutools")}",\n"elections": [\n'
        + ",\n".join(lines)
        + "\n]}\n",
        encoding="utf-8",
    )
    print(f"{len(lines)} elections → {GOLDEN} ({GOLDEN.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
