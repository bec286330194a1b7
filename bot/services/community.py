"""The community tree as services see it."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import NotFound
from bot.domain.models import Building, Community, Compound, Household, NewHousehold, Unit
from bot.ports import CommunityRepository, UnitOfWork


class CommunityService:
    """Keeps the community row in line with the configuration."""

    def __init__(self, *, uow: UnitOfWork, community: CommunityRepository) -> None:
        self._uow = uow
        self._community = community

    async def ensure(self, name: str, timezone: str) -> Community:
        """Create or update the community this deployment serves."""
        current = await self._community.get_community()
        if current and current.name == name and current.timezone == timezone:
            return current
        async with self._uow.transaction():
            return await self._community.upsert_community(name, timezone)

    async def add_compound(self, name: str) -> Compound:
        """Add a 小区 to the community."""
        async with self._uow.transaction():
            community = await self._community.get_community()
            if community is None:
                raise NotFound("community")
            return await self._community.add_compound(community.id, name)

    async def add_building(self, compound_id: int, name: str) -> Building:
        """Add a building to a compound."""
        async with self._uow.transaction():
            return await self._community.add_building(compound_id, name)

    async def add_unit(self, building_id: int, name: str) -> Unit:
        """Add a 单元 to a building."""
        async with self._uow.transaction():
            return await self._community.add_unit(building_id, name)

    async def add_household(self, household: NewHousehold, now: datetime) -> Household:
        """Add a flat to a unit."""
        async with self._uow.transaction():
            return await self._community.add_household(household, now)

    async def compounds(self) -> list[Compound]:
        """Every compound of the community, in order."""
        return await self._community.list_compounds()

    async def buildings(self, compound_id: int) -> list[Building]:
        """The buildings of a compound, in order."""
        return await self._community.list_buildings(compound_id)

    async def building_label(self, building_id: int) -> tuple[str, str] | None:
        """(compound name, building name) of a building, or None."""
        building = await self._community.get_building(building_id)
        if building is None:
            return None
        compound = await self._community.get_compound(building.compound_id)
        return (compound.name if compound else "", building.name)

    async def get_community(self) -> Community | None:
        """The community this deployment serves."""
        return await self._community.get_community()
