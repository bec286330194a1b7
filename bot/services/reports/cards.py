"""Reports: finding tickets and the people around them, and the cards that show a ticket."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.delivery.scheduling import Scheduler
from bot.domain.errors import NotFound
from bot.domain.messages import Action, Outgoing
from bot.domain.models import MembershipStatus, Place, Role, User
from bot.domain.report_stats import ReportStats, report_stats
from bot.domain.reports import (
    PlaceKind,
    ServiceLevels,
    Stage,
    Ticket,
    TicketEvent,
    next_deadline,
)
from bot.domain.vocabulary import Feature
from bot.domain.wording import time_words
from bot.ports import Clock, MembershipRepository, PlaceLookup, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.outbox import OutboxNotifier
from bot.services.reports.ports import BuildingTree, Homes, TicketStore

RESIDENT_FEATURE = Feature.MY_REPORTS  # buttons residents press on pushes (rate, answer)
STAFF_FEATURE = Feature.TICKET  # buttons grid workers and staff press (open a ticket)
REMIND_KINDS = {Stage.ACCEPT: "ticket.accept_remind", Stage.RESOLVE: "ticket.resolve_remind"}
DUE_KINDS = {Stage.ACCEPT: "ticket.accept_due", Stage.RESOLVE: "ticket.resolve_due"}
CLOSE_KIND = "ticket.autoclose"
ALL_KINDS = (*REMIND_KINDS.values(), *DUE_KINDS.values(), CLOSE_KIND)
MY_REPORTS = 20


class ReportLookups:
    """Lookups, lists and cards every part of the report service uses."""

    _uow: UnitOfWork
    _tickets: TicketStore
    _homes: Homes
    _memberships: MembershipRepository
    _places: PlaceLookup
    _tree: BuildingTree
    _users: UserRepository
    _access: AccessService
    _notifier: OutboxNotifier
    _scheduler: Scheduler
    _clock: Clock
    levels: ServiceLevels
    timezone: str

    async def _get(self, ticket_id: int) -> Ticket:
        ticket = await self._tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("ticket")
        return ticket

    async def _where(self, household_id: int) -> tuple[int, int]:
        building_id = await self._places.building_of_household(household_id)
        building = await self._tree.get_building(building_id) if building_id else None
        if building_id is None or building is None:
            raise NotFound("household")
        return building_id, building.compound_id  # type: ignore[attr-defined]

    async def _concerns(self, user: User, ticket: Ticket) -> bool:
        households = {ticket.household_id, *await self._tickets.supporter_households(ticket.id)}
        return any(
            home.household_id in households and home.status is MembershipStatus.APPROVED
            for home in await self._homes.homes(user)
        )

    async def _reported_by(self, user: User, ticket: Ticket) -> bool:
        return any(
            home.household_id == ticket.household_id and home.status is MembershipStatus.APPROVED
            for home in await self._homes.homes(user)
        )

    async def _members(self, household_ids: Sequence[int]) -> list[User]:
        found: dict[int, User] = {}
        for household_id in household_ids:
            for membership in await self._memberships.list_for_household(household_id):
                if membership.status is MembershipStatus.APPROVED:
                    user = await self._users.get(membership.user_id)
                    if user is not None:
                        found[user.id] = user
        return list(found.values())

    async def _handlers_of(self, ticket: Ticket) -> list[User]:
        """The assignee; else the grid workers of the building who use the bot; else staff."""
        if ticket.assignee_id is not None:
            assignee = await self._users.get(ticket.assignee_id)
            if assignee is not None:
                return [assignee]
        found = []
        for channel, external_id in await self._places.workers_of_building(ticket.building_id):
            user = await self._users.get_by_external(channel, external_id)
            if user is not None:
                found.append(user)
        return found or await self._users.with_role(Role.STAFF)

    async def place_label(self, ticket: Ticket, *, private: bool) -> tuple[str, str]:
        """(catalog key of the kind of place, the names) — no room unless `private`."""
        place = await self._places.place(ticket.household_id)
        if place is None:
            return "report.where_other", ticket.place.note
        kind = ticket.place.kind
        if kind is PlaceKind.HOME:
            return ("report.where_home" if private else "report.where_a_home"), _names(
                place, room=private
            )
        if kind is PlaceKind.BUILDING:
            return f"report.spot_{ticket.place.spot}", f"{place.compound} {place.building}"
        if kind is PlaceKind.COMPOUND:
            return f"report.spot_{ticket.place.spot}", place.compound
        return "report.where_other", f"{place.compound}: {ticket.place.note}"

    async def card(
        self,
        ticket: Ticket,
        key: str,
        *,
        private: bool,
        open_button: bool = False,
        **extra: str | int,
    ) -> Outgoing:
        """A ticket as a message (`private`: with the room, for its household and handlers;
        `open_button`: with the button that opens the ticket card, for its handlers)."""
        where, names = await self.place_label(ticket, private=private)
        assignee = await self._users.get(ticket.assignee_id) if ticket.assignee_id else None
        return Outgoing(
            key=key,
            params={
                "number": ticket.number,
                "place": names,
                "description": ticket.description or ("🎤" if ticket.voices else "—"),
                "created": time_words(ticket.created_at, self.timezone),
                "deadline": time_words(next_deadline(ticket), self.timezone),
                "supporters": ticket.supporters,
                "photos": ticket.photos,
                "voices": ticket.voices,
                "assignee": assignee.first_name if assignee else "—",
                "reason": ticket.reason or "—",
                **extra,
            },
            labels={
                "category": f"report.cat_{ticket.category.value}",
                "status": f"report.status_{ticket.status.value}",
                "urgency": f"report.urgency_{ticket.urgency.value}",
                "where": where,
            },
            actions=(
                (
                    Action(
                        label_key="report.open_button",
                        feature=STAFF_FEATURE,
                        action="open",
                        args=(str(ticket.id),),
                    ),
                ),
            )
            if open_button
            else (),
        )

    async def _handler_card(self, ticket: Ticket, key: str, **extra: str | int) -> Outgoing:
        """A push to whoever handles the ticket: with the room and the Open button."""
        return await self.card(ticket, key, private=True, open_button=True, **extra)

    async def assignee_name(self, ticket: Ticket) -> str:
        """The assignee's first name, or ""."""
        assignee = await self._users.get(ticket.assignee_id) if ticket.assignee_id else None
        return assignee.first_name if assignee else ""

    async def grid_names(self) -> dict[int, str]:
        """Building id → grid name."""
        return await self._tickets.grid_of_buildings()

    async def tickets_between(self, start: datetime, end: datetime) -> list[Ticket]:
        """Tickets filed in [start, end) (for exports and statistics)."""
        return await self._tickets.created_between(start, end)

    async def open_tickets(self) -> list[Ticket]:
        """Every open ticket."""
        return await self._tickets.all_open()

    async def history(self, ticket: Ticket) -> list[tuple[TicketEvent, str]]:
        """The ticket's history with each actor's first name (callers checked the viewer)."""
        names: dict[int, str] = {}
        result = []
        for event in await self._tickets.events(ticket.id):
            if event.actor_id is not None and event.actor_id not in names:
                actor = await self._users.get(event.actor_id)
                names[event.actor_id] = actor.first_name if actor else "?"
            result.append((event, names.get(event.actor_id, "") if event.actor_id else ""))
        return result

    async def mine(self, user: User | None) -> list[Ticket]:
        """Tickets of the user's households, reported or joined, newest first."""
        if user is None:
            return []
        households = [
            home.household_id
            for home in await self._homes.homes(user)
            if home.status is MembershipStatus.APPROVED
        ]
        return await self._tickets.of_households(households, MY_REPORTS)

    async def inbox(self, actor: User | None) -> list[Ticket]:
        """Open tickets of the actor's grid (staff: all), the nearest deadline first."""
        buildings = await self._access.managed_buildings(actor)
        found = await self._tickets.open_in(sorted(buildings))
        return sorted(found, key=lambda ticket: (next_deadline(ticket), ticket.id))

    async def managed(self, actor: User | None, ticket_id: int) -> Ticket:
        """A ticket in the actor's grid; NotFound for a ticket that does not exist."""
        ticket = await self._tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("ticket")
        await self._access.require_building(actor, ticket.building_id)
        return ticket

    async def led(self, actor: User | None) -> list[Ticket]:
        """Open tickets of the buildings a building lead looks after."""
        buildings = await self._access.led_buildings(actor)
        found = await self._tickets.open_in(sorted(buildings))
        return sorted(found, key=lambda ticket: ticket.created_at)

    async def stats(self, actor: User | None, days: int) -> ReportStats:
        """Staff only: open tickets now, and how those filed in the last `days` days went."""
        self._access.require(actor, Role.STAFF)
        now = self._clock.now()
        period = await self._tickets.created_between(
            now - timedelta(days=days), now + timedelta(seconds=1)
        )
        return report_stats(
            await self._tickets.all_open(), period, await self._tickets.grid_of_buildings()
        )


def _names(place: Place, *, room: bool) -> str:
    parts = [place.compound, place.building, place.unit, *([place.room] if room else [])]
    return " ".join(parts)
