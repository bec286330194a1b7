"""Who a scope reaches: its households, their registered members, or the users of a role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.domain.models import Place
from bot.domain.scope import Reach, Scope, ScopeKind
from storage.database import Database
from storage.grids import _PLACE, _place

_TABLE_OF = {
    ScopeKind.COMPOUNDS: "compound",
    ScopeKind.BUILDINGS: "building",
    ScopeKind.UNITS: "unit",
    ScopeKind.GRIDS: "grid",
}


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values)


# Households with the names of their place (h, u, b, c), and their order on every list.
HOUSEHOLD_PLACES = (
    " FROM household h JOIN unit u ON u.id = h.unit_id"
    " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
)
BY_PLACE = (
    " ORDER BY c.name, length(b.name), b.name, length(u.name), u.name, length(h.room), h.room"
)


def _households_sql(scope: Scope) -> tuple[str, list[Any]]:
    """SELECT of the ids of a household scope's households."""
    sql = (
        "SELECT h.id FROM household h JOIN unit u ON u.id = h.unit_id"
        " JOIN building b ON b.id = u.building_id"
    )
    where: list[str] = []
    params: list[Any] = list(scope.ids)
    marks = _marks(scope.ids)
    if scope.kind is ScopeKind.COMPOUNDS:
        where.append(f"b.compound_id IN ({marks})")
    elif scope.kind is ScopeKind.BUILDINGS:
        where.append(f"b.id IN ({marks})")
    elif scope.kind is ScopeKind.UNITS:
        where.append(f"u.id IN ({marks})")
    elif scope.kind is ScopeKind.GRIDS:
        where.append(f"b.id IN (SELECT building_id FROM grid_building WHERE grid_id IN ({marks}))")
    if scope.vulnerable_only:
        where.append("(h.lives_alone = 1 OR h.elderly = 1 OR h.disabled = 1)")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


async def in_scope(db: Database, scope: Scope, household_id: int) -> bool:
    """Whether the household is one of a household scope's."""
    sql, params = _households_sql(scope)
    return bool(
        await db.fetch_value(
            f"SELECT EXISTS (SELECT 1 FROM ({sql}) s WHERE s.id = ?)", (*params, household_id)
        )
    )


class SqliteAudienceRepository:
    """Read-only queries over the community tree, memberships and users."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def missing(self, scope: Scope) -> list[int]:
        """The ids a scope names that do not exist."""
        table = _TABLE_OF.get(scope.kind)
        if table is None:
            return []
        rows = await self._db.fetch_all(
            f"SELECT id FROM {table} WHERE id IN ({_marks(scope.ids)})", scope.ids
        )
        found = {row["id"] for row in rows}
        return [item for item in scope.ids if item not in found]

    async def building_ids(self, scope: Scope) -> set[int]:
        """The buildings a household scope touches (for access checks)."""
        if scope.kind is ScopeKind.COMMUNITY:
            rows = await self._db.fetch_all("SELECT id FROM building")
        elif scope.kind is ScopeKind.UNITS:
            rows = await self._db.fetch_all(
                f"SELECT building_id AS id FROM unit WHERE id IN ({_marks(scope.ids)})", scope.ids
            )
        elif scope.kind is ScopeKind.COMPOUNDS:
            rows = await self._db.fetch_all(
                f"SELECT id FROM building WHERE compound_id IN ({_marks(scope.ids)})", scope.ids
            )
        elif scope.kind is ScopeKind.GRIDS:
            rows = await self._db.fetch_all(
                f"SELECT building_id AS id FROM grid_building WHERE grid_id IN"
                f" ({_marks(scope.ids)})",
                scope.ids,
            )
        elif scope.kind is ScopeKind.BUILDINGS:
            return set(scope.ids)
        else:
            return set()
        return {row["id"] for row in rows}

    async def targets(self, scope: Scope) -> list[tuple[int | None, int | None]]:
        """(household, user) pairs: each household with each registered member, or with
        None when nobody registered; for a role, (None, user) for each user of that role."""
        if scope.kind is ScopeKind.ROLE:
            assert scope.role is not None
            rows = await self._db.fetch_all(
                "SELECT NULL AS household_id, id AS user_id FROM user WHERE role = ? ORDER BY id",
                (scope.role.value,),
            )
        else:
            sql, params = _households_sql(scope)
            rows = await self._db.fetch_all(
                f"SELECT h.id AS household_id, m.user_id FROM ({sql}) h"
                " LEFT JOIN membership m ON m.household_id = h.id AND m.status = 'approved'"
                " ORDER BY h.id, m.user_id",
                params,
            )
        return [(row["household_id"], row["user_id"]) for row in rows]

    async def reach(self, scope: Scope) -> Reach:
        """How many households and people the scope reaches now."""
        pairs = await self.targets(scope)
        households = {household for household, _ in pairs if household is not None}
        registered = {household for household, user in pairs if household and user}
        people = {user for _, user in pairs if user is not None}
        return Reach(
            households=len(households), registered_households=len(registered), people=len(people)
        )

    async def places(self, household_ids: Iterable[int]) -> list[Place]:
        """Where these households are, sorted by place."""
        ids = list(household_ids)
        if not ids:
            return []
        rows = await self._db.fetch_all(
            f"{_PLACE} WHERE h.id IN ({_marks(ids)})"
            " ORDER BY c.name, b.name, u.name, length(h.room), h.room",
            ids,
        )
        return [_place(row) for row in rows]

    async def compounds(self) -> list[tuple[int, str]]:
        """Every compound, by name."""
        rows = await self._db.fetch_all("SELECT id, name FROM compound ORDER BY name")
        return [(row["id"], row["name"]) for row in rows]

    async def grids(self) -> list[tuple[int, str]]:
        """Every grid, by name."""
        rows = await self._db.fetch_all("SELECT id, name FROM grid ORDER BY name")
        return [(row["id"], row["name"]) for row in rows]

    async def units_in(self, building_ids: Iterable[int]) -> list[tuple[int, str]]:
        """The units of these buildings, labelled "<compound> <building> <unit>" (two
        compounds may both have a 1号楼)."""
        ids = list(building_ids)
        if not ids:
            return []
        rows = await self._db.fetch_all(
            "SELECT u.id, c.name || ' ' || b.name || ' ' || u.name AS label FROM unit u"
            " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
            f" WHERE b.id IN ({_marks(ids)})"
            " ORDER BY c.name, length(b.name), b.name, length(u.name), u.name",
            ids,
        )
        return [(row["id"], row["label"]) for row in rows]

    async def buildings_in(self, building_ids: Iterable[int]) -> list[tuple[int, str]]:
        """These buildings, labelled "<compound> <building>"."""
        ids = list(building_ids)
        if not ids:
            return []
        rows = await self._db.fetch_all(
            "SELECT b.id, c.name || ' ' || b.name AS label FROM building b"
            f" JOIN compound c ON c.id = b.compound_id WHERE b.id IN ({_marks(ids)})"
            " ORDER BY c.name, length(b.name), b.name",
            ids,
        )
        return [(row["id"], row["label"]) for row in rows]
