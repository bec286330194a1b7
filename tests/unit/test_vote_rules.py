"""The pure rules of votes: phases, the reminder time, ticks and the k limit, the bitmask on
the buttons, counting and selection, typed thresholds, amounts and floor coefficients."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

from bot.documents.vote_chart import font_name, menu_chart
from bot.domain.consent import RuleKind, Threshold
from bot.domain.scope import Scope, ScopeKind
from bot.domain.votes import (
    BadVoteSpec,
    Menu,
    MenuDraft,
    MenuItem,
    MenuItemDraft,
    NoPicks,
    Phase,
    SelectionRule,
    TooManyPicks,
    bar,
    check_picks,
    decode_picks,
    encode_picks,
    menu_result,
    parse_coefficients,
    parse_custom_rule,
    parse_item,
    parse_share,
    parse_yuan,
    phase,
    reminder_at,
    rule_named,
    toggle_pick,
    yuan,
)
from bot.services.votes import result_bars

T0 = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
SCOPE = Scope(kind=ScopeKind.COMPOUNDS, ids=(1,))


def menu(
    k: int = 2, budget: int | None = None, rule: SelectionRule = SelectionRule.GREEDY
) -> Menu:
    costs = {10: 100, 11: 200, 12: 300}
    return Menu(
        id=1,
        title="点单",
        scope=SCOPE,
        opens_at=T0,
        closes_at=T0 + timedelta(days=3),
        items=tuple(
            MenuItem(id=i, position=n, title=f"项目{n}", cost=c)
            for n, (i, c) in enumerate(costs.items())
        ),
        max_picks=k,
        budget=budget,
        rule=rule,
        live=True,
        author_id=1,
    )


def test_phases_follow_the_times_and_closing_is_exclusive() -> None:
    closes = T0 + timedelta(days=1)
    assert phase(T0, closes, T0 - timedelta(seconds=1), cancelled=False) is Phase.SCHEDULED
    assert phase(T0, closes, T0, cancelled=False) is Phase.OPEN
    assert phase(T0, closes, closes - timedelta(microseconds=1), cancelled=False) is Phase.OPEN
    assert phase(T0, closes, closes, cancelled=False) is Phase.CLOSED
    assert phase(T0, closes, T0, cancelled=True) is Phase.CANCELLED


def test_the_reminder_is_a_day_before_closing_or_half_way_through_a_short_vote() -> None:
    assert reminder_at(T0, T0 + timedelta(days=7)) == T0 + timedelta(days=6)
    assert reminder_at(T0, T0 + timedelta(days=2)) == T0 + timedelta(days=1)
    assert reminder_at(T0, T0 + timedelta(hours=10)) == T0 + timedelta(hours=5)


def test_ticking_more_than_k_is_refused_and_unticking_always_works() -> None:
    m = menu(k=2)
    picks = toggle_pick(m, (), 12)
    picks = toggle_pick(m, picks, 10)
    assert picks == (10, 12)  # menu order
    with pytest.raises(TooManyPicks) as refused:
        toggle_pick(m, picks, 11)
    assert refused.value.params == {"k": 2}
    assert toggle_pick(m, picks, 12) == (10,)
    with pytest.raises(BadVoteSpec):
        toggle_pick(m, picks, 99)


def test_a_ballot_has_one_to_k_items_of_its_menu() -> None:
    m = menu(k=2)
    assert check_picks(m, [10, 11, 10]) == frozenset({10, 11})
    with pytest.raises(NoPicks):
        check_picks(m, [])
    with pytest.raises(TooManyPicks):
        check_picks(m, [10, 11, 12])
    with pytest.raises(BadVoteSpec):
        check_picks(m, [10, 99])


def test_the_bitmask_round_trips_and_refuses_positions_the_menu_lacks() -> None:
    m = menu()
    for picks in [(), (10,), (11, 12), (10, 11, 12)]:
        assert decode_picks(m, encode_picks(m, picks)) == picks
    assert encode_picks(m, (10, 12)) == "5"
    for bad in ("8", "ff", "-1", "zz", ""):
        with pytest.raises(BadVoteSpec):
            decode_picks(m, bad)


def test_results_count_approvals_and_select_by_the_menu_rule() -> None:
    ballots = [frozenset({10, 11}), frozenset({11}), frozenset({12})]
    plain = menu_result(menu(), ballots, eligible=5)
    assert plain.approvals == ((10, 1), (11, 2), (12, 1))
    assert (plain.voted, plain.eligible, plain.turnout) == (3, 5, Fraction(3, 5))
    assert plain.selected is None
    greedy = menu_result(menu(budget=400), ballots, eligible=5)
    assert greedy.selected == (11, 10)  # most approvals first; 300 no longer fits
    assert greedy.spent == 300
    mes = menu_result(menu(budget=600, rule=SelectionRule.MES), ballots, eligible=5)
    assert set(mes.selected or ()) == {10, 11, 12}
    assert mes.spent == 600


def test_text_bars_are_in_proportion_and_never_empty_for_a_vote() -> None:
    assert bar(0, 10) == "░" * 10
    assert bar(10, 10) == "█" * 10
    assert bar(1, 100) == "█" + "░" * 9
    assert bar(5, 10) == "█" * 5 + "░" * 5
    lines = result_bars(
        menu(budget=400), menu_result(menu(budget=400), [frozenset({11})], 1)
    ).splitlines()
    assert lines[1].startswith("██████████   1  ✅ 项目1")


@pytest.mark.parametrize(
    ("text", "share", "strict"),
    [("2/3", Fraction(2, 3), False), (">1/2", Fraction(1, 2), True),
     ("60%", Fraction(3, 5), False), ("1", Fraction(1), False),
     ("> 3 / 4", Fraction(3, 4), True)],
)  # fmt: skip
def test_shares_typed_by_staff(text: str, share: Fraction, strict: bool) -> None:
    assert parse_share(text) == Threshold(share=share, strict=strict)


@pytest.mark.parametrize("text", ["0", "3/2", "2/0", "abc", "50%/2", "-1/2", "150%"])
def test_shares_that_are_not_shares(text: str) -> None:
    with pytest.raises((BadVoteSpec, ZeroDivisionError)):
        parse_share(text)


def test_custom_rules_name_participation_approval_and_dimension() -> None:
    rule = parse_custom_rule("2/3 >1/2")
    assert rule.kind is RuleKind.CUSTOM
    assert rule.participation == Threshold(share=Fraction(2, 3))
    assert rule.approval == Threshold(share=Fraction(1, 2), strict=True)
    assert (rule.by_area, rule.by_owners) == (True, True)
    area_only = parse_custom_rule("- 3/4 面积")
    assert area_only.participation is None
    assert (area_only.by_area, area_only.by_owners) == (True, False)
    assert parse_custom_rule("1/2，2/3，owners").by_area is False
    for bad in ("2/3", "2/3 3/4 colour", "a b", "2/3 3/4 area more"):
        with pytest.raises(BadVoteSpec):
            parse_custom_rule(bad)
    assert rule_named(RuleKind.MAJOR).participation == Threshold(share=Fraction(2, 3))


def test_amounts_in_yuan_become_fen_exactly() -> None:
    assert parse_yuan("120000") == 12_000_000
    assert parse_yuan("¥1,234.56元") == 123456
    assert parse_yuan("0.1") == 10
    for bad in ("1.234", "-5", "abc", "NaN", "Infinity", "200000000"):
        with pytest.raises(BadVoteSpec):
            parse_yuan(bad)
    assert yuan(1818182) == "18,181.82"
    assert yuan(5) == "0.05"


def test_floor_coefficients_with_ranges() -> None:
    assert parse_coefficients("1:0 2:0.5 3-5:1") == {
        1: Decimal(0), 2: Decimal("0.5"), 3: Decimal(1), 4: Decimal(1), 5: Decimal(1)
    }  # fmt: skip
    assert parse_coefficients("1：0，2：1") == {1: Decimal(0), 2: Decimal(1)}
    for bad in ("", "1", "1:x", "2-1:1", "1:-1", "a:1", "1:inf"):
        with pytest.raises(BadVoteSpec):
            parse_coefficients(bad)


def test_items_typed_one_per_line() -> None:
    item = parse_item("楼道灯 | 12000 | 每层一盏")
    assert item == MenuItemDraft(title="楼道灯", cost=12000, description="每层一盏")
    assert parse_item("座椅｜8,000").cost == 8000
    for bad in (
        "楼道灯",
        "| 100",
        "灯 | 0",
        "灯 | 100.5",
        "灯 | abc",
        "x" * 61 + " | 5",
        "a|1|b|c",
    ):
        with pytest.raises(BadVoteSpec):
            parse_item(bad)


def test_a_menu_draft_holds_together() -> None:
    items = (MenuItemDraft(title="a", cost=1), MenuItemDraft(title="b", cost=2))
    good = {"title": "t", "scope": SCOPE, "opens_at": T0, "closes_at": T0 + timedelta(1),
            "items": items, "max_picks": 2}  # fmt: skip
    MenuDraft(**good)
    for change in (
        {"max_picks": 3},
        {"max_picks": 0},
        {"closes_at": T0},
        {"items": items[:1]},
        {"scope": Scope(kind=ScopeKind.GRIDS, ids=(1,))},
        {"budget": 0},
    ):
        with pytest.raises(ValidationError):
            MenuDraft(**{**good, **change})


def test_the_chart_draws_chinese_labels_with_a_cjk_font() -> None:
    assert "CJK" in font_name()
    m = menu(budget=400)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        png = menu_chart(
            m, menu_result(m, [frozenset({11})], 3), title="幸福里：各项目得票", axis="户数"
        )
    assert png.startswith(b"\x89PNG")
    assert len(png) > 5000
