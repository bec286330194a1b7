"""Grids and building leads, kept in line with the configuration."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.ports import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GridSpec:
    """A grid as configured: a name, buildings as (compound, building) names, worker ids."""

    name: str
    buildings: Sequence[tuple[str, str]]
    workers: Sequence[str]


@dataclass(frozen=True)
class LeadSpec:
    """A building lead as configured."""

    building: tuple[str, str]
    external_id: str


class GridStore(Protocol):
    """What syncing grids needs from storage."""

    async def building_id(self, compound: str, building: str) -> int | None: ...
    async def replace_grids(
        self, grids: Sequence[tuple[str, Sequence[int], Sequence[str]]], channel: str
    ) -> None: ...
    async def replace_leads(self, leads: Sequence[tuple[int, str]], channel: str) -> None: ...


class GridService:
    """Writes the configured grids and leads to the database, where roles are read from."""

    def __init__(self, *, uow: UnitOfWork, store: GridStore, channel: str) -> None:
        self._uow = uow
        self._store = store
        self._channel = channel

    async def sync(self, grids: Sequence[GridSpec], leads: Sequence[LeadSpec]) -> list[str]:
        """Replace grids and leads; return the "<compound>/<building>" names not found."""
        missing: list[str] = []

        async def resolve(names: tuple[str, str]) -> int | None:
            building_id = await self._store.building_id(*names)
            if building_id is None:
                missing.append("/".join(names))
            return building_id

        async with self._uow.transaction():
            rows = []
            for grid in grids:
                ids = [await resolve(names) for names in grid.buildings]
                rows.append((grid.name, [i for i in ids if i is not None], list(grid.workers)))
            await self._store.replace_grids(rows, self._channel)
            lead_rows = []
            for lead in leads:
                building_id = await resolve(lead.building)
                if building_id is not None:
                    lead_rows.append((building_id, lead.external_id))
            await self._store.replace_leads(lead_rows, self._channel)
        if missing:
            logger.warning(
                "grids name %d building(s) not in the database (import the roster first)",
                len(missing),
            )
        return missing
