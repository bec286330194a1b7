"""Reports: the grid worker's desk (claim, assign, move a ticket on, ask the household)."""

from __future__ import annotations

from bot.domain.delivery import Category
from bot.domain.errors import NotAllowed
from bot.domain.messages import Action
from bot.domain.models import Role, User
from bot.domain.reports import (
    BadTransition,
    EventKind,
    Ticket,
    TicketEvent,
    TicketStatus,
    worker_moves,
)
from bot.services.reports.cards import (
    RESIDENT_FEATURE,
)
from bot.services.reports.timers import ReportTimers


class GridDesk(ReportTimers):
    """What grid workers and staff do with a ticket."""

    async def claim(self, actor: User | None, ticket_id: int) -> Ticket:
        """The actor takes the ticket."""
        ticket = await self.managed(actor, ticket_id)
        assert actor is not None
        return await self._assign(actor, ticket, actor)

    async def assignees(self, actor: User | None, ticket_id: int) -> list[User]:
        """Who a ticket may be assigned to: its building's grid workers, then staff."""
        ticket = await self.managed(actor, ticket_id)
        found: dict[int, User] = {}
        for channel, external_id in await self._places.workers_of_building(ticket.building_id):
            user = await self._users.get_by_external(channel, external_id)
            if user is not None:
                found[user.id] = user
        for user in await self._users.with_role(Role.STAFF):
            found.setdefault(user.id, user)
        return list(found.values())

    async def assign(self, actor: User | None, ticket_id: int, assignee_id: int) -> Ticket:
        """Give the ticket to one of `assignees`; they are told."""
        choices = {user.id: user for user in await self.assignees(actor, ticket_id)}
        if assignee_id not in choices:
            raise NotAllowed("not someone this ticket can be assigned to")
        assert actor is not None
        return await self._assign(actor, await self._get(ticket_id), choices[assignee_id])

    async def check_move(self, actor: User | None, ticket_id: int, status: TicketStatus) -> Ticket:
        """The ticket, if the actor handles it and may set it to `status` now (before asking
        for a note); BadTransition otherwise."""
        ticket = await self.managed(actor, ticket_id)
        if status not in worker_moves(ticket.status):
            raise BadTransition(current=ticket.status.value, target=status.value)
        return ticket

    async def change_status(
        self, actor: User | None, ticket_id: int, status: TicketStatus, note: str
    ) -> Ticket:
        """Move a ticket on (accepted, in progress, resolved, rejected, duplicate)."""
        ticket = await self.check_move(actor, ticket_id, status)
        assert actor is not None
        return await self._move(actor, ticket, status, note)

    async def ask(self, actor: User | None, ticket_id: int, text: str) -> TicketEvent:
        """Ask the reporting household a question; the answer comes back to the actor."""
        ticket = await self.managed(actor, ticket_id)
        assert actor is not None
        now = self._clock.now()
        async with self._uow.transaction():
            event_id = await self._tickets.add_event(
                ticket.id, EventKind.QUESTION, now, actor_id=actor.id, note=text
            )
            message = await self.card(ticket, "report.question_push", private=True, question=text)
            message = message.model_copy(
                update={
                    "actions": (
                        (
                            Action(
                                label_key="report.answer_button",
                                feature=RESIDENT_FEATURE,
                                action="ans",
                                args=(str(event_id),),
                            ),
                        ),
                    )
                }
            )
            for member in await self._members([ticket.household_id]):
                await self._notifier.push(member, message, category=Category.REPORT)
        event = await self._tickets.event(event_id)
        assert event is not None
        return event
