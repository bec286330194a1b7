"""A vote storm: 3,000 households press ballot buttons, against a bare PTB echo bot.

    python benchmarks/vote_storm.py [--households 3000] [--burst 3000] [--rate 50]
                                    [--rate-updates 3000] [--latency-ms 0]

The emulator runs behind aiohttp in this process; each bot runs in a child process and polls
it over real HTTP (benchmarks/updates.py's setup). Shangliang runs on a community of
`--households` households in one compound, each with one registered member, and one open
menu of five items (k = 3). Every household's chat holds its ballot; the updates are presses
from distinct households: even ones tick an item (🗳 toggle: the bot checks the household,
the menu and the k limit, answers "1/3 chosen" and edits the ballot), odd ones submit a
ballot of two items (the bot writes the ballot and its history in one transaction, tells the
household's other members, answers and edits).

Measured for each bot, in the same run:
(a) throughput: `--burst` updates queued at once, updates per second until the last answer;
(b) latency: `--rate-updates` updates arriving at `--rate` per second, the 50th/95th/99th
    percentile from an update to the bot's answer (answerCallbackQuery).
The baseline is a bare PTB echo bot with default settings (it answers and edits).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from updates import bot_settings, parse_latency, start_bot  # noqa: E402

from bot.app.runtime import runtime_for  # noqa: E402
from bot.domain.scope import Scope, ScopeKind  # noqa: E402
from bot.domain.votes import MenuDraft, MenuItemDraft  # noqa: E402
from bot.interaction.payload import Feature, payload  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402
from emulator.driver import UserClient  # noqa: E402
from emulator.http import serve  # noqa: E402

FIRST = 40_000_000
STAFF = 39_999_999
ITEMS = 5
K = 3


@dataclass
class Numbers:
    """One bot's figures."""

    name: str
    burst: int
    burst_seconds: float
    rate: float
    rate_updates: int
    p50: float
    p95: float
    p99: float
    lost: int

    def lines(self) -> list[str]:
        return [
            f"{self.name:<34} burst of {self.burst}: {self.burst / self.burst_seconds:7.1f}"
            f" updates/s ({self.burst_seconds:.1f} s)",
            f"{'':<34} at {self.rate:.0f} updates/s ({self.rate_updates}): answer p50"
            f" {self.p50:6.1f} ms  p95 {self.p95:6.1f} ms  p99 {self.p99:6.1f} ms"
            f"  unanswered {self.lost}",
        ]


