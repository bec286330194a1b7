"""Many residents at once: updates of different chats overlap, the database loses nothing."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CommandHandler

from bot.app.config import Settings
from bot.clock import ManualClock
from emulator import BotApiEmulator
from emulator.harness import BotHarness
from handlers.context import BotContext
from storage.database import Database


async def test_concurrent_transactions_lose_no_update_on_a_shared_counter(
    database_path: str,
) -> None:
    db = await Database.open(database_path)
    try:
        await db.execute("CREATE TABLE tally (n INTEGER NOT NULL)")
        await db.execute("INSERT INTO tally VALUES (0)")

        async def vote() -> None:
            async with db.transaction():
                n = await db.fetch_value("SELECT n FROM tally")
                await asyncio.sleep(0)  # another coroutine gets the loop mid-transaction
                await db.execute("UPDATE tally SET n = ?", (n + 1,))

        await asyncio.gather(*(vote() for _ in range(300)))
        assert await db.fetch_value("SELECT n FROM tally") == 300
    finally:
        await db.close()


async def test_many_residents_are_handled_at_once_and_every_press_counts(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    databases: list[Database] = []  # the runtime's, once it runs

    async def press(update: Update, context: BotContext) -> None:
        db = databases[0]
        async with db.transaction():
            n = await db.fetch_value("SELECT value FROM counter")
            await asyncio.sleep(0.01)  # slow enough that presses overlap
            await db.execute("UPDATE counter SET value = ?", (n + 1,))
        await update.effective_message.reply_text(f"第 {n + 1} 票")

    harness = await BotHarness.start(
        settings,
        emulator=emulator,
        clock=clock,
        extra_handlers=[CommandHandler("press", press)],
    )
    databases.append(harness.runtime.db)
    try:
        await harness.runtime.db.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
        await harness.runtime.db.execute("INSERT INTO counter VALUES (0)")
        residents = [harness.user(f"居民{n}") for n in range(60)]
        for resident in residents:
            await resident.send("/press", wait=False)
            await resident.send("/press", wait=False)  # twice, quickly
        await harness.settle()

        assert await harness.runtime.db.fetch_value("SELECT value FROM counter") == 120
        assert harness.app.update_processor.peak > 1  # chats were served concurrently
        for resident in residents:
            first, second = (int(m.text.split()[1]) for m in resident.bot_messages)
            assert first < second  # one chat's presses in order
        assert not harness.errors
    finally:
        await harness.stop()
