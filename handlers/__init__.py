"""The Telegram adapter: the only package that imports `telegram`.

`build_application` assembles PTB's Application: Defaults, the ordered update processor, who is
talking, the core (every conversation and button), and the last answer for what nothing took.
No PTB persistence: the dialog engine keeps every open conversation in SQLite itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import BotCommand, BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    ContextTypes,
    Defaults,
)
from telegram.request import BaseRequest

from bot.app.config import Settings
from bot.domain.models import Language
from bot.i18n import plain
from bot.services import Services
from handlers import (
    core,
    errors,
    identity,
)
from handlers.context import BotContext, ShangliangApplication
from handlers.notifier import CHANNEL, TelegramTransport
from handlers.processing import OrderedUpdateProcessor
from handlers.ratelimit import PacedRateLimiter
from handlers.telegram_bot import ShangliangBot
from handlers.timers import TICK, JobQueueTimer
from handlers.transport import AiohttpRequest

IDENTIFY_GROUP = -10
CORE_GROUP = -5  # the core's conversations: what it answers stops there
FEATURE_GROUP = 0

COMMANDS = [
    "start",
    "report",
    "myreports",
    "votes",
    "meetings",
    "home",
    "contact",
    "register",
    "notifications",
    "help",
    "language",
    "cancel",
]


def feature_handlers(extra: Sequence[BaseHandler] = ()) -> list[BaseHandler]:
    """Every feature's handlers, in the order they are tried (first match wins).

    `extra` handlers (a test's own conversation, say) go before the core's last answer.
    """
    return [
        *extra,
        # Last: whatever no feature took (unknown commands, /cancel with nothing running,
        # stray input, stale buttons) gets the core's last answer.
        *core.last_handlers(),
    ]


def build_application(
    settings: Settings,
    services: Services,
    *,
    token: str,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    max_concurrent_updates: int = 256,
    rate_limiter: PacedRateLimiter | bool = False,
    extra_handlers: Sequence[BaseHandler] = (),
) -> ShangliangApplication:
    """Assemble the Application; the caller initializes, starts and stops it."""
    processor = OrderedUpdateProcessor(max_concurrent_updates)
    limiter = None
    if rate_limiter:
        limiter = (
            rate_limiter
            if isinstance(rate_limiter, PacedRateLimiter)
            else PacedRateLimiter.from_settings(settings.delivery)
        )
    bot = ShangliangBot(
        token,
        base_url=str(settings.bot.base_url),
        base_file_url=str(settings.bot.base_file_url),
        # aiohttp unless told otherwise (the emulator in tests): see handlers/transport.py.
        request=request or AiohttpRequest(),
        get_updates_request=get_updates_request or AiohttpRequest(read_timeout=30.0),
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.community.timezone)),
        rate_limiter=limiter,
    )
    builder = (
        ApplicationBuilder()
        .application_class(
            ShangliangApplication, kwargs={"services": services, "settings": settings}
        )
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(processor)
    )
    app: ShangliangApplication = builder.build()  # type: ignore[assignment]
    services.channels.attach(
        CHANNEL, TelegramTransport(app.bot, services.users.language_of, services.files)
    )
    app.add_handlers(identity.handlers(), group=IDENTIFY_GROUP)
    app.add_handlers(core.handlers(), group=CORE_GROUP)
    app.add_handlers(feature_handlers(extra_handlers), group=FEATURE_GROUP)
    app.add_error_handler(errors.on_error)  # type: ignore[arg-type]
    return app


SCHEDULER_TICK = 60.0  # seconds between safety-net looks at the job rows


async def start_background(app: ShangliangApplication) -> None:
    """After app.start(): timers rebuilt from the job rows, then the outbox sender."""
    services = app.services
    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    timer = JobQueueTimer(app.job_queue)
    services.scheduler.attach(timer)
    timer.every(TICK, SCHEDULER_TICK, services.scheduler.tick)
    await services.scheduler.restore()
    await services.sender.start()


async def stop_background(app: ShangliangApplication) -> None:
    """Before app.stop(): the sender finishes what is in flight; timers are dropped."""
    await app.services.sender.stop()
    app.services.scheduler.detach()


async def publish_commands(app: ShangliangApplication) -> None:
    """Tell Telegram our commands, described in each language."""
    for lang in Language:
        commands = [BotCommand(name, plain(lang, f"commands.{name}")) for name in COMMANDS]
        await app.bot.set_my_commands(
            commands,
            scope=BotCommandScopeDefault(),
            language_code=None if lang is Language.ZH else lang.value[:2],
        )


__all__ = [
    "BotContext",
    "ShangliangApplication",
    "build_application",
    "publish_commands",
    "start_background",
    "stop_background",
]
