"""Reports: status changes, the households told of each, and the SLA timers (reminders before a
deadline, escalation after it, auto-close), rebuilt from job rows after a restart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from bot.domain.delivery import Category, Priority
from bot.domain.messages import Action
from bot.domain.models import Role, User
from bot.domain.reports import (
    AUTO_CLOSE_AFTER,
    EventKind,
    Rating,
    Stage,
    Ticket,
    TicketStatus,
    Urgency,
    check_transition,
    deadlines,
    reminder_time,
    stage_met,
)
from bot.domain.schedule import Job
from bot.services.reports.cards import (
    ALL_KINDS,
    CLOSE_KIND,
    DUE_KINDS,
    REMIND_KINDS,
    RESIDENT_FEATURE,
    ReportLookups,
)


class ReportTimers(ReportLookups):
    """Moves a ticket, tells the households, keeps its deadlines as job rows."""

    async def _schedule(self, ticket: Ticket, start: datetime, stages: Sequence[Stage]) -> None:
        for stage in stages:
            deadline = ticket.accept_by if stage is Stage.ACCEPT else ticket.resolve_by
            remind_at = reminder_time(start, deadline, self.levels)
            await self._scheduler.add(REMIND_KINDS[stage], ticket.id, remind_at, deadline)
            await self._scheduler.add(DUE_KINDS[stage], ticket.id, deadline)

    async def _reschedule(self, ticket: Ticket, now: datetime) -> None:
        """After a status change: drop what no longer applies, set what a reopening needs."""
        if ticket.status is TicketStatus.REOPENED:
            await self._scheduler.cancel((*REMIND_KINDS.values(), *DUE_KINDS.values()), ticket.id)
            await self._scheduler.cancel((CLOSE_KIND,), ticket.id)
            await self._schedule(ticket, now, stages=(Stage.RESOLVE,))
            return
        for stage in Stage:
            if stage_met(stage, ticket.status):
                await self._scheduler.cancel((REMIND_KINDS[stage], DUE_KINDS[stage]), ticket.id)
        if ticket.status is TicketStatus.RESOLVED:
            await self._scheduler.add(CLOSE_KIND, ticket.id, now + AUTO_CLOSE_AFTER)
        if ticket.status not in (TicketStatus.RESOLVED,) and not ticket.open:
            await self._scheduler.cancel(ALL_KINDS, ticket.id)

    async def _tell_households(
        self, ticket: Ticket, note: str, *, actor_id: int | None = None
    ) -> None:
        """The reporting household (rating buttons once resolved) and the "+1" households;
        not the person who made the change (they got the answer to their press)."""
        message = await self.card(ticket, "report.status_push", private=True, note=note or "—")
        reporters = await self._members([ticket.household_id])
        supporters = [
            user
            for user in await self._members(await self._tickets.supporter_households(ticket.id))
            if user.id not in {r.id for r in reporters}
        ]
        to_reporters = message
        if ticket.status is TicketStatus.RESOLVED:
            to_reporters = message.model_copy(
                update={
                    "key": "report.resolved_push",
                    "actions": tuple(
                        (
                            Action(
                                label_key=f"report.rating_{rating.value}",
                                feature=RESIDENT_FEATURE,
                                action="rate",
                                args=(str(ticket.id), rating.value),
                            ),
                        )
                        for rating in Rating
                    ),
                }
            )
        for user in reporters:
            if user.id != actor_id:
                await self._notifier.push(user, to_reporters, category=Category.REPORT)
        if supporters:
            public = await self.card(ticket, "report.status_push", private=False, note=note or "—")
            for user in supporters:
                if user.id == actor_id:
                    continue
                await self._notifier.push(user, public, category=Category.REPORT)

    async def _close(self, ticket: Ticket, actor_id: int | None, now: datetime) -> None:
        await self._tickets.update(ticket.id, now, status=TicketStatus.CLOSED, closed_at=now)
        await self._tickets.add_event(
            ticket.id,
            EventKind.STATUS,
            now,
            actor_id=actor_id,
            from_status=ticket.status,
            to_status=TicketStatus.CLOSED,
        )
        await self._scheduler.cancel(ALL_KINDS, ticket.id)
        await self._tell_households(await self._get(ticket.id), "", actor_id=actor_id)

    async def _move(self, actor: User, ticket: Ticket, status: TicketStatus, note: str) -> Ticket:
        """Change the status (re-checked inside the transaction), log it, tell the households."""
        now = self._clock.now()
        async with self._uow.transaction():
            current = await self._get(ticket.id)
            check_transition(current.status, status, note)
            fields: dict[str, object] = {"status": status}
            if status in (TicketStatus.REJECTED, TicketStatus.DUPLICATE):
                fields["reason"] = note.strip()
            if current.accepted_at is None and status is not TicketStatus.REOPENED:
                fields["accepted_at"] = now
            if status is TicketStatus.RESOLVED:
                fields["resolved_at"] = now
            if status in (TicketStatus.CLOSED, TicketStatus.REJECTED, TicketStatus.DUPLICATE):
                fields["closed_at"] = now
            if status is TicketStatus.REOPENED:
                due = deadlines(now, current.category, current.urgency, self.levels)
                fields.update(resolve_by=due.resolve_by, rating=None, resolved_at=None)
            if current.assignee_id is None and status in (
                TicketStatus.ACCEPTED,
                TicketStatus.IN_PROGRESS,
                TicketStatus.RESOLVED,
            ):
                fields["assignee_id"] = actor.id
            await self._tickets.update(current.id, now, **fields)
            await self._tickets.add_event(
                current.id,
                EventKind.STATUS,
                now,
                actor_id=actor.id,
                from_status=current.status,
                to_status=status,
                note=note.strip(),
            )
            updated = await self._get(current.id)
            await self._reschedule(updated, now)
            await self._tell_households(updated, note.strip(), actor_id=actor.id)
            if status is TicketStatus.REOPENED:
                for handler in await self._handlers_of(updated):
                    await self._notifier.push(
                        handler,
                        await self._handler_card(
                            updated, "report.reopened_push", note=note.strip()
                        ),
                        category=Category.REPORT,
                    )
        return updated

    async def _assign(self, actor: User, ticket: Ticket, assignee: User) -> Ticket:
        now = self._clock.now()
        async with self._uow.transaction():
            await self._tickets.update(ticket.id, now, assignee_id=assignee.id)
            await self._tickets.add_event(
                ticket.id, EventKind.ASSIGN, now, actor_id=actor.id, note=assignee.first_name
            )
            updated = await self._get(ticket.id)
            if assignee.id != actor.id:
                await self._notifier.push(
                    assignee,
                    await self._handler_card(updated, "report.assigned_push", by=actor.first_name),
                    category=Category.REPORT,
                )
        return updated

    def _reminder(self, stage: Stage) -> Callable[[Job], Awaitable[None]]:
        async def remind(job: Job) -> None:
            ticket = await self._tickets.get(job.ref_id)
            if ticket is None or stage_met(stage, ticket.status):
                return
            message = await self._handler_card(ticket, f"report.remind_{stage.value}")
            for handler in await self._handlers_of(ticket):
                await self._notifier.push(
                    handler,
                    message,
                    category=Category.REMINDER,
                    urgent=ticket.urgency is Urgency.HIGH,
                )

        return remind

    def _escalation(self, stage: Stage) -> Callable[[Job], Awaitable[None]]:
        async def escalate(job: Job) -> None:
            ticket = await self._tickets.get(job.ref_id)
            if ticket is None or stage_met(stage, ticket.status):
                return
            now = self._clock.now()
            await self._tickets.add_event(ticket.id, EventKind.ESCALATION, now, note=stage.value)
            message = await self._handler_card(ticket, f"report.escalate_{stage.value}")
            for staff in await self._users.with_role(Role.STAFF):
                await self._notifier.push(
                    staff,
                    message,
                    category=Category.REPORT,
                    urgent=ticket.urgency is Urgency.HIGH,
                    priority=Priority.PERSONAL,
                )

        return escalate

    async def _auto_close(self, job: Job) -> None:
        ticket = await self._tickets.get(job.ref_id)
        if ticket is None or ticket.status is not TicketStatus.RESOLVED:
            return
        await self._close(ticket, None, self._clock.now())
