"""The seeded community (community.py) and the bot running on it, for every delivery test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app.config import Settings
from bot.clock import ManualClock
from emulator import BotApiEmulator
from emulator.harness import BotHarness
from tests.e2e.delivery.community import Community, delivery_settings, seed


@pytest.fixture
def settings(database_path: Path) -> Settings:
    """Two grids and a staff member on the test's database."""
    return delivery_settings(str(database_path))


@pytest.fixture
async def community(settings: Settings, clock: ManualClock) -> Community:
    """The seeded community, registered residents included."""
    return await seed(settings, clock)


@pytest.fixture
async def harness(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> AsyncIterator[BotHarness]:
    """The bot on the seeded community; the test fails if the bot hit any error."""
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
