"""Who may do what: every role check of the services lives here."""

from __future__ import annotations

from typing import Protocol

from bot.domain.errors import NotAllowed
from bot.domain.models import Role, User


class GridAccess(Protocol):
    """What the access rules need to know about grids."""

    async def buildings_of_worker(self, channel: str, external_id: str) -> set[int]: ...
    async def buildings_led_by(self, channel: str, external_id: str) -> set[int]: ...
    async def all_building_ids(self) -> set[int]: ...


class AccessService:
    """Answers "may this user act on this building?" and refuses politely when not."""

    def __init__(self, *, grids: GridAccess) -> None:
        self._grids = grids

    @staticmethod
    def require(user: User | None, role: Role) -> User:
        """The user, if their role is at least `role`; else NotAllowed."""
        if user is None or not user.has_role(role):
            raise NotAllowed(f"needs {role.value}")
        return user

    async def managed_buildings(self, user: User | None) -> set[int]:
        """Buildings whose residents this user looks after: staff all, a grid worker theirs."""
        user = self.require(user, Role.GRID_WORKER)
        if user.has_role(Role.STAFF):
            return await self._grids.all_building_ids()
        return await self._grids.buildings_of_worker(user.channel, user.external_id)

    async def require_building(self, user: User | None, building_id: int) -> User:
        """The user, if they look after `building_id`; else NotAllowed."""
        if building_id not in await self.managed_buildings(user):
            raise NotAllowed(f"building {building_id} is not in the user's grid")
        assert user is not None
        return user

    async def led_buildings(self, user: User | None) -> set[int]:
        """Buildings whose open issues this user sees as building lead (or manages)."""
        user = self.require(user, Role.BUILDING_LEAD)
        if user.has_role(Role.GRID_WORKER):
            return await self.managed_buildings(user)
        return await self._grids.buildings_led_by(user.channel, user.external_id)
