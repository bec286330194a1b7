"""Grids, their buildings and workers, building leads, and where a household is."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from bot.domain.models import Grid, Place, Role
from storage.database import Database

_PLACE = (
    "SELECT c.name AS compound, b.name AS building, u.name AS unit, h.room AS room"
    " FROM household h JOIN unit u ON u.id = h.unit_id"
    " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
)


def _place(row: Any) -> Place:
    return Place(
        compound=row["compound"], building=row["building"], unit=row["unit"], room=row["room"]
    )


ROLES_TTL = 30.0  # seconds a process trusts its copy of the declared roles


class SqliteGridRepository:
    """The `grid`, `grid_building`, `grid_worker` and `building_lead` tables.

    Every update asks for its sender's declared role, so the (small) table of who is a grid
    worker or a building lead is kept in memory: dropped by this process's own writes, and
    read again after ROLES_TTL seconds in case `shangliang import-roster` re-synced the grids
    from another process.
    """

    def __init__(self, db: Database, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._monotonic = monotonic
        self._roles: dict[tuple[str, str], Role] | None = None
        self._roles_read_at = 0.0
        self._writes = 0

    def _roles_changed(self) -> None:
        self._writes += 1
        self._roles = None

    async def building_id(self, compound: str, building: str) -> int | None:
        """A building by its compound's name and its own."""
        return await self._db.fetch_int(
            "SELECT b.id FROM building b JOIN compound c ON c.id = b.compound_id"
            " WHERE c.name = ? AND b.name = ?",
            (compound, building),
        )

    async def replace_grids(
        self, grids: Sequence[tuple[str, Sequence[int], Sequence[str]]], channel: str
    ) -> None:
        """Make the grids exactly these (name, building ids, worker ids); kept grids keep ids."""
        self._roles_changed()
        names = [name for name, _, _ in grids]
        marks = ", ".join("?" for _ in names)
        await self._db.execute(
            f"DELETE FROM grid WHERE name NOT IN ({marks})" if names else "DELETE FROM grid",
            names,
        )
        for name, buildings, workers in grids:
            await self._db.execute(
                "INSERT INTO grid (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,)
            )
            grid_id = await self._db.fetch_value("SELECT id FROM grid WHERE name = ?", (name,))
            await self._db.execute("DELETE FROM grid_building WHERE grid_id = ?", (grid_id,))
            await self._db.execute("DELETE FROM grid_worker WHERE grid_id = ?", (grid_id,))
            await self._db.execute_many(
                "INSERT INTO grid_building (grid_id, building_id) VALUES (?, ?)",
                [(grid_id, building_id) for building_id in buildings],
            )
            await self._db.execute_many(
                "INSERT INTO grid_worker (grid_id, channel, external_id) VALUES (?, ?, ?)",
                [(grid_id, channel, worker) for worker in dict.fromkeys(workers)],
            )

    async def replace_leads(self, leads: Sequence[tuple[int, str]], channel: str) -> None:
        """Make the building leads exactly these (building id, external id)."""
        self._roles_changed()
        await self._db.execute("DELETE FROM building_lead WHERE channel = ?", (channel,))
        await self._db.execute_many(
            "INSERT OR IGNORE INTO building_lead (building_id, channel, external_id)"
            " VALUES (?, ?, ?)",
            [(building_id, channel, external_id) for building_id, external_id in leads],
        )

    async def declared_role(self, channel: str, external_id: str) -> Role | None:
        """The role the grids and leads give this identity, if any."""
        roles = self._roles
        if roles is None or self._monotonic() - self._roles_read_at > ROLES_TTL:
            roles = await self._read_roles()
        return roles.get((channel, external_id))

    async def _read_roles(self) -> dict[tuple[str, str], Role]:
        writes, cacheable = self._writes, not self._db.in_transaction()
        rows = await self._db.fetch_all(
            "SELECT channel, external_id, 1 AS worker FROM building_lead"
            " UNION ALL SELECT channel, external_id, 2 AS worker FROM grid_worker"
            " ORDER BY worker"
        )
        # A grid worker who also leads a building is a grid worker: their rows come last.
        roles = {
            (row["channel"], row["external_id"]): Role.GRID_WORKER
            if row["worker"] == 2
            else Role.BUILDING_LEAD
            for row in rows
        }
        if cacheable and writes == self._writes:
            self._roles, self._roles_read_at = roles, self._monotonic()
        return roles

    async def grids(self) -> list[Grid]:
        """Every grid, by name."""
        rows = await self._db.fetch_all("SELECT id, name FROM grid ORDER BY name")
        return [Grid.model_validate(dict(row)) for row in rows]

    async def buildings_of_worker(self, channel: str, external_id: str) -> set[int]:
        """The buildings of every grid this identity works in."""
        rows = await self._db.fetch_all(
            "SELECT gb.building_id FROM grid_worker w"
            " JOIN grid_building gb ON gb.grid_id = w.grid_id"
            " WHERE w.channel = ? AND w.external_id = ?",
            (channel, external_id),
        )
        return {row[0] for row in rows}

    async def buildings_led_by(self, channel: str, external_id: str) -> set[int]:
        """The buildings this identity is the lead of."""
        rows = await self._db.fetch_all(
            "SELECT building_id FROM building_lead WHERE channel = ? AND external_id = ?",
            (channel, external_id),
        )
        return {row[0] for row in rows}

    async def workers_of_building(self, building_id: int) -> list[tuple[str, str]]:
        """(channel, external id) of the grid workers looking after a building."""
        rows = await self._db.fetch_all(
            "SELECT w.channel, w.external_id FROM grid_building gb"
            " JOIN grid_worker w ON w.grid_id = gb.grid_id WHERE gb.building_id = ?"
            " ORDER BY w.external_id",
            (building_id,),
        )
        return [(row["channel"], row["external_id"]) for row in rows]

    async def building_of_household(self, household_id: int) -> int | None:
        """The building a household is in."""
        return await self._db.fetch_int(
            "SELECT u.building_id FROM household h JOIN unit u ON u.id = h.unit_id WHERE h.id = ?",
            (household_id,),
        )

    async def place(self, household_id: int) -> Place | None:
        """Compound, building, unit and room of a household."""
        row = await self._db.fetch_one(f"{_PLACE} WHERE h.id = ?", (household_id,))
        return _place(row) if row else None

    async def building_label(self, building_id: int) -> tuple[str, str] | None:
        """(compound name, building name) of a building."""
        row = await self._db.fetch_one(
            "SELECT c.name, b.name FROM building b JOIN compound c ON c.id = b.compound_id"
            " WHERE b.id = ?",
            (building_id,),
        )
        return (row[0], row[1]) if row else None

    async def all_building_ids(self) -> set[int]:
        """Every building of the community."""
        return {row[0] for row in await self._db.fetch_all("SELECT id FROM building")}
