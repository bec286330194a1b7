"""A meeting as a table for the organiser's ⬇ export: every invitee and contact, their answer,
when, and whether they came (XLSX and CSV through bot.documents.tables)."""

from __future__ import annotations

from bot.documents.tables import Cell
from bot.domain.models import Language
from bot.domain.reports import local_text
from bot.i18n import plain
from bot.services.meetings import Overview

COLUMNS = ("name", "place", "party", "answer", "answered_at", "attended")


def meeting_table(overview: Overview, language: Language, timezone: str) -> list[list[Cell]]:
    """The header, one row per invitee, then one per named contact."""

    def yes_no(value: bool) -> str:
        return plain(language, "export.yes" if value else "export.no")

    rows: list[list[Cell]] = [[plain(language, f"meeting.col_{name}") for name in COLUMNS]]
    for invitee in overview.invitees:
        rows.append(
            [
                invitee.first_name,
                invitee.place,
                "",
                plain(language, f"meeting.rsvp_{invitee.rsvp.value}") if invitee.rsvp else "",
                local_text(invitee.rsvp_at, timezone) if invitee.rsvp_at else "",
                yes_no(invitee.attended),
            ]
        )
    for contact in overview.contacts:
        party = plain(language, f"meeting.party_{contact.party.value}")
        rows.append([contact.name, "", party, "", "", yes_no(contact.attended)])
    return rows
