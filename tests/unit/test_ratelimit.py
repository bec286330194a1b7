"""The paced rate limiter: spacing overall and per chat, replies before bulk, 429 pauses."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from handlers.ratelimit import PacedRateLimiter


async def call(
    limiter: PacedRateLimiter,
    log: list[tuple[str, float]],
    name: str,
    *,
    chat_id: int,
    priority: int | None = None,
    endpoint: str = "sendMessage",
) -> None:
    async def send() -> bool:
        log.append((name, asyncio.get_running_loop().time()))
        return True

    args = {"priority": priority} if priority is not None else None
    await limiter.process_request(send, (), {}, endpoint, {"chat_id": chat_id}, args)


async def test_sends_are_spaced_never_burst() -> None:
    limiter = PacedRateLimiter(overall_per_second=200.0)
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(call(limiter, log, str(n), chat_id=n) for n in range(1, 21)))
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(log)]
    assert min(gaps) >= 0.005 * 0.74  # never closer than the spacing, minus scheduler slack
    await limiter.shutdown()


async def test_replies_go_before_waiting_bulk_sends() -> None:
    limiter = PacedRateLimiter(overall_per_second=100.0)
    log: list[tuple[str, float]] = []
    bulk = [
        asyncio.create_task(call(limiter, log, f"bulk{n}", chat_id=n, priority=2))
        for n in range(1, 11)
    ]
    await asyncio.sleep(0)  # the bulk sends are queued first
    await call(limiter, log, "reply", chat_id=99)
    await asyncio.gather(*bulk)
    order = [name for name, _ in log]
    assert order.index("reply") <= 2  # not behind the ten bulk sends
    await limiter.shutdown()


async def test_one_private_chat_gets_at_most_one_message_per_interval() -> None:
    limiter = PacedRateLimiter(overall_per_second=1000.0, private_interval=0.05)
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(call(limiter, log, str(n), chat_id=7) for n in range(3)))
    times = [at for _, at in log]
    assert times[1] - times[0] >= 0.049
    assert times[2] - times[1] >= 0.049
    await limiter.shutdown()


async def test_edits_and_other_calls_are_not_paced() -> None:
    limiter = PacedRateLimiter(overall_per_second=1.0)
    log: list[tuple[str, float]] = []
    for n in range(5):
        await call(limiter, log, str(n), chat_id=7, endpoint="editMessageText")
    assert len(log) == 5
    assert log[-1][1] - log[0][1] < 0.5


async def test_a_429_pauses_everyone_and_a_bulk_send_hands_it_back() -> None:
    limiter = PacedRateLimiter(overall_per_second=1000.0)
    attempts = 0

    async def flooded() -> Any:
        nonlocal attempts
        attempts += 1
        raise RetryAfter(timedelta(seconds=0.05))

    with pytest.raises(RetryAfter):
        await limiter.process_request(
            flooded, (), {}, "sendMessage", {"chat_id": 1}, {"priority": 2}
        )
    assert attempts == 1
    assert limiter.flood_answers == 1
    loop = asyncio.get_running_loop()
    started = loop.time()
    log: list[tuple[str, float]] = []
    await call(limiter, log, "next", chat_id=2)
    assert log[0][1] - started >= 0.04  # waited out the pause
    await limiter.shutdown()
