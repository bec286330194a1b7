"""The `thread_message` rows: each household's thread with its grid worker."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.domain.thread import Direction, ThreadMessage, Written
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_COLUMNS = (
    "id, household_id, author_id, direction, text, voice_ref, photo_ref, at, read_at, ticket_id"
)


def _message(row: Any) -> ThreadMessage:
    return ThreadMessage(
        id=row["id"],
        household_id=row["household_id"],
        author_id=row["author_id"],
        direction=Direction(row["direction"]),
        text=row["text"],
        voice=row["voice_ref"],
        photo=row["photo_ref"],
        at=time_from_db(row["at"]),
        read=row["read_at"] is not None,
        ticket_id=row["ticket_id"],
    )


class SqliteThreads:
    """Implements the thread service's ThreadStore port."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        household_id: int,
        author_id: int,
        direction: Direction,
        written: Written,
        now: datetime,
    ) -> ThreadMessage:
        """Store one message."""
        row_id = await self._db.insert(
            "INSERT INTO thread_message"
            " (household_id, author_id, direction, text, voice_ref, photo_ref, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                household_id,
                author_id,
                direction.value,
                written.text,
                written.voice,
                written.photo,
                time_to_db(now),
            ),
        )
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM thread_message WHERE id = ?", (row_id,)
        )
        assert row is not None
        return _message(row)

    async def count(self, household_id: int) -> int:
        """How many messages the household's thread has."""
        return await self._db.fetch_count(
            "SELECT count(*) FROM thread_message WHERE household_id = ?", (household_id,)
        )

    async def latest(self, household_id: int, offset: int, limit: int) -> list[ThreadMessage]:
        """`limit` messages, `offset` back from the latest, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM thread_message WHERE household_id = ?"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (household_id, limit, offset),
        )
        return [_message(row) for row in reversed(rows)]

    async def all_of(self, household_id: int) -> list[ThreadMessage]:
        """The whole thread, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM thread_message WHERE household_id = ? ORDER BY id",
            (household_id,),
        )
        return [_message(row) for row in rows]

    async def mark_read(self, household_id: int, direction: Direction, now: datetime) -> None:
        """The messages written to the reader (of `direction`) are read."""
        await self._db.execute(
            "UPDATE thread_message SET read_at = ?"
            " WHERE household_id = ? AND direction = ? AND read_at IS NULL",
            (time_to_db(now), household_id, direction.value),
        )

    async def mark_ticket(self, message_ids: Sequence[int], ticket_id: int) -> None:
        """These messages were turned into the ticket."""
        await self._db.execute_many(
            "UPDATE thread_message SET ticket_id = ? WHERE id = ?",
            [(ticket_id, message_id) for message_id in message_ids],
        )

    async def households(self, building_ids: Iterable[int]) -> list[tuple[int, int]]:
        """(household, unread messages from it) of the threads of households in these
        buildings, the latest thread first."""
        wanted = sorted(set(building_ids))
        if not wanted:
            return []
        marks = ", ".join("?" for _ in wanted)
        rows = await self._db.fetch_all(
            "SELECT t.household_id, sum(t.direction = 'in' AND t.read_at IS NULL) AS unread"
            " FROM thread_message t JOIN household h ON h.id = t.household_id"
            f" JOIN unit u ON u.id = h.unit_id WHERE u.building_id IN ({marks})"
            " GROUP BY t.household_id ORDER BY max(t.id) DESC",
            wanted,
        )
        return [(row[0], int(row[1])) for row in rows]
