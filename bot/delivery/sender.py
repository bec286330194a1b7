"""The outbox sender: delivers due rows through the channels, several sends in flight.

One loop claims due rows (most important first), groups each person's plain rows into one
digest, and starts a send per person, at most `concurrency` at a time and never two to one
person at once. The channel adapter paces the sends within the channel's limits; this loop
keeps enough of them in flight that the pace, not the round trip, sets the speed.

A send's outcome is written at once: sent (with the channel's message id), back to pending
after a flood-limit answer (not counted as a try; the whole sender pauses), retried with
backoff after a network error or 5xx until `max_attempts`, or given up with its reason.
Rows claimed when the process died are pending again at the next start: nothing is lost, and
only those few can go out twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.notify import ChannelRouter
from bot.domain.delivery import (
    DeliveryError,
    DeliveryPolicy,
    OutboxRow,
    OutboxStatus,
    Pending,
    Priority,
    Rejected,
    RetryLater,
    Transient,
    Unreachable,
    backoff,
    batches,
)
from bot.ports import Clock, OutboxStore, UnitOfWork, UserRepository

logger = logging.getLogger(__name__)

Listener = Callable[[Sequence[OutboxRow], OutboxStatus], Awaitable[None]]
IDLE_POLL = 30.0  # seconds between looks at the clock when nothing is due


@dataclass
class SenderStats:
    """Counts since start, for benchmarks and logs."""

    sent: int = 0
    flood_waits: int = 0
    retries: int = 0
    failed: int = 0
    unreachable: int = 0


class OutboxSender:
    """Runs in the background from start() to stop()."""

    def __init__(
        self,
        uow: UnitOfWork,
        outbox: OutboxStore,
        users: UserRepository,
        channels: ChannelRouter,
        clock: Clock,
        policy: DeliveryPolicy | None = None,
        concurrency: int = 16,
    ) -> None:
        self._uow = uow
        self._outbox = outbox
        self._users = users
        self._channels = channels
        self._clock = clock
        self.policy = policy or DeliveryPolicy()
        self.concurrency = concurrency
        self.stats = SenderStats()
        self._listeners: list[Listener] = []
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._inflight: dict[int, asyncio.Task[None]] = {}
        self._paused_until: datetime | None = None
        self._task: asyncio.Task[None] | None = None
        self._generation = 0  # counts wake-ups, so a round never declares idle too early

    def on_finished(self, listener: Listener) -> None:
        """Call `listener` with the rows of every send that reached an outcome."""
        self._listeners.append(listener)

    def wake(self) -> None:
        """Look for due rows now (a push was queued, the clock moved)."""
        self._generation += 1
        self._idle.clear()
        self._wake.set()

    @property
    def running(self) -> bool:
        """Whether the loop is running."""
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Put rows of an interrupted run back in the queue and start the loop."""
        if self.running:
            return
        async with self._uow.transaction():
            recovered = await self._outbox.recover()
        if recovered:
            logger.info("outbox: %s rows claimed before a restart are queued again", recovered)
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self, grace: float = 5.0) -> None:
        """Stop claiming; let sends in flight finish (up to `grace` seconds), then cancel."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        tasks = list(self._inflight.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def settle(self) -> None:
        """Wait until nothing is due and nothing is in flight (tests, the demo)."""
        if not self.running:
            return
        self.wake()
        await self._idle.wait()

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            generation = self._generation
            try:
                started = await self._round()
            except Exception:
                logger.exception("outbox: a round failed; trying again shortly")
                started = 0
                await asyncio.sleep(1.0)
            if started == 0 and not self._inflight and generation == self._generation:
                self._idle.set()
            timeout = await self._pause_length() if started == 0 else 0.0
            if timeout > 0:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await self._wake.wait()

    async def _pause_length(self) -> float:
        """Seconds until something may be due (woken earlier by a push or a finished send)."""
        now = self._clock.now()
        if self._paused_until is not None and now < self._paused_until:
            return (self._paused_until - now).total_seconds()
        if self._inflight:
            return IDLE_POLL  # a finished send wakes us
        next_due = await self._outbox.next_due()
        if next_due is None:
            return IDLE_POLL
        return min(IDLE_POLL, max(0.0, (next_due - now).total_seconds()))

    async def _round(self) -> int:
        """Claim what is due and start the sends; how many were started."""
        free = self.concurrency - len(self._inflight)
        now = self._clock.now()
        if free <= 0 or (self._paused_until is not None and now < self._paused_until):
            return 0
        async with self._uow.transaction():
            rows = await self._outbox.due(now, limit=free * 4 + len(self._inflight) * 4)
            by_id = {row.id: row for row in rows}
            sends = batches(
                [
                    Pending(
                        id=row.id,
                        user_id=row.user_id,
                        urgent=row.urgent,
                        priority=row.priority,
                        digestible=row.message.plain and row.slot is None,
                    )
                    for row in rows
                ],
                self.policy.digest_limit,
                busy=frozenset(self._inflight),
            )[:free]
            claimed = [[by_id[item.id] for item in send] for send in sends]
            if claimed:
                await self._outbox.mark_sending([row.id for send in claimed for row in send])
        for send in claimed:
            user_id = send[0].user_id
            task = asyncio.create_task(self._deliver(send), name=f"outbox-send-{send[0].id}")
            self._inflight[user_id] = task
            task.add_done_callback(functools.partial(self._sent_task, user_id))
        return len(claimed)

    def _sent_task(self, user_id: int, task: asyncio.Task[None]) -> None:
        self._inflight.pop(user_id, None)
        self._wake.set()

    # ------------------------------------------------------------------ one send

    async def _deliver(self, rows: list[OutboxRow]) -> None:
        ids = [row.id for row in rows]
        try:
            outcome = await self._attempt(rows)
        except Exception:
            # Never leave a row in 'sending' while the process lives: count it as a try.
            logger.exception("outbox: send of rows %s crashed", ids)
            outcome = await self._failed_try(rows, "internal error")
        for listener in self._listeners:
            try:
                await listener(rows, outcome)
            except Exception:
                logger.exception("outbox: a delivery listener failed")

    async def _attempt(self, rows: list[OutboxRow]) -> OutboxStatus:
        first = rows[0]
        ids = [row.id for row in rows]
        user = await self._users.get(first.user_id)
        if user is None:
            await self._finish(ids, OutboxStatus.FAILED, "no such user")
            return OutboxStatus.FAILED
        replace = await self._outbox.slot_ref(user.id, first.slot) if first.slot else None
        try:
            ref = await self._channels.deliver(
                user,
                [row.message for row in rows],
                replace=replace,
                bulk=first.priority is Priority.BULK,
            )
        except RetryLater as error:
            self.stats.flood_waits += 1
            wait = timedelta(seconds=max(error.seconds, 0.0))
            now = self._clock.now()
            self._paused_until = max(self._paused_until or now, now + wait)
            async with self._uow.transaction():
                await self._outbox.retry(ids, now + wait, error.reason, counts=False)
            return OutboxStatus.PENDING
        except Unreachable as error:
            self.stats.unreachable += 1
            async with self._uow.transaction():
                await self._outbox.finish(ids, OutboxStatus.UNREACHABLE, error.reason)
                await self._outbox.finish_pending_of_user(
                    user.id, OutboxStatus.UNREACHABLE, error.reason
                )
                await self._users.set_unreachable(user.id, self._clock.now())
            logger.info("outbox: user %s is unreachable (%s)", user.id, error.reason)
            return OutboxStatus.UNREACHABLE
        except Rejected as error:
            await self._finish(ids, OutboxStatus.FAILED, error.reason)
            logger.warning("outbox: rows %s refused by the channel: %s", ids, error.reason)
            return OutboxStatus.FAILED
        except (Transient, DeliveryError) as error:
            return await self._failed_try(rows, error.reason)
        async with self._uow.transaction():
            await self._outbox.mark_sent(ids, ref, self._clock.now())
        self.stats.sent += len(rows)
        return OutboxStatus.SENT

    async def _failed_try(self, rows: list[OutboxRow], reason: str) -> OutboxStatus:
        ids = [row.id for row in rows]
        attempts = max(row.attempts for row in rows) + 1
        if attempts >= self.policy.max_attempts:
            await self._finish(
                ids, OutboxStatus.FAILED, f"gave up after {attempts} tries: {reason}"
            )
            logger.warning("outbox: gave up on rows %s after %s tries", ids, attempts)
            return OutboxStatus.FAILED
        self.stats.retries += 1
        due = self._clock.now() + backoff(attempts, self.policy)
        async with self._uow.transaction():
            await self._outbox.retry(ids, due, reason, counts=True)
        return OutboxStatus.PENDING

    async def _finish(self, ids: list[int], status: OutboxStatus, reason: str) -> None:
        if status is OutboxStatus.FAILED:
            self.stats.failed += len(ids)
        async with self._uow.transaction():
            await self._outbox.finish(ids, status, reason)
