"""What a vote's result says (issue 20, point 6): why a more-voted item was left out (greedy
and equal shares, read from the result), exact areas, turnout three ways, a proposal's
households, area and owners, the chart's legend, and a push's lines in each language."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from bot.documents.vote_chart import menu_figure
from bot.domain.consent import Answer, Flat, RuleKind, count, rule_for
from bot.domain.messages import Line, Outgoing
from bot.domain.models import Language
from bot.domain.scope import Scope, ScopeKind
from bot.domain.votes import Menu, MenuItem, MenuResult, SelectionRule, menu_result
from bot.domain.votes.results import LeftOut, Why, left_out, square_metres
from bot.features.menu_card import chart_legend
from bot.interaction.screen import line_text, push_screen
from bot.interaction.words import paragraphs, pushed, said
from bot.services.votes.wording import selection, tallies, turnout

ZH, EN = Language.ZH, Language.EN
T = datetime(2026, 11, 1, tzinfo=UTC)
LIGHT, GATE, BENCH = 1, 2, 3


def menu(rule: SelectionRule = SelectionRule.GREEDY, budget: int | None = 40000) -> Menu:
    items = (
        MenuItem(id=LIGHT, position=0, title="楼道声控灯", cost=12000),
        MenuItem(id=GATE, position=1, title="单元门禁", cost=30000),
        MenuItem(id=BENCH, position=2, title="休闲座椅", cost=8000),
    )
    return Menu(
        id=1, title="改造点单", scope=Scope(kind=ScopeKind.COMPOUNDS, ids=(1,)),
        opens_at=T, closes_at=T, items=items, max_picks=2, budget=budget, rule=rule,
        live=True, author_id=1,
    )  # fmt: skip


def counted(shown: Menu, *ballots: set[int]) -> MenuResult:
    return menu_result(shown, [frozenset(b) for b in ballots], eligible=5, households=8)


def words(language: Language, lines: list[Line]) -> list[str]:
    return paragraphs(language, [line_text(line) for line in lines]).splitlines()


# ---------------------------------------------------------------------------- left out


def test_greedy_says_what_was_left_when_the_more_voted_items_turn_came() -> None:
    shown = menu()
    # light 4, gate 3, bench 1: the light (¥12,000) first leaves ¥28,000 for the gate.
    result = counted(shown, {LIGHT, GATE}, {LIGHT, GATE}, {LIGHT, GATE}, {LIGHT, BENCH})
    assert result.selected == (LIGHT, BENCH)
    assert left_out(shown, result) == (
        LeftOut(
            item_id=GATE, title="单元门禁", approvals=3, cost=30000, why=Why.BUDGET, left=28000
        ),
    )


def test_greedy_counts_only_what_was_chosen_before_the_items_turn() -> None:
    shown = menu(budget=25000)
    # gate 3 (too dear at once: ¥25,000 left), light 2 (taken), bench 1 (taken).
    result = counted(shown, {GATE, LIGHT}, {GATE, LIGHT}, {GATE, BENCH})
    assert result.selected == (LIGHT, BENCH)
    [gate] = left_out(shown, result)
    assert (gate.item_id, gate.why, gate.left, gate.cost) == (GATE, Why.BUDGET, 25000, 30000)


def test_equal_shares_says_the_supporters_shares_were_not_enough() -> None:
    shown = menu(SelectionRule.MES)
    # gate 2 votes, light 1, bench 1: three households share ¥40,000, and the gate's two hold
    # 2/3 of it, ¥26,666.67 < ¥30,000; the light and the bench are chosen.
    result = counted(shown, {LIGHT}, {GATE}, {GATE, BENCH})
    assert set(result.selected or ()) == {LIGHT, BENCH}
    [gate] = left_out(shown, result)
    assert (gate.item_id, gate.why, gate.approvals, gate.left) == (GATE, Why.SHARES, 2, 20000)


@pytest.mark.parametrize(
    ("shown", "ballots"),
    [
        (menu(budget=None), [{GATE}, {GATE}, {LIGHT}]),  # no budget: nothing chosen by rule
        (menu(budget=5000), [{GATE}, {LIGHT}]),  # nothing fits: nothing chosen
        (menu(), [{GATE, LIGHT}, {BENCH}]),  # everything voted for is chosen
        (menu(budget=12000), [{LIGHT}, {BENCH}]),  # equal votes: the bench is not "more voted"
    ],
)
def test_nothing_is_explained_without_a_more_voted_item_left_out(
    shown: Menu, ballots: list[set[int]]
) -> None:
    assert left_out(shown, counted(shown, *ballots)) == ()


@pytest.mark.parametrize(
    ("area", "words"),
    [
        (Fraction(250), "250"),
        (Fraction(50075, 200), "250.375"),
        (Decimal("1250.50"), "1,250.5"),
        (Decimal("0.05"), "0.05"),
        (Fraction(0), "0"),
        (Fraction(1, 3), "0.33"),  # not a decimal: never a sum of the roster's areas
    ],
)
def test_areas_are_said_exactly(area: Fraction | Decimal, words: str) -> None:
    assert square_metres(area) == words


# ---------------------------------------------------------------------------- the lines


def test_the_selection_names_the_budget_the_rule_and_each_reason_in_both_languages() -> None:
    greedy = menu()
    result = counted(greedy, {LIGHT, GATE}, {LIGHT, GATE}, {LIGHT, GATE}, {LIGHT, BENCH})
    assert words(ZH, selection(greedy, result)) == [
        "预算 ¥40,000，按“得票优先”选出 2 项（✅），共 ¥20,000。",
        "“得票优先”：按票数从高到低选，预算放得下就选。",
        "票数更多却没选上的项目：",
        "• 单元门禁（3 票）：预算不够：还剩 ¥28,000 不够 ¥30,000",
    ]
    english = words(EN, selection(greedy, result))
    assert (
        english[-1]
        == "• 单元门禁 (3 votes): not enough budget: ¥28,000 left is not enough for ¥30,000"
    )

    shares = menu(SelectionRule.MES)
    result = counted(shares, {LIGHT}, {GATE}, {GATE, BENCH})
    said_zh = words(ZH, selection(shares, result))
    assert said_zh[0] == "预算 ¥40,000，按“均等份额法”选出 2 项（✅），共 ¥20,000。"
    assert (
        said_zh[-1]
        == "• 单元门禁（2 票，¥30,000）：按平均分配预算的规则，支持它的住户分到的钱不够"
    )
    assert "equal-shares rule" in words(EN, selection(shares, result))[-1]

    no_budget = menu(budget=None)
    assert [line.key for line in selection(no_budget, counted(no_budget, {GATE}))] == [
        "vote.no_budget_note"
    ]


def test_turnout_reads_voted_registered_and_all_households() -> None:
    assert words(ZH, [turnout(5, 5, 8)]) == ["已投 5 户 / 已登记 5 户 / 共 8 户"]
    assert words(EN, [turnout(5, 5, 8)]) == ["5 voted / 5 registered / 8 households"]
    # Results frozen before a part was kept say what they know.
    assert words(ZH, [turnout(3, 5, None)]) == ["已投 3 户 / 已登记 5 户"]
    assert words(ZH, [turnout(3, None, 8)]) == ["已投 3 户 / 共 8 户"]
    assert words(EN, [turnout(3, None, None)]) == ["3 voted"]


def test_a_proposals_tallies_show_households_area_and_owners_as_the_law_counts_them() -> None:
    flats = [
        Flat(id=1, area=Decimal("60.50"), owner_key="li"),
        Flat(id=2, area=Decimal("40.25"), owner_key="li"),  # the same owner: counted once
        Flat(id=3, area=Decimal("80"), owner_key=""),
        Flat(id=4, area=Decimal("70"), owner_key=""),
    ]
    for kind in (RuleKind.UNANIMOUS, RuleKind.MAJOR):  # whichever dimensions the rule checks
        result = count(
            rule_for(kind), flats, {1: Answer.AGREE, 2: Answer.AGREE, 4: Answer.ABSTAIN}
        )
        assert words(ZH, tallies(result)) == [
            "全部：4 户 · 250.75㎡ · 业主 3 人",
            "已表态：3 户 · 170.75㎡ · 业主 2 人",
            "同意：2 户 · 100.75㎡ · 业主 1 人",
        ]
    assert words(EN, tallies(result))[1] == "Answered: 3 households · 170.75㎡ · 2 owners"
    frozen_before = result.model_copy(update={"every": ()})
    assert tallies(frozen_before) == []


def test_a_push_says_its_lines_after_its_main_text_in_the_readers_language() -> None:
    message = Outgoing(
        key="vote.menu_closed_push",
        params={"title": "<点单>"},
        lines=(turnout(1, 2, 3), Line(key="dialog.pre", params={"words": "█ 1 & 2"})),
    )
    assert pushed(ZH, message).splitlines() == [
        "🗳 <b>点单结束：&lt;点单&gt;</b>",
        "已投 1 户 / 已登记 2 户 / 共 3 户",
        "<pre>█ 1 &amp; 2</pre>",
    ]
    assert pushed(EN, message).splitlines()[1] == "1 voted / 2 registered / 3 households"
    shown = push_screen(message)
    assert [said(ZH, part) for part in shown.texts][1] == "已投 1 户 / 已登记 2 户 / 共 3 户"
    assert len(shown.texts) == 3


# ---------------------------------------------------------------------------- the chart


def test_the_charts_legend_names_chosen_and_not_chosen_in_the_readers_language() -> None:
    shown = menu()
    result = counted(shown, {LIGHT, GATE}, {LIGHT, BENCH})
    assert chart_legend(ZH, result) == ("选中", "没选中")
    assert chart_legend(EN, result) == ("chosen", "not chosen")
    figure = menu_figure(
        shown, result, title="改造点单", axis="户数", legend=chart_legend(ZH, result)
    )
    [axes] = figure.axes
    assert [text.get_text() for text in axes.get_legend().get_texts()] == ["选中", "没选中"]

    no_budget = menu(budget=None)
    unranked = counted(no_budget, {LIGHT})
    assert chart_legend(ZH, unranked) is None  # nothing chosen by rule: one colour, no legend
    figure = menu_figure(no_budget, unranked, title="改造点单", axis="户数", legend=None)
    assert figure.axes[0].get_legend() is None
