"""Links between users and households."""

from __future__ import annotations

from typing import Any

from bot.domain.models import Membership
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_COLUMNS = (
    "user_id, household_id, status, is_current, created_at, decided_by, decided_at, via"
)


def _membership(row: Any) -> Membership:
    data = dict(row)
    data["is_current"] = bool(data["is_current"])
    data["created_at"] = time_from_db(data["created_at"])
    data["decided_at"] = time_from_db(data["decided_at"])
    return Membership.model_validate(data)


class SqliteMembershipRepository:
    """The `membership` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, membership: Membership) -> None:
        """Insert a membership."""
        await self._db.execute(
            f"INSERT INTO membership ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                membership.user_id,
                membership.household_id,
                membership.status.value,
                int(membership.is_current),
                time_to_db(membership.created_at),
                membership.decided_by,
                time_to_db(membership.decided_at) if membership.decided_at else None,
                membership.via.value,
            ),
        )

    async def list_for_user(self, user_id: int) -> list[Membership]:
        """A user's memberships, newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM membership WHERE user_id = ? ORDER BY created_at DESC",
            (user_id,),
        )
        return [_membership(row) for row in rows]

    async def list_for_household(self, household_id: int) -> list[Membership]:
        """A household's memberships, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM membership WHERE household_id = ? ORDER BY created_at",
            (household_id,),
        )
        return [_membership(row) for row in rows]
