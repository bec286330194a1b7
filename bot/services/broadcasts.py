"""Broadcasts by grid workers (their grid) and staff (any scope): preview, send, progress, report.

A broadcast is fixed to its audience when it starts: one outbox row per registered person,
written in the same transaction as the start. The author's progress line is one message that
is edited as rows reach an outcome; when the last one does, the author gets the report with
the households nobody could reach, to visit them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.delivery.scheduling import Scheduler
from bot.domain.broadcasts import (
    LATE_START,
    START_KIND,
    Broadcast,
    BroadcastDraft,
    BroadcastStatus,
    DeliveryReport,
    Progress,
    check_body,
)
from bot.domain.delivery import Category, OutboxRow, OutboxStatus, Priority
from bot.domain.errors import EmptyAudience, NotAllowed, NotEditable, NotFound
from bot.domain.homes import Choice, place_text
from bot.domain.messages import Outgoing
from bot.domain.models import Place, Role, User
from bot.domain.schedule import Job
from bot.domain.scope import Reach, Scope, ScopeKind
from bot.ports import Clock, OutboxStore, UnitOfWork, UserRepository
from bot.services.access import AccessService
from bot.services.outbox import OutboxNotifier

logger = logging.getLogger(__name__)

PROGRESS_EVERY = timedelta(seconds=3)
LIST_LIMIT = 40  # households listed in a report; the rest are counted


class Audience(Protocol):
    """Who a scope reaches (see storage.audience)."""

    async def missing(self, scope: Scope) -> list[int]: ...
    async def building_ids(self, scope: Scope) -> set[int]: ...
    async def targets(self, scope: Scope) -> list[tuple[int | None, int | None]]: ...
    async def reach(self, scope: Scope) -> Reach: ...
    async def places(self, household_ids: Sequence[int]) -> list[Place]: ...
    async def compounds(self) -> list[tuple[int, str]]: ...
    async def grids(self) -> list[tuple[int, str]]: ...
    async def buildings_in(self, building_ids: Iterable[int]) -> list[tuple[int, str]]: ...
    async def units_in(self, building_ids: Iterable[int]) -> list[tuple[int, str]]: ...


class BroadcastStore(Protocol):
    """Broadcast rows (see storage.broadcasts)."""

    async def add(
        self,
        author_id: int,
        draft: BroadcastDraft,
        send_at: datetime,
        now: datetime,
        *,
        report: bool = True,
        notice_id: int | None = None,
    ) -> Broadcast: ...
    async def get(self, broadcast_id: int) -> Broadcast | None: ...
    async def set_status(
        self, broadcast_id: int, status: BroadcastStatus, now: datetime
    ) -> None: ...
    async def set_progress_at(self, broadcast_id: int, now: datetime) -> None: ...
    async def add_targets(
        self, broadcast_id: int, pairs: Sequence[tuple[int | None, int | None]]
    ) -> None: ...
    async def unregistered(self, broadcast_id: int) -> list[int]: ...
    async def unreached(self, broadcast_id: int) -> list[int]: ...
    async def household_count(self, broadcast_id: int) -> int: ...


def places_list(places: Sequence[Place], more: int) -> str:
    """Places one per line, with "…" and a count when the list was cut."""
    lines = [place_text(place) for place in places]
    if more > 0:
        lines.append(f"… +{more}")
    return "\n".join(lines) if lines else "—"


class BroadcastService:
    """Composes, starts, follows and reports broadcasts."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        broadcasts: BroadcastStore,
        audience: Audience,
        outbox: OutboxStore,
        notifier: OutboxNotifier,
        users: UserRepository,
        access: AccessService,
        scheduler: Scheduler,
        clock: Clock,
        timezone: str,
    ) -> None:
        self._uow = uow
        self._broadcasts = broadcasts
        self._audience = audience
        self._outbox = outbox
        self._notifier = notifier
        self._users = users
        self._access = access
        self._scheduler = scheduler
        self._clock = clock
        self.timezone = timezone  # the community's: times are typed and shown in it
        scheduler.register(START_KIND, self._start_job)

    # ------------------------------------------------------------------ composing

    def require_manager(self, actor: User | None) -> User:
        """The actor, if a grid worker or staff."""
        return self._access.require(actor, Role.GRID_WORKER)

    async def check_scope(self, actor: User | None, scope: Scope) -> User:
        """The actor, if they may send to `scope` and every place it names exists."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        if await self._audience.missing(scope):
            raise NotFound("place")
        if actor.has_role(Role.STAFF):
            return actor
        if scope.kind in (ScopeKind.COMMUNITY, ScopeKind.COMPOUNDS, ScopeKind.ROLE):
            raise NotAllowed(f"a grid worker cannot send to a {scope.kind} scope")
        touched = await self._audience.building_ids(scope)
        if not touched or not touched <= await self._access.managed_buildings(actor):
            raise NotAllowed("scope outside the grid worker's buildings")
        return actor

    async def kinds(self, actor: User | None) -> list[ScopeKind]:
        """The kinds of scope the actor may choose."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        if actor.has_role(Role.STAFF):
            return list(ScopeKind)
        return [ScopeKind.GRIDS, ScopeKind.BUILDINGS, ScopeKind.UNITS]

    async def options(self, actor: User | None, kind: ScopeKind) -> list[Choice]:
        """What the actor may pick for a scope of `kind` (compounds, buildings, units, grids)."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        if kind not in await self.kinds(actor):
            raise NotAllowed(f"{kind} scope")
        managed = await self._access.managed_buildings(actor)
        if kind is ScopeKind.COMPOUNDS:
            pairs = await self._audience.compounds()
        elif kind is ScopeKind.BUILDINGS:
            pairs = await self._audience.buildings_in(managed)
        elif kind is ScopeKind.UNITS:
            pairs = await self._audience.units_in(managed)
        elif kind is ScopeKind.GRIDS:
            pairs = [
                (grid_id, name)
                for grid_id, name in await self._audience.grids()
                if actor.has_role(Role.STAFF)
                or (await self._audience.building_ids(Scope(kind=kind, ids=(grid_id,))) or {0})
                <= managed
            ]
        else:
            pairs = []
        return [Choice(id=item_id, label=label) for item_id, label in pairs]

    async def reach(self, actor: User | None, scope: Scope) -> Reach:
        """How many the scope reaches now (the preview's numbers)."""
        await self.check_scope(actor, scope)
        return await self._audience.reach(scope)

    async def create(self, actor: User | None, draft: BroadcastDraft) -> Broadcast:
        """Store the broadcast and start it now, or schedule its start."""
        actor = await self.check_scope(actor, draft.scope)
        body = check_body(draft.body, with_attachment=draft.attachment is not None)
        reach = await self._audience.reach(draft.scope)
        if reach.households == 0 and reach.people == 0:
            raise EmptyAudience()
        now = self._clock.now()
        send_at = draft.send_at if draft.send_at and draft.send_at > now else now
        async with self._uow.transaction():
            broadcast = await self._broadcasts.add(
                actor.id, draft.model_copy(update={"body": body}), send_at, now
            )
            if send_at <= now:
                await self._start(broadcast)
            else:
                await self._scheduler.add(
                    START_KIND, broadcast.id, send_at, expires_at=send_at + LATE_START
                )
        return await self._get(broadcast.id)

    def held_until(self, *, urgent: bool, send_at: datetime | None) -> datetime | None:
        """When quiet hours hold a broadcast starting at `send_at` (None: now) back: the time
        it will really go out, or None when it goes out at its time. Urgent ones never wait."""
        if urgent:
            return None
        return self._notifier.quiet.release(max(send_at or self._clock.now(), self._clock.now()))

    async def cancel(self, actor: User | None, broadcast_id: int) -> Broadcast:
        """Cancel a broadcast that has not started (its author or staff)."""
        actor = self._access.require(actor, Role.GRID_WORKER)
        async with self._uow.transaction():
            broadcast = await self._get(broadcast_id)
            if broadcast.author_id != actor.id and not actor.has_role(Role.STAFF):
                raise NotAllowed("not the author")
            if broadcast.status is not BroadcastStatus.SCHEDULED:
                raise NotEditable(status=broadcast.status.value)
            await self._broadcasts.set_status(
                broadcast_id, BroadcastStatus.CANCELLED, self._clock.now()
            )
            await self._scheduler.cancel([START_KIND], broadcast_id)
        return await self._get(broadcast_id)

    async def _get(self, broadcast_id: int) -> Broadcast:
        broadcast = await self._broadcasts.get(broadcast_id)
        if broadcast is None:
            raise NotFound("broadcast")
        return broadcast

    # ------------------------------------------------------------------ sending

    async def send_as(
        self,
        author_id: int,
        draft: BroadcastDraft,
        *,
        report: bool,
        notice_id: int | None = None,
        message: Outgoing | None = None,
    ) -> Broadcast:
        """Start a broadcast at once on someone's behalf (a construction notice's pushes)."""
        now = self._clock.now()
        async with self._uow.transaction():
            broadcast = await self._broadcasts.add(
                author_id, draft, now, now, report=report, notice_id=notice_id
            )
            await self._start(broadcast, message)
        return await self._get(broadcast.id)

    async def _start_job(self, job: Job) -> None:
        broadcast = await self._broadcasts.get(job.ref_id)
        if broadcast is not None and broadcast.status is BroadcastStatus.SCHEDULED:
            await self._start(broadcast)

    async def _start(self, broadcast: Broadcast, message: Outgoing | None = None) -> None:
        """Fix the audience and queue one row per person (caller holds the transaction)."""
        now = self._clock.now()
        pairs = await self._audience.targets(broadcast.scope)
        await self._broadcasts.add_targets(broadcast.id, pairs)
        people = sorted({user for _, user in pairs if user is not None})
        await self._broadcasts.set_status(broadcast.id, BroadcastStatus.SENDING, now)
        message = message or Outgoing(
            key="bc.message_urgent" if broadcast.urgent else "bc.message",
            params={"body": broadcast.body},
            attachment=broadcast.attachment,
        )
        await self._notifier.push_many(
            people,
            message,
            category=Category.NOTICE,
            urgent=broadcast.urgent,
            priority=Priority.BULK,
            broadcast_id=broadcast.id,
        )
        logger.info("broadcast %s started: %s recipients", broadcast.id, len(people))
        if broadcast.report:
            await self._push_progress(broadcast, Progress(total=len(people)))
            await self._broadcasts.set_progress_at(broadcast.id, now)
        if not people:
            await self._finish(broadcast)

    # ------------------------------------------------------------------ following

    async def on_delivered(self, rows: Sequence[OutboxRow], outcome: OutboxStatus) -> None:
        """The sender's listener: update the progress of the broadcasts these rows belong to."""
        if outcome is OutboxStatus.PENDING:
            return
        for broadcast_id in {row.broadcast_id for row in rows if row.broadcast_id is not None}:
            await self.follow(broadcast_id)

    async def follow(self, broadcast_id: int) -> None:
        """Edit the author's progress line now and then; report when everything settled."""
        async with self._uow.transaction():
            broadcast = await self._broadcasts.get(broadcast_id)
            if broadcast is None or broadcast.status is not BroadcastStatus.SENDING:
                return
            if await self._outbox.unsettled(broadcast_id) == 0:
                await self._finish(broadcast)
                return
            now = self._clock.now()
            due = broadcast.progress_at is None or now - broadcast.progress_at >= PROGRESS_EVERY
            if broadcast.report and due:
                await self._push_progress(broadcast, await self.progress(broadcast_id))
                await self._broadcasts.set_progress_at(broadcast_id, now)

    async def progress(self, broadcast_id: int) -> Progress:
        """The broadcast's rows by outcome."""
        counts = await self._outbox.counts(broadcast_id)
        return Progress(
            total=sum(counts.values()),
            sent=counts.get(OutboxStatus.SENT, 0),
            unreachable=counts.get(OutboxStatus.UNREACHABLE, 0),
            failed=counts.get(OutboxStatus.FAILED, 0),
            muted=counts.get(OutboxStatus.MUTED, 0),
        )

    async def report(self, broadcast_id: int) -> DeliveryReport:
        """Who got it and which households to visit."""
        unregistered = await self._broadcasts.unregistered(broadcast_id)
        unreached = await self._broadcasts.unreached(broadcast_id)
        return DeliveryReport(
            progress=await self.progress(broadcast_id),
            households=await self._broadcasts.household_count(broadcast_id),
            unregistered=tuple(await self._audience.places(unregistered)),
            unreached=tuple(await self._audience.places(unreached)),
        )

    async def _finish(self, broadcast: Broadcast) -> None:
        now = self._clock.now()
        await self._broadcasts.set_status(broadcast.id, BroadcastStatus.DONE, now)
        logger.info("broadcast %s delivered", broadcast.id)
        if not broadcast.report:
            return
        report = await self.report(broadcast.id)
        await self._push_progress(broadcast, report.progress)
        author = await self._users.get(broadcast.author_id)
        if author is None:
            return
        visit = report.unregistered + report.unreached
        shown = visit[:LIST_LIMIT]
        await self._notifier.push(
            author,
            Outgoing(
                key="bc.report",
                params={
                    "id": broadcast.id,
                    "sent": report.progress.sent,
                    "people": report.progress.total,
                    "unreachable": report.progress.unreachable + report.progress.failed,
                    "muted": report.progress.muted,
                    "households": report.households,
                    "unregistered": len(report.unregistered),
                    "unreached": len(report.unreached),
                    "visit": places_list(shown, len(visit) - len(shown)),
                },
            ),
            priority=Priority.REPLY,
        )

    async def _push_progress(self, broadcast: Broadcast, progress: Progress) -> None:
        author = await self._users.get(broadcast.author_id)
        if author is None:
            return
        await self._notifier.push(
            author,
            Outgoing(
                key="bc.progress",
                params={
                    "id": broadcast.id,
                    "sent": f"{progress.sent:,}",
                    "total": f"{progress.total:,}",
                },
            ),
            priority=Priority.REPLY,
            slot=f"bc:{broadcast.id}",
        )
