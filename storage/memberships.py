"""Links between users and households."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bot.domain.homes import BuildingCoverage, PendingRequest, sort_key
from bot.domain.models import Membership, MembershipStatus, Place
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_COLUMNS = "user_id, household_id, status, is_current, created_at, decided_by, decided_at, via"


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
        """Insert a membership, or replace the user's earlier one for that household."""
        await self._db.execute(
            f"INSERT OR REPLACE INTO membership ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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

    async def get(self, user_id: int, household_id: int) -> Membership | None:
        """One user's membership of one household."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM membership WHERE user_id = ? AND household_id = ?",
            (user_id, household_id),
        )
        return _membership(row) if row else None

    async def decide(
        self,
        user_id: int,
        household_id: int,
        status: MembershipStatus,
        decided_by: int | None,
        now: datetime,
    ) -> None:
        """Record a decision on (or the end of) a membership."""
        await self._db.execute(
            "UPDATE membership SET status = ?, decided_by = ?, decided_at = ?,"
            " is_current = CASE WHEN ? = 'approved' THEN is_current ELSE 0 END"
            " WHERE user_id = ? AND household_id = ?",
            (status.value, decided_by, time_to_db(now), status.value, user_id, household_id),
        )

    async def set_current(self, user_id: int, household_id: int | None) -> None:
        """Make one approved household the user's current one (None: none is)."""
        await self._db.execute(
            "UPDATE membership SET is_current = (household_id IS ? AND status = 'approved')"
            " WHERE user_id = ?",
            (household_id, user_id),
        )

    async def member_names(self, household_id: int) -> list[tuple[int, str]]:
        """(user id, first name) of the approved members of a household, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT u.id, u.first_name FROM membership m JOIN user u ON u.id = m.user_id"
            " WHERE m.household_id = ? AND m.status = 'approved' ORDER BY m.created_at",
            (household_id,),
        )
        return [(row[0], row[1]) for row in rows]

    async def pending_in(self, building_ids: Iterable[int]) -> list[PendingRequest]:
        """Requests waiting for a decision in these buildings, oldest first."""
        ids = list(building_ids)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = await self._db.fetch_all(
            "SELECT m.user_id, us.first_name, m.household_id, m.created_at,"
            " c.name AS compound, b.name AS building, u.name AS unit, h.room"
            " FROM membership m JOIN user us ON us.id = m.user_id"
            " JOIN household h ON h.id = m.household_id JOIN unit u ON u.id = h.unit_id"
            " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
            f" WHERE m.status = 'pending' AND b.id IN ({marks}) ORDER BY m.created_at",
            ids,
        )
        return [
            PendingRequest(
                user_id=row["user_id"],
                first_name=row["first_name"],
                household_id=row["household_id"],
                place=Place(
                    compound=row["compound"],
                    building=row["building"],
                    unit=row["unit"],
                    room=row["room"],
                ),
                requested_at=time_from_db(row["created_at"]),
            )
            for row in rows
        ]

    async def coverage(self, building_ids: Iterable[int]) -> list[BuildingCoverage]:
        """Per building: households, how many have an approved member, and which have none."""
        ids = list(building_ids)
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = await self._db.fetch_all(
            "SELECT b.id AS building_id, c.name AS compound, b.name AS building,"
            " u.name AS unit, h.room, EXISTS (SELECT 1 FROM membership m"
            "  WHERE m.household_id = h.id AND m.status = 'approved') AS registered"
            " FROM building b JOIN compound c ON c.id = b.compound_id"
            " JOIN unit u ON u.building_id = b.id JOIN household h ON h.unit_id = u.id"
            f" WHERE b.id IN ({marks})",
            ids,
        )
        grouped: dict[int, list[Any]] = {}
        for row in rows:
            grouped.setdefault(row["building_id"], []).append(row)
        result = []
        for building_id, group in grouped.items():
            missing = sorted(
                (row for row in group if not row["registered"]),
                key=lambda row: (sort_key(row["unit"]), sort_key(row["room"])),
            )
            result.append(
                BuildingCoverage(
                    building_id=building_id,
                    compound=group[0]["compound"],
                    building=group[0]["building"],
                    households=len(group),
                    registered=sum(1 for row in group if row["registered"]),
                    unregistered=tuple(f"{row['unit']} {row['room']}" for row in missing),
                )
            )
        result.sort(key=lambda item: (item.compound, sort_key(item.building)))
        return result
