"""The composition root of the core: database → migrations → repositories → services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.clock import SystemClock
from bot.config import Settings
from bot.ports import Clock
from bot.services import Services
from bot.services.community import CommunityService
from bot.services.users import UserService
from storage.community import SqliteCommunityRepository
from storage.database import Database
from storage.migrate import migrate
from storage.sessions import SqliteSessionStore
from storage.users import SqliteUserRepository

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """An open database and the services built on it."""

    settings: Settings
    db: Database
    services: Services

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()


def build_services(settings: Settings, db: Database, clock: Clock) -> Services:
    """Wire repositories into services."""
    community = SqliteCommunityRepository(db)
    return Services(
        clock=clock,
        users=UserService(
            db,
            SqliteUserRepository(db),
            clock,
            staff_ids=frozenset(str(user_id) for user_id in settings.roles.staff),
            default_language=settings.community.default_language,
        ),
        community=CommunityService(db, community),
        sessions=SqliteSessionStore(db),
    )


async def open_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Open the database, migrate it, and build the services."""
    db = await Database.open(settings.storage.database)
    try:
        applied = await migrate(db)
        if applied:
            logger.info("database migrated: %s", ", ".join(applied))
        services = build_services(settings, db, clock or SystemClock())
        await services.community.ensure(settings.community.name, settings.community.timezone)
    except BaseException:
        await db.close()
        raise
    return Runtime(settings=settings, db=db, services=services)


@asynccontextmanager
async def runtime_for(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Runtime]:
    """open_runtime as a context manager that always closes."""
    runtime = await open_runtime(settings, clock)
    try:
        yield runtime
    finally:
        await runtime.close()
