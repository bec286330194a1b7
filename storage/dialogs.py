"""The `dialog_session` rows: where each person is in a guided conversation."""

from __future__ import annotations

from datetime import datetime

from bot.dialogs.session import Session
from storage.codec import json_from_db, json_to_db, time_to_db
from storage.database import Database


class SqliteDialogStore:
    """Implements the dialog engine's SessionStore port."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Session | None:
        """The person's open flow, if any."""
        row = await self._db.fetch_one(
            "SELECT flow, step, draft, state FROM dialog_session WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return None
        return Session.model_validate(
            {
                "flow": row["flow"],
                "step": row["step"],
                "draft": json_from_db(row["draft"]),
                "state": json_from_db(row["state"]),
            }
        )

    async def put(self, user_id: int, session: Session, now: datetime) -> None:
        """Open or move on the person's flow."""
        await self._db.execute(
            "INSERT INTO dialog_session (user_id, flow, step, draft, state, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " flow = excluded.flow, step = excluded.step, draft = excluded.draft,"
            " state = excluded.state, updated_at = excluded.updated_at",
            (
                user_id,
                session.flow.value,
                session.step,
                json_to_db(session.draft),
                json_to_db(session.state),
                time_to_db(now),
            ),
        )

    async def drop(self, user_id: int) -> None:
        """The flow is over."""
        await self._db.execute("DELETE FROM dialog_session WHERE user_id = ?", (user_id,))
