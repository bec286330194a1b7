"""The command line: `shangliang` or `python -m bot`.

Building the parser imports only the standard library and `bot.app.commands`, whose modules import
their heavy parts (pydantic settings, storage, telegram, openpyxl…) inside the function that
runs the command: `shangliang --help` answers without loading any of them.
tests/unit/test_cli_imports.py keeps it so.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.commands import register_all
from bot.clock import SystemClock

if TYPE_CHECKING:
    from bot.app.config import Settings
    from bot.ports import Clock

logger = logging.getLogger("bot")

# A mainland mobile, also written in groups ("138 0471 0001", "138-0471-0001").
_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)")


class RedactPhones(logging.Filter):
    """Blank out anything that looks like a mainland mobile number, whoever logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with phones masked."""
        message = record.getMessage()
        if _PHONE.search(message):
            record.msg = _PHONE.sub("[phone]", message)
            record.args = None
        return True


def configure_logging(level: int) -> None:
    """Log to stderr; httpx at WARNING because its request lines contain the token."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactPhones())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# ---------------------------------------------------------------------------- subcommands


async def _serve(settings: Settings, token: str) -> None:
    """Run the bot until SIGINT or SIGTERM, then stop cleanly and close the database."""
    import asyncio

    from bot.app.runtime import runtime_for
    from handlers import build_application, publish_commands, start_background, stop_background

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
    async with runtime_for(settings) as runtime:
        app = build_application(settings, runtime.services, token=token, rate_limiter=True)
        async with app:  # initialize … shutdown (flushes persistence)
            await publish_commands(app)
            await app.start()
            await start_background(app)
            assert app.updater is not None
            if settings.mode == "webhook":
                hook = settings.webhook
                secret = hook.secret_token.get_secret_value() if hook.secret_token else None
                await app.updater.start_webhook(
                    listen=hook.listen,
                    port=hook.port,
                    url_path=hook.path,
                    webhook_url=str(hook.url),
                    secret_token=secret,
                    allowed_updates=["message", "callback_query"],
                )
                logger.info("listening for webhooks on %s:%s", hook.listen, hook.port)
            else:
                await app.updater.start_polling(allowed_updates=["message", "callback_query"])
                logger.info("polling for updates")
            await stop.wait()
            logger.info("stopping")
            await app.updater.stop()
            await stop_background(app)
            await app.stop()
    logger.info("stopped; database closed")


def cmd_run(args: argparse.Namespace) -> int:
    """Run the bot for real."""
    from bot.app.config import config_path, load_settings, require_token

    settings = load_settings(args.config)
    token = require_token(settings, str(config_path(args.config)))
    from bot.app.loop import run

    run(_serve(settings, token))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the database schema up to date."""
    import asyncio

    from bot.app.config import load_settings
    from storage.database import Database
    from storage.migrate import current_version, migrate

    settings = load_settings(args.config, required=False)

    async def go() -> tuple[int, list[str], int]:
        db = await Database.open(settings.storage.database)
        try:
            before = await current_version(db)
            applied = await migrate(db)
            return before, applied, await current_version(db)
        finally:
            await db.close()

    before, applied, after = asyncio.run(go())
    where = settings.storage.database
    if applied:
        print(f"{where}: migrated from version {before} to {after} ({', '.join(applied)})")
    else:
        print(f"{where}: already at version {after}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Chat with the bot in the terminal, on the emulator and a fresh database."""
    import asyncio
    import tempfile

    from bot.app.config import load_settings, settings_from_mapping
    from bot.app.demo import demo_database, run_demo

    base = load_settings(args.config, required=False)
    folder = Path(args.database).parent if args.database else Path(tempfile.mkdtemp())
    path = demo_database(Path(args.database) if args.database else folder / "demo.db")
    data = base.model_dump(mode="json", exclude={"bot": {"token"}})
    data["storage"] = {"database": str(path)}
    settings = settings_from_mapping(data, source="demo")
    asyncio.run(run_demo(settings))
    print(f"(demo database kept at {path})")
    return 0


# ---------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="shangliang",
        description="商量 Shangliang: a chat assistant for old-neighbourhood renovation.",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="config file (default: $SHANGLIANG_CONFIG or ./config.toml)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run",
        help="run the bot on Telegram (polling or webhook, as configured)",
        description="Run the bot for real. Needs bot.token or $SHANGLIANG_BOT_TOKEN.",
    )
    run.set_defaults(handler=cmd_run)

    demo = commands.add_parser(
        "demo",
        help="chat with the bot in the terminal, no Telegram needed",
        description=(
            "Start the real bot on an in-process Telegram emulator with a fresh demo community"
            " and chat with it: type text (numbers too), #2 to press button [#2], /as resident,"
            " /as grid or /as staff to switch user, /phone to share the phone, /photo or"
            " /voice to send one, /quit to leave. Lines piped on standard input are sent one"
            " by one."
        ),
    )
    demo.add_argument(
        "--database",
        default=None,
        help="where to create the demo database (replaced if it exists; default: a temp dir)",
    )
    demo.set_defaults(handler=cmd_demo)

    migrate = commands.add_parser(
        "migrate",
        help="create or upgrade the database schema",
        description="Apply the numbered SQL migrations that the database has not seen yet.",
    )
    migrate.set_defaults(handler=cmd_migrate)
    register_all(commands)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Entry point of the `shangliang` console script.

    `clock` is the time the subcommands see (tests pass a manual one; the system clock else).
    """
    args = build_parser().parse_args(argv)  # --help and bad arguments end here, cheaply
    args.clock = clock or SystemClock()
    quiet = args.command == "demo"  # the terminal chat is the demo's output
    level = logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO
    configure_logging(level)
    from bot.app.config import ConfigError  # every command reads the settings: no cost to defer

    try:
        return int(args.handler(args))
    except ConfigError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
