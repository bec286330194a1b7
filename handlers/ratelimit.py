"""Telegram's flood limits, kept by pacing every send the bot makes, replies first.

Telegram accepts about 30 messages a second overall, one a second per private chat and 20 a
minute per group; beyond that it answers 429. PTB's `AIORateLimiter` lets bursts through and
then sleeps on 429s. This limiter never bursts: sends leave at least 1/rate apart overall, so
no one-second window holds more than the ceiling, and each chat keeps its own spacing.
Telegram counts a send when it arrives, not when it leaves, and the network delays each
request differently: so the overall rate stays under 30, by a margin for that jitter, and
each chat's next send leaves its spacing (plus a small margin) after Telegram answered the
previous one, by which time that one had surely arrived.
Waiting sends are served by priority: answers to a person's own action (the default) go
before pushes, and pushes before bulk traffic (`rate_limit_args={"priority": 2}`).
A 429 that still happens pauses every send for its retry_after; an interactive request is
tried again after the pause, a push is handed back to the outbox (which re-queues it).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.app.config import DeliverySection

PACED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)
INTERACTIVE = 0

# The margins' defaults ([delivery] in config.toml; see bot.app.config.DeliverySection for why).
DEFAULT_OVERALL_PER_SECOND: float = DeliverySection().messages_per_second
DEFAULT_CHAT_MARGIN: float = DeliverySection().chat_margin_seconds


def retry_seconds(error: RetryAfter) -> float:
    """retry_after in seconds, whichever type PTB gives it in."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PacedRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """Spaces sends overall and per chat; a priority queue decides who goes next."""

    def __init__(
        self,
        overall_per_second: float = DEFAULT_OVERALL_PER_SECOND,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        interactive_retries: int = 2,
        chat_margin: float = DEFAULT_CHAT_MARGIN,
    ) -> None:
        if overall_per_second <= 0:
            raise ValueError("overall_per_second must be positive")
        if chat_margin < 0:
            raise ValueError("chat_margin must not be negative")
        self.interval = 1.0 / overall_per_second
        # Telegram's spacing per chat (1 s private, 60/20 s group) plus the margin.
        self.private_interval = private_interval + chat_margin
        self.group_interval = group_interval + chat_margin
        self.interactive_retries = interactive_retries
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._next_slot = 0.0
        self._answered_at: dict[int | str, float] = {}
        self._chat_locks: dict[int | str, asyncio.Lock] = {}
        self._paused_until = 0.0
        self._dispatcher: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()
        self.flood_answers = 0

    @classmethod
    def from_settings(cls, delivery: DeliverySection) -> PacedRateLimiter:
        """The limiter as [delivery] in config.toml sets it."""
        return cls(delivery.messages_per_second, chat_margin=delivery.chat_margin_seconds)

    async def initialize(self) -> None:
        """Nothing to open; the dispatcher starts with the first send."""

    async def shutdown(self) -> None:
        """Stop the dispatcher."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for the chat's and the overall turn, then call; handle a 429."""
        if endpoint not in PACED_METHODS:
            return await callback(*args, **kwargs)
        priority = int((rate_limit_args or {}).get("priority", INTERACTIVE))
        chat_id = data.get("chat_id")
        tries = self.interactive_retries if priority == INTERACTIVE else 0
        key, spacing = self._chat_key(chat_id)
        while True:
            try:
                if key is None:
                    await self._overall_turn(priority)
                    return await callback(*args, **kwargs)
                return await self._chat_turn(key, spacing, priority, callback, args, kwargs)
            except RetryAfter as error:
                self.flood_answers += 1
                loop = asyncio.get_running_loop()
                self._paused_until = max(self._paused_until, loop.time() + retry_seconds(error))
                if tries <= 0:
                    raise
                tries -= 1

    async def _chat_turn(
        self,
        key: int | str,
        spacing: float,
        priority: int,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send to one chat `spacing` after its previous send was answered, in the overall turn.

        One chat's sends queue behind each other, and the spacing counts from the moment
        Telegram answered the previous one: it had arrived by then, however long its way there
        took, and the next one cannot arrive before it leaves. So the arrivals, which are what
        Telegram counts, are at least `spacing` apart whatever the network's jitter.
        """
        loop = asyncio.get_running_loop()
        async with self._chat_locks.setdefault(key, asyncio.Lock()):
            wait = self._answered_at.get(key, float("-inf")) + spacing - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            await self._overall_turn(priority)
            try:
                return await callback(*args, **kwargs)
            finally:
                self._answered_at[key] = loop.time()  # answered, refused or failed: done
                if len(self._answered_at) > 100_000:
                    self._forget_old_chats(loop.time())

    def _chat_key(self, chat_id: object) -> tuple[int | str | None, float]:
        """The chat a send goes to, and how far apart its sends must be (groups: 20 a minute,
        private chats: 1 a second)."""
        if chat_id is None:
            return None, 0.0
        key: int | str
        try:
            key = int(chat_id)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            key = str(chat_id)
        spacing = self.group_interval if isinstance(key, str) or key < 0 else self.private_interval
        return key, spacing

    def _forget_old_chats(self, now: float) -> None:
        """Drop what is known of chats idle for a while."""
        horizon = now - max(self.private_interval, self.group_interval)
        for key in [key for key, at in self._answered_at.items() if at < horizon]:
            lock = self._chat_locks.get(key)
            if lock is None or not lock.locked():
                self._chat_locks.pop(key, None)
                del self._answered_at[key]

    async def _overall_turn(self, priority: int) -> None:
        """Queue for the next overall slot; the dispatcher hands slots out by priority."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), future))
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="rate-limiter")
        self._kick.set()
        await future

    async def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            while not self._waiting:
                self._kick.clear()
                await self._kick.wait()
            now = loop.time()
            start = max(self._next_slot, self._paused_until)
            if start > now:
                await asyncio.sleep(start - now)
                continue  # a more urgent send may have arrived meanwhile
            _, _, future = heapq.heappop(self._waiting)
            if future.done():  # its sender was cancelled
                continue
            future.set_result(None)
            # Slots keep their spacing from the schedule, not from when we woke up (a late wake
            # must not slow the pace), unless we are well behind: then start afresh from now,
            # never a burst to catch up.
            tolerance = self.interval / 4
            self._next_slot = max(self._next_slot, now - tolerance) + self.interval
