"""The words of the vote cards as core texts: amounts, thresholds, the "and" between needs and
the flags of the door-to-door list, in both languages."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from bot.domain.consent import Dimension
from bot.domain.models import Language
from bot.domain.votes import RosterRow
from bot.features.vote_texts import amount, household_label, joined, missing_texts, threshold
from bot.interaction.screen import text
from bot.interaction.words import paragraphs, said

ZH, EN = Language.ZH, Language.EN


def row(room: str, **flags: bool) -> RosterRow:
    base = {"lives_alone": False, "elderly": False, "disabled": False, "registered": True}
    return RosterRow(
        household_id=1, building_id=1, compound="幸福里小区", building="1号楼", unit="1单元",
        room=room, floor=1, area=Decimal("62.50"), owner_key="", **{**base, **flags},
    )  # fmt: skip


def test_amounts_are_whole_numbers_or_square_metres() -> None:
    assert amount(Fraction(170), Dimension.AREA) == "170㎡"
    assert amount(Decimal("1234.5"), Dimension.AREA) == "1,234.5㎡"
    assert amount(Fraction(2), Dimension.OWNERS) == "2"
    assert amount(Fraction(7, 3), Dimension.HOUSEHOLDS) == "2.33"


def test_a_threshold_of_one_reads_all_and_others_as_shares() -> None:
    assert threshold(Fraction(2, 3), strict=False) == "≥2/3"
    assert threshold(Fraction(1, 2), strict=True) == ">1/2"
    everyone = threshold(Fraction(1), strict=False)
    assert not isinstance(everyone, str)
    assert said(ZH, everyone) == "全部"
    assert said(EN, everyone) == "all"


def test_needs_are_joined_by_the_languages_and() -> None:
    needs = [
        text("vote.need_owners", amount="1"),
        text("vote.need_households", amount="2"),
        text("vote.need_area", amount="30㎡"),
    ]
    assert said(ZH, joined(needs)) == "1 位业主同意和2 户同意和30㎡ 同意面积"
    assert said(EN, joined(needs[:1])) == said(EN, needs[0])
    assert " and " in said(EN, joined(needs))


def test_the_door_to_door_list_names_each_household_with_its_flags() -> None:
    rows = [row("101", elderly=True, registered=False), row("102"), row("201", lives_alone=True)]
    page = paragraphs(ZH, missing_texts(rows, total=31, page=1, pages=2)).splitlines()
    assert "第 2/2 页" in page[0]
    assert "31 户" in page[0]
    assert page[1] == "• 幸福里小区 1号楼 1单元 101　62.5㎡　老人 · 未登记"
    assert page[2] == "• 幸福里小区 1号楼 1单元 102　62.5㎡　"
    assert page[3].endswith("独居")
    assert household_label(rows[0]) == "幸福里小区 1号楼 1单元 101"
