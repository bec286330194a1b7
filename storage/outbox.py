"""The durable outbox, muted categories, and the delivery counts of a broadcast."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.delivery import Category, OutboxRow, OutboxStatus, Priority
from bot.domain.messages import Outgoing
from storage.codec import json_from_db, json_to_db, time_from_db, time_to_db
from storage.database import Database

_COLUMNS = (
    "id, user_id, message, category, urgent, priority, broadcast_id, slot, status, due_at,"
    " attempts, last_error, external_ref"
)


def _row(row: Any) -> OutboxRow:
    data = dict(row)
    data["message"] = Outgoing.model_validate(json_from_db(data["message"]))
    data["urgent"] = bool(data["urgent"])
    data["due_at"] = time_from_db(data["due_at"])
    return OutboxRow.model_validate(data)


def _marks(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


class SqliteOutboxRepository:
    """The `outbox` and `mute` tables. Callers hold the transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        user_id: int,
        message: Outgoing,
        *,
        category: Category,
        urgent: bool,
        priority: Priority,
        due_at: datetime,
        now: datetime,
        broadcast_id: int | None = None,
        slot: str | None = None,
        status: OutboxStatus = OutboxStatus.PENDING,
    ) -> int:
        """Queue one push; returns its id."""
        return await self._db.insert(
            "INSERT INTO outbox (user_id, message, category, urgent, priority, broadcast_id,"
            " slot, status, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                json_to_db(message.model_dump(mode="json", exclude_defaults=True)),
                category.value,
                int(urgent),
                int(priority),
                broadcast_id,
                slot,
                status.value,
                time_to_db(due_at),
                time_to_db(now),
            ),
        )

    async def add_many(
        self,
        user_ids: Sequence[int],
        message: Outgoing,
        *,
        category: Category,
        urgent: bool,
        priority: Priority,
        due_at: datetime,
        now: datetime,
        broadcast_id: int | None = None,
        muted: set[int] | frozenset[int] = frozenset(),
    ) -> None:
        """Queue one message for many users at once (those in `muted` are kept as muted)."""
        body = json_to_db(message.model_dump(mode="json", exclude_defaults=True))
        due, created = time_to_db(due_at), time_to_db(now)
        await self._db.execute_many(
            "INSERT INTO outbox (user_id, message, category, urgent, priority, broadcast_id,"
            " status, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    user_id,
                    body,
                    category.value,
                    int(urgent),
                    int(priority),
                    broadcast_id,
                    (OutboxStatus.MUTED if user_id in muted else OutboxStatus.PENDING).value,
                    due,
                    created,
                )
                for user_id in user_ids
            ],
        )

    async def unsettled(self, broadcast_id: int) -> int:
        """Rows of a broadcast still pending or in flight."""
        return await self._db.fetch_count(
            "SELECT count(*) FROM outbox WHERE broadcast_id = ?"
            " AND status IN ('pending', 'sending')",
            (broadcast_id,),
        )

    async def replace_pending_slot(self, user_id: int, slot: str, message: Outgoing) -> bool:
        """Update a still-pending row of `slot` instead of queueing another; False if none."""
        changed = await self._db.execute(
            "UPDATE outbox SET message = ? WHERE user_id = ? AND slot = ? AND status = 'pending'",
            (json_to_db(message.model_dump(mode="json", exclude_defaults=True)), user_id, slot),
        )
        return changed > 0

    async def due(self, now: datetime, limit: int) -> list[OutboxRow]:
        """Pending rows whose time has come, most important first, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND due_at <= ?"
            " ORDER BY priority, id LIMIT ?",
            (time_to_db(now), limit),
        )
        return [_row(row) for row in rows]

    async def next_due(self) -> datetime | None:
        """When the earliest pending row falls due."""
        return time_from_db(
            await self._db.fetch_text("SELECT min(due_at) FROM outbox WHERE status = 'pending'")
        )

    async def mark_sending(self, ids: Sequence[int]) -> None:
        """Claim rows for a send in flight."""
        await self._db.execute(
            f"UPDATE outbox SET status = 'sending' WHERE id IN ({_marks(ids)})", tuple(ids)
        )

    async def mark_sent(self, ids: Sequence[int], external_ref: str | None, now: datetime) -> None:
        """Rows the channel has acknowledged."""
        await self._db.execute(
            "UPDATE outbox SET status = 'sent', attempts = attempts + 1, external_ref = ?,"
            f" sent_at = ?, last_error = NULL WHERE id IN ({_marks(ids)})",
            (external_ref, time_to_db(now), *ids),
        )

    async def retry(
        self, ids: Sequence[int], due_at: datetime, error: str, *, counts: bool
    ) -> None:
        """Back to pending until `due_at`; `counts` says whether this was a failed try."""
        await self._db.execute(
            f"UPDATE outbox SET status = 'pending', due_at = ?, last_error = ?,"
            f" attempts = attempts + ? WHERE id IN ({_marks(ids)})",
            (time_to_db(due_at), error, int(counts), *ids),
        )

    async def finish(self, ids: Sequence[int], status: OutboxStatus, error: str) -> None:
        """Give up on rows (failed, unreachable), keeping the reason."""
        await self._db.execute(
            f"UPDATE outbox SET status = ?, last_error = ?, attempts = attempts + 1"
            f" WHERE id IN ({_marks(ids)})",
            (status.value, error, *ids),
        )

    async def finish_pending_of_user(self, user_id: int, status: OutboxStatus, error: str) -> None:
        """Give up on everything still queued for a user (they blocked the bot)."""
        await self._db.execute(
            "UPDATE outbox SET status = ?, last_error = ?"
            " WHERE user_id = ? AND status = 'pending'",
            (status.value, error, user_id),
        )

    async def recover(self) -> int:
        """After a crash: rows claimed but never acknowledged go back to pending."""
        return await self._db.execute(
            "UPDATE outbox SET status = 'pending' WHERE status = 'sending'"
        )

    async def slot_ref(self, user_id: int, slot: str) -> str | None:
        """The channel's id of the last sent message of a slot (to edit it)."""
        return await self._db.fetch_text(
            "SELECT external_ref FROM outbox WHERE user_id = ? AND slot = ? AND status = 'sent'"
            " AND external_ref IS NOT NULL ORDER BY id DESC LIMIT 1",
            (user_id, slot),
        )

    async def counts(self, broadcast_id: int) -> dict[OutboxStatus, int]:
        """How many rows of a broadcast are in each status."""
        rows = await self._db.fetch_all(
            "SELECT status, count(*) AS n FROM outbox WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        )
        return {OutboxStatus(row["status"]): row["n"] for row in rows}

    async def muted(self, user_id: int) -> set[Category]:
        """The categories a user has muted."""
        rows = await self._db.fetch_all(
            "SELECT category FROM mute WHERE user_id = ? AND muted = 1", (user_id,)
        )
        return {Category(row["category"]) for row in rows}

    async def muted_among(self, user_ids: Sequence[int], category: Category) -> set[int]:
        """Which of these users muted `category`."""
        rows = await self._db.fetch_all(
            "SELECT user_id FROM mute WHERE category = ? AND muted = 1", (category.value,)
        )
        wanted = set(user_ids)
        return {row["user_id"] for row in rows if row["user_id"] in wanted}

    async def set_muted(self, user_id: int, category: Category, muted: bool) -> None:
        """Mute or unmute one category."""
        await self._db.execute(
            "INSERT INTO mute (user_id, category, muted) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, category) DO UPDATE SET muted = excluded.muted",
            (user_id, category.value, int(muted)),
        )

    async def toggle_muted(self, user_id: int, category: Category) -> bool:
        """Switch one category in one statement (atomic by itself); whether it is now muted."""
        now_muted = await self._db.fetch_value(
            "INSERT INTO mute (user_id, category, muted) VALUES (?, ?, 1)"
            " ON CONFLICT (user_id, category) DO UPDATE SET muted = 1 - muted RETURNING muted",
            (user_id, category.value),
        )
        return bool(now_muted)
