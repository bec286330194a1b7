"""The roster a community keeps in a spreadsheet: parsed, checked and compared, purely."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.domain.models import Frozen, HouseholdFlags
from bot.domain.phones import normalize_phone
from bot.domain.roster_columns import AMBIGUOUS, BLANK, NO, REQUIRED, YES, map_header

MIN_FLOOR, MAX_FLOOR = -5, 200  # as floor coefficients allow
MAX_NAME = 50
_FLOOR = re.compile(r"(-?[0-9]+)(?:\.0+)?(?:楼|层|f)?")  # after _plain: "3", "3.0", "3楼", "3f"
_AREA_UNIT = re.compile(r"(?:m2|平方米|平米)$")  # after _plain, "㎡" and "m²" are "m2"


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 302.0 from a spreadsheet is room "302"
    return str(value).strip()


def _optional(value: Any) -> str:
    """An optional cell's text; "" when it is empty or says so ("—", "/", "无")."""
    text = _text(value)
    return "" if unicodedata.normalize("NFKC", text) in BLANK else text


def _plain(text: str) -> str:
    """Half-width, lower case, no spaces: "３ 楼" → "3楼", "65.5 ㎡" → "65.5m2"."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).casefold()


def parse_floor(value: Any) -> int | None:
    """A floor: 3, 3.0 (as Excel keeps numbers), 3楼, 3层, 3F, -1 (a basement); None if blank."""
    text = _optional(value)
    if not text:
        return None
    match = _FLOOR.fullmatch(_plain(text))
    if match is None:
        raise ValueError(f"floor {text!r} is not a whole number")
    floor = int(match[1])
    if floor == 0 or not MIN_FLOOR <= floor <= MAX_FLOOR:
        raise ValueError(
            f"floor {text!r} is not 1 to {MAX_FLOOR}, or -1 to {MIN_FLOOR} underground"
        )
    return floor


def parse_area(value: Any) -> Decimal:
    """Square metres with at most two decimals: 65.5, "65.5㎡", "65.5平方米"; 0 if blank."""
    text = _optional(value)
    try:
        area = Decimal(_AREA_UNIT.sub("", _plain(text))) if text else Decimal(0)
    except InvalidOperation:
        raise ValueError(f"area {text!r} is not a number") from None
    if not area.is_finite() or area < 0 or area != area.quantize(Decimal("0.01")):
        raise ValueError(f"area {text!r} must be ≥ 0 with at most two decimals")
    return area.quantize(Decimal("0.01"))


def parse_flag(value: Any, name: str) -> bool:
    """Yes or no as people mark it: 是/否, 有/无, Y/N, yes/no, 1/0, √/✓, blank for no."""
    text = _optional(value)
    plain = _plain(text)
    if plain in YES:
        return True
    if plain in NO or not plain:
        return False
    if plain in AMBIGUOUS:
        raise ValueError(f"{name} {text!r} could be a tick or a cross: write 是 or 否")
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
    phone_text = _optional(cell("phone"))
    phone = normalize_phone(unicodedata.normalize("NFKC", phone_text))
    if phone_text and phone is None:
        raise ValueError("phone is not a phone number")
    return RosterRow(
        row=number,
        **values,
        floor=parse_floor(cell("floor")),
        area=parse_area(cell("area")),
        owner_name=_optional(cell("owner_name"))[:MAX_NAME],
        owner_key=_optional(cell("owner_key"))[:MAX_NAME],
        phone=phone,
        flags=HouseholdFlags(
            lives_alone=parse_flag(cell("lives_alone"), "lives_alone"),
            elderly=parse_flag(cell("elderly"), "elderly"),
            disabled=parse_flag(cell("disabled"), "disabled"),
        ),
    )


def parse_rows(
    header: Sequence[Any], rows: Iterable[tuple[int, Sequence[Any]]]
) -> tuple[list[RosterRow], list[RosterProblem]]:
    """Every data row parsed; problems name the spreadsheet row (the header is row 1)."""
    positions, header_problems = map_header(header)
    if header_problems:
        return [], [RosterProblem(1, reason) for reason in header_problems]
    problems: list[RosterProblem] = []
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
