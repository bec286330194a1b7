"""The `invitation` table: one active QR payload per building, old ones kept as revoked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import Invitation
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_COLUMNS = "payload, building_id, created_at, revoked_at"


def _invitation(row: Any) -> Invitation:
    return Invitation(
        payload=row["payload"],
        building_id=row["building_id"],
        created_at=time_from_db(row["created_at"]),
        revoked_at=time_from_db(row["revoked_at"]),
    )


class SqliteInvitationRepository:
    """Reads and writes invitations."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, payload: str) -> Invitation | None:
        """An invitation by its payload."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM invitation WHERE payload = ?", (payload,)
        )
        return _invitation(row) if row else None

    async def active_for_building(self, building_id: int) -> Invitation | None:
        """The building's current (not revoked) invitation."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM invitation WHERE building_id = ? AND revoked_at IS NULL"
            " ORDER BY created_at DESC LIMIT 1",
            (building_id,),
        )
        return _invitation(row) if row else None

    async def add(self, invitation: Invitation) -> None:
        """Store a new invitation."""
        await self._db.execute(
            f"INSERT INTO invitation ({_COLUMNS}) VALUES (?, ?, ?, NULL)",
            (invitation.payload, invitation.building_id, time_to_db(invitation.created_at)),
        )

    async def revoke(self, building_id: int, now: datetime) -> int:
        """Revoke the building's active invitations; how many were."""
        return await self._db.execute(
            "UPDATE invitation SET revoked_at = ? WHERE building_id = ? AND revoked_at IS NULL",
            (time_to_db(now), building_id),
        )
