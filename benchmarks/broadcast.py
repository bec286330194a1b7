"""Broadcast throughput under Telegram's flood limits, beside PTB's AIORateLimiter.

    python benchmarks/broadcast.py [--recipients 5000] [--latency-ms 0-150 | 0 | 50 | 50-150]
                                   [--tap-every 1.0 | 0] [--broadcasts 1]
                                   [--overall-per-second R] [--chat-margin S]

Runs three senders against the in-process Bot API emulator, which enforces Telegram's limits
(30 messages/s overall, 1/s per private chat) by answering 429 with retry_after. Each call
takes a simulated round trip (by default a random 0-150 ms per call) and is judged when it
arrives, after the first half of it, as Telegram judges sends: so sends that leave evenly
spaced arrive unevenly.

1. Shangliang: a staff broadcast to every resident through the durable outbox and the paced
   rate limiter, with the real Application running; meanwhile a staff member taps /help every
   second and we time each answer (the interactive reply under load; `--tap-every 0`: the
   broadcast alone, with Telegram's whole budget to itself). `--broadcasts N` sends N at once,
   so that with few recipients each chat's spacing is what is measured;
   `--overall-per-second` and `--chat-margin` override the limiter's margins (to measure them).
2. PTB's AIORateLimiter with its defaults (no retries), every send started at once.
3. The same with max_retries=3.

For each: messages per second (delivered / time until the last one), 429 answers, lost
(recipients who got nothing) and duplicated (recipients who got it more than once); with
several broadcasts, the closest two arrivals in one recipient's chat.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.error import RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bot.app.config import settings_from_mapping
from bot.clock import SystemClock
from bot.domain.broadcasts import BroadcastDraft
from bot.domain.models import ChannelUser, Role
from bot.domain.scope import Scope, ScopeKind
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from emulator.limits import RateLimits
from emulator.request import EmulatorRequest
from handlers.ratelimit import (
    DEFAULT_CHAT_MARGIN,
    DEFAULT_OVERALL_PER_SECOND,
    PacedRateLimiter,
)

MARK = "停水通知-基准"
STAFF = 900001
# Staff members who tap /help during the broadcast, each in their own chat (Telegram allows
# one message a second per chat, so one tapper would be measuring their own chat's limit).
PROBES = list(range(900100, 900500))
TAP_EVERY = 1.0  # seconds between taps
FIRST = 10_000_000


@dataclass
class Result:
    """One sender's numbers."""

    name: str
    recipients: int
    seconds: float
    delivered: int
    flood_answers: int
    lost: int
    duplicated: int
    reply_p95_ms: float | None = None
    reply_p50_ms: float | None = None
    replies: int = 0
    closest_gap: float | None = None

    @property
    def rate(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0

    @property
    def total_rate(self) -> float:
        """All counted sends (broadcast and interactive replies) per second."""
        return (self.delivered + self.replies) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        share = 100.0 * self.flood_answers / max(1, self.delivered + self.flood_answers)
        text = (
            f"{self.name:<34} {self.rate:6.1f} msg/s  {self.flood_answers:5d} × 429"
            f" ({share:4.1f} % of sends)  lost {self.lost:5d}  duplicated {self.duplicated}"
        )
        if self.closest_gap is not None:
            text += f"  one chat's closest arrivals {self.closest_gap:.3f} s apart"
        if self.reply_p95_ms is not None:
            text += (
                f"  (all sends {self.total_rate:.1f}/s)"
                f"  interactive reply p50 {self.reply_p50_ms:.0f} ms,"
                f" p95 {self.reply_p95_ms:.0f} ms ({self.replies} taps)"
            )
        return text


def parse_latency(text: str) -> float | tuple[float, float] | None:
    """ "0" → None, "50" → 0.05, "50-150" → (0.05, 0.15)."""
    if "-" in text:
        low, high = text.split("-")
        return (float(low) / 1000, float(high) / 1000)
    value = float(text) / 1000
    return value or None


def count(
    emulator: BotApiEmulator, ids: Sequence[int], marks: Sequence[str] = (MARK,)
) -> tuple[int, int, int]:
    """(delivered, lost, duplicated) of each marked message over the recipients' chats."""
    delivered = lost = duplicated = 0
    for chat_id in ids:
        texts = [m.text for m in emulator.chats[chat_id].messages if m.from_bot]
        for mark in marks:
            got = sum(1 for text in texts if mark in text)
            delivered += got
            lost += got == 0
            duplicated += got > 1
    return delivered, lost, duplicated


def closest_gap(emulator: BotApiEmulator, ids: Sequence[int]) -> float | None:
    """The shortest time between two sends arriving in one recipient's chat, if one had two."""
    assert emulator.flood is not None
    by_chat = emulator.flood.chat_gaps()
    gaps = [gap for chat_id in ids for gap in by_chat.get(chat_id, [])]
    return min(gaps) if gaps else None


async def shangliang(
    recipients: int,
    latency: float | tuple[float, float] | None,
    tap_every: float = TAP_EVERY,
    limiter: PacedRateLimiter | None = None,
    broadcasts: int = 1,
) -> Result:
    """The outbox and the paced limiter, with the real Application and an interactive user.

    `broadcasts` > 1 sends that many at once, so each resident's chat gets several messages in
    a row (with few recipients, each chat's spacing rather than the overall rate sets the pace).
    """
    folder = Path(tempfile.mkdtemp(prefix="shangliang-bench-"))
    settings = settings_from_mapping(
        {
            "storage": {"database": str(folder / "bench.db")},
            "roles": {"staff": [STAFF, *PROBES]},
        }
    )
    emulator = BotApiEmulator(limits=RateLimits(), latency=latency)
    limiter = limiter or PacedRateLimiter()
    harness = await BotHarness.start(
        settings, emulator=emulator, clock=SystemClock(), rate_limiter=limiter
    )
    try:
        services = harness.runtime.services
        ids = list(range(FIRST, FIRST + recipients))
        async with harness.runtime.db.transaction():
            for telegram_id in ids:
                UserClient(emulator, telegram_id, "居民")
                await services.users.identify(
                    ChannelUser(
                        channel="telegram", external_id=str(telegram_id), first_name="居民"
                    )
                )
        staff = await services.users.identify(
            ChannelUser(channel="telegram", external_id=str(STAFF), first_name="社区")
        )
        UserClient(emulator, STAFF, "社区")
        probes = [harness.user("社工", user_id=probe) for probe in PROBES]

        marks = [MARK] if broadcasts == 1 else [f"{MARK}#{n}#" for n in range(1, broadcasts + 1)]
        started_at = datetime.now(UTC)
        sent = [
            await services.broadcasts.create(
                staff,
                BroadcastDraft(
                    body=mark, scope=Scope(kind=ScopeKind.ROLE, role=Role.RESIDENT), urgent=True
                ),
            )
            for mark in marks
        ]
        which = ",".join(str(broadcast.id) for broadcast in sent)
        replies: list[float] = []

        async def unsent() -> int:
            return int(
                await harness.runtime.db.fetch_value(
                    f"SELECT count(*) FROM outbox WHERE broadcast_id IN ({which})"
                    " AND status IN ('pending', 'sending')"
                )
            )

        if tap_every:
            for probe in probes:
                tapped = time.perf_counter()
                await probe.send("/help", wait=False)
                while not probe.bot_messages:  # noqa: ASYNC110 - polls the emulator's chat, as a phone would
                    await asyncio.sleep(0.002)
                replies.append((time.perf_counter() - tapped) * 1000)
                if not await unsent():
                    break
                await asyncio.sleep(tap_every)
            else:
                raise RuntimeError("more probes needed: the broadcast outlasted them")
        else:  # the broadcast alone
            while await unsent():  # noqa: ASYNC110 - the sender writes its progress to the database
                await asyncio.sleep(0.5)
        await harness.settle()
        last_sent = await harness.runtime.db.fetch_value(
            f"SELECT max(sent_at) FROM outbox WHERE broadcast_id IN ({which})"
        )
        seconds = (datetime.fromisoformat(last_sent) - started_at).total_seconds()
        delivered, lost, duplicated = count(emulator, ids, marks)
        assert emulator.flood is not None
        quantiles = statistics.quantiles(replies, n=20) if len(replies) > 1 else replies * 19
        return Result(
            name="Shangliang outbox + paced limiter",
            recipients=recipients,
            seconds=seconds,
            delivered=delivered,
            flood_answers=emulator.flood.refused,
            lost=lost,
            duplicated=duplicated,
            reply_p95_ms=quantiles[18] if replies else None,
            reply_p50_ms=statistics.median(replies) if replies else None,
            replies=len(replies),
            closest_gap=closest_gap(emulator, ids),
        )
    finally:
        await harness.stop()


async def aio_rate_limiter(
    recipients: int, latency: float | tuple[float, float] | None, retries: int
) -> Result:
    """PTB's AIORateLimiter: every send started at once, as a naive broadcast loop does."""
    emulator = BotApiEmulator(limits=RateLimits(), latency=latency)
    ids = list(range(FIRST, FIRST + recipients))
    for telegram_id in ids:
        UserClient(emulator, telegram_id, "居民")
    bot = ExtBot(
        emulator.token,
        request=EmulatorRequest(emulator),
        rate_limiter=AIORateLimiter(max_retries=retries),
    )
    await bot.initialize()
    started = time.perf_counter()

    async def send(chat_id: int) -> None:
        with contextlib.suppress(RetryAfter, TelegramError):  # lost: the caller gave up
            await bot.send_message(chat_id, MARK)

    await asyncio.gather(*(send(chat_id) for chat_id in ids))
    seconds = time.perf_counter() - started
    await bot.shutdown()
    delivered, lost, duplicated = count(emulator, ids)
    assert emulator.flood is not None
    return Result(
        name=f"PTB AIORateLimiter max_retries={retries}",
        recipients=recipients,
        seconds=seconds,
        delivered=delivered,
        flood_answers=emulator.flood.refused,
        lost=lost,
        duplicated=duplicated,
    )


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument(
        "--latency-ms",
        default="0-150",
        help="the round trip: 0, 50, or a random range such as 0-150 (the default)",
    )
    parser.add_argument("--only", choices=["shangliang", "ptb"], default=None)
    parser.add_argument(
        "--tap-every", type=float, default=TAP_EVERY, help="seconds between /help taps (0: none)"
    )
    parser.add_argument(
        "--broadcasts",
        type=int,
        default=1,
        help="broadcasts sent at once: with few --recipients, each chat's spacing is measured",
    )
    parser.add_argument(
        "--overall-per-second",
        type=float,
        default=DEFAULT_OVERALL_PER_SECOND,
        help="the paced limiter's overall rate (to measure margins)",
    )
    parser.add_argument(
        "--chat-margin",
        type=float,
        default=DEFAULT_CHAT_MARGIN,
        help="seconds the limiter adds to each chat's spacing (to measure margins)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    latency = parse_latency(args.latency_ms)
    print(f"{args.recipients} recipients, simulated round trip {args.latency_ms} ms", flush=True)
    results = []
    if args.only in (None, "shangliang"):
        limiter = PacedRateLimiter(args.overall_per_second, chat_margin=args.chat_margin)
        results.append(
            await shangliang(args.recipients, latency, args.tap_every, limiter, args.broadcasts)
        )
        print(results[-1].line(), flush=True)
    if args.only in (None, "ptb"):
        for retries in (0, 3):
            results.append(await aio_rate_limiter(args.recipients, latency, retries))
            print(results[-1].line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
