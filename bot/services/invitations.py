"""Per-building QR invitations: issue, reuse, rotate, and resolve a scanned payload."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain.errors import NotFound
from bot.domain.invitations import (
    InvitationRevoked,
    InvitationUnknown,
    is_valid_payload,
    new_payload,
)
from bot.domain.models import Building, Invitation
from bot.ports import Clock, UnitOfWork


class InvitationStore(Protocol):
    """What invitations need from storage."""

    async def get(self, payload: str) -> Invitation | None: ...
    async def active_for_building(self, building_id: int) -> Invitation | None: ...
    async def add(self, invitation: Invitation) -> None: ...
    async def revoke(self, building_id: int, now: datetime) -> int: ...


class BuildingLookup(Protocol):
    """Checks that a building exists."""

    async def get_building(self, building_id: int) -> Building | None: ...


class InvitationService:
    """One active code per building; printed posters keep working until rotated."""

    def __init__(
        self, uow: UnitOfWork, store: InvitationStore, buildings: BuildingLookup, clock: Clock
    ) -> None:
        self._uow = uow
        self._store = store
        self._buildings = buildings
        self._clock = clock

    async def code_for(self, building_id: int) -> Invitation:
        """The building's active invitation, created if it has none."""
        async with self._uow.transaction():
            if await self._buildings.get_building(building_id) is None:
                raise NotFound("building")
            current = await self._store.active_for_building(building_id)
            if current is not None:
                return current
            return await self._issue(building_id)

    async def rotate(self, building_id: int) -> Invitation:
        """Revoke the building's code (a leaked or torn-down poster) and issue a new one."""
        async with self._uow.transaction():
            if await self._buildings.get_building(building_id) is None:
                raise NotFound("building")
            await self._store.revoke(building_id, self._clock.now())
            return await self._issue(building_id)

    async def _issue(self, building_id: int) -> Invitation:
        invitation = Invitation(
            payload=new_payload(), building_id=building_id, created_at=self._clock.now()
        )
        await self._store.add(invitation)
        return invitation

    async def resolve(self, payload: str) -> Invitation:
        """The invitation a scanned payload names; unknown and revoked ones are refused."""
        invitation = await self._store.get(payload) if is_valid_payload(payload) else None
        if invitation is None:
            raise InvitationUnknown()
        if invitation.revoked:
            raise InvitationRevoked()
        return invitation
