"""A renovation menu from a file, for `shangliang menu create FILE`: TOML or XLSX.

TOML (see examples/menu.toml)::

    title = "幸福里小区改造点单"
    compounds = ["幸福里小区"]            # or buildings = ["幸福里小区/1号楼"],
                                          # or units = ["幸福里小区/1号楼/1单元"]
    opens = "now"                         # or a community time: "2027-03-01 08:00"
    duration = "14 days"                  # or closes = "2027-03-15 20:00"; "36 hours",
                                          # "2 weeks", "14天", "36小时", "2周" read too
    max_picks = 3
    budget = 300000                       # yuan, optional
    rule = "mes"                          # or "greedy" (the default)
    live = true                           # results while voting is open

    [[items]]
    title = "楼道声控灯"
    cost = 12000
    description = "每层一盏"

XLSX: a sheet "menu" with the same keys in column A and values in column B (scope lists
separated by "、" or ","), and a sheet "items" with the header title/标题, cost/费用,
description/说明. Every problem is reported with where it is; nothing is created then.

A file names `closes` or `duration`, not both; a closing time that has already passed is
refused as such, so a file kept for years (like examples/menu.toml, which opens "now" and
lasts two weeks) stays usable.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from bot.domain.scope import ScopeKind
from bot.domain.votes import MenuItemDraft, SelectionRule

KEYS = {"title", "compounds", "buildings", "units", "opens", "closes", "duration"}
OPTIONAL = {"max_picks", "budget", "rule", "live", "items"}
DURATION = re.compile(r"^\s*(\d+)\s*(\D*?)\s*$")
DURATION_UNITS = {
    **dict.fromkeys(("", "d", "day", "days", "天"), "days"),  # a bare number counts days
    **dict.fromkeys(("h", "hour", "hours", "小时"), "hours"),
    **dict.fromkeys(("w", "week", "weeks", "周", "星期"), "weeks"),
}
HEADERS = {
    "title": "title",
    "标题": "title",
    "名称": "title",
    "cost": "cost",
    "费用": "cost",
    "description": "description",
    "说明": "description",
}


class MenuFileError(Exception):
    """The file cannot become a menu; `lines` say where and why."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


@dataclass
class MenuSpec:
    """A menu as the file gives it: places by name, times in community time."""

    title: str
    scope_kind: ScopeKind
    places: list[str]
    opens_at: datetime | None  # None: now
    closes_at: datetime
    items: list[MenuItemDraft] = field(default_factory=list)
    max_picks: int = 1
    budget: int | None = None
    rule: SelectionRule = SelectionRule.GREEDY
    live: bool = True


def read_menu_file(path: Path, timezone: str, now: datetime) -> MenuSpec:
    """Read and check a .toml or .xlsx menu file; `now` decides what is already past."""
    if not path.is_file():
        raise MenuFileError(["file not found"])
    suffix = path.suffix.lower()
    if suffix == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise MenuFileError([f"not valid TOML: {error}"]) from None
    elif suffix in {".xlsx", ".xlsm"}:
        data = _read_xlsx(path)
    else:
        raise MenuFileError([f"unsupported file type {suffix or '(none)'!r}: use .toml or .xlsx"])
    return parse_menu(data, timezone, now)


def _read_xlsx(path: Path) -> dict[str, Any]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise MenuFileError([f"not a readable XLSX workbook ({type(error).__name__})"]) from None
    try:
        names = {sheet.title.lower(): sheet for sheet in book.worksheets}
        if "menu" not in names or "items" not in names:
            raise MenuFileError(['the workbook needs the sheets "menu" and "items"'])
        data: dict[str, Any] = {}
        for row in names["menu"].iter_rows(values_only=True):
            if row and row[0] is not None:
                key = str(row[0]).strip()
                value: Any = row[1] if len(row) > 1 else None
                if key in ("compounds", "buildings", "units") and value is not None:
                    value = [
                        p.strip() for p in str(value).replace("、", ",").split(",") if p.strip()
                    ]
                data[key] = value
        rows = list(names["items"].iter_rows(values_only=True))
        if not rows:
            raise MenuFileError(['the sheet "items" is empty'])
        header = [HEADERS.get(str(cell).strip().lower() if cell else "", "") for cell in rows[0]]
        if "title" not in header or "cost" not in header:
            raise MenuFileError(['the sheet "items" needs the columns title/标题 and cost/费用'])
        data["items"] = [
            {
                name: cell
                for name, cell in zip(header, row, strict=False)
                if name and cell is not None
            }
            for row in rows[1:]
            if any(cell is not None for cell in row)
        ]
        return data
    finally:
        book.close()


