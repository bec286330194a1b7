"""An update storm: 3,000 residents press a button at once, over real HTTP with a simulated RTT.

    python benchmarks/updates.py [--updates 3000] [--latency-ms 50] [--baseline-updates 600]
                                 [--rate 400] [--repeat 3] [--only baseline|floor|httpx|aiohttp]

The emulator runs behind aiohttp in this process; each bot runs in a child process and polls
it over HTTP, so the HTTP layer is measured for real and the bot has a core of its own.
The pressed button is 🔔 in the notification settings: the bot
identifies the user, reads and writes their mutes in SQLite, answers the press and edits the
message (two Bot API calls, each paying the round trip). One resident in ten presses twice in
a row; per-chat order is kept if each of them ends up unmuted with 🔔 shown.

Compared in one run:
- PTB with default settings (HTTPXRequest, one update at a time), a bare handler that answers
  and edits (no database): the baseline, on fewer updates since it is slow;
- Shangliang with PTB's HTTPXRequest (pool of 256) and the ordered concurrent processor;
- Shangliang with the aiohttp BaseRequest (handlers/transport.py).
- "floor" (only with --only floor): PTB with our processor and transport and the bare
  handler, no database: what PTB itself costs per update, for comparison.

SHANGLIANG_PROFILE=/tmp/bot.prof profiles the bot's child process with cProfile (read it with
`python -m pstats /tmp/bot.prof`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.app.config import Settings, settings_from_mapping
from bot.app.runtime import open_runtime
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.http import serve
from handlers import build_application
from handlers.transport import AiohttpRequest

FIRST = 30_000_000
DATA = "v1:mute:tog:notice"


@dataclass
class Result:
    """One bot's numbers."""

    name: str
    updates: int
    seconds: float
    p50_ms: float
    p99_ms: float
    order_kept: str
    cpu_ms: float | None = None

    def line(self) -> str:
        return (
            f"{self.name:<40} {self.updates / self.seconds:7.1f} updates/s"
            f"  answer p50 {self.p50_ms:6.0f} ms  p99 {self.p99_ms:6.0f} ms"
            f"  ({self.updates} updates in {self.seconds:.1f} s; per-chat order {self.order_kept})"
            + (f"  bot CPU {self.cpu_ms:.2f} ms/update" if self.cpu_ms is not None else "")
        )


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parse_latency(text: str) -> float | tuple[float, float] | None:
    """ "0" → None, "50" → 0.05, "50-150" → (0.05, 0.15)."""
    if "-" in text:
        low, high = text.split("-")
        return (float(low) / 1000, float(high) / 1000)
    return float(text) / 1000 or None


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The baseline's handler: answer the press and edit the message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.user_data["n"] = context.user_data.get("n", 0) + 1
    await query.edit_message_text(f"ok {context.user_data['n']}")


def bot_settings(database: Path, port: int) -> Settings:
    """The bot's settings: its database, and the emulator as its Bot API."""
    return settings_from_mapping(
        {
            "storage": {"database": str(database)},
            "bot": {
                "base_url": f"http://127.0.0.1:{port}/bot",
                "base_file_url": f"http://127.0.0.1:{port}/file/bot",
            },
        }
    )


async def serve_bot(kind: str, port: int, database: Path, token: str) -> None:
    """The child process: one bot polling the emulator until SIGTERM."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    runtime = None
    if kind == "baseline":
        app = ApplicationBuilder().token(token).base_url(f"http://127.0.0.1:{port}/bot").build()
        app.add_handler(CallbackQueryHandler(echo))
    elif kind == "floor":
        from handlers.processing import OrderedUpdateProcessor

        app = (
            ApplicationBuilder()
            .token(token)
            .base_url(f"http://127.0.0.1:{port}/bot")
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(read_timeout=20.0))
            .concurrent_updates(OrderedUpdateProcessor(256))
            .build()
        )
        app.add_handler(CallbackQueryHandler(echo))
    else:
        request = AiohttpRequest if kind == "aiohttp" else HTTPXRequest
        settings = bot_settings(database, port)
        runtime = await open_runtime(settings)
        app = build_application(
            settings,
            runtime.services,
            token=token,
            request=request(),
            get_updates_request=request(read_timeout=20.0),  # type: ignore[call-arg]
            rate_limiter=True,  # as `shangliang run` has it (answers and edits are not paced)
        )
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=10)
    await stop.wait()
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    if runtime is not None:
        await runtime.close()


async def start_bot(
    kind: str, port: int, database: Path, emulator: BotApiEmulator
) -> asyncio.subprocess.Process:
    """A bot ("baseline", "httpx" or "aiohttp") in a child process, once it polls."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        kind,
        "--port",
        str(port),
        "--database",
        str(database),
        "--token",
        emulator.token,
    )
    while not emulator.polling:  # noqa: ASYNC110 - the child process starts polling
        await asyncio.sleep(0.05)
    return child


