"""Ordered concurrency: different chats at once (bounded), one chat strictly in order.

PTB's default processes one update at a time, which under network latency caps the bot at
about 1/RTT updates per second; `concurrent_updates=True` lifts the cap but lets two presses
of one user race. This processor chains the updates of each chat (or user, for updates without
a chat) so they run in arrival order, while updates of different chats overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Hashable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore must never block: tasks waiting on it could enter out of order. We bound
# concurrency ourselves, after the per-chat ordering is fixed.
_UNBOUNDED = sys.maxsize


def ordering_key(update: object) -> Hashable | None:
    """The chat (or, failing that, the user) whose updates must stay in order."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Runs updates of different chats concurrently and those of one chat in order."""

    def __init__(self, max_concurrent: int = 256) -> None:
        super().__init__(max_concurrent_updates=_UNBOUNDED)
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.limit = max_concurrent
        self._slots = asyncio.Semaphore(max_concurrent)
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self.running = 0
        self.peak = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the same chat's previous update, then run within the concurrency bound."""
        key = ordering_key(update)
        previous = self._tails.get(key) if key is not None else None
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if key is not None:
            self._tails[key] = done
        started = False
        try:
            if previous is not None:
                await asyncio.shield(previous)
            async with self._slots:
                self.running += 1
                self.peak = max(self.peak, self.running)
                try:
                    started = True
                    await coroutine
                finally:
                    self.running -= 1
        finally:
            if not started and hasattr(coroutine, "close"):
                coroutine.close()  # cancelled while waiting: never awaited, never warned about
            if not done.done():
                done.set_result(None)
            if key is not None and self._tails.get(key) is done:
                del self._tails[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Wait for nothing: PTB waits for the update tasks itself."""
        with contextlib.suppress(Exception):
            self._tails.clear()
