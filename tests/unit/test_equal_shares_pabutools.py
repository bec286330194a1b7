"""The Method of Equal Shares against pabutools, the academic reference implementation.

pabutools' `method_of_equal_shares` with cost satisfaction and `voter_budget_increment=1` is
MES with Add1 stopping at the first exhaustive outcome (or keeping the one before an outcome
over the budget), in exact fractions. Its default tie-breaking is by project name; it is given
ours (cheaper, then more approved, then earlier on the menu), so that ties compare too. It
stops at MES + Add1; our greedy completion is applied to its outcome.
"""

from __future__ import annotations

import random

from pabutools.election import (  # type: ignore[import-untyped]
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    Instance,
    Project,
)
from pabutools.rules import method_of_equal_shares as pabutools_mes  # type: ignore[import-untyped]
from pabutools.tiebreaking import TieBreakingRule  # type: ignore[import-untyped]

from bot.domain.equal_shares import MenuItemCost, equal_shares, greedy, method_of_equal_shares
from tests.unit.test_equal_shares_reference import menu_election, small_election


def pabutools_outcome(
    items: list[MenuItemCost], ballots: list[frozenset[int]], budget: int, *, add1: bool
) -> tuple[int, ...]:
    """pabutools' MES (with Add1 if asked), item ids in the order it chose them."""
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
    outcome = pabutools_mes(
        instance,
        profile,
        sat_class=Cost_Sat,
        tie_breaking=ours,
        voter_budget_increment=1 if add1 else None,
    )
    return tuple(int(project.name) for project in outcome)


def test_one_run_matches_pabutools() -> None:
    rng = random.Random(20260611)
    for case in range(300):
        items, ballots, budget = small_election(rng)
        if not ballots:
            continue
        expected = pabutools_outcome(items, ballots, budget, add1=False)
        assert method_of_equal_shares(items, ballots, budget).items == expected, case


def test_add1_then_greedy_matches_pabutools() -> None:
    rng = random.Random(20260612)
    for case in range(300):
        items, ballots, budget = small_election(rng)
        if not ballots:
            continue
        chosen = pabutools_outcome(items, ballots, budget, add1=True)
        assert equal_shares(items, ballots, budget) == greedy(
            items, ballots, budget, chosen=chosen
        ), case


def test_add1_matches_pabutools_on_menus() -> None:
    rng = random.Random(20260613)
    for case in range(4):
        items, ballots, budget = menu_election(rng, households=rng.randint(20, 40), size=6)
        chosen = pabutools_outcome(items, ballots, budget, add1=True)
        assert equal_shares(items, ballots, budget) == greedy(
            items, ballots, budget, chosen=chosen
        ), case
