"""Tickets as a table (one row per ticket) for `shangliang export tickets`: XLSX and CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.documents import tables
from bot.domain.models import Language
from bot.domain.report_stats import accepted_in_time, hours_between, resolved_in_time
from bot.domain.reports import Ticket, local_text
from bot.i18n import plain
from bot.services.reports import ReportService

COLUMNS = (
    "number",
    "created",
    "category",
    "urgency",
    "status",
    "grid",
    "place",
    "description",
    "supporters",
    "photos",
    "assignee",
    "accept_by",
    "accepted",
    "hours_to_accept",
    "accepted_in_time",
    "resolve_by",
    "resolved",
    "hours_to_resolve",
    "resolved_in_time",
    "closed",
    "rating",
    "reason",
)

Cell = tables.Cell


def period(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end` (inclusive days, community time)."""
    zone = ZoneInfo(timezone)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _yes_no(language: Language, value: bool | None) -> str:
    if value is None:
        return ""
    return plain(language, "export.yes" if value else "export.no")


async def ticket_rows(
    reports: ReportService, tickets: Sequence[Ticket], language: Language
) -> list[list[Cell]]:
    """The header and one row per ticket, labels in `language`, times in community time."""
    zone = reports.timezone
    grids = await reports.grid_names()
    rows: list[list[Cell]] = [[plain(language, f"export.col_{name}") for name in COLUMNS]]
    for ticket in tickets:
        where, names = await reports.place_label(ticket, private=True)
        assignee = await reports.assignee_name(ticket)

        def when(moment: datetime | None) -> str:
            return local_text(moment, zone) if moment else ""

        rows.append(
            [
                ticket.number,
                when(ticket.created_at),
                plain(language, f"report.cat_{ticket.category.value}"),
                plain(language, f"report.urgency_{ticket.urgency.value}"),
                plain(language, f"report.status_{ticket.status.value}"),
                grids.get(ticket.building_id, ""),
                f"{plain(language, where)} {names}",
                ticket.description,
                ticket.supporters,
                ticket.photos,
                assignee,
                when(ticket.accept_by),
                when(ticket.accepted_at),
                hours_between(ticket.created_at, ticket.accepted_at),
                _yes_no(language, accepted_in_time(ticket)),
                when(ticket.resolve_by),
                when(ticket.resolved_at),
                hours_between(ticket.created_at, ticket.resolved_at),
                _yes_no(language, resolved_in_time(ticket)),
                when(ticket.closed_at),
                plain(language, f"report.rating_{ticket.rating.value}") if ticket.rating else "",
                ticket.reason,
            ]
        )
    return rows


def write_tables(rows: list[list[Cell]], base: Path) -> list[Path]:
    """`base`.xlsx and `base`.csv (UTF-8 with BOM, so Excel opens the Chinese right)."""
    return tables.write_tables(rows, base, sheet="tickets")
