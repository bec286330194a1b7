"""A proposal as a table: every household of its scope, its answer, when, who answered or who
recorded it on paper, and its share of the cost — for `shangliang export proposal` and the
staff's ⬇️ button (XLSX and CSV through bot.documents.tables)."""

from __future__ import annotations

from bot.documents.tables import Cell, table_csv, table_xlsx
from bot.domain.models import Language
from bot.domain.reports import local_text
from bot.domain.votes import yuan
from bot.i18n import plain
from bot.services.votes import Progress, VoteService

COLUMNS = (
    "compound",
    "building",
    "unit",
    "room",
    "floor",
    "area",
    "owner_key",
    "answer",
    "answered_at",
    "answered_by",
    "recorded_by",
    "share",
)


async def proposal_table(
    votes: VoteService, progress: Progress, language: Language
) -> list[list[Cell]]:
    """The header and one row per household of the scope (answered or not)."""
    shares = votes.shares(progress.proposal, progress.roster)
    rows: list[list[Cell]] = [[plain(language, f"vote.col_{name}") for name in COLUMNS]]
    for row in progress.roster:
        record = progress.answers.get(row.household_id)
        share = shares.get(row.household_id)
        rows.append(
            [
                row.compound,
                row.building,
                row.unit,
                row.room,
                row.floor,
                float(row.area),
                row.owner_key,
                plain(language, f"vote.answer_{record.answer.value}") if record else "",
                local_text(record.at, votes.timezone) if record else "",
                await votes.user_name(record.user_id) if record else "",
                await votes.user_name(record.recorded_by) if record else "",
                yuan(share) if share is not None else "",
            ]
        )
    return rows


__all__ = ["COLUMNS", "proposal_table", "table_csv", "table_xlsx"]