def _when(value: Any, timezone: str, key: str, problems: list[str]) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip()
        if key == "opens" and text.lower() in ("now", "现在"):
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            problems.append(f"{key}: {text!r} is not a time like 2026-12-01 20:00")
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def _duration(value: Any, problems: list[str]) -> timedelta | None:
    match = DURATION.match(str(value))
    unit = DURATION_UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None or int(match.group(1)) == 0:
        problems.append(f'duration: {value!r} is not a duration like "14 days" or "36 hours"')
        return None
    return timedelta(**{unit: int(match.group(1))})


def _shown(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _closing(
    data: dict[str, Any], timezone: str, opens_at: datetime | None, now: datetime,
    problems: list[str],
) -> datetime | None:  # fmt: skip
    """When the menu closes: `closes`, or `duration` after opening; never already past."""
    if ("closes" in data) == ("duration" in data):
        problems.append(
            "name closes or duration, not both"
            if "closes" in data
            else 'closes: missing (or a duration like "14 days")'
        )
        return None
    if "duration" in data:
        length = _duration(data["duration"], problems)
        closes_at = None if length is None else (opens_at or now) + length
    else:
        closes_at = _when(data["closes"], timezone, "closes", problems)
    if closes_at is None:
        return None
    if closes_at <= now:
        problems.append(f"closes {_shown(closes_at, timezone)}, which is already past")
        return None
    if opens_at is not None and closes_at <= opens_at:
        problems.append(
            f"closes {_shown(closes_at, timezone)}, which is not after it opens"
            f" ({_shown(opens_at, timezone)})"
        )
        return None
    return closes_at


def parse_menu(data: dict[str, Any], timezone: str, now: datetime) -> MenuSpec:
    """Check the keys and values of a menu file; MenuFileError lists every problem."""
    problems: list[str] = []
    unknown = set(data) - KEYS - OPTIONAL
    if unknown:
        problems.append(f"unknown keys: {', '.join(sorted(unknown))}")
    title = str(data.get("title") or "").strip()
    if not title:
        problems.append("title: missing")
    scopes = [kind for kind in ("compounds", "buildings", "units") if data.get(kind)]
    if len(scopes) != 1:
        problems.append("name exactly one of compounds, buildings or units")
    places = [str(p).strip() for p in data.get(scopes[0], [])] if len(scopes) == 1 else []
    opens_at = _when(data.get("opens", "now"), timezone, "opens", problems)
    closes_at = _closing(data, timezone, opens_at, now, problems)
    items: list[MenuItemDraft] = []
    for number, raw in enumerate(data.get("items") or [], start=1):
        try:
            items.append(
                MenuItemDraft(
                    title=str(raw.get("title", "")).strip(),
                    cost=raw.get("cost"),
                    description=str(raw.get("description") or "").strip(),
                )
            )
        except (ValidationError, AttributeError) as error:
            fields = ", ".join(
                str(e["loc"][0]) for e in getattr(error, "errors", lambda: [{"loc": ["?"]}])()
            )
            problems.append(f"item {number}: bad {fields}")
    if len(items) < 2 and not any(p.startswith("item") for p in problems):
        problems.append("items: a menu needs at least 2")
    try:
        rule = SelectionRule(str(data.get("rule", "greedy")).strip().lower())
    except ValueError:
        problems.append('rule: "greedy" or "mes"')
        rule = SelectionRule.GREEDY
    max_picks, budget = data.get("max_picks", 1), data.get("budget")
    if not isinstance(max_picks, int) or isinstance(max_picks, bool):
        problems.append("max_picks: a whole number")
        max_picks = 1
    if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool)):
        problems.append("budget: a whole number of yuan")
        budget = None
    live = data.get("live", True)
    if isinstance(live, str):
        live = live.strip().lower() in ("true", "yes", "1", "是")
    if problems:
        raise MenuFileError(problems)
    assert closes_at is not None
    return MenuSpec(
        title=title,
        scope_kind=ScopeKind(scopes[0]),
        places=places,
        opens_at=opens_at,
        closes_at=closes_at,
        items=items,
        max_picks=max_picks,
        budget=budget,
        rule=rule,
        live=bool(live),
    )
