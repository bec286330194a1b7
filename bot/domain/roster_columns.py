"""The roster's columns and the header names people give them, in Chinese and in English.

One table serves the parser (which header is which column) and `import-roster --help` (which
names are accepted), so the two cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Yes/no cells, compared after roster._plain (so "Y" and "Ｙ" are "y"); in this order in --help.
YES = ("是", "有", "对", "√", "✓", "✔", "☑", "y", "yes", "true", "1")
NO = ("否", "n", "no", "false", "0")
AMBIGUOUS = ("x", "×", "✗", "✘")  # a tick or a cross? ask rather than guess
BLANK = ("—", "——", "-", "--", "/", "无", "空")  # an empty cell, said in words


@dataclass(frozen=True)
class RosterColumn:
    """One column of the roster: its field, the header names that mean it, what it holds."""

    key: str  # the field of RosterRow it fills
    headers: tuple[str, ...]  # Chinese first, then English; shown in --help in this order
    holds: str  # what a cell holds, for --help
    required: bool = False


COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn(
        "compound",
        ("小区", "小区名称", "小区名", "所属小区", "compound", "estate"),
        "the compound's name, e.g. 幸福里小区",
        required=True,
    ),
    RosterColumn(
        "building",
        ("楼栋", "楼号", "楼栋号", "楼", "栋", "栋号", "幢", "幢号", "building", "bldg", "block"),
        "the building as residents say it, e.g. 3号楼",
        required=True,
    ),
    RosterColumn(
        "unit",
        ("单元", "单元号", "unit", "unit_no", "entrance"),
        "the unit (entrance), e.g. 2单元",
        required=True,
    ),
    RosterColumn(
        "room",
        (
            "房号",
            "房间号",
            "室",
            "室号",
            "户号",
            "户室号",
            "门牌号",
            "门牌",
            "room",
            "room_no",
            "flat",
            "apartment",
            "apt",
        ),
        "the room, e.g. 302",
        required=True,
    ),
    RosterColumn(
        "floor",
        ("楼层", "层", "所在楼层", "floor", "level", "storey"),
        "a whole number: 3, 3.0, 3楼, 3层, 3F; -1 to -5 underground; no 0",
    ),
    RosterColumn(
        "area",
        (
            "面积",
            "专有面积",
            "专有部分面积",
            "建筑面积",
            "套内面积",
            "房屋面积",
            "住房面积",
            "产权面积",
            "area",
            "area_m2",
            "floor_area",
            "exclusive_area",
        ),
        "m², two decimals at most: 65.5, 65.5㎡; blank is 0 (no weight in votes)",
    ),
    RosterColumn(
        "owner_name",
        (
            "业主",
            "业主姓名",
            "户主",
            "户主姓名",
            "房主",
            "产权人",
            "姓名",
            "owner",
            "owner_name",
            "name",
        ),
        "the owner's name",
    ),
    RosterColumn(
        "owner_key",
        ("业主编号", "业主号", "产权证号", "owner_key", "owner_id"),
        "the same key on every room one owner holds (counted once in votes)",
    ),
    RosterColumn(
        "phone",
        (
            "电话",
            "手机",
            "手机号",
            "手机号码",
            "电话号码",
            "联系电话",
            "联系方式",
            "业主电话",
            "phone",
            "mobile",
            "tel",
            "telephone",
        ),
        "a phone number: 13800000001, 138-0000-0001, +86 138 0000 0001",
    ),
    RosterColumn(
        "lives_alone",
        ("独居", "是否独居", "lives_alone", "living_alone", "alone"),
        "yes or no (below)",
    ),
    RosterColumn(
        "elderly",
        ("老人", "老年人", "高龄", "高龄老人", "是否老人", "是否高龄", "elderly", "senior"),
        "yes or no (below)",
    ),
    RosterColumn(
        "disabled",
        ("残疾", "残疾人", "残障", "是否残疾", "disabled", "disability"),
        "yes or no (below)",
    ),
)
IGNORED: tuple[str, ...] = ("序号", "备注", "No.", "remarks", "notes")  # read past, not imported
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
BY_KEY = {column.key: column for column in COLUMNS}

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")  # "面积(㎡)", "独居(是/否)"
_NOISE = re.compile(r"[\s_\-.:*·]")  # spaces, "area_m2", "Room No.", "电话：", "*小区"
_UNIT = re.compile(r"(?:m2|sqm|平方米|平米)$")  # "area_m2", "面积㎡" (after NFKC: "m2")
_SEPARATORS = re.compile(r"[/、]")  # "电话/手机"


def header_names(header: Any) -> list[str]:
    """A header cell as the names it is compared by: case, width, spaces and units gone.

    NFKC turns full-width "（）" into "()" and "㎡", "m²" into "m2"; "电话/手机" is two names.
    """
    text = unicodedata.normalize("NFKC", str(header or "")).casefold()
    text = _BRACKETED.sub("", text)
    names = (_UNIT.sub("", _NOISE.sub("", part)) for part in _SEPARATORS.split(text))
    return [name for name in names if name]


def _lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    named = [(column.key, column.headers) for column in COLUMNS] + [("", IGNORED)]
    for key, headers in named:
        for header in headers:
            [name] = header_names(header)
            if found.setdefault(name, key) != key:
                raise AssertionError(f"header {header!r} names two columns")
    return found


_LOOKUP = _lookup()  # normalised name → column key ("" for an ignored column)


def header_key(header: Any) -> str | None:
    """The column key a header names, "" for an ignored column, None for none (or several)."""
    keys = {_LOOKUP.get(name) for name in header_names(header)}
    return keys.pop() if len(keys) == 1 else None


def map_header(header: Sequence[Any]) -> tuple[dict[str, int], list[str]]:
    """Column positions by key, and what is wrong with the header (unknown, twice, missing)."""
    positions: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        if cell is None or str(cell).strip() == "":
            continue
        name = str(cell).strip()
        key = header_key(cell)
        if key is None:
            problems.append(f"unknown column {name!r}")
        elif key in positions:
            first = str(header[positions[key]]).strip()
            problems.append(f"columns {first!r} and {name!r} both name the {key} column")
        elif key:
            positions[key] = index
    for key in REQUIRED:
        if key not in positions:
            problems.append(f"missing column {BY_KEY[key].headers[0]}/{key}")
    return positions, problems
