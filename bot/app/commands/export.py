"""`shangliang export tickets --from --to`: one row per ticket, as XLSX and CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the export subcommand."""
    parser = commands.add_parser(
        "export",
        help="export tickets filed in a period to XLSX and CSV",
        description=(
            "Write one row per ticket filed between --from and --to (inclusive days, community"
            " time): number, times, category, place, status, assignee, hours to accept and to"
            " resolve, whether each deadline was kept, rating. Labels are in the community's"
            " default language; no phone numbers are written."
        ),
    )
    parser.add_argument("what", choices=["tickets"], help="what to export")
    parser.add_argument("--from", dest="start", type=_day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=_day, required=True, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("tickets"),
        help="file name without extension (default: tickets → tickets.xlsx, tickets.csv)",
    )
    parser.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Export the tickets of the period."""
    import asyncio

    from bot.app.config import load_settings
    from bot.app.runtime import runtime_for
    from bot.documents.report_export import period, ticket_rows, write_tables

    if args.end < args.start:
        print("--to is before --from; nothing written")
        return 2
    settings = load_settings(args.config, required=False)

    async def go() -> list[list[Any]]:
        async with runtime_for(settings, args.clock) as runtime:
            reports = runtime.services.reports
            start, end = period(args.start, args.end, settings.community.timezone)
            tickets = await reports.tickets_between(start, end)
            return await ticket_rows(reports, tickets, settings.community.default_language)

    rows = asyncio.run(go())
    for path in write_tables(rows, args.out):
        print(path)
    print(f"{len(rows) - 1} ticket(s) from {args.start} to {args.end}")
    return 0
