"""`shangliang import-roster FILE`: households from the community's spreadsheet."""

from __future__ import annotations

import argparse
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.domain.roster_columns import AMBIGUOUS, BLANK, COLUMNS, IGNORED, NO, YES

if TYPE_CHECKING:
    from bot.domain.roster import RosterPlan


def _width(text: str) -> int:
    """Columns a terminal gives the text: two for a Chinese character."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrapped(names: Sequence[str], indent: str = "    ", width: int = 79) -> list[str]:
    """Names joined by commas in lines that fit the terminal, never splitting a name."""
    lines = [indent]
    for index, name in enumerate(names):
        piece = name + ("," if index < len(names) - 1 else "")
        if lines[-1] != indent and _width(lines[-1]) + 1 + _width(piece) > width:
            lines.append(indent)
        lines[-1] += piece if lines[-1] == indent else " " + piece
    return lines


def columns_help() -> str:
    """The accepted column names and values, from the table the parser reads."""
    lines = ["columns, in any order, and the header names each is known by:"]
    for column in COLUMNS:
        required = " (required)" if column.required else ""
        lines += [f"  {column.key}{required}: {column.holds}", *_wrapped(column.headers)]
    lines += ["  read past, not imported:", *_wrapped(IGNORED)]
    lines += [
        "",
        "Names are compared without case, spaces, _ or -, with full-width characters",
        "as half-width, and without units or notes: 面积(㎡), 面积（m²）, Area (m2),",
        "area_m2 and 面积/㎡ all name the area column, 独居(是/否) the lives_alone one.",
        "Two names of one column joined by / (电话/手机) are accepted too. Any other",
        "column is refused, so a misspelt one is never dropped in silence; so are two",
        "columns for the same thing.",
        "",
        "yes/no (any case, full-width or not):",
        *_wrapped(["yes: " + YES[0], *YES[1:]]),
        *_wrapped(["no: " + NO[0], *NO[1:], "an empty cell"]),
        *_wrapped(["refused, a tick or a cross?: " + AMBIGUOUS[0], *AMBIGUOUS[1:]]),
        "an empty cell in an optional column may also read:",
        *_wrapped(BLANK),
    ]
    return "\n".join(lines)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the import-roster subcommand."""
    parser = commands.add_parser(
        "import-roster",
        help="import households from a CSV (UTF-8 or GB18030) or XLSX roster",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.fill(
            "Add and update households from the roster's first sheet (the header is row 1)."
            " Households are matched by compound, building, unit and room, so members and"
            " history stay. One bad row and nothing is written: every problem is listed with"
            " its row number. See examples/roster.csv.",
            width=79,
        ),
        epilog=columns_help(),
    )
    parser.add_argument("file", type=Path, help="the roster (.csv or .xlsx)")
    parser.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    parser.set_defaults(handler=cmd_import_roster)


def describe(name: str, plan: RosterPlan, *, dry_run: bool) -> list[str]:
    """The summary an operator reads (rooms, never phones or owners)."""
    lines = [
        f"{name}: {len(plan.added)} added, {len(plan.updated)} updated, {plan.unchanged} unchanged"
    ]
    if plan.new_buildings:
        buildings = ", ".join(f"{c}/{b}" for c, b in plan.new_buildings)
        lines.append(f"new buildings: {buildings}")
    if dry_run:
        lines += [f"  + {' '.join(row.key)}" for row in plan.added]
        lines += [
            f"  ~ {' '.join(row.key)}: {', '.join(fields)}" for _, row, fields in plan.updated
        ]
    if plan.absent:
        lines.append(f"{plan.absent} household(s) in the database are not in the file (kept)")
    lines.append("(dry run: nothing written)" if dry_run else "imported")
    return lines


def cmd_import_roster(args: argparse.Namespace) -> int:
    """Read, check, and import (all or nothing)."""
    import asyncio

    from bot.app.config import load_settings
    from bot.app.runtime import runtime_for, sync_grids
    from bot.documents.roster_files import RosterFileError, read_roster
    from bot.domain.roster import parse_rows

    name = args.file.name
    try:
        header, cells = read_roster(args.file)
    except RosterFileError as error:
        print(f"{name}: {error}; nothing was imported", file=sys.stderr)
        return 1
    rows, problems = parse_rows(header, cells)
    if problems:
        for problem in problems:
            where = f"row {problem.row}: " if problem.row else ""
            print(f"{name}: {where}{problem.reason}", file=sys.stderr)
        if any(problem.row == 1 for problem in problems):
            hint = "`shangliang import-roster --help` lists the accepted column names"
            print(f"{name}: {hint}", file=sys.stderr)
        print(f"{name}: nothing was imported", file=sys.stderr)
        return 1
    settings = load_settings(args.config, required=False)

    async def go() -> RosterPlan:
        async with runtime_for(settings, args.clock) as runtime:
            plan = await runtime.services.roster.import_rows(rows, dry_run=args.dry_run)
            if not args.dry_run:
                await sync_grids(runtime)  # grids may name buildings that now exist
            return plan

    for line in describe(name, asyncio.run(go()), dry_run=args.dry_run):
        print(line)
    return 0
