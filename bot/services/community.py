"""The community tree as services see it."""

from __future__ import annotations

from bot.domain.models import Community
from bot.ports import CommunityRepository, UnitOfWork


class CommunityService:
    """Keeps the community row in line with the configuration."""

    def __init__(self, uow: UnitOfWork, community: CommunityRepository) -> None:
        self._uow = uow
        self._community = community

    async def ensure(self, name: str, timezone: str) -> Community:
        """Create or update the community this deployment serves."""
        current = await self._community.get_community()
        if current and current.name == name and current.timezone == timezone:
            return current
        async with self._uow.transaction():
            return await self._community.upsert_community(name, timezone)
