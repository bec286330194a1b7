"""Roster import: the households as the roster sees them, and writing an import plan."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import HouseholdFlags
from bot.domain.roster import ExistingHousehold, RosterPlan, RosterRow
from storage.codec import area_from_db, area_to_db, time_to_db
from storage.database import Database


class SqliteRosterRepository:
    """Reads the community tree by names; writes added and updated households."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def households(self) -> list[ExistingHousehold]:
        """Every household with its compound, building and unit names."""
        rows = await self._db.fetch_all(
            "SELECT h.id, c.name AS compound, b.name AS building, u.name AS unit, h.room,"
            " h.floor, h.area_centi, h.owner_name, h.owner_key, h.phone,"
            " h.lives_alone, h.elderly, h.disabled"
            " FROM household h JOIN unit u ON u.id = h.unit_id"
            " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
        )
        return [
            ExistingHousehold(
                id=row["id"],
                compound=row["compound"],
                building=row["building"],
                unit=row["unit"],
                room=row["room"],
                floor=row["floor"],
                area=area_from_db(row["area_centi"]),
                owner_name=row["owner_name"],
                owner_key=row["owner_key"],
                phone=row["phone"],
                flags=HouseholdFlags(
                    lives_alone=bool(row["lives_alone"]),
                    elderly=bool(row["elderly"]),
                    disabled=bool(row["disabled"]),
                ),
            )
            for row in rows
        ]

    async def _id(self, table: str, parent: str, parent_id: int, name: str) -> int:
        await self._db.execute(
            f"INSERT INTO {table} ({parent}, name) VALUES (?, ?)"
            f" ON CONFLICT ({parent}, name) DO NOTHING",
            (parent_id, name),
        )
        found = await self._db.fetch_int(
            f"SELECT id FROM {table} WHERE {parent} = ? AND name = ?", (parent_id, name)
        )
        assert found is not None, "inserted or already there just above"
        return found

    async def _unit_id(self, community_id: int, row: RosterRow) -> int:
        compound = await self._id("compound", "community_id", community_id, row.compound)
        building = await self._id("building", "compound_id", compound, row.building)
        return await self._id("unit", "building_id", building, row.unit)

    async def apply(self, community_id: int, plan: RosterPlan, now: datetime) -> None:
        """Insert the added households (creating names as needed) and update the changed."""
        stamp = time_to_db(now)
        for row in plan.added:
            unit_id = await self._unit_id(community_id, row)
            await self._db.execute(
                "INSERT INTO household (unit_id, room, floor, area_centi, owner_name, owner_key,"
                " phone, lives_alone, elderly, disabled, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (unit_id, row.room, *self._values(row), stamp, stamp),
            )
        for household_id, row, _ in plan.updated:
            await self._db.execute(
                "UPDATE household SET floor = ?, area_centi = ?, owner_name = ?, owner_key = ?,"
                " phone = ?, lives_alone = ?, elderly = ?, disabled = ?, updated_at = ?"
                " WHERE id = ?",
                (*self._values(row), stamp, household_id),
            )

    @staticmethod
    def _values(row: RosterRow) -> tuple[object, ...]:
        return (
            row.floor,
            area_to_db(row.area),
            row.owner_name,
            row.owner_key,
            row.phone,
            int(row.flags.lives_alone),
            int(row.flags.elderly),
            int(row.flags.disabled),
        )
