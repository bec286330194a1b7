"""Counting consent to a resolution (表决) and sharing a cost (pure, exact).

Civil Code Art. 278: a matter is decided when owners holding at least 2/3 of the exclusive
area **and** at least 2/3 of the owners take part; a major matter then needs at least 3/4 of
the participating area and of the participating owners, another matter more than half of each.
Owners count one per household, except that households sharing an owner key are one owner:
that owner takes part if any of their flats answered, and agrees only if every flat of theirs
that answered agreed. Abstaining takes part without agreeing. "At least" includes the boundary,
"more than" does not. All arithmetic is in `Fraction`s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import Field, model_validator

from bot.domain.models import Frozen


class Answer(StrEnum):
    """A household's answer to a proposal."""

    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"


class RuleKind(StrEnum):
    """Which rule decides a proposal."""

    UNANIMOUS = "unanimous"  # every affected household agrees
    MAJOR = "major"  # Art. 278 major matters
    ORDINARY = "ordinary"  # Art. 278 other matters
    CUSTOM = "custom"


class Threshold(Frozen):
    """A share to reach: "at least" (inclusive) or "more than" (strict)."""

    share: Fraction
    strict: bool = False

    @model_validator(mode="after")
    def _share(self) -> Threshold:
        if not 0 <= self.share <= 1:
            raise ValueError("a threshold is a share between 0 and 1")
        return self

    def met(self, part: Fraction, whole: Fraction) -> bool:
        """Whether part/whole reaches the threshold (an empty whole reaches nothing)."""
        if whole == 0:
            return False
        ratio = part / whole
        return ratio > self.share if self.strict else ratio >= self.share


TWO_THIRDS = Threshold(share=Fraction(2, 3))
THREE_QUARTERS = Threshold(share=Fraction(3, 4))
MORE_THAN_HALF = Threshold(share=Fraction(1, 2), strict=True)


class Rule(Frozen):
    """Participation and approval thresholds, checked by area and/or by owners."""

    kind: RuleKind
    participation: Threshold | None = None
    approval: Threshold = THREE_QUARTERS
    by_area: bool = True
    by_owners: bool = True

    @model_validator(mode="after")
    def _some_dimension(self) -> Rule:
        if not (self.by_area or self.by_owners):
            raise ValueError("a rule counts by area, by owners, or both")
        return self


def rule_for(kind: RuleKind) -> Rule:
    """The fixed rules; custom ones are built with `Rule(kind=CUSTOM, ...)`."""
    if kind is RuleKind.MAJOR:
        return Rule(kind=kind, participation=TWO_THIRDS, approval=THREE_QUARTERS)
    if kind is RuleKind.ORDINARY:
        return Rule(kind=kind, participation=TWO_THIRDS, approval=MORE_THAN_HALF)
    if kind is RuleKind.UNANIMOUS:
        return Rule(kind=kind, approval=Threshold(share=Fraction(1)), by_area=False)
    raise ValueError("a custom rule needs its thresholds")


class Flat(Frozen):
    """A household as consent counts it: its exclusive area and its owner key."""

    id: int
    area: Decimal = Field(ge=0)
    owner_key: str = ""

    @property
    def owner(self) -> str:
        """Who owns it: the owner key, or the flat itself when the roster has none."""
        return f"key:{self.owner_key}" if self.owner_key else f"flat:{self.id}"


class Dimension(StrEnum):
    """What is counted."""

    AREA = "area"
    OWNERS = "owners"
    HOUSEHOLDS = "households"  # the unanimous rule


class Tally(Frozen):
    """One dimension's counts: everyone, those who took part, those who agreed."""

    dimension: Dimension
    total: Fraction
    participating: Fraction
    agreeing: Fraction


class Check(Frozen):
    """One threshold against one dimension."""

    dimension: Dimension
    stage: str  # "participation" or "approval"
    threshold: Threshold
    part: Fraction
    whole: Fraction
    met: bool


