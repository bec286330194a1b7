"""The real bot (runtime + Application) running against the emulator: for tests, demo, benchmarks.

`BotHarness.start` opens the runtime on the given settings, builds the very Application that
`shangliang run` builds, points its HTTP layer at the emulator and starts polling. After each
user action the driver waits until the bot has fetched every update and processed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from telegram.ext import BaseHandler, CallbackContext

from bot.app.config import Settings
from bot.app.runtime import Runtime, open_runtime
from bot.ports import Clock
from emulator.driver import GroupChat, UserClient
from emulator.request import EmulatorRequest
from emulator.server import BotApiEmulator
from handlers import (
    ShangliangApplication,
    build_application,
    publish_commands,
    start_background,
    stop_background,
)
from handlers.ratelimit import PacedRateLimiter

POLL_TIMEOUT = 10  # seconds a getUpdates call may wait; the emulator answers as soon as it can


@dataclass(eq=False)  # one harness is equal only to itself
class BotHarness:
    """A running bot and the emulator it talks to."""

    emulator: BotApiEmulator
    runtime: Runtime
    app: ShangliangApplication
    # Every exception the Application's error handlers saw (tests fail on any).
    errors: list[BaseException] = field(default_factory=list)
    _next_user_id: int = field(default=100001)
    # Harnesses started and not yet stopped: a test that fails half-way leaves one running,
    # and its database thread would keep the test process from exiting (tests/e2e/conftest).
    running: ClassVar[list[BotHarness]] = []

    @classmethod
    async def start(
        cls,
        settings: Settings,
        *,
        emulator: BotApiEmulator | None = None,
        clock: Clock | None = None,
        max_concurrent_updates: int = 256,
        extra_handlers: Sequence[BaseHandler[Any, Any, Any]] = (),
        rate_limiter: PacedRateLimiter | None = None,
    ) -> BotHarness:
        """Open the runtime, build the Application on the emulator and start polling.

        `extra_handlers` are tried before the fallback (tests use them for conversations that
        exist only in the test).
        """
        emulator = emulator or BotApiEmulator()
        runtime = await open_runtime(settings, clock)
        errors: list[BaseException] = []

        async def collect(_: object, context: CallbackContext) -> None:  # type: ignore[type-arg]
            if context.error is not None:
                errors.append(context.error)

        try:
            app = build_application(
                settings,
                runtime.services,
                token=emulator.token,
                request=EmulatorRequest(emulator),
                get_updates_request=EmulatorRequest(emulator, read_timeout=POLL_TIMEOUT + 5),
                max_concurrent_updates=max_concurrent_updates,
                extra_handlers=extra_handlers,
                rate_limiter=rate_limiter or False,
            )
            app.add_error_handler(collect)  # beside the bot's own, which logs and apologises
            await app.initialize()
            await publish_commands(app)
            await app.start()
            await start_background(app)
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)
        except BaseException:
            await runtime.close()
            raise
        emulator.on_settle(app.update_queue.join)
        emulator.on_settle(runtime.services.sender.settle)
        harness = cls(emulator=emulator, runtime=runtime, app=app, errors=errors)
        cls.running.append(harness)
        return harness

    async def stop(self) -> None:
        """Stop polling, flush persistence, shut the Application down and close the database."""
        if self in BotHarness.running:
            BotHarness.running.remove(self)
        self.emulator.clear_settle_hooks()
        try:
            if self.app.updater is not None and self.app.updater.running:
                await self.app.updater.stop()
            if self.app.running:
                await stop_background(self.app)
                await self.app.stop()
            await self.app.shutdown()
        finally:
            await self.runtime.close()

    async def settle(self) -> None:
        """Wait until every update sent so far has been processed."""
        await self.emulator.settle()

    def user(
        self,
        first_name: str = "王阿姨",
        *,
        user_id: int | None = None,
        language_code: str | None = "zh-hans",
        username: str | None = None,
    ) -> UserClient:
        """A Telegram user in a private chat with the bot (new id unless given)."""
        if user_id is None:
            user_id = self._next_user_id
            self._next_user_id += 1
        return UserClient(
            self.emulator,
            user_id,
            first_name,
            language_code=language_code,
            username=username,
        )

    def group(self, chat_id: int, title: str) -> GroupChat:
        """A group chat the bot is a member of."""
        return GroupChat(self.emulator, chat_id, title)
