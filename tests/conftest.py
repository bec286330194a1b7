"""Fixtures shared by every layer: settings on a temporary database, a clock."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app.config import Settings, settings_from_mapping
from bot.clock import ManualClock

# Opt in to PTB 23 behaviour now: durations and retry_after as timedelta (PTB warns otherwise).
os.environ.setdefault("PTB_TIMEDELTA", "1")

STAFF_ID = 900001


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    """A fresh SQLite file per test."""
    return tmp_path / "bot.db"


@pytest.fixture
def settings(database_path: Path) -> Settings:
    """Settings as a small community would write them, on the test's database."""
    return settings_from_mapping(
        {
            "storage": {"database": str(database_path)},
            "community": {"name": "幸福里社区"},
            "roles": {"staff": [STAFF_ID]},
        }
    )


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test moves it (2026-11-22 09:00 in Shanghai)."""
    return ManualClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))