async def storm(
    name: str,
    kind: str,
    updates: int,
    latency: float | tuple[float, float] | None,
    rate: float | None = None,
) -> Result:
    """Start the bot in a child process, press its button `updates` times, time the edits.

    All presses at once (a burst: how fast the queue drains), or `rate` presses per second
    (how long each waits for its answer while the storm goes on).
    """
    emulator = BotApiEmulator()  # no latency while the residents' chats are set up
    runner, port = await serve(emulator)
    database = Path(tempfile.mkdtemp(prefix="shangliang-storm-")) / "bot.db"
    users = max(1, round(updates / 1.1))  # one in ten presses twice
    twice = updates - users

    edits: dict[int, list[float]] = defaultdict(list)
    original = emulator._api_editMessageText

    async def timed(params: dict, files: dict) -> object:  # type: ignore[type-arg]
        result = await original(params, files)
        edits[int(params["chat_id"])].append(time.perf_counter())
        return result

    emulator._api_editMessageText = timed  # type: ignore[method-assign]
    clients = []
    for chat_id in range(FIRST, FIRST + users):
        client = UserClient(emulator, chat_id, "居民")
        await emulator.call(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": "设置",
                "reply_markup": {"inline_keyboard": [[{"text": "🔔", "callback_data": DATA}]]},
            },
            {},
        )
        clients.append(client)
    emulator.latency = latency
    child = await start_bot(kind, port, database, emulator)
    pushed: dict[int, list[float]] = defaultdict(list)
    cpu_before = cpu_seconds(child.pid)
    started = time.perf_counter()
    sent = 0
    for index, client in enumerate(clients):
        message = client.chat.messages[-1]
        for _ in range(2 if index < twice else 1):
            if rate is not None and (wait := started + sent / rate - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            sent += 1
            pushed[client.user_id].append(time.perf_counter())
            await client.click_data(DATA, message=message, wait=False)
    deadline = time.perf_counter() + 900
    while sum(len(times) for times in edits.values()) < updates:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{name}: only {sum(map(len, edits.values()))} of {updates}")
        await asyncio.sleep(0.01)
    finished = max(max(times) for times in edits.values())
    cpu_after = cpu_seconds(child.pid)
    child.send_signal(signal.SIGTERM)
    await child.wait()
    await runner.cleanup()
    waits = [
        (done - sent) * 1000
        for chat_id, times in pushed.items()
        for sent, done in zip(times, edits[chat_id], strict=False)
    ]
    order = "n/a"
    if kind not in ("baseline", "floor"):
        doubled = clients[:twice]
        with sqlite3.connect(database) as conn:
            muted = {
                int(row[0])
                for row in conn.execute(
                    "SELECT u.external_id FROM mute m JOIN user u ON u.id = m.user_id"
                    " WHERE m.muted = 1"
                )
            }
        kept = sum(
            client.user_id not in muted
            and client.chat.messages[-1].buttons[0].text.startswith("🔔")
            for client in doubled
        )
        order = f"kept for {kept}/{len(doubled)} double presses"
    quantiles = statistics.quantiles(waits, n=100)
    return Result(
        name=name,
        updates=updates,
        seconds=finished - started,
        p50_ms=statistics.median(waits),
        p99_ms=quantiles[98],
        order_kept=order,
        cpu_ms=(cpu_after - cpu_before) * 1000 / updates
        if cpu_before is not None and cpu_after is not None
        else None,
    )


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--baseline-updates", type=int, default=600)
    parser.add_argument("--latency-ms", default="50")
    parser.add_argument("--rate", type=float, help="presses per second (default: all at once)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per bot; the median is shown")
    parser.add_argument(
        "--only", choices=["baseline", "httpx", "aiohttp", "floor"], action="append", default=None
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.serve:
        profile = os.environ.get("SHANGLIANG_PROFILE")  # a path: profile the bot (cProfile)
        if not profile:
            await serve_bot(args.serve, args.port, args.database, args.token)
            return 0

        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
        try:
            await serve_bot(args.serve, args.port, args.database, args.token)
        finally:
            profiler.disable()
            profiler.dump_stats(profile)
        return 0
    latency = parse_latency(args.latency_ms)
    offered = f", {args.rate:g} presses/s offered" if args.rate else ", all presses at once"
    print(f"simulated round trip {args.latency_ms} ms{offered}", flush=True)
    runs = args.only or ["baseline", "httpx", "aiohttp"]
    names = {
        "baseline": "PTB defaults, bare echo",
        "floor": "PTB + our processor and transport, bare",
        "httpx": "Shangliang, HTTPXRequest(pool 256)",
        "aiohttp": "Shangliang, AiohttpRequest",
    }
    for kind in ("baseline", "floor", "httpx", "aiohttp"):
        if kind not in runs:
            continue
        updates = args.baseline_updates if kind == "baseline" else args.updates
        results = []
        for _ in range(args.repeat):
            result = await storm(names[kind], kind, updates, latency, args.rate)
            print(result.line(), flush=True)
            results.append(result)
        if len(results) > 1:
            results.sort(key=lambda result: result.updates / result.seconds)
            print(f"median of {len(results)}: {results[len(results) // 2].line()}", flush=True)
    return 0


if __name__ == "__main__":
    if "--serve" in sys.argv and "baseline" not in sys.argv:
        # Shangliang's child runs on the loop `shangliang run` uses; the baseline on PTB's.
        from bot.app.loop import run

        raise SystemExit(run(main()))
    raise SystemExit(asyncio.run(main()))
