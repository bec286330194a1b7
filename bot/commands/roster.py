"""`shangliang import-roster FILE`: households from the community's spreadsheet."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.domain.roster import RosterPlan, parse_rows
from bot.roster_files import RosterFileError, read_roster
from bot.runtime import runtime_for, sync_grids


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the import-roster subcommand."""
    parser = commands.add_parser(
        "import-roster",
        help="import households from a CSV (UTF-8 or GB18030) or XLSX roster",
        description=(
            "Add and update households from the roster: columns 小区/compound, 楼栋/building,"
            " 单元/unit, 房号/room (required), 楼层/floor, 面积/area, 业主/owner_name,"
            " 业主编号/owner_key, 电话/phone, 独居/lives_alone, 老人/elderly, 残疾/disabled."
            " Households are matched by compound, building, unit and room, so members and"
            " history stay. One bad row and nothing is written. See examples/roster.csv."
        ),
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
        print(f"{name}: nothing was imported", file=sys.stderr)
        return 1
    settings = load_settings(args.config, required=False)

    async def go() -> RosterPlan:
        async with runtime_for(settings) as runtime:
            plan = await runtime.services.roster.import_rows(rows, dry_run=args.dry_run)
            if not args.dry_run:
                await sync_grids(runtime)  # grids may name buildings that now exist
            return plan

    for line in describe(name, asyncio.run(go()), dry_run=args.dry_run):
        print(line)
    return 0
