"""The paced rate limiter: spacing overall and per chat, replies before bulk, 429 pauses.

Every test runs on an event loop whose clock jumps to the next timer instead of waiting, so a
minute of pacing takes no real time and the times it sees are the same on every machine.
"""

from __future__ import annotations

import asyncio
import itertools
import selectors
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from telegram.error import RetryAfter
from telegram.ext import ExtBot

from bot.app.config import ConfigError, settings_from_mapping
from emulator import BotApiEmulator, EmulatorRequest, RateLimits, UserClient
from handlers.ratelimit import DEFAULT_CHAT_MARGIN, DEFAULT_OVERALL_PER_SECOND, PacedRateLimiter

T = TypeVar("T")


class _JumpingSelector(selectors.DefaultSelector):
    """A selector that, with nothing ready, moves the clock to the next timer at once."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        events = super().select(0)
        if not events:
            if timeout is None:
                raise RuntimeError("nothing scheduled and nothing ready: the test would hang")
            self.now += timeout
        return events


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop on a virtual clock: sleeps take no real time (no threads, no sockets)."""

    def __init__(self) -> None:
        self._jumps = _JumpingSelector()
        super().__init__(self._jumps)

    def time(self) -> float:
        """The virtual time, starting at 0."""
        return self._jumps.now


def in_virtual_time(scenario: Coroutine[Any, Any, T]) -> T:
    """Run `scenario` to its end on a virtual clock."""
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(scenario)


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


def test_sends_are_spaced_never_burst() -> None:
    async def scenario() -> list[tuple[str, float]]:
        limiter = PacedRateLimiter(overall_per_second=200.0)
        log: list[tuple[str, float]] = []
        await asyncio.gather(*(call(limiter, log, str(n), chat_id=n) for n in range(1, 21)))
        await limiter.shutdown()
        return log

    log = in_virtual_time(scenario())
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(log)]
    assert min(gaps) == pytest.approx(1 / 200.0)
    assert log[-1][1] - log[0][1] == pytest.approx(19 / 200.0)


def test_replies_go_before_waiting_bulk_sends() -> None:
    async def scenario() -> list[str]:
        limiter = PacedRateLimiter(overall_per_second=100.0)
        log: list[tuple[str, float]] = []
        bulk = [
            asyncio.create_task(call(limiter, log, f"bulk{n}", chat_id=n, priority=2))
            for n in range(1, 11)
        ]
        await asyncio.sleep(0)  # the bulk sends are queued first
        await call(limiter, log, "reply", chat_id=99)
        await asyncio.gather(*bulk)
        await limiter.shutdown()
        return [name for name, _ in log]

    order = in_virtual_time(scenario())
    assert order.index("reply") <= 2  # not behind the ten bulk sends


def test_one_chats_sends_leave_the_interval_and_margin_after_the_last_answer() -> None:
    async def scenario() -> list[float]:
        limiter = PacedRateLimiter(overall_per_second=1000.0, chat_margin=0.05)
        log: list[tuple[str, float]] = []

        async def slow(name: str) -> None:
            async def send() -> bool:
                log.append((name, asyncio.get_running_loop().time()))
                await asyncio.sleep(0.3)  # the round trip: answered 0.3 s after leaving
                return True

            await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 7}, None)

        await asyncio.gather(*(slow(str(n)) for n in range(3)))
        await limiter.shutdown()
        return [at for _, at in log]

    times = in_virtual_time(scenario())
    assert [b - a for a, b in itertools.pairwise(times)] == [
        pytest.approx(0.3 + 1.0 + 0.05),
        pytest.approx(0.3 + 1.0 + 0.05),
    ]


def test_edits_and_other_calls_are_not_paced() -> None:
    async def scenario() -> list[tuple[str, float]]:
        limiter = PacedRateLimiter(overall_per_second=1.0)
        log: list[tuple[str, float]] = []
        for n in range(5):
            await call(limiter, log, str(n), chat_id=7, endpoint="editMessageText")
        return log

    log = in_virtual_time(scenario())
    assert len(log) == 5
    assert log[-1][1] == log[0][1]


def test_a_429_pauses_everyone_and_a_bulk_send_hands_it_back() -> None:
    async def scenario() -> tuple[int, int, float]:
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
        started = asyncio.get_running_loop().time()
        log: list[tuple[str, float]] = []
        await call(limiter, log, "next", chat_id=2)
        await limiter.shutdown()
        return attempts, limiter.flood_answers, log[0][1] - started

    attempts, flood_answers, waited = in_virtual_time(scenario())
    assert attempts == 1
    assert flood_answers == 1
    assert waited == pytest.approx(0.05)  # waited out the pause


