"""Kill the bot (SIGKILL) in the middle of a broadcast, start it again, count what arrived.

    python benchmarks/restart.py [--recipients 2000] [--kill-at 0.5]

The emulator runs in this process behind real
HTTP, the bot is `python -m bot run` in a child process pointed at it with `bot.base_url`.
The broadcast is queued (outbox rows written) before the bot starts; the bot is killed once
`--kill-at` of the recipients have it, then started again and left to finish.

Printed: delivered before the kill, rows claimed but not acknowledged at the kill (in flight),
then per recipient: exactly once, never (lost), more than once (duplicated). Only in-flight
rows may be duplicated: Telegram had them, but the bot died before writing that down.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app.config import load_settings  # noqa: E402
from bot.app.runtime import runtime_for  # noqa: E402
from bot.domain.broadcasts import BroadcastDraft  # noqa: E402
from bot.domain.models import ChannelUser, Role  # noqa: E402
from bot.domain.scope import Scope, ScopeKind  # noqa: E402
from emulator import BotApiEmulator  # noqa: E402
from emulator.driver import UserClient  # noqa: E402
from emulator.http import serve  # noqa: E402
from emulator.limits import RateLimits  # noqa: E402

MARK = "停水通知-重启基准"
STAFF = 900001
FIRST = 20_000_000


def received(emulator: BotApiEmulator, ids: list[int]) -> list[int]:
    """How many times each recipient got the broadcast."""
    return [
        sum(1 for m in emulator.chats[chat_id].messages if m.from_bot and MARK in m.text)
        for chat_id in ids
    ]


def in_flight(database: Path) -> int:
    """Outbox rows claimed by the dead process and never acknowledged."""
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM outbox WHERE status = 'sending'").fetchone()[0]


def unsettled(database: Path) -> int:
    """Outbox rows not yet sent (or given up)."""
    with sqlite3.connect(database) as conn:
        return conn.execute(
            "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
        ).fetchone()[0]


async def start_bot(config: Path, log: Path) -> asyncio.subprocess.Process:
    """`python -m bot run` in a child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    handle = log.open("ab")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        "run",
        stdout=handle,
        stderr=handle,
        env=env,
        cwd=ROOT,
    )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--kill-at", type=float, default=0.5)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="shangliang-restart-"))
    emulator = BotApiEmulator(limits=RateLimits())
    runner, port = await serve(emulator)
    config = folder / "config.toml"
    database = folder / "bot.db"
    config.write_text(
        f'[bot]\ntoken = "{emulator.token}"\n'
        f'base_url = "http://127.0.0.1:{port}/bot"\n'
        f'base_file_url = "http://127.0.0.1:{port}/file/bot"\n'
        f'[storage]\ndatabase = "{database}"\n'
        f"[roles]\nstaff = [{STAFF}]\n",
        encoding="utf-8",
    )
    ids = list(range(FIRST, FIRST + args.recipients))
    for chat_id in [*ids, STAFF]:
        UserClient(emulator, chat_id, "居民")

    # Queue the broadcast before the bot runs: the outbox holds one row per recipient.
    async with runtime_for(load_settings(config)) as runtime:
        services = runtime.services
        async with runtime.db.transaction():
            for telegram_id in ids:
                await services.users.identify(
                    ChannelUser(
                        channel="telegram", external_id=str(telegram_id), first_name="居民"
                    )
                )
        staff = await services.users.identify(
            ChannelUser(channel="telegram", external_id=str(STAFF), first_name="社区")
        )
        await services.broadcasts.create(
            staff,
            BroadcastDraft(
                body=MARK, scope=Scope(kind=ScopeKind.ROLE, role=Role.RESIDENT), urgent=True
            ),
        )
    print(f"{args.recipients} recipients queued; log in {folder / 'bot.log'}", flush=True)

    log = folder / "bot.log"
    started = time.perf_counter()
    bot = await start_bot(config, log)
    target = int(args.recipients * args.kill_at)
    while sum(1 for n in received(emulator, ids) if n) < target:  # noqa: ASYNC110 - watching
        await asyncio.sleep(0.01)
    bot.send_signal(signal.SIGKILL)
    await bot.wait()
    before_kill = sum(1 for n in received(emulator, ids) if n)
    flying = in_flight(database)
    print(
        f"SIGKILL after {time.perf_counter() - started:.1f} s: {before_kill} recipients had it,"
        f" {flying} rows in flight",
        flush=True,
    )

    bot = await start_bot(config, log)
    while unsettled(database):  # noqa: ASYNC110 - another process's database
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # let the last answers land
    bot.send_signal(signal.SIGTERM)
    await bot.wait()
    await runner.cleanup()

    counts = received(emulator, ids)
    once = sum(1 for n in counts if n == 1)
    lost = sum(1 for n in counts if n == 0)
    twice = sum(1 for n in counts if n > 1)
    print(
        f"after the restart: {once} exactly once, {lost} lost, {twice} duplicated"
        f" (allowed: at most the {flying} in flight); 429 answers: {emulator.flood.refused}"
        f"; total {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return 0 if lost == 0 and twice <= flying else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
