"""The `pending_input` rows: what a person sent outside any flow, kept until they choose."""

from __future__ import annotations

from datetime import datetime

from bot.domain.free_input import KeptInput
from storage.codec import json_from_db, json_to_db, time_to_db
from storage.database import Database


class SqlitePendingInputs:
    """Implements the free input service's KeptInputs port."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> KeptInput | None:
        """What the person sent and has not yet said what it is for."""
        row = await self._db.fetch_one(
            "SELECT kept FROM pending_input WHERE user_id = ?", (user_id,)
        )
        return None if row is None else KeptInput.model_validate(json_from_db(row["kept"]))

    async def put(self, user_id: int, kept: KeptInput, now: datetime) -> None:
        """Keep it (replacing what was kept)."""
        await self._db.execute(
            "INSERT INTO pending_input (user_id, kept, kept_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET"
            " kept = excluded.kept, kept_at = excluded.kept_at",
            (user_id, json_to_db(kept.model_dump(mode="json")), time_to_db(now)),
        )

    async def drop(self, user_id: int) -> None:
        """They chose."""
        await self._db.execute("DELETE FROM pending_input WHERE user_id = ?", (user_id,))
