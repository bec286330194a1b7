"""The roster a community keeps in a spreadsheet: parsed, checked and compared, purely."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.domain.models import Frozen, HouseholdFlags
from bot.domain.phones import normalize_phone

# Canonical column → the headers that name it (compared without spaces, case and units).
HEADERS: dict[str, tuple[str, ...]] = {
    "compound": ("小区", "小区名称", "compound"),
    "building": ("楼栋", "楼号", "楼", "building"),
    "unit": ("单元", "unit", "entrance"),
    "room": ("房号", "房间号", "门牌号", "室", "room", "flat"),
    "floor": ("楼层", "层", "floor"),
    "area": ("面积", "建筑面积", "专有面积", "专有部分面积", "area"),
    "owner_name": ("业主", "业主姓名", "户主", "owner", "ownername", "owner_name"),
    "owner_key": ("业主编号", "产权证号", "ownerkey", "owner_key"),
    "phone": ("电话", "手机", "手机号", "联系电话", "phone", "mobile"),
    "lives_alone": ("独居", "livesalone", "lives_alone"),
    "elderly": ("老人", "高龄", "老年人", "elderly"),
    "disabled": ("残疾", "残疾人", "disabled"),
}
REQUIRED = ("compound", "building", "unit", "room")
YES = {"是", "y", "yes", "true", "1", "√", "✓", "x"}
NO = {"否", "n", "no", "false", "0", ""}
MAX_NAME = 50


def _normal(header: Any) -> str:
    text = str(header or "").strip().lower()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # "面积(m²)" → "面积"
    return re.sub(r"[\s_\-]", "", text)


_LOOKUP = {_normal(name): column for column, names in HEADERS.items() for name in names}


class RosterRow(Frozen):
    """One household as the roster describes it."""

    row: int
    compound: str
    building: str
    unit: str
    room: str
    floor: int | None = None
    area: Decimal = Decimal("0.00")
    owner_name: str = ""
    owner_key: str = ""
    phone: str | None = None
    flags: HouseholdFlags = HouseholdFlags()

    @property
    def key(self) -> tuple[str, str, str, str]:
        """How a household is recognised across imports."""
        return (self.compound, self.building, self.unit, self.room)


@dataclass(frozen=True)
class RosterProblem:
    """Why a row (or the file) cannot be imported."""

    row: int  # 0: the file as a whole
    reason: str


def map_header(header: Sequence[Any]) -> tuple[dict[str, int], list[RosterProblem]]:
    """Column positions by canonical name, and problems with the header."""
    positions: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        if cell is None or str(cell).strip() == "":
            continue
        column = _LOOKUP.get(_normal(cell))
        if column is None:
            problems.append(RosterProblem(1, f"unknown column {str(cell).strip()!r}"))
        elif column in positions:
            problems.append(RosterProblem(1, f"column {str(cell).strip()!r} appears twice"))
        else:
            positions[column] = index
    for column in REQUIRED:
        if column not in positions:
            names = "/".join((*HEADERS[column][:1], column))
            problems.append(RosterProblem(1, f"missing column {names}"))
    return positions, problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 302.0 from a spreadsheet is room "302"
    return str(value).strip()


def _flag(value: Any, name: str) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"{name} {text!r} is not yes/no (是/否)")


def parse_row(number: int, cells: Sequence[Any], positions: dict[str, int]) -> RosterRow:
    """One data row as a RosterRow, or ValueError with the reason."""

    def cell(column: str) -> Any:
        index = positions.get(column)
        return cells[index] if index is not None and index < len(cells) else None

    values = {column: _text(cell(column)) for column in REQUIRED}
    for column in REQUIRED:
        if not values[column]:
            raise ValueError(f"{column} is missing")
        if len(values[column]) > MAX_NAME:
            raise ValueError(f"{column} is longer than {MAX_NAME} characters")
    floor_text = _text(cell("floor"))
    try:
        floor = int(Decimal(floor_text)) if floor_text else None
    except InvalidOperation:
        raise ValueError(f"floor {floor_text!r} is not a number") from None
    area_text = _text(cell("area")).removesuffix("㎡").removesuffix("m²").strip()
    try:
        area = Decimal(area_text) if area_text else Decimal(0)
    except InvalidOperation:
        raise ValueError(f"area {area_text!r} is not a number") from None
    if not area.is_finite() or area < 0 or area != area.quantize(Decimal("0.01")):
        raise ValueError(f"area {area_text!r} must be ≥ 0 with at most two decimals")
    phone_text = _text(cell("phone"))
    phone = normalize_phone(phone_text)
    if phone_text and phone is None:
        raise ValueError("phone is not a phone number")
    return RosterRow(
        row=number,
        **values,
        floor=floor,
        area=area.quantize(Decimal("0.01")),
        owner_name=_text(cell("owner_name"))[:MAX_NAME],
        owner_key=_text(cell("owner_key"))[:MAX_NAME],
        phone=phone,
        flags=HouseholdFlags(
            lives_alone=_flag(cell("lives_alone"), "lives_alone"),
            elderly=_flag(cell("elderly"), "elderly"),
            disabled=_flag(cell("disabled"), "disabled"),
        ),
    )


def parse_rows(
    header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]]
) -> tuple[list[RosterRow], list[RosterProblem]]:
    """Every data row parsed; problems name the spreadsheet row (the header is row 1)."""
    positions, problems = map_header(header)
    if problems:
        return [], problems
    parsed: list[RosterRow] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, cells in rows:
        if all(_text(value) == "" for value in cells):
            continue  # blank lines between blocks are common
        try:
            row = parse_row(number, cells, positions)
        except ValueError as error:
            problems.append(RosterProblem(number, str(error)))
            continue
        if row.key in seen:
            problems.append(
                RosterProblem(
                    number, f"duplicate room {' '.join(row.key)} (also row {seen[row.key]})"
                )
            )
            continue
        seen[row.key] = number
        parsed.append(row)
    if not parsed and not problems:
        problems.append(RosterProblem(0, "no households in the file"))
    return parsed, problems


class ExistingHousehold(Frozen):
    """A household already in the database, as the roster would describe it."""

    id: int
    compound: str
    building: str
    unit: str
    room: str
    floor: int | None
    area: Decimal
    owner_name: str
    owner_key: str
    phone: str | None
    flags: HouseholdFlags

    @property
    def key(self) -> tuple[str, str, str, str]:
        """How a household is recognised across imports."""
        return (self.compound, self.building, self.unit, self.room)


FIELDS = ("floor", "area", "owner_name", "owner_key", "phone", "flags")


@dataclass
class RosterPlan:
    """What an import would change."""

    added: list[RosterRow] = field(default_factory=list)
    updated: list[tuple[int, RosterRow, tuple[str, ...]]] = field(default_factory=list)
    unchanged: int = 0
    absent: int = 0  # in the database, not in the file: kept
    new_buildings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changes(self) -> int:
        """How many households would be written."""
        return len(self.added) + len(self.updated)


def plan_changes(existing: Iterable[ExistingHousehold], rows: Sequence[RosterRow]) -> RosterPlan:
    """Compare the file with the database: add new households, update changed ones."""
    by_key = {household.key: household for household in existing}
    known_buildings = {(h.compound, h.building) for h in by_key.values()}
    plan = RosterPlan()
    for row in rows:
        current = by_key.pop(row.key, None)
        if current is None:
            plan.added.append(row)
            building = (row.compound, row.building)
            if building not in known_buildings and building not in plan.new_buildings:
                plan.new_buildings.append(building)
            continue
        changed = tuple(name for name in FIELDS if getattr(current, name) != getattr(row, name))
        if changed:
            plan.updated.append((current.id, row, changed))
        else:
            plan.unchanged += 1
    plan.absent = len(by_key)
    return plan