class Missing(Frozen):
    """What more is needed, counting new answers that agree (nobody changing theirs)."""

    dimension: Dimension
    amount: Fraction  # owners, households or m² of new agreeing answers
    strict: bool  # "more than" `amount` (area under a strict threshold)
    reachable: bool  # enough have not answered yet for it to be possible


class Result(Frozen):
    """Where a proposal stands."""

    rule: Rule
    tallies: tuple[Tally, ...]
    checks: tuple[Check, ...]
    missing: tuple[Missing, ...]
    passed: bool
    answered: int
    eligible: int
    # Every dimension (households, area, owners) counted as the law counts it, whichever the
    # rule checks: for people to read (empty in results frozen before it was kept).
    every: tuple[Tally, ...] = ()
    # Households with someone registered when it was counted (None: not known, e.g. a result
    # frozen before it was kept); no rule counts it, turnout shows it.
    registered: int | None = None


def _tallies(flats: Sequence[Flat], answers: Mapping[int, Answer]) -> dict[Dimension, Tally]:
    # Sums of exact decimals (Decimal adds exactly at this size), made Fractions once.
    area_total = Fraction(sum((f.area for f in flats), Decimal(0)))
    area_part = Fraction(sum((f.area for f in flats if f.id in answers), Decimal(0)))
    area_agree = Fraction(
        sum((f.area for f in flats if answers.get(f.id) is Answer.AGREE), Decimal(0))
    )
    owners: dict[str, list[Answer]] = {}
    for flat in flats:
        given = owners.setdefault(flat.owner, [])
        if flat.id in answers:
            given.append(answers[flat.id])
    part = [given for given in owners.values() if given]
    agree = [given for given in part if all(a is Answer.AGREE for a in given)]
    households_agree = sum(1 for f in flats if answers.get(f.id) is Answer.AGREE)
    households_part = sum(1 for f in flats if f.id in answers)
    return {
        Dimension.AREA: Tally(
            dimension=Dimension.AREA,
            total=area_total,
            participating=area_part,
            agreeing=area_agree,
        ),
        Dimension.OWNERS: Tally(
            dimension=Dimension.OWNERS,
            total=Fraction(len(owners)),
            participating=Fraction(len(part)),
            agreeing=Fraction(len(agree)),
        ),
        Dimension.HOUSEHOLDS: Tally(
            dimension=Dimension.HOUSEHOLDS,
            total=Fraction(len(flats)),
            participating=Fraction(households_part),
            agreeing=Fraction(households_agree),
        ),
    }


def _needed(tally: Tally, rule: Rule) -> tuple[Fraction, bool] | None:
    """New agreeing answers needed on this dimension (and whether "more than"); None if no
    number of new agreeing answers is enough (an approval of 100 % with someone against)."""
    need = Fraction(0)
    strict = False
    if rule.participation is not None:
        gap = rule.participation.share * tally.total - tally.participating
        if gap > need or (gap == need and rule.participation.strict):
            need, strict = gap, rule.participation.strict
    share = rule.approval.share
    if share == 1:
        if tally.agreeing < tally.participating:
            return None
        gap = Fraction(tally.total - tally.participating if rule.kind is RuleKind.UNANIMOUS else 0)
    else:
        gap = (share * tally.participating - tally.agreeing) / (1 - share)
    if gap > need or (gap == need and rule.approval.strict):
        need, strict = gap, rule.approval.strict
    if tally.participating == 0 and need <= 0:
        need, strict = Fraction(0), True  # someone has to answer at all
    return max(need, Fraction(0)), strict


def _whole(amount: Fraction, strict: bool) -> Fraction:
    """The smallest whole number of owners/households meeting `amount` (or exceeding it)."""
    whole = math.floor(amount) + 1 if strict else math.ceil(amount)
    return Fraction(max(whole, 0))


