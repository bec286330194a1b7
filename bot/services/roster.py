"""Importing the roster: all of the file or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.errors import NotFound
from bot.domain.models import Community
from bot.domain.roster import ExistingHousehold, RosterPlan, RosterRow, plan_changes
from bot.ports import Clock, UnitOfWork


class RosterStore(Protocol):
    """What the import needs from storage."""

    async def households(self) -> list[ExistingHousehold]: ...
    async def apply(self, community_id: int, plan: RosterPlan, now: datetime) -> None: ...


class CommunityLookup(Protocol):
    """The community the roster belongs to."""

    async def get_community(self) -> Community | None: ...


class RosterService:
    """Plans an import and, unless it is a dry run, writes it in one transaction."""

    def __init__(
        self, uow: UnitOfWork, store: RosterStore, community: CommunityLookup, clock: Clock
    ) -> None:
        self._uow = uow
        self._store = store
        self._community = community
        self._clock = clock

    async def import_rows(self, rows: Sequence[RosterRow], *, dry_run: bool) -> RosterPlan:
        """Compare with the database and (unless dry_run) write the changes, atomically."""
        async with self._uow.transaction():
            community = await self._community.get_community()
            if community is None:
                raise NotFound("community")
            plan = plan_changes(await self._store.households(), rows)
            if not dry_run and plan.changes:
                await self._store.apply(community.id, plan, self._clock.now())
        return plan
