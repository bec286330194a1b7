"""Conversation states and drafts of the channel adapters, as JSON rows."""

from __future__ import annotations

from typing import Any

from storage.codec import json_from_db, json_to_db
from storage.database import Database


class SqliteSessionStore:
    """Implements the SessionStore port on `conversation_state` and `session_data`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def load_conversations(self, name: str) -> dict[tuple[int | str, ...], Any]:
        """Every open conversation of handler `name`: key → state."""
        rows = await self._db.fetch_all(
            "SELECT key, state FROM conversation_state WHERE name = ?", (name,)
        )
        return {tuple(json_from_db(row["key"])): json_from_db(row["state"]) for row in rows}

    async def save_conversation(
        self, name: str, key: tuple[int | str, ...], state: object | None
    ) -> None:
        """Record a conversation's state; None ends it."""
        encoded_key = json_to_db(list(key))
        if state is None:
            await self._db.execute(
                "DELETE FROM conversation_state WHERE name = ? AND key = ?", (name, encoded_key)
            )
        else:
            await self._db.execute(
                "INSERT INTO conversation_state (name, key, state) VALUES (?, ?, ?)"
                " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                (name, encoded_key, json_to_db(state)),
            )

    async def load_data(self, scope: str) -> dict[int, dict[str, Any]]:
        """All stored data of a scope ('user' or 'chat')."""
        rows = await self._db.fetch_all(
            "SELECT owner_id, data FROM session_data WHERE scope = ?", (scope,)
        )
        return {row["owner_id"]: json_from_db(row["data"]) for row in rows}

    async def save_data(self, scope: str, owner_id: int, data: dict[str, Any]) -> None:
        """Store one owner's data; an empty dict removes the row."""
        if not data:
            await self.drop_data(scope, owner_id)
            return
        await self._db.execute(
            "INSERT INTO session_data (scope, owner_id, data) VALUES (?, ?, ?)"
            " ON CONFLICT (scope, owner_id) DO UPDATE SET data = excluded.data",
            (scope, owner_id, json_to_db(data)),
        )

    async def drop_data(self, scope: str, owner_id: int) -> None:
        """Forget one owner's data."""
        await self._db.execute(
            "DELETE FROM session_data WHERE scope = ? AND owner_id = ?", (scope, owner_id)
        )
