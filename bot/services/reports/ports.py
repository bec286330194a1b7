"""What the report services need from storage (implemented in storage/reports.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.homes import Home
from bot.domain.models import User
from bot.domain.reports import (
    EventKind,
    Media,
    ReportCategory,
    ReportDraft,
    Ticket,
    TicketEvent,
    TicketStatus,
)


class TicketStore(Protocol):
    """Ticket rows (see storage.reports)."""

    async def add(
        self,
        year: int,
        draft: ReportDraft,
        *,
        reporter_id: int,
        household_id: int,
        building_id: int,
        compound_id: int,
        accept_by: datetime,
        resolve_by: datetime,
        now: datetime,
    ) -> int: ...
    async def get(self, ticket_id: int) -> Ticket | None: ...
    async def update(self, ticket_id: int, now: datetime, **fields: object) -> None: ...
    async def add_event(
        self,
        ticket_id: int,
        kind: EventKind,
        at: datetime,
        *,
        actor_id: int | None = None,
        from_status: TicketStatus | None = None,
        to_status: TicketStatus | None = None,
        note: str = "",
    ) -> int: ...
    async def events(self, ticket_id: int) -> list[TicketEvent]: ...
    async def event(self, event_id: int) -> TicketEvent | None: ...
    async def add_media(
        self, ticket_id: int, media: Sequence[Media], now: datetime, event_id: int | None = None
    ) -> None: ...
    async def media(self, ticket_id: int) -> list[Media]: ...
    async def media_by_event(self, ticket_id: int) -> list[tuple[int | None, Media]]: ...
    async def add_supporter(
        self, ticket_id: int, household_id: int, user_id: int, now: datetime
    ) -> bool: ...
    async def supporter_households(self, ticket_id: int) -> list[int]: ...
    async def similar(
        self, category: ReportCategory, building_id: int, compound_id: int, spot: str | None
    ) -> list[Ticket]: ...
    async def open_in(self, building_ids: Sequence[int]) -> list[Ticket]: ...
    async def of_households(self, household_ids: Sequence[int], limit: int) -> list[Ticket]: ...
    async def created_between(self, start: datetime, end: datetime) -> list[Ticket]: ...
    async def all_open(self) -> list[Ticket]: ...
    async def grid_of_buildings(self) -> dict[int, str]: ...


class Homes(Protocol):
    """The reporter's household (see RegistrationService)."""

    async def current_home(self, user: User) -> Home | None: ...
    async def homes(self, user: User) -> list[Home]: ...


class BuildingTree(Protocol):
    """Which compound a building is in."""

    async def get_building(self, building_id: int) -> object | None: ...
