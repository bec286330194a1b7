"""The real Application on the Bot API emulator; any error its handler sees fails the test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app.config import Settings
from bot.clock import ManualClock
from emulator import BotApiEmulator
from emulator.harness import BotHarness


@pytest.fixture(autouse=True)
async def stop_left_running() -> AsyncIterator[None]:
    """Stop any bot a failed test left running (its database thread would hang the run)."""
    yield
    for left in list(BotHarness.running):
        await left.stop()


@pytest.fixture
def emulator() -> BotApiEmulator:
    """A fresh Bot API."""
    return BotApiEmulator()


@pytest.fixture
async def harness(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock
) -> AsyncIterator[BotHarness]:
    """The bot, started; stopped after the test, which fails if the bot hit any error."""
    running = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        yield running
    finally:
        errors = list(running.errors)
        await running.stop()
    assert not errors, f"the bot's error handler saw: {errors!r}"
    # Blocked, or never started a chat (seeded residents): people the bot cannot reach.
    refused = [c for c in emulator.refused if c[1] != 403 and "chat not found" not in c[2]]
    assert not refused, f"Telegram refused the bot's calls: {refused!r}"
