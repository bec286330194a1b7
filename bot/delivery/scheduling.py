"""The scheduler: every reminder, deadline and timed broadcast is a row; timers are derived.

`restore()` reads the pending rows at start-up and asks the pure `next_step` what to do with
each: fire it (also late, if still useful), drop it (too late to matter), or set a timer.
`fire(id)` re-reads the row and, in one transaction, runs the kind's handler (whose pushes go
to the outbox) and marks the row fired, so a row never fires twice, whoever calls it: the
timer, the periodic `tick()` safety net, or a test that moved the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from bot.domain.schedule import Job, JobStatus, Step, next_step
from bot.ports import Clock, UnitOfWork

logger = logging.getLogger(__name__)

JobHandler = Callable[[Job], Awaitable[None]]


class Timer(Protocol):
    """Calls back after a delay (PTB's JobQueue in production); keyed so it can be cancelled."""

    def schedule(self, key: str, delay: float, callback: Callable[[], Awaitable[None]]) -> None:
        """Call `callback` in `delay` seconds, replacing any timer under `key`."""
        ...

    def cancel(self, key: str) -> None:
        """Forget the timer under `key`, if any."""
        ...


class JobStore(Protocol):
    """The `job` rows (see storage.jobs)."""

    async def add(
        self, kind: str, ref_id: int, due_at: datetime, expires_at: datetime | None
    ) -> Job: ...
    async def get(self, job_id: int) -> Job | None: ...
    async def pending(self, due_before: datetime | None = None) -> list[Job]: ...
    async def for_ref(self, kinds: Sequence[str], ref_id: int) -> list[Job]: ...
    async def settle(self, job_id: int, status: JobStatus, now: datetime) -> bool: ...


def job_key(job_id: int) -> str:
    """The timer's name for a job row."""
    return f"job:{job_id}"


class Scheduler:
    """Adds, cancels, restores and fires job rows."""

    def __init__(self, uow: UnitOfWork, jobs: JobStore, clock: Clock) -> None:
        self._uow = uow
        self._jobs = jobs
        self._clock = clock
        self._handlers: dict[str, JobHandler] = {}
        self._timer: Timer | None = None
        self.fired = 0
        self.dropped = 0

    def register(self, kind: str, handler: JobHandler) -> None:
        """Say which service does jobs of `kind`."""
        self._handlers[kind] = handler

    def attach(self, timer: Timer) -> None:
        """Use `timer` from now on (restore() sets the timers of existing rows)."""
        self._timer = timer

    def detach(self) -> None:
        """No timers any more (the application stopped)."""
        self._timer = None

    async def add(
        self, kind: str, ref_id: int, due_at: datetime, expires_at: datetime | None = None
    ) -> Job:
        """A new job row (in the caller's transaction) and its timer."""
        if kind not in self._handlers:
            raise ValueError(f"no handler for jobs of kind {kind!r}")
        async with self._uow.transaction():
            job = await self._jobs.add(kind, ref_id, due_at, expires_at)
        self._arm(job)
        return job

    async def cancel(self, kinds: Sequence[str], ref_id: int) -> int:
        """Cancel the pending jobs of these kinds about `ref_id`; how many."""
        cancelled = 0
        async with self._uow.transaction():
            for job in await self._jobs.for_ref(kinds, ref_id):
                if await self._jobs.settle(job.id, JobStatus.CANCELLED, self._clock.now()):
                    cancelled += 1
                    if self._timer is not None:
                        self._timer.cancel(job_key(job.id))
        return cancelled

    async def restore(self) -> dict[Step, int]:
        """Rebuild the timers from the rows; fire or drop what was missed while down."""
        counts = {Step.WAIT: 0, Step.FIRE: 0, Step.DROP: 0}
        for job in await self._jobs.pending():
            step, _ = next_step(job, self._clock.now())
            if step is Step.WAIT:
                self._arm(job)
            elif step in (Step.FIRE, Step.DROP):
                await self.fire(job.id)
            if step in counts:
                counts[step] += 1
        logger.info(
            "schedule restored: %s waiting, %s fired late, %s dropped",
            counts[Step.WAIT],
            counts[Step.FIRE],
            counts[Step.DROP],
        )
        return counts

    async def tick(self) -> int:
        """Fire (or drop) every pending row that is due by the clock; how many were settled."""
        settled = 0
        for job in await self._jobs.pending(due_before=self._clock.now()):
            settled += await self.fire(job.id)
        return settled

    async def fire(self, job_id: int) -> bool:
        """Do one job if it is (still) due; True if the row was settled now."""
        handler: JobHandler | None = None
        async with self._uow.transaction():
            job = await self._jobs.get(job_id)
            if job is None:
                return False
            now = self._clock.now()
            step, _ = next_step(job, now)
            if step is Step.WAIT:
                self._arm(job)  # the timer ran early (clock skew): set it again
                return False
            if step is Step.DONE:
                return False
            if step is Step.DROP:
                self.dropped += 1
                logger.info("job %s (%s) dropped: its time passed while down", job.id, job.kind)
                return await self._jobs.settle(job.id, JobStatus.DROPPED, now)
            handler = self._handlers.get(job.kind)
            if handler is None:
                logger.error("job %s has unknown kind %s; left pending", job.id, job.kind)
                return False
            await handler(job)
            self.fired += 1
            return await self._jobs.settle(job.id, JobStatus.FIRED, now)

    def _arm(self, job: Job) -> None:
        if self._timer is None:
            return
        delay = max(0.0, (job.due_at - self._clock.now()).total_seconds())

        async def callback(job_id: int = job.id) -> None:
            await self.fire(job_id)

        self._timer.schedule(job_key(job.id), delay, callback)
