"""Parsing and planning a roster, with no database."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bot.domain.models import HouseholdFlags
from bot.domain.roster import (
    ExistingHousehold,
    parse_area,
    parse_flag,
    parse_floor,
    parse_rows,
    plan_changes,
)
from bot.domain.roster_columns import COLUMNS, IGNORED, header_key, header_names

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
        (
            ["幸福里小区", "1号楼", "1单元", "101", "三楼", ""],
            "floor '三楼' is not a whole number",
        ),
        (["幸福里小区", "1号楼", "1单元", "101", "3.5", ""], "floor '3.5' is not a whole number"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "", "", "abc"], "phone is not a phone"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "", "", "", "maybe"], "lives_alone 'maybe'"),
        (["幸福里小区", "1号楼", "1单元", "101", "", "", "", "", "", "x"], "a tick or a cross"),
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


def test_every_name_in_the_table_finds_its_column() -> None:
    for column in COLUMNS:
        for name in column.headers:
            assert header_key(name) == column.key, name
            assert header_key(f" {name.upper()} ") == column.key, name
    assert all(header_key(name) == "" for name in IGNORED)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("area_m2", "area"),
        ("Area (m2)", "area"),
        ("AREA_M2", "area"),
        ("面积(㎡)", "area"),
        ("面积（m²）", "area"),
        ("面积（㎡）", "area"),
        ("面积㎡", "area"),
        ("面积/㎡", "area"),
        ("建筑面积（平方米）", "area"),
        ("专有部分面积[m2]", "area"),
        ("Floor Area (sq m)", "area"),
        ("＊小区", "compound"),
        ("小区*", "compound"),
        ("Room No.", "room"),
        ("门牌号 ", "room"),
        ("联系电话：", "phone"),
        ("电话/手机", "phone"),
        ("手机号码（业主）", "phone"),
        ("ＰＨＯＮＥ", "phone"),
        ("Lives alone", "lives_alone"),
        ("独居(是/否)", "lives_alone"),
        ("老人【60岁以上】", "elderly"),
        ("是否高龄", "elderly"),
        ("Owner-Key", "owner_key"),
        ("序号", ""),
        ("No.", ""),
        ("颜色", None),
        ("身份证号", None),  # not imported: the import refuses rather than drop it in silence
        ("电话/面积", None),  # two columns in one header
        ("电话/颜色", None),
    ],
)
def test_header_spellings_people_use(header: str, key: str | None) -> None:
    assert header_key(header) == key


def test_header_names_are_half_width_lower_case_without_units() -> None:
    assert header_names("Area (m²)") == ["area"]
    assert header_names("面积／㎡") == ["面积"]
    assert header_names("电话、手机") == ["电话", "手机"]


def test_english_roster_as_an_export_names_it() -> None:
    header = [
        "compound",
        "building",
        "unit",
        "room",
        "floor",
        "area_m2",
        "owner_name",
        "owner_key",
        "phone",
        "lives_alone",
        "elderly",
        "disabled",
    ]
    [row], problems = parse_rows(
        header,
        rows(
            ["光明新村", "5号楼", "2单元", "301", "3", "80.25", "张某", "K1", "", "Y", "no", "N"]
        ),
    )
    assert problems == []
    assert (row.floor, row.area, row.owner_name, row.owner_key) == (
        3,
        Decimal("80.25"),
        "张某",
        "K1",
    )
    assert row.flags == HouseholdFlags(lives_alone=True)


def test_two_headers_for_one_column_are_refused() -> None:
    parsed, problems = parse_rows(
        ["小区", "楼栋", "单元", "房号", "面积", "建筑面积(㎡)", "手机", "联系电话"],
        rows(["幸福里小区", "1号楼", "1单元", "101", "60", "65", "", ""]),
    )
    assert parsed == []
    assert [(p.row, p.reason) for p in problems] == [
        (1, "columns '面积' and '建筑面积(㎡)' both name the area column"),
        (1, "columns '手机' and '联系电话' both name the phone column"),
    ]


def test_numbering_and_remarks_columns_are_read_past() -> None:
    [row], problems = parse_rows(
        ["序号", "小区", "楼栋", "单元", "房号", "备注"],
        rows([1, "幸福里小区", "1号楼", "1单元", "101", "子女在外地"]),
    )
    assert problems == []
    assert row.key == ("幸福里小区", "1号楼", "1单元", "101")


@pytest.mark.parametrize(
    ("cell", "floor"),
    [
        (3, 3),
        (3.0, 3),  # an Excel number cell
        ("3", 3),
        ("3.0", 3),
        (" 3 ", 3),
        ("3楼", 3),
        ("3层", 3),
        ("3F", 3),
        ("３", 3),
        ("18", 18),
        ("-1", -1),
        ("-1层", -1),
        (None, None),
        ("", None),
        ("—", None),
        ("/", None),
        ("无", None),
    ],
)
def test_floors_as_people_write_them(cell: object, floor: int | None) -> None:
    assert parse_floor(cell) == floor


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("3.5", "floor '3.5' is not a whole number"),
        (3.5, "floor '3.5' is not a whole number"),
        ("abc", "floor 'abc' is not a whole number"),
        ("三楼", "floor '三楼' is not a whole number"),
        ("3-4", "floor '3-4' is not a whole number"),
        ("--3", "floor '--3' is not a whole number"),
        ("0", "floor '0' is not 1 to 200, or -1 to -5 underground"),
        ("-6", "floor '-6' is not 1 to 200, or -1 to -5 underground"),
        (201, "floor '201' is not 1 to 200, or -1 to -5 underground"),
    ],
)
def test_floors_that_are_not_floors_are_refused(cell: object, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(reason)}$"):
        parse_floor(cell)


def test_a_floor_of_3_5_is_refused_with_its_row_and_nothing_is_parsed_from_it() -> None:
    parsed, problems = parse_rows(
        HEADER,
        rows(
            ["幸福里小区", "1号楼", "1单元", "101", 1],
            ["幸福里小区", "1号楼", "1单元", "301", 3.5],
            ["幸福里小区", "1号楼", "1单元", "302", "3.5"],
        ),
    )
    assert [row.room for row in parsed] == ["101"]
    assert [(p.row, p.reason) for p in problems] == [
        (3, "floor '3.5' is not a whole number"),
        (4, "floor '3.5' is not a whole number"),
    ]


@pytest.mark.parametrize(
    ("cell", "area"),
    [
        (65.5, "65.50"),
        ("65.5", "65.50"),
        ("65.5㎡", "65.50"),
        ("65.5 m²", "65.50"),
        ("65.5平方米", "65.50"),
        ("６５.５", "65.50"),
        ("", "0.00"),
        ("—", "0.00"),
    ],
)
def test_areas_with_and_without_units(cell: object, area: str) -> None:
    assert parse_area(cell) == Decimal(area)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        *[(yes, True) for yes in ("是", "有", "对", "Y", "y", "Yes", "TRUE", "1", 1, True)],
        *[(yes, True) for yes in ("√", "✓", "✔", "☑", "Ｙ")],
        *[(no, False) for no in ("否", "无", "N", "no", "False", "0", 0, False, "空", "", None)],
        *[(no, False) for no in ("-", "—", "/")],
    ],
)
def test_yes_and_no_as_people_mark_them(cell: object, value: bool) -> None:
    assert parse_flag(cell, "elderly") is value


@pytest.mark.parametrize("cell", ["x", "X", "×", "✗"])
def test_a_cross_is_refused_rather_than_guessed(cell: str) -> None:
    with pytest.raises(ValueError, match="a tick or a cross"):
        parse_flag(cell, "elderly")


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
