"""The community tree: community → compound → building → unit → household."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.models import (
    Building,
    Community,
    Compound,
    Household,
    HouseholdFlags,
    NewHousehold,
    Unit,
)
from storage.codec import area_from_db, area_to_db, time_to_db
from storage.database import Database

_HOUSEHOLD_COLUMNS = (
    "id, unit_id, room, floor, area_centi, owner_name, owner_key, phone,"
    " lives_alone, elderly, disabled"
)


def household_from_row(row: Any) -> Household:
    """Map a household row (with the standard columns) to the model."""
    return Household(
        id=row["id"],
        unit_id=row["unit_id"],
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


class SqliteCommunityRepository:
    """Reads and writes the community tree."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_community(self) -> Community | None:
        """The community of this deployment (the first one)."""
        row = await self._db.fetch_one(
            "SELECT id, name, timezone FROM community ORDER BY id LIMIT 1"
        )
        return Community.model_validate(dict(row)) if row else None

    async def upsert_community(self, name: str, timezone: str) -> Community:
        """Create the community, or update its name and time zone."""
        existing = await self.get_community()
        if existing is None:
            community_id = await self._db.insert(
                "INSERT INTO community (name, timezone) VALUES (?, ?)", (name, timezone)
            )
        else:
            community_id = existing.id
            await self._db.execute(
                "UPDATE community SET name = ?, timezone = ? WHERE id = ?",
                (name, timezone, community_id),
            )
        return Community(id=community_id, name=name, timezone=timezone)

    async def add_compound(self, community_id: int, name: str) -> Compound:
        """Insert a compound."""
        new_id = await self._db.insert(
            "INSERT INTO compound (community_id, name) VALUES (?, ?)", (community_id, name)
        )
        return Compound(id=new_id, community_id=community_id, name=name)

    async def add_building(self, compound_id: int, name: str) -> Building:
        """Insert a building."""
        new_id = await self._db.insert(
            "INSERT INTO building (compound_id, name) VALUES (?, ?)", (compound_id, name)
        )
        return Building(id=new_id, compound_id=compound_id, name=name)

    async def add_unit(self, building_id: int, name: str) -> Unit:
        """Insert a unit."""
        new_id = await self._db.insert(
            "INSERT INTO unit (building_id, name) VALUES (?, ?)", (building_id, name)
        )
        return Unit(id=new_id, building_id=building_id, name=name)

    async def add_household(self, household: NewHousehold, now: datetime) -> Household:
        """Insert a household."""
        stamp = time_to_db(now)
        new_id = await self._db.insert(
            "INSERT INTO household (unit_id, room, floor, area_centi, owner_name, owner_key,"
            " phone, lives_alone, elderly, disabled, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                household.unit_id,
                household.room,
                household.floor,
                area_to_db(household.area),
                household.owner_name,
                household.owner_key,
                household.phone,
                int(household.flags.lives_alone),
                int(household.flags.elderly),
                int(household.flags.disabled),
                stamp,
                stamp,
            ),
        )
        return Household(id=new_id, **household.model_dump())

    async def list_compounds(self) -> list[Compound]:
        """Every compound, by name."""
        rows = await self._db.fetch_all(
            "SELECT id, community_id, name FROM compound ORDER BY name, id"
        )
        return [Compound.model_validate(dict(row)) for row in rows]

    async def list_buildings(self, compound_id: int) -> list[Building]:
        """The buildings of a compound, by name."""
        rows = await self._db.fetch_all(
            "SELECT id, compound_id, name FROM building WHERE compound_id = ?"
            " ORDER BY length(name), name, id",
            (compound_id,),
        )
        return [Building.model_validate(dict(row)) for row in rows]

    async def list_units(self, building_id: int) -> list[Unit]:
        """The units of a building, by name."""
        rows = await self._db.fetch_all(
            "SELECT id, building_id, name FROM unit WHERE building_id = ?"
            " ORDER BY length(name), name, id",
            (building_id,),
        )
        return [Unit.model_validate(dict(row)) for row in rows]

    async def list_households(self, unit_id: int) -> list[Household]:
        """The households of a unit, by room."""
        rows = await self._db.fetch_all(
            f"SELECT {_HOUSEHOLD_COLUMNS} FROM household WHERE unit_id = ?"
            " ORDER BY length(room), room, id",
            (unit_id,),
        )
        return [household_from_row(row) for row in rows]

    async def get_household(self, household_id: int) -> Household | None:
        """A household by id."""
        row = await self._db.fetch_one(
            f"SELECT {_HOUSEHOLD_COLUMNS} FROM household WHERE id = ?", (household_id,)
        )
        return household_from_row(row) if row else None

    async def get_compound(self, compound_id: int) -> Compound | None:
        """A compound by id."""
        row = await self._db.fetch_one(
            "SELECT id, community_id, name FROM compound WHERE id = ?", (compound_id,)
        )
        return Compound.model_validate(dict(row)) if row else None

    async def get_building(self, building_id: int) -> Building | None:
        """A building by id."""
        row = await self._db.fetch_one(
            "SELECT id, compound_id, name FROM building WHERE id = ?", (building_id,)
        )
        return Building.model_validate(dict(row)) if row else None

    async def get_unit(self, unit_id: int) -> Unit | None:
        """A unit by id."""
        row = await self._db.fetch_one(
            "SELECT id, building_id, name FROM unit WHERE id = ?", (unit_id,)
        )
        return Unit.model_validate(dict(row)) if row else None
