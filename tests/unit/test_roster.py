"""Parsing and planning a roster, with no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.models import HouseholdFlags
from bot.domain.roster import ExistingHousehold, parse_rows, plan_changes

HEADER = [
    "小区",
    "楼栋",
    "单元",
    "房号",
    "楼层",
    "面积(m²)",
    "业主",
    "电话",
    "独居",
    "老人",
    "残疾",
]


def rows(*cells: list[object]) -> list[tuple[int, list[object]]]:
    """Data rows numbered as a spreadsheet shows them (the header is row 1)."""
    return [(number, list(row)) for number, row in enumerate(cells, start=2)]


def test_chinese_headers_numbers_and_flags() -> None:
    parsed, problems = parse_rows(
        HEADER,
        rows(
            [
                "幸福里小区",
                "1号楼",
                "1单元",
                302,
                3.0,
                65.5,
                "王某",
                "138-0000-0001",
                "是",
                "",
                "否",
            ],
            ["幸福里小区", "1号楼", "1单元", "301", "", "", "", "", "", "1", "y"],
        ),
    )
    assert problems == []
    first, second = parsed
    assert first.key == ("幸福里小区", "1号楼", "1单元", "302")
    assert (first.floor, first.area, first.phone) == (3, Decimal("65.50"), "13800000001")
    assert first.flags == HouseholdFlags(lives_alone=True)
    assert (second.floor, second.area, second.phone) == (None, Decimal("0.00"), None)
    assert second.flags == HouseholdFlags(elderly=True, disabled=True)


def test_english_headers_in_any_case_and_order() -> None:
    header = ["Room", "Unit", "Building", "Compound", "Area", "Elderly"]
    [row], problems = parse_rows(header, rows(["101", "1单元", "2号楼", "光明新村", "50", "no"]))
    assert problems == []
    assert row.key == ("光明新村", "2号楼", "1单元", "101")


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["幸福里小区", "1号楼", "1单元", "", "", ""], "room is missing"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "六十"], "area '六十' is not a number"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "-3"], "area '-3' must be ≥ 0"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "60.123"], "at most two decimals"),
        (["幸福里小区", "1号楼", "1单元", "101", "三楼", ""], "floor '三楼' is not a number"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "", "", "abc"], "phone is not a phone"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "", "", "", "maybe"], "lives_alone 'maybe'"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_number(
    cells: list[object], reason: str
) -> None:
    _parsed, problems = parse_rows(
        HEADER, rows(["幸福里小区", "1号楼", "1单元", "999", "", ""], cells)
    )
    [problem] = problems
    assert problem.row == 3
    assert reason in problem.reason


def test_duplicate_rooms_name_both_rows() -> None:
    _, problems = parse_rows(
        HEADER,
        rows(
            ["幸福里小区", "1号楼", "1单元", "101"],
            ["幸福里小区", "1号楼", "2单元", "101"],
            ["幸福里小区", "1号楼", "1单元", 101],
        ),
    )
    [problem] = problems
    assert (problem.row, problem.reason) == (
        4,
        "duplicate room 幸福里小区 1号楼 1单元 101 (also row 2)",
    )


def test_header_problems_stop_before_rows() -> None:
    parsed, problems = parse_rows(["小区", "楼栋", "房号", "颜色"], rows(["a", "b", "c", "d"]))
    assert parsed == []
    assert [p.reason for p in problems] == ["unknown column '颜色'", "missing column 单元/unit"]


def test_an_empty_file_and_blank_lines() -> None:
    assert parse_rows(HEADER, rows(["", "", ""]))[1][0].reason == "no households in the file"


def existing(room: str, **changes: object) -> ExistingHousehold:
    """A household already stored."""
    values = {
        "id": int(room),
        "compound": "幸福里小区",
        "building": "1号楼",
        "unit": "1单元",
        "room": room,
        "floor": 1,
        "area": Decimal("60.00"),
        "owner_name": "",
        "owner_key": "",
        "phone": None,
        "flags": HouseholdFlags(),
    }
    return ExistingHousehold(**{**values, **changes})


def test_plan_adds_updates_and_keeps() -> None:
    parsed, _ = parse_rows(
        HEADER,
        rows(
            ["幸福里小区", "1号楼", "1单元", "101", 1, "60"],
            ["幸福里小区", "1号楼", "1单元", "102", 1, "61"],
            ["幸福里小区", "9号楼", "1单元", "101", 1, "60"],
        ),
    )
    plan = plan_changes([existing("101"), existing("102"), existing("103")], parsed)
    assert [row.key[1:] for row in plan.added] == [("9号楼", "1单元", "101")]
    assert [(hid, fields) for hid, _, fields in plan.updated] == [(102, ("area",))]
    assert (plan.unchanged, plan.absent) == (1, 1)
    assert plan.new_buildings == [("幸福里小区", "9号楼")]