def seed(database: Path, households: int) -> None:
    """One compound of `households` households, each with one approved member (fast SQL)."""
    now = datetime(2026, 11, 22, 1, 0, tzinfo=UTC).isoformat()
    with sqlite3.connect(database) as db:
        db.execute("INSERT INTO compound (id, community_id, name) VALUES (1, 1, '幸福里小区')")
        per_building = 100
        for building in range(households // per_building + 1):
            db.execute(
                "INSERT INTO building (id, compound_id, name) VALUES (?, 1, ?)",
                (building + 1, f"{building + 1}号楼"),
            )
            db.execute(
                "INSERT INTO unit (id, building_id, name) VALUES (?, ?, '1单元')",
                (building + 1, building + 1),
            )
        db.executemany(
            "INSERT INTO household (id, unit_id, room, floor, area_centi, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, 6000, ?, ?)",
            [
                (i + 1, i // per_building + 1, f"{i % per_building + 101}", 1, now, now)
                for i in range(households)
            ],
        )
        db.executemany(
            "INSERT INTO user (id, channel, external_id, first_name, created_at)"
            " VALUES (?, 'telegram', ?, '居民', ?)",
            [(i + 1, str(FIRST + i), now) for i in range(households)],
        )
        db.executemany(
            "INSERT INTO membership (user_id, household_id, status, is_current, created_at)"
            " VALUES (?, ?, 'approved', 1, ?)",
            [(i + 1, i + 1, now) for i in range(households)],
        )


async def prepare(database: Path, households: int) -> None:
    """Migrate, seed, and open a menu for the compound."""
    settings = bot_settings(database, 1)
    settings = settings.model_copy(
        update={"roles": settings.roles.model_copy(update={"staff": [STAFF]})}
    )
    async with runtime_for(settings):
        pass  # migrations and the community row
    seed(database, households)
    async with runtime_for(settings) as runtime:
        from bot.domain.models import ChannelUser

        services = runtime.services
        staff = await services.users.identify(
            ChannelUser(channel="telegram", external_id=str(STAFF), first_name="主任")
        )
        now = services.clock.now()
        await services.votes.create_menu(
            staff,
            MenuDraft(
                title="改造点单",
                scope=Scope(kind=ScopeKind.COMPOUNDS, ids=(1,)),
                opens_at=now,
                closes_at=now + timedelta(days=7),
                items=tuple(
                    MenuItemDraft(title=f"项目{n}", cost=1000 * (n + 1)) for n in range(ITEMS)
                ),
                max_picks=K,
            ),
        )
        # The opening announcement is not part of the storm.
        await runtime.db.execute("UPDATE outbox SET status = 'sent'")


def press(index: int, items: list[int]) -> str:
    """Even households tick an item, odd ones submit two."""
    if index % 2 == 0:
        return payload(Feature.VOTE, "mt", 1, "0", items[index % ITEMS], 0).encode()
    return payload(Feature.VOTE, "ms", 1, "3", 0).encode()


async def run(
    name: str,
    kind: str,
    households: int,
    burst: int,
    rate: float,
    rate_updates: int,
    latency: float | tuple[float, float] | None,
) -> Numbers:
    """One bot: a burst, then a steady arrival rate, on fresh chats each time."""
    emulator = BotApiEmulator()  # no latency while the households' chats are set up
    runner, port = await serve(emulator)
    database = Path(tempfile.mkdtemp(prefix="shangliang-votes-")) / "bot.db"
    if kind != "baseline":
        await prepare(database, households)
        with sqlite3.connect(database) as db:
            items = [row[0] for row in db.execute("SELECT id FROM menu_item ORDER BY position")]
    else:
        items = list(range(1, ITEMS + 1))
    answered: dict[str, float] = {}
    original = emulator._api_answerCallbackQuery

    async def timed(params: dict, files: dict) -> object:  # type: ignore[type-arg]
        answered[str(params["callback_query_id"])] = time.perf_counter()
        return await original(params, files)

    emulator._api_answerCallbackQuery = timed  # type: ignore[method-assign]
    needed = burst + rate_updates
    clients = []
    for offset in range(needed):
        index = offset % households
        chat_id = FIRST + index
        client = UserClient(emulator, chat_id, "居民")
        if offset < households:
            await emulator.call(
                "sendMessage",
                {
                    "chat_id": chat_id,
                    "text": "选票",
                    "reply_markup": {
                        "inline_keyboard": [[{"text": "x", "callback_data": press(index, items)}]]
                    },
                },
                {},
            )
        clients.append((client, press(index, items)))
    emulator.latency = latency
    child = await start_bot(kind, port, database, emulator)

    async def wait_for(ids: list[str], limit: float) -> None:
        deadline = time.perf_counter() + limit
        while not all(i in answered for i in ids) and time.perf_counter() < deadline:  # noqa: ASYNC110 - answers come from the child process
            await asyncio.sleep(0.005)

    # (a) the burst
    sent: dict[str, float] = {}
    ids: list[str] = []
    started = time.perf_counter()
    for client, data in clients[:burst]:
        message = client.chat.messages[-1]
        record = await client.click_data(data, message=message, wait=False)
        sent[record.id] = time.perf_counter()
        ids.append(record.id)
    await wait_for(ids, 600)
    burst_seconds = max(answered.get(i, started) for i in ids) - started
    await asyncio.sleep(1)  # the last edits
    # (b) a steady arrival rate
    waits: list[float] = []
    rate_ids: list[str] = []
    begin = time.perf_counter()
    for n, (client, data) in enumerate(clients[burst:]):
        delay = begin + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        message = client.chat.messages[-1]
        record = await client.click_data(data, message=message, wait=False)
        sent[record.id] = time.perf_counter()
        rate_ids.append(record.id)
    await wait_for(rate_ids, 60)
    waits = [(answered[i] - sent[i]) * 1000 for i in rate_ids if i in answered]
    lost = sum(i not in answered for i in ids + rate_ids)
    child.send_signal(signal.SIGTERM)
    await child.wait()
    await runner.cleanup()
    if kind != "baseline":
        with sqlite3.connect(database) as db:
            ballots = db.execute("SELECT count(*) FROM menu_ballot").fetchone()[0]
            picks = db.execute("SELECT picks FROM menu_ballot LIMIT 1").fetchone()
        expected = len({FIRST + o % households for o in range(needed) if (o % households) % 2})
        if ballots != expected or (picks and json.loads(picks[0]) != sorted(items[:2])):
            raise RuntimeError(f"{name}: {ballots} ballots stored, expected {expected}")
    quantiles = statistics.quantiles(waits, n=100)
    return Numbers(
        name=name,
        burst=burst,
        burst_seconds=burst_seconds,
        rate=rate,
        rate_updates=rate_updates,
        p50=statistics.median(waits),
        p95=quantiles[94],
        p99=quantiles[98],
        lost=lost,
    )


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--burst", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--rate-updates", type=int, default=3000)
    parser.add_argument("--latency-ms", default="0")
    parser.add_argument(
        "--baseline-updates",
        type=int,
        default=None,
        help="burst and rate updates for the echo bot (default: the same as ours); at 50 ms"
        " PTB's default answers about 9 updates/s, so 3,000 take minutes",
    )
    parser.add_argument("--only", choices=["baseline", "aiohttp"], action="append", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    latency = parse_latency(args.latency_ms)
    print(
        f"simulated round trip {args.latency_ms} ms; {args.households} households",
        flush=True,
    )
    results = []
    for kind, name in (("baseline", "PTB defaults, bare echo"), ("aiohttp", "Shangliang ballots")):
        if args.only and kind not in args.only:
            continue
        burst, rate_updates = args.burst, args.rate_updates
        if kind == "baseline" and args.baseline_updates:
            burst = rate_updates = args.baseline_updates
        numbers = await run(name, kind, args.households, burst, args.rate, rate_updates, latency)
        results.append(numbers)
        for line in numbers.lines():
            print(line, flush=True)
    if len(results) == 2:
        echo, ours = results
        share = (ours.burst / ours.burst_seconds) / (echo.burst / echo.burst_seconds)
        print(f"throughput: {share:.0%} of the echo bot's (target ≥ 50 %)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
