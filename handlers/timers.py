"""The Timer port on PTB's JobQueue (APScheduler underneath): one-shot jobs, keyed by name."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.ext import CallbackContext, JobQueue

logger = logging.getLogger(__name__)

TICK = "scheduler:tick"


class JobQueueTimer:
    """Schedules the core's callbacks as JobQueue jobs named by their key."""

    def __init__(self, job_queue: JobQueue) -> None:  # type: ignore[type-arg]
        self._queue = job_queue

    def schedule(self, key: str, delay: float, callback: Callable[[], Awaitable[None]]) -> None:
        """Run `callback` in `delay` seconds, replacing an earlier timer of the same key."""
        self.cancel(key)

        async def run(_: CallbackContext) -> None:  # type: ignore[type-arg]
            try:
                await callback()
            except Exception:
                logger.exception("timer %s failed; the periodic tick will try again", key)

        self._queue.run_once(run, when=timedelta(seconds=delay), name=key)

    def cancel(self, key: str) -> None:
        """Remove the timer of `key`, if set."""
        for job in self._queue.get_jobs_by_name(key):
            job.schedule_removal()

    def every(self, key: str, interval: float, callback: Callable[[], Awaitable[object]]) -> None:
        """Run `callback` every `interval` seconds (the scheduler's safety-net tick)."""
        self.cancel(key)

        async def run(_: CallbackContext) -> None:  # type: ignore[type-arg]
            try:
                await callback()
            except Exception:
                logger.exception("periodic %s failed", key)

        self._queue.run_repeating(run, interval=interval, first=interval, name=key)
