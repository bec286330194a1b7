"""The ports the core talks to; storage and channels implement them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import ParamSpec, Protocol, TypeVar

from bot.domain.delivery import Category, OutboxRow, OutboxStatus, Priority
from bot.domain.homes import BuildingCoverage, PendingRequest
from bot.domain.messages import Outgoing
from bot.domain.models import (
    Building,
    Community,
    Compound,
    Household,
    Language,
    Membership,
    MembershipStatus,
    NewHousehold,
    Place,
    Role,
    Unit,
    User,
)

P = ParamSpec("P")
T = TypeVar("T")


class Notifier(Protocol):
    """Pushes a message the user did not ask for right now (a decision, a notice, a reminder).

    A push is queued durably in the caller's transaction and delivered later by the sender.
    """

    async def push(
        self,
        user: User,
        message: Outgoing,
        *,
        category: Category = Category.ACCOUNT,
        urgent: bool = False,
        priority: Priority = Priority.PERSONAL,
        slot: str | None = None,
        broadcast_id: int | None = None,
    ) -> int:
        """Queue `message` for `user`; the outbox row's id."""
        ...


class Transport(Protocol):
    """A channel's way of sending: one message, or several as one digest."""

    async def deliver(
        self,
        user: User,
        messages: Sequence[Outgoing],
        *,
        replace: str | None = None,
        bulk: bool = False,
    ) -> str | None:
        """Send (or, with `replace`, edit that earlier message); the channel's message id.

        Raises a `bot.domain.delivery.DeliveryError` when it cannot.
        """
        ...


class OutboxStore(Protocol):
    """The durable outbox and mutes (see storage.outbox)."""

    async def add(
        self,
        user_id: int,
        message: Outgoing,
        *,
        category: Category,
        urgent: bool,
        priority: Priority,
        due_at: datetime,
        now: datetime,
        broadcast_id: int | None = None,
        slot: str | None = None,
        status: OutboxStatus = OutboxStatus.PENDING,
    ) -> int: ...
    async def add_many(
        self,
        user_ids: Sequence[int],
        message: Outgoing,
        *,
        category: Category,
        urgent: bool,
        priority: Priority,
        due_at: datetime,
        now: datetime,
        broadcast_id: int | None = None,
        muted: set[int] | frozenset[int] = frozenset(),
    ) -> None: ...
    async def muted_among(self, user_ids: Sequence[int], category: Category) -> set[int]: ...
    async def unsettled(self, broadcast_id: int) -> int: ...
    async def counts(self, broadcast_id: int) -> dict[OutboxStatus, int]: ...
    async def replace_pending_slot(self, user_id: int, slot: str, message: Outgoing) -> bool: ...
    async def due(self, now: datetime, limit: int) -> list[OutboxRow]: ...
    async def next_due(self) -> datetime | None: ...
    async def mark_sending(self, ids: Sequence[int]) -> None: ...
    async def mark_sent(
        self, ids: Sequence[int], external_ref: str | None, now: datetime
    ) -> None: ...
    async def retry(
        self, ids: Sequence[int], due_at: datetime, error: str, *, counts: bool
    ) -> None: ...
    async def finish(self, ids: Sequence[int], status: OutboxStatus, error: str) -> None: ...
    async def finish_pending_of_user(
        self, user_id: int, status: OutboxStatus, error: str
    ) -> None: ...
    async def recover(self) -> int: ...
    async def slot_ref(self, user_id: int, slot: str) -> str | None: ...
    async def muted(self, user_id: int) -> set[Category]: ...
    async def set_muted(self, user_id: int, category: Category, muted: bool) -> None: ...
    async def toggle_muted(self, user_id: int, category: Category) -> bool: ...


class Offload(Protocol):
    """Runs slow, pure work (a chart, a spreadsheet, a selection rule) off the event loop."""

    async def __call__(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """The result of `func(*args, **kwargs)`."""
        ...


class Clock(Protocol):
    """Where the core gets the time from; tests move it instead of sleeping."""

    def now(self) -> datetime:
        """The current time, tz-aware UTC."""
        ...


class UnitOfWork(Protocol):
    """Opens a write transaction; everything awaited inside commits or rolls back together."""

    def transaction(self) -> AbstractAsyncContextManager[None]:
        """Begin an immediate write transaction."""
        ...


class UserRepository(Protocol):
    """Users by channel identity."""

    async def get(self, user_id: int) -> User | None: ...
    async def get_by_external(self, channel: str, external_id: str) -> User | None: ...
    def cached(self, channel: str, external_id: str) -> User | None: ...
    async def add(
        self, channel: str, external_id: str, first_name: str, role: Role, now: datetime
    ) -> User | None: ...
    async def set_first_name(self, user_id: int, first_name: str) -> None: ...
    async def set_language(self, user_id: int, language: Language) -> None: ...
    async def set_role(self, user_id: int, role: Role) -> None: ...
    async def set_phone(self, user_id: int, phone: str | None) -> None: ...
    async def with_role(self, role: Role) -> list[User]: ...
    async def set_unreachable(self, user_id: int, since: datetime | None) -> None: ...


class CommunityRepository(Protocol):
    """The community tree: community, compounds, buildings, units, households."""

    async def get_community(self) -> Community | None: ...
    async def upsert_community(self, name: str, timezone: str) -> Community: ...
    async def add_compound(self, community_id: int, name: str) -> Compound: ...
    async def add_building(self, compound_id: int, name: str) -> Building: ...
    async def add_unit(self, building_id: int, name: str) -> Unit: ...
    async def add_household(self, household: NewHousehold, now: datetime) -> Household: ...
    async def list_compounds(self) -> list[Compound]: ...
    async def list_buildings(self, compound_id: int) -> list[Building]: ...
    async def list_units(self, building_id: int) -> list[Unit]: ...
    async def list_households(self, unit_id: int) -> list[Household]: ...
    async def get_household(self, household_id: int) -> Household | None: ...
    async def get_compound(self, compound_id: int) -> Compound | None: ...
    async def get_building(self, building_id: int) -> Building | None: ...
    async def get_unit(self, unit_id: int) -> Unit | None: ...


class MembershipRepository(Protocol):
    """Links between users and households."""

    async def add(self, membership: Membership) -> None: ...
    async def get(self, user_id: int, household_id: int) -> Membership | None: ...
    async def list_for_user(self, user_id: int) -> list[Membership]: ...
    async def list_for_household(self, household_id: int) -> list[Membership]: ...
    async def decide(
        self,
        user_id: int,
        household_id: int,
        status: MembershipStatus,
        decided_by: int | None,
        now: datetime,
    ) -> None: ...
    async def set_current(self, user_id: int, household_id: int | None) -> None: ...
    async def member_names(self, household_id: int) -> list[tuple[int, str]]: ...
    async def pending_in(self, building_ids: Iterable[int]) -> list[PendingRequest]: ...
    async def coverage(self, building_ids: Iterable[int]) -> list[BuildingCoverage]: ...


class PlaceLookup(Protocol):
    """Where households are and who looks after their buildings."""

    async def place(self, household_id: int) -> Place | None: ...
    async def building_of_household(self, household_id: int) -> int | None: ...
    async def workers_of_building(self, building_id: int) -> list[tuple[str, str]]: ...
