"""Votes: what a result says, as catalog lines every announcement and card shares — turnout
counted three ways, the selection rule and budget with why a more-voted item was left out, and
a proposal's households, area and owners as the law counts them."""

from __future__ import annotations

from fractions import Fraction

from bot.domain.consent import Dimension, Result, Tally
from bot.domain.messages import Line
from bot.domain.votes import Menu, MenuResult
from bot.domain.votes.results import Why, left_out, square_metres
from bot.domain.wording import money_exact

TALLY_STAGES = ("all", "part", "agree")  # everyone, those who answered, those who agreed


def turnout(voted: int, registered: int | None, households: int | None) -> Line:
    """ "已投 5 户 / 已登记 5 户 / 共 8 户" (a part not known is left out: results frozen
    before it was kept)."""
    if registered is None and households is None:
        return Line(key="vote.turnout_voted", params={"voted": voted})
    if households is None:
        return Line(
            key="vote.turnout_registered", params={"voted": voted, "registered": registered or 0}
        )
    if registered is None:
        return Line(
            key="vote.turnout_households", params={"voted": voted, "households": households}
        )
    return Line(
        key="vote.turnout",
        params={"voted": voted, "registered": registered, "households": households},
    )


def menu_turnout(result: MenuResult) -> Line:
    """A menu's turnout: those who voted, the registered households (who may vote), all."""
    return turnout(result.voted, result.eligible, result.households)


def proposal_turnout(result: Result) -> Line:
    """A proposal's turnout: those who answered, the registered households, all (every
    household of the scope may answer, on paper too)."""
    return turnout(result.answered, result.registered, result.eligible)


def selection(menu: Menu, result: MenuResult) -> list[Line]:
    """The budget and the rule, what they chose, and why each item with more votes than a
    chosen one was not chosen; without a budget, that nothing was chosen by rule."""
    if menu.budget is None or result.selected is None:
        return [Line(key="vote.no_budget_note")]
    lines = [
        Line(
            key="vote.selected",
            params={
                "budget": money_exact(menu.budget * 100),
                "spent": money_exact((result.spent or 0) * 100),
                "count": len(result.selected),
            },
            labels={"rule": f"vote.sel_{menu.rule.value}"},
        ),
        Line(key=f"vote.rule_means_{menu.rule.value}"),
    ]
    reasons = left_out(menu, result)
    if reasons:
        lines.append(Line(key="vote.left_out_head"))
    for reason in reasons:
        params: dict[str, str | int] = {
            "title": reason.title,
            "votes": reason.approvals,
            "cost": money_exact(reason.cost * 100),
        }
        if reason.why is Why.BUDGET:
            params["left"] = money_exact(reason.left * 100)
        lines.append(Line(key=f"vote.left_out_{reason.why.value}", params=params))
    return lines


def tallies(result: Result) -> list[Line]:
    """Everyone, those who answered, those who agreed: households, area (㎡, exact) and owners
    (one per owner, as the rule counts them), whichever dimensions the rule checks."""
    by = {tally.dimension: _counts(tally) for tally in result.every}
    if set(by) != set(Dimension):
        return []  # a result frozen before every dimension was kept
    households, area, owners = by[Dimension.HOUSEHOLDS], by[Dimension.AREA], by[Dimension.OWNERS]
    return [
        Line(
            key="vote.tally_line",
            params={
                "households": int(households[index]),
                "area": square_metres(area[index]),
                "owners": int(owners[index]),
            },
            labels={"stage": f"vote.tally_{stage}"},
        )
        for index, stage in enumerate(TALLY_STAGES)
    ]


def _counts(tally: Tally) -> tuple[Fraction, Fraction, Fraction]:
    return tally.total, tally.participating, tally.agreeing