def count(rule: Rule, flats: Sequence[Flat], answers: Mapping[int, Answer]) -> Result:
    """Count `answers` (by household id; others are ignored) against `rule`."""
    eligible = {flat.id for flat in flats}
    answers = {hid: answer for hid, answer in answers.items() if hid in eligible}
    tallies = _tallies(flats, answers)
    if rule.kind is RuleKind.UNANIMOUS:
        dimensions = [Dimension.HOUSEHOLDS]
    else:
        dimensions = [
            d
            for d, on in ((Dimension.AREA, rule.by_area), (Dimension.OWNERS, rule.by_owners))
            if on
        ]
    checks: list[Check] = []
    missing: list[Missing] = []
    for dimension in dimensions:
        tally = tallies[dimension]
        if rule.kind is RuleKind.UNANIMOUS:
            checks.append(
                Check(
                    dimension=dimension,
                    stage="approval",
                    threshold=rule.approval,
                    part=tally.agreeing,
                    whole=tally.total,
                    met=tally.total > 0 and tally.agreeing == tally.total,
                )
            )
        else:
            if rule.participation is not None:
                checks.append(
                    Check(
                        dimension=dimension,
                        stage="participation",
                        threshold=rule.participation,
                        part=tally.participating,
                        whole=tally.total,
                        met=rule.participation.met(tally.participating, tally.total),
                    )
                )
            checks.append(
                Check(
                    dimension=dimension,
                    stage="approval",
                    threshold=rule.approval,
                    part=tally.agreeing,
                    whole=tally.participating,
                    met=rule.approval.met(tally.agreeing, tally.participating),
                )
            )
        needed = _needed(tally, rule)
        left = tally.total - tally.participating
        if needed is None:
            missing.append(
                Missing(dimension=dimension, amount=Fraction(0), strict=False, reachable=False)
            )
            continue
        amount, strict = needed
        if dimension is not Dimension.AREA:
            amount, strict = _whole(amount, strict), False
        reachable = amount < left if strict else amount <= left
        missing.append(
            Missing(dimension=dimension, amount=amount, strict=strict, reachable=reachable)
        )
    passed = bool(checks) and all(check.met for check in checks)
    return Result(
        rule=rule,
        tallies=tuple(tallies[d] for d in dimensions),
        checks=tuple(checks),
        missing=tuple(m for m in missing if not passed and (m.amount > 0 or not m.reachable)),
        passed=passed,
        answered=len(answers),
        eligible=len(eligible),
        every=tuple(tallies.values()),
    )


# ---------------------------------------------------------------------------- cost sharing


class ShareFlat(Frozen):
    """A household as cost sharing sees it: floor and exclusive area."""

    id: int
    floor: int
    area: Decimal = Field(ge=0)


def cost_shares(
    total_fen: int, flats: Sequence[ShareFlat], coefficients: Mapping[int, Fraction | Decimal]
) -> dict[int, int]:
    """Split `total_fen` as C·k(floor)·area / Σ k·area, in whole fen that add up to the total.

    Floors without a coefficient, or with 0, pay nothing. The fen left by rounding down go
    one each to the largest remainders (ties: the earlier household in `flats`).
    """
    if total_fen < 0:
        raise ValueError("a cost is not negative")
    weights = {
        flat.id: Fraction(coefficients.get(flat.floor, 0)) * Fraction(flat.area) for flat in flats
    }
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("floor coefficients are not negative")
    total_weight = sum(weights.values(), Fraction(0))
    if total_weight == 0:
        if total_fen:
            raise ValueError("nobody pays: every coefficient or area is 0")
        return {flat.id: 0 for flat in flats}
    exact = {hid: total_fen * weight / total_weight for hid, weight in weights.items()}
    shares = {hid: math.floor(value) for hid, value in exact.items()}
    left = total_fen - sum(shares.values())
    order = {flat.id: index for index, flat in enumerate(flats)}
    by_remainder = sorted(exact, key=lambda hid: (-(exact[hid] - shares[hid]), order[hid]))
    for hid in by_remainder[:left]:
        shares[hid] += 1
    return shares
