"""Broadcasts, whom each was meant for, and what became of its outbox rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.broadcasts import Broadcast, BroadcastDraft, BroadcastStatus
from bot.domain.messages import Attachment
from bot.domain.scope import Scope
from storage.codec import json_from_db, json_to_db, time_from_db, time_to_db
from storage.database import Database

_COLUMNS = (
    "id, author_id, body, attachment_kind, attachment_ref, scope, urgent, report, send_at,"
    " status, notice_id, created_at, started_at, finished_at, progress_at"
)


def _broadcast(row: Any) -> Broadcast:
    data = dict(row)
    kind, ref = data.pop("attachment_kind"), data.pop("attachment_ref")
    data["attachment"] = Attachment(kind=kind, ref=ref) if kind else None
    data["scope"] = Scope.model_validate(json_from_db(data["scope"]))
    data["urgent"] = bool(data["urgent"])
    data["report"] = bool(data["report"])
    for name in ("send_at", "created_at", "started_at", "finished_at", "progress_at"):
        data[name] = time_from_db(data[name])
    return Broadcast.model_validate(data)


class SqliteBroadcastRepository:
    """The `broadcast` and `broadcast_target` tables. Callers hold the transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        author_id: int,
        draft: BroadcastDraft,
        send_at: datetime,
        now: datetime,
        *,
        report: bool = True,
        notice_id: int | None = None,
    ) -> Broadcast:
        """Store a new (scheduled) broadcast."""
        attachment = draft.attachment
        broadcast_id = await self._db.insert(
            "INSERT INTO broadcast (author_id, body, attachment_kind, attachment_ref, scope,"
            " urgent, report, send_at, notice_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                author_id,
                draft.body,
                attachment.kind if attachment else None,
                attachment.ref if attachment else None,
                json_to_db(draft.scope.model_dump(mode="json")),
                int(draft.urgent),
                int(report),
                time_to_db(send_at),
                notice_id,
                time_to_db(now),
            ),
        )
        found = await self.get(broadcast_id)
        assert found is not None
        return found

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """One broadcast."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM broadcast WHERE id = ?", (broadcast_id,)
        )
        return _broadcast(row) if row else None

    async def set_status(self, broadcast_id: int, status: BroadcastStatus, now: datetime) -> None:
        """Move a broadcast on (sending stamps started_at, done stamps finished_at)."""
        stamp = {BroadcastStatus.SENDING: "started_at", BroadcastStatus.DONE: "finished_at"}
        column = stamp.get(status)
        if column:
            await self._db.execute(
                f"UPDATE broadcast SET status = ?, {column} = ? WHERE id = ?",
                (status.value, time_to_db(now), broadcast_id),
            )
        else:
            await self._db.execute(
                "UPDATE broadcast SET status = ? WHERE id = ?", (status.value, broadcast_id)
            )

    async def set_progress_at(self, broadcast_id: int, now: datetime) -> None:
        """Remember when the author last saw the progress."""
        await self._db.execute(
            "UPDATE broadcast SET progress_at = ? WHERE id = ?", (time_to_db(now), broadcast_id)
        )

    async def add_targets(
        self, broadcast_id: int, pairs: Sequence[tuple[int | None, int | None]]
    ) -> None:
        """Fix whom the broadcast is for."""
        await self._db.execute_many(
            "INSERT INTO broadcast_target (broadcast_id, household_id, user_id) VALUES (?, ?, ?)",
            [(broadcast_id, household, user) for household, user in pairs],
        )

    async def unregistered(self, broadcast_id: int) -> list[int]:
        """Households in scope that nobody has registered for."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT household_id FROM broadcast_target"
            " WHERE broadcast_id = ? AND household_id IS NOT NULL AND user_id IS NULL",
            (broadcast_id,),
        )
        return [row["household_id"] for row in rows]

    async def unreached(self, broadcast_id: int) -> list[int]:
        """Registered households none of whose members got the broadcast."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT t.household_id FROM broadcast_target t"
            " WHERE t.broadcast_id = ? AND t.user_id IS NOT NULL AND t.household_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM broadcast_target t2 JOIN outbox o"
            "   ON o.user_id = t2.user_id AND o.broadcast_id = t2.broadcast_id"
            "   WHERE t2.broadcast_id = t.broadcast_id AND t2.household_id = t.household_id"
            "   AND o.status = 'sent')",
            (broadcast_id,),
        )
        return [row["household_id"] for row in rows]

    async def household_count(self, broadcast_id: int) -> int:
        """How many households the broadcast was meant for."""
        return await self._db.fetch_count(
            "SELECT count(DISTINCT household_id) FROM broadcast_target WHERE broadcast_id = ?",
            (broadcast_id,),
        )
