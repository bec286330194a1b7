"""Users by channel identity."""

from __future__ import annotations

from collections import OrderedDict
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


CACHE_SIZE = 20_000


class SqliteUserRepository:
    """Users in the `user` table.

    Every update identifies its sender, so users are cached by channel identity: this process
    is the only writer of `user` rows (the command-line tools do not touch them), and every
    write below drops the cached row. A read inside a transaction is not cached (it may see
    writes that are rolled back), and a read that raced a write is not stored.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: OrderedDict[tuple[str, str], User] = OrderedDict()
        self._keys: dict[int, tuple[str, str]] = {}  # user id → its cache key
        self._writes = 0  # bumped by every write: a read that overlapped one is not cached

    def _forget(self, user_id: int) -> None:
        self._writes += 1
        key = self._keys.pop(user_id, None)
        if key is not None:
            self._cache.pop(key, None)

    def _remember(self, user: User) -> None:
        key = (user.channel, user.external_id)
        self._cache[key] = user
        self._cache.move_to_end(key)
        self._keys[user.id] = key
        while len(self._cache) > CACHE_SIZE:
            _, dropped = self._cache.popitem(last=False)
            self._keys.pop(dropped.id, None)

    async def get(self, user_id: int) -> User | None:
        """A user by our id."""
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM user WHERE id = ?", (user_id,))
        return _user(row) if row else None

    def cached(self, channel: str, external_id: str) -> User | None:
        """The user by channel identity if this process has the row in memory."""
        return self._cache.get((channel, external_id))

    async def get_by_external(self, channel: str, external_id: str) -> User | None:
        """A user by channel and the channel's id for them."""
        cached = self._cache.get((channel, external_id))
        if cached is not None:
            return cached
        writes, cacheable = self._writes, not self._db.in_transaction()
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM user WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        )
        if row is None:
            return None
        user = _user(row)
        if cacheable and writes == self._writes:
            self._remember(user)
        return user

    async def add(
        self, channel: str, external_id: str, first_name: str, role: Role, now: datetime
    ) -> User | None:
        """Insert a new user and return it; None if the identity already has a row."""
        row = await self._db.fetch_one(
            "INSERT INTO user (channel, external_id, first_name, role, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO NOTHING"
            f" RETURNING {_COLUMNS}",
            (channel, external_id, first_name, role.value, time_to_db(now)),
        )
        if row is None:
            return None
        user = _user(row)
        if not self._db.in_transaction():  # committed already: safe to remember
            self._remember(user)
        return user

    async def set_first_name(self, user_id: int, first_name: str) -> None:
        """Record the name the channel now shows."""
        self._forget(user_id)
        await self._db.execute(
            "UPDATE user SET first_name = ? WHERE id = ?", (first_name, user_id)
        )

    async def set_language(self, user_id: int, language: Language) -> None:
        """Record the user's chosen language."""
        self._forget(user_id)
        await self._db.execute(
            "UPDATE user SET language = ? WHERE id = ?", (language.value, user_id)
        )

    async def set_role(self, user_id: int, role: Role) -> None:
        """Record the user's role."""
        self._forget(user_id)
        await self._db.execute("UPDATE user SET role = ? WHERE id = ?", (role.value, user_id))

    async def set_phone(self, user_id: int, phone: str | None) -> None:
        """Record the phone number the user shared (normalised)."""
        self._forget(user_id)
        await self._db.execute("UPDATE user SET phone = ? WHERE id = ?", (phone, user_id))

    async def with_role(self, role: Role) -> list[User]:
        """Users who have `role`, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM user WHERE role = ? ORDER BY id", (role.value,)
        )
        return [_user(row) for row in rows]

    async def set_unreachable(self, user_id: int, since: datetime | None) -> None:
        """Mark that the user blocked the bot (or clear it when they come back)."""
        self._forget(user_id)
        await self._db.execute(
            "UPDATE user SET unreachable_at = ? WHERE id = ?",
            (time_to_db(since) if since else None, user_id),
        )
