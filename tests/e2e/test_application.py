"""The Application's machinery: the error handler and ordered updates.

These tests add small handlers of their own (through `BotHarness.start(configure=...)`) so the
machinery is proven independently of any feature.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.models import Language
from emulator import BotApiEmulator
from emulator.harness import BotHarness
from handlers.context import BotContext
from tests.e2e.catalog import shown


async def boom(update: Update, context: BotContext) -> None:
    raise RuntimeError("the handler failed")


async def test_error_is_logged_without_the_message_and_user_gets_an_apology(
    settings: Settings,
    emulator: BotApiEmulator,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness = await BotHarness.start(
        settings, emulator=emulator, clock=clock, extra_handlers=[CommandHandler("boom", boom)]
    )
    try:
        resident = harness.user("王阿姨", language_code="zh-hans")
        with caplog.at_level(logging.ERROR, logger="handlers.errors"):
            await resident.send("/boom 13812345678 3号楼2单元301")

        assert resident.last().text == shown(Language.ZH, "error.apology")
        assert [type(error) for error in harness.errors] == [RuntimeError]
        assert "RuntimeError" in caplog.text
        assert "13812345678" not in caplog.text
        assert "301" not in caplog.text
    finally:
        harness.errors.clear()
        await harness.stop()


async def test_error_apology_is_in_the_users_language(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    harness = await BotHarness.start(
        settings, emulator=emulator, clock=clock, extra_handlers=[CommandHandler("boom", boom)]
    )
    try:
        resident = harness.user()
        await resident.command("language")
        await resident.click("English")
        await resident.command("boom")

        assert resident.last().text == shown(Language.EN, "error.apology")
    finally:
        harness.errors.clear()
        await harness.stop()


async def test_one_chat_in_order_different_chats_at_once(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    gate = asyncio.Event()
    other_done = asyncio.Event()
    journal: list[tuple[str, str]] = []

    async def probe(update: Update, context: BotContext) -> None:
        text = update.effective_message.text
        journal.append(("start", text))
        if text == "/probe a1":
            await gate.wait()  # the first update of A is slow
        journal.append(("end", text))
        if text == "/probe b1":
            other_done.set()

    harness = await BotHarness.start(
        settings, emulator=emulator, clock=clock, extra_handlers=[CommandHandler("probe", probe)]
    )
    try:
        alice, bob = harness.user("A"), harness.user("B")
        await alice.send("/probe a1", wait=False)
        await alice.send("/probe a2", wait=False)
        await bob.send("/probe b1", wait=False)

        # B is answered while A's first update is still running …
        await asyncio.wait_for(other_done.wait(), timeout=10)
        assert ("start", "/probe a2") not in journal  # … and A's second waits its turn.

        gate.set()
        await harness.settle()
        mine = [entry for entry in journal if entry[1].startswith("/probe a")]
        assert mine == [
            ("start", "/probe a1"),
            ("end", "/probe a1"),
            ("start", "/probe a2"),
            ("end", "/probe a2"),
        ]
    finally:
        gate.set()
        await harness.stop()
