"""Users by channel identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import Language, Role, User
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_COLUMNS = (
    "id, channel, external_id, first_name, language, role, phone, unreachable_at, created_at"
)


def _user(row: Any) -> User:
    data = dict(row)
    data["unreachable_at"] = time_from_db(data["unreachable_at"])
    data["created_at"] = time_from_db(data["created_at"])
    return User.model_validate(data)


class SqliteUserRepository:
    """Users in the `user` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> User | None:
        """A user by our id."""
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM user WHERE id = ?", (user_id,))
        return _user(row) if row else None

    async def get_by_external(self, channel: str, external_id: str) -> User | None:
        """A user by channel and the channel's id for them."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM user WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        )
        return _user(row) if row else None

    async def add(
        self, channel: str, external_id: str, first_name: str, role: Role, now: datetime
    ) -> User:
        """Insert a new user and return it."""
        row = await self._db.fetch_one(
            "INSERT INTO user (channel, external_id, first_name, role, created_at)"
            f" VALUES (?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (channel, external_id, first_name, role.value, time_to_db(now)),
        )
        return _user(row)

    async def set_first_name(self, user_id: int, first_name: str) -> None:
        """Record the name the channel now shows."""
        await self._db.execute(
            "UPDATE user SET first_name = ? WHERE id = ?", (first_name, user_id)
        )

    async def set_language(self, user_id: int, language: Language) -> None:
        """Record the user's chosen language."""
        await self._db.execute(
            "UPDATE user SET language = ? WHERE id = ?", (language.value, user_id)
        )

    async def set_role(self, user_id: int, role: Role) -> None:
        """Record the user's role."""
        await self._db.execute("UPDATE user SET role = ? WHERE id = ?", (role.value, user_id))

    async def set_phone(self, user_id: int, phone: str | None) -> None:
        """Record the phone number the user shared (normalised)."""
        await self._db.execute("UPDATE user SET phone = ? WHERE id = ?", (phone, user_id))

    async def with_role(self, role: Role) -> list[User]:
        """Users who have `role`, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM user WHERE role = ? ORDER BY id", (role.value,)
        )
        return [_user(row) for row in rows]

    async def set_unreachable(self, user_id: int, since: datetime | None) -> None:
        """Mark that the user blocked the bot (or clear it when they come back)."""
        await self._db.execute(
            "UPDATE user SET unreachable_at = ? WHERE id = ?",
            (time_to_db(since) if since else None, user_id),
        )
