"""Counting consent (Art. 278, unanimity, custom thresholds) and sharing a cost, exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.consent import (
    Answer,
    Dimension,
    Flat,
    Rule,
    RuleKind,
    ShareFlat,
    Threshold,
    cost_shares,
    count,
    rule_for,
)

AGREE, DISAGREE, ABSTAIN = Answer.AGREE, Answer.DISAGREE, Answer.ABSTAIN
MAJOR, ORDINARY = rule_for(RuleKind.MAJOR), rule_for(RuleKind.ORDINARY)


def flats(n: int, area: str = "100") -> list[Flat]:
    return [Flat(id=i, area=Decimal(area)) for i in range(1, n + 1)]


def check(result: object, dimension: Dimension, stage: str) -> bool:
    return next(
        c.met
        for c in result.checks  # type: ignore[attr-defined]
        if c.dimension is dimension and c.stage == stage
    )


# ---------------------------------------------------------------------------- boundaries


def test_exactly_two_thirds_taking_part_is_enough_and_just_below_is_not() -> None:
    nine = flats(9)
    six = {i: AGREE for i in range(1, 7)}  # 6/9 = 2/3 of area and of owners
    result = count(MAJOR, nine, six)
    assert check(result, Dimension.AREA, "participation")
    assert check(result, Dimension.OWNERS, "participation")
    assert result.passed

    five = {i: AGREE for i in range(1, 6)}
    result = count(MAJOR, nine, five)
    assert not check(result, Dimension.OWNERS, "participation")
    assert not result.passed
    # Just below by area only: the 6th flat is a little smaller.
    uneven = [*flats(5), Flat(id=6, area=Decimal("99.99")), *flats(9)[6:]]
    result = count(MAJOR, uneven, six)
    assert check(result, Dimension.OWNERS, "participation")
    assert not check(result, Dimension.AREA, "participation")
    assert not result.passed


def test_exactly_three_quarters_agreeing_passes_a_major_matter() -> None:
    eight = flats(8)
    answers = {i: AGREE for i in range(1, 7)} | {7: DISAGREE, 8: ABSTAIN}  # 6/8 = 3/4
    assert count(MAJOR, eight, answers).passed
    answers[6] = DISAGREE  # 5/8 < 3/4
    result = count(MAJOR, eight, answers)
    assert not check(result, Dimension.AREA, "approval")
    assert not result.passed


def test_exactly_half_is_not_more_than_half() -> None:
    four = flats(4)
    half = {1: AGREE, 2: AGREE, 3: DISAGREE, 4: ABSTAIN}
    result = count(ORDINARY, four, half)
    assert all(check(result, d, "participation") for d in (Dimension.AREA, Dimension.OWNERS))
    assert not check(result, Dimension.OWNERS, "approval")
    assert not result.passed
    half[4] = AGREE
    assert count(ORDINARY, four, half).passed


def test_abstaining_takes_part_without_agreeing() -> None:
    three = flats(3)
    result = count(ORDINARY, three, {1: AGREE, 2: ABSTAIN, 3: ABSTAIN})
    [area, owners] = result.tallies
    assert (area.participating, area.agreeing) == (300, 100)
    assert (owners.participating, owners.agreeing) == (3, 1)
    assert not result.passed


def test_one_owner_of_several_flats_counts_once_and_agrees_only_if_every_answer_agrees() -> None:
    homes = [
        Flat(id=1, area=Decimal("50"), owner_key="张"),
        Flat(id=2, area=Decimal("70"), owner_key="张"),
        Flat(id=3, area=Decimal("60"), owner_key="李"),
        Flat(id=4, area=Decimal("80")),  # no key: an owner of its own
    ]
    result = count(ORDINARY, homes, {1: AGREE, 3: AGREE, 4: DISAGREE})
    area, owners = result.tallies
    assert owners.total == 3
    assert (owners.participating, owners.agreeing) == (3, 2)  # 张 took part through flat 1
    assert (area.participating, area.agreeing) == (190, 110)
    result = count(ORDINARY, homes, {1: AGREE, 2: DISAGREE, 3: AGREE, 4: AGREE})
    assert result.tallies[1].agreeing == 2  # 张 said yes and no: not agreeing
    assert result.tallies[0].agreeing == 190  # the area still counts flat by flat


def test_unanimity_needs_every_affected_household() -> None:
    rule = rule_for(RuleKind.UNANIMOUS)
    four = flats(4)
    result = count(rule, four, {1: AGREE, 2: AGREE, 3: AGREE})
    assert not result.passed
    [missing] = result.missing
    assert (missing.dimension, missing.amount, missing.reachable) == (
        Dimension.HOUSEHOLDS,
        1,
        True,
    )
    assert count(rule, four, {i: AGREE for i in range(1, 5)}).passed
    blocked = count(rule, four, {1: AGREE, 2: ABSTAIN})
    assert not blocked.passed
    assert [m.reachable for m in blocked.missing] == [False]


def test_custom_thresholds_by_owners_only() -> None:
    rule = Rule(
        kind=RuleKind.CUSTOM,
        participation=Threshold(share=Fraction(1, 2)),
        approval=Threshold(share=Fraction(3, 5)),
        by_area=False,
    )
    ten = flats(10)
    answers = {1: AGREE, 2: AGREE, 3: AGREE, 4: DISAGREE, 5: DISAGREE}
    result = count(rule, ten, answers)
    assert [c.dimension for c in result.checks] == [Dimension.OWNERS, Dimension.OWNERS]
    assert result.passed  # 5/10 took part, 3/5 agreed


def test_answers_from_outside_the_scope_are_ignored() -> None:
    result = count(ORDINARY, flats(2), {1: AGREE, 2: AGREE, 99: DISAGREE})
    assert result.passed
    assert result.answered == 2


# ---------------------------------------------------------------------------- what is missing


def test_what_is_missing_in_owners_and_area_of_new_agreeing_answers() -> None:
    homes = [Flat(id=i, area=Decimal("75.25") if i % 2 else Decimal("60")) for i in range(1, 13)]
    answers = {1: AGREE, 2: AGREE, 3: DISAGREE, 4: AGREE}
    result = count(MAJOR, homes, answers)
    missing = {m.dimension: m for m in result.missing}
    # Owners: participation needs 8 of 12 (4 more); approval needs (3+x)/(4+x) >= 3/4 → x >= 0.
    assert missing[Dimension.OWNERS].amount == 4
    # Area: total 811.5, 2/3 is 541; 270.5 took part, so 270.5 m² more.
    assert missing[Dimension.AREA].amount == Fraction("270.5")
    assert all(m.reachable for m in result.missing)

    # Approval, not participation, can be what is short.
    many_against = {i: DISAGREE for i in range(1, 9)}
    result = count(MAJOR, homes, many_against)
    owners = next(m for m in result.missing if m.dimension is Dimension.OWNERS)
    assert owners.amount == 24  # (0 + x)/(8 + x) >= 3/4 → x >= 24
    assert not owners.reachable  # only 4 have not answered


def test_more_than_half_asks_for_strictly_more() -> None:
    result = count(ORDINARY, flats(4), {1: AGREE, 2: DISAGREE, 3: AGREE})
    # 3 of 4 took part (at least 2/3) and 2 of those 3 agree (more than half): passed.
    assert result.passed
    assert result.missing == ()
    result = count(ORDINARY, flats(4), {1: AGREE, 2: DISAGREE, 3: ABSTAIN})
    owners = next(m for m in result.missing if m.dimension is Dimension.OWNERS)
    area = next(m for m in result.missing if m.dimension is Dimension.AREA)
    assert owners.amount == 2  # (1+x)/(3+x) > 1/2 → x > 1
    assert (area.amount, area.strict) == (100, True)  # more than 100 m²


def test_counting_ten_thousand_households_is_exact() -> None:
    homes = [
        Flat(id=i, area=Decimal("0.01") * (i % 997 + 1), owner_key=str(i // 3))
        for i in range(10_000)
    ]
    answers = {i: (AGREE if i % 5 else DISAGREE) for i in range(0, 10_000, 1)}
    result = count(MAJOR, homes, answers)
    area = result.tallies[0]
    assert area.participating == area.total
    assert isinstance(area.agreeing, Fraction)


# ---------------------------------------------------------------------------- cost sharing


def test_cost_shares_follow_floor_coefficients_and_area_and_add_up_to_the_fen() -> None:
    homes = [
        ShareFlat(id=1, floor=1, area=Decimal("60")),
        ShareFlat(id=2, floor=2, area=Decimal("60")),
        ShareFlat(id=3, floor=3, area=Decimal("80")),
        ShareFlat(id=4, floor=6, area=Decimal("80")),
    ]
    coefficients = {1: Fraction(0), 2: Fraction(1, 2), 3: Fraction(1), 6: Fraction(3, 2)}
    shares = cost_shares(100_000_00, homes, coefficients)  # 100,000 yuan
    assert shares[1] == 0  # ground floor: coefficient 0
    assert sum(shares.values()) == 100_000_00
    # weights 30, 80, 120 of 230
    assert shares == {1: 0, 2: 1304348, 3: 3478261, 4: 5217391}


def test_rounding_gives_the_spare_fen_to_the_largest_remainders() -> None:
    three = [ShareFlat(id=i, floor=2, area=Decimal("50")) for i in (1, 2, 3)]
    assert cost_shares(100, three, {2: Fraction(1)}) == {1: 34, 2: 33, 3: 33}
    with pytest.raises(ValueError, match="nobody pays"):
        cost_shares(100, three, {})


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.tuples(st.integers(1, 20), st.integers(1, 20000)), min_size=1, max_size=30),
)
def test_shares_always_add_up_and_never_go_negative(
    total: int, rows: list[tuple[int, int]]
) -> None:
    homes = [
        ShareFlat(id=i, floor=floor, area=Decimal(centi) / 100)
        for i, (floor, centi) in enumerate(rows)
    ]
    coefficients = {floor: Fraction(floor, 4) for floor in range(1, 21)}
    shares = cost_shares(total, homes, coefficients)
    assert sum(shares.values()) == total
    assert all(share >= 0 for share in shares.values())