def test_the_pace_and_the_margin_come_from_the_delivery_settings() -> None:
    settings = settings_from_mapping(
        {"delivery": {"messages_per_second": 25, "chat_margin_seconds": 0.2}}
    )
    limiter = PacedRateLimiter.from_settings(settings.delivery)
    assert limiter.interval == pytest.approx(1 / 25)
    assert limiter.private_interval == pytest.approx(1.2)
    assert limiter.group_interval == pytest.approx(3.2)
    with pytest.raises(ConfigError, match=r"delivery\.messages_per_second"):
        settings_from_mapping({"delivery": {"messages_per_second": 31}})


# ---------------------------------------------------------------- against the emulator, jittered

JITTER = (0.0, 0.15)  # a random round trip per call; the request arrives after half of it


async def _send_through_emulator(
    limiter: PacedRateLimiter, sends: list[int], seed: int
) -> BotApiEmulator:
    """Send one message per entry of `sends` (a chat id) at once, through PTB, the limiter and
    the emulator, which judges Telegram's limits when each request arrives."""
    loop = asyncio.get_running_loop()
    emulator = BotApiEmulator(limits=RateLimits(), latency=JITTER, monotonic=loop.time, seed=seed)
    for chat_id in sorted(set(sends)):
        UserClient(emulator, chat_id, "居民")
    bot = ExtBot(emulator.token, request=EmulatorRequest(emulator), rate_limiter=limiter)
    async with bot:
        await asyncio.gather(
            *(
                bot.send_message(chat_id, f"停水通知 {n}", rate_limit_args={"priority": 2})
                for n, chat_id in enumerate(sends)
            ),
            return_exceptions=True,  # a 429 handed back is counted by the emulator
        )
    await limiter.shutdown()
    return emulator


def test_a_chats_sends_arrive_a_second_and_the_margin_apart_whatever_the_jitter() -> None:
    margin = 0.05
    chats = [1001, 1002, 1003]
    emulator = in_virtual_time(
        _send_through_emulator(PacedRateLimiter(chat_margin=margin), chats * 20, seed=7)
    )
    assert emulator.flood is not None
    assert emulator.flood.refused == 0
    gaps = emulator.flood.chat_gaps()
    assert sorted(gaps) == chats
    assert all(len(chat) == 19 for chat in gaps.values())
    assert min(gap for chat in gaps.values() for gap in chat) >= 1.0 + margin


def test_spacing_sends_only_where_they_leave_meets_429s_when_they_arrive_jittered() -> None:
    async def scenario() -> BotApiEmulator:
        loop = asyncio.get_running_loop()
        emulator = BotApiEmulator(limits=RateLimits(), latency=JITTER, monotonic=loop.time, seed=3)
        UserClient(emulator, 1001, "居民")
        async with ExtBot(emulator.token, request=EmulatorRequest(emulator)) as bot:
            sends = []
            for n in range(20):  # exactly 1 s apart when they leave, as the old limiter did
                sends.append(asyncio.ensure_future(bot.send_message(1001, f"通知 {n}")))
                await asyncio.sleep(1.0)
            await asyncio.gather(*sends, return_exceptions=True)
        return emulator

    emulator = in_virtual_time(scenario())
    assert emulator.flood is not None
    assert emulator.flood.refused > 0


@pytest.mark.parametrize(
    ("per_second", "chat_margin", "flood_answers"),
    [
        pytest.param(29.5, 0.0, "some", id="old pace"),
        pytest.param(DEFAULT_OVERALL_PER_SECOND, DEFAULT_CHAT_MARGIN, "none", id="default pace"),
    ],
)
def test_a_broadcast_under_jitter_meets_no_429_at_the_default_pace(
    per_second: float, chat_margin: float, flood_answers: str
) -> None:
    recipients = list(range(2001, 2601))
    limiter = PacedRateLimiter(per_second, chat_margin=chat_margin)
    emulator = in_virtual_time(_send_through_emulator(limiter, recipients, seed=11))
    assert emulator.flood is not None
    if flood_answers == "none":
        assert emulator.flood.refused == 0
        assert emulator.flood.accepted == len(recipients)
    else:
        assert emulator.flood.refused > 0
