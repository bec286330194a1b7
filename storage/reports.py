"""Tickets, their history, media and "+1" households. Callers hold the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.domain.reports import (
    EventKind,
    Media,
    MediaKind,
    PlaceKind,
    Rating,
    ReportCategory,
    ReportDraft,
    ReportPlace,
    Ticket,
    TicketEvent,
    TicketStatus,
    ticket_number,
)
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_SELECT = (
    "SELECT t.*,"
    " (SELECT count(*) FROM ticket_supporter s WHERE s.ticket_id = t.id) AS supporters,"
    " (SELECT count(*) FROM ticket_media m WHERE m.ticket_id = t.id AND m.kind = 'photo')"
    " AS photos,"
    " (SELECT count(*) FROM ticket_media m WHERE m.ticket_id = t.id AND m.kind = 'voice')"
    " AS voices"
    " FROM ticket t"
)
_OPEN = "('submitted', 'accepted', 'in_progress', 'reopened')"
_TIMES = ("accept_by", "resolve_by", "created_at", "accepted_at", "resolved_at", "closed_at")


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values)


def _ticket(row: Any) -> Ticket:
    data = dict(row)
    times: dict[str, Any] = {name: time_from_db(data[name]) for name in _TIMES}
    return Ticket(
        id=data["id"],
        number=ticket_number(data["year"], data["seq"]),
        category=ReportCategory(data["category"]),
        urgency=data["urgency"],
        status=TicketStatus(data["status"]),
        description=data["description"],
        reporter_id=data["reporter_id"],
        household_id=data["household_id"],
        building_id=data["building_id"],
        compound_id=data["compound_id"],
        place=ReportPlace(
            kind=PlaceKind(data["place_kind"]), spot=data["spot"], note=data["place_note"]
        ),
        assignee_id=data["assignee_id"],
        rating=Rating(data["rating"]) if data["rating"] else None,
        reason=data["reason"],
        supporters=data["supporters"],
        photos=data["photos"],
        voices=data["voices"],
        **times,
    )


def _event(row: Any) -> TicketEvent:
    data = dict(row)
    data["at"] = time_from_db(data["at"])
    return TicketEvent.model_validate(data)


class SqliteTicketRepository:
    """The `ticket`, `ticket_event`, `ticket_media` and `ticket_supporter` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        year: int,
        draft: ReportDraft,
        *,
        reporter_id: int,
        household_id: int,
        building_id: int,
        compound_id: int,
        accept_by: datetime,
        resolve_by: datetime,
        now: datetime,
    ) -> int:
        """A new ticket with the next number of `year`; its id."""
        seq = await self._db.fetch_value(
            "SELECT coalesce(max(seq), 0) + 1 FROM ticket WHERE year = ?", (year,)
        )
        return await self._db.insert(
            "INSERT INTO ticket (year, seq, category, urgency, description, reporter_id,"
            " household_id, building_id, compound_id, place_kind, spot, place_note,"
            " accept_by, resolve_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                year,
                seq,
                draft.category.value,
                draft.urgency.value,
                draft.description,
                reporter_id,
                household_id,
                building_id,
                compound_id,
                draft.place.kind.value,
                draft.place.spot,
                draft.place.note,
                time_to_db(accept_by),
                time_to_db(resolve_by),
                time_to_db(now),
                time_to_db(now),
            ),
        )

    async def get(self, ticket_id: int) -> Ticket | None:
        """One ticket."""
        row = await self._db.fetch_one(f"{_SELECT} WHERE t.id = ?", (ticket_id,))
        return _ticket(row) if row else None

    async def update(self, ticket_id: int, now: datetime, **fields: object) -> None:
        """Set some columns (times as datetimes, enums as their values)."""
        names = sorted(fields)
        values = []
        for name in names:
            value = fields[name]
            if isinstance(value, datetime):
                value = time_to_db(value)
            elif hasattr(value, "value"):
                value = value.value
            values.append(value)
        assignments = ", ".join(f"{name} = ?" for name in [*names, "updated_at"])
        await self._db.execute(
            f"UPDATE ticket SET {assignments} WHERE id = ?",
            (*values, time_to_db(now), ticket_id),
        )

    async def add_event(
        self,
        ticket_id: int,
        kind: EventKind,
        at: datetime,
        *,
        actor_id: int | None = None,
        from_status: TicketStatus | None = None,
        to_status: TicketStatus | None = None,
        note: str = "",
    ) -> int:
        """Append to the history; the entry's id."""
        return await self._db.insert(
            "INSERT INTO ticket_event (ticket_id, kind, at, actor_id, from_status, to_status,"
            " note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                ticket_id,
                kind.value,
                time_to_db(at),
                actor_id,
                from_status.value if from_status else None,
                to_status.value if to_status else None,
                note,
            ),
        )

    async def events(self, ticket_id: int) -> list[TicketEvent]:
        """A ticket's history, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT id, ticket_id, kind, at, actor_id, from_status, to_status, note"
            " FROM ticket_event WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [_event(row) for row in rows]

    async def event(self, event_id: int) -> TicketEvent | None:
        """One history entry."""
        row = await self._db.fetch_one(
            "SELECT id, ticket_id, kind, at, actor_id, from_status, to_status, note"
            " FROM ticket_event WHERE id = ?",
            (event_id,),
        )
        return _event(row) if row else None

    async def add_media(
        self, ticket_id: int, media: Iterable[Media], now: datetime, event_id: int | None = None
    ) -> None:
        """Attach photos and voice notes."""
        await self._db.execute_many(
            "INSERT INTO ticket_media (ticket_id, kind, ref, event_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(ticket_id, m.kind.value, m.ref, event_id, time_to_db(now)) for m in media],
        )

    async def media(self, ticket_id: int) -> list[Media]:
        """A ticket's photos and voice notes, in the order they came."""
        rows = await self._db.fetch_all(
            "SELECT kind, ref FROM ticket_media WHERE ticket_id = ? ORDER BY id", (ticket_id,)
        )
        return [Media(kind=MediaKind(row["kind"]), ref=row["ref"]) for row in rows]

    async def media_by_event(self, ticket_id: int) -> list[tuple[int | None, Media]]:
        """A ticket's media with the history entry each came with (None: with the report)."""
        rows = await self._db.fetch_all(
            "SELECT event_id, kind, ref FROM ticket_media WHERE ticket_id = ? ORDER BY id",
            (ticket_id,),
        )
        return [
            (row["event_id"], Media(kind=MediaKind(row["kind"]), ref=row["ref"])) for row in rows
        ]

    async def add_supporter(
        self, ticket_id: int, household_id: int, user_id: int, now: datetime
    ) -> bool:
        """A household joins with "+1"; False if it already had."""
        changed = await self._db.execute(
            "INSERT OR IGNORE INTO ticket_supporter (ticket_id, household_id, user_id, joined_at)"
            " VALUES (?, ?, ?, ?)",
            (ticket_id, household_id, user_id, time_to_db(now)),
        )
        return changed > 0

    async def supporter_households(self, ticket_id: int) -> list[int]:
        """The households that joined a ticket."""
        rows = await self._db.fetch_all(
            "SELECT household_id FROM ticket_supporter WHERE ticket_id = ? ORDER BY joined_at",
            (ticket_id,),
        )
        return [row[0] for row in rows]

    async def similar(
        self, category: ReportCategory, building_id: int, compound_id: int, spot: str | None
    ) -> list[Ticket]:
        """Open tickets of the category at the same compound spot, or in the same building."""
        if spot is not None:
            where = "t.compound_id = ? AND t.place_kind = 'compound' AND t.spot = ?"
            params: tuple[Any, ...] = (compound_id, spot)
        else:
            where = "t.building_id = ? AND t.place_kind != 'compound'"
            params = (building_id,)
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE t.status IN {_OPEN} AND t.category = ? AND {where}"
            " ORDER BY t.created_at LIMIT 5",
            (category.value, *params),
        )
        return [_ticket(row) for row in rows]

    async def open_in(self, building_ids: Iterable[int]) -> list[Ticket]:
        """Open tickets of these buildings."""
        ids = list(building_ids)
        if not ids:
            return []
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE t.status IN {_OPEN} AND t.building_id IN ({_marks(ids)})", ids
        )
        return [_ticket(row) for row in rows]

    async def of_households(self, household_ids: Iterable[int], limit: int) -> list[Ticket]:
        """Tickets these households reported or joined, newest first."""
        ids = list(household_ids)
        if not ids:
            return []
        marks = _marks(ids)
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE t.household_id IN ({marks}) OR t.id IN"
            f" (SELECT ticket_id FROM ticket_supporter WHERE household_id IN ({marks}))"
            " ORDER BY t.created_at DESC LIMIT ?",
            (*ids, *ids, limit),
        )
        return [_ticket(row) for row in rows]

    async def created_between(self, start: datetime, end: datetime) -> list[Ticket]:
        """Tickets filed in [start, end), oldest first."""
        rows = await self._db.fetch_all(
            f"{_SELECT} WHERE t.created_at >= ? AND t.created_at < ? ORDER BY t.created_at",
            (time_to_db(start), time_to_db(end)),
        )
        return [_ticket(row) for row in rows]

    async def all_open(self) -> list[Ticket]:
        """Every open ticket."""
        rows = await self._db.fetch_all(f"{_SELECT} WHERE t.status IN {_OPEN}")
        return [_ticket(row) for row in rows]

    async def grid_of_buildings(self) -> dict[int, str]:
        """Building id → the name of its grid."""
        rows = await self._db.fetch_all(
            "SELECT gb.building_id, g.name FROM grid_building gb JOIN grid g ON g.id = gb.grid_id"
        )
        return {row[0]: row[1] for row in rows}
