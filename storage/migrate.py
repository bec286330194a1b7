"""Apply numbered SQL migrations in order, each in one transaction, tracked in user_version."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

from storage.database import Database

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    number: int
    name: str
    sql: str


class MigrationError(Exception):
    """A migration failed; the database stays at the version before it."""


def available_migrations() -> list[Migration]:
    """The migration files shipped with the package, in order; numbers must be 1, 2, 3…"""
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.number)
    for expected, migration in enumerate(found, start=1):
        if migration.number != expected:
            raise MigrationError(f"migration {expected:04d} is missing before {migration.name}")
    return found


async def current_version(db: Database) -> int:
    """The schema version recorded in PRAGMA user_version."""
    return int(await db.fetch_value("PRAGMA user_version"))


async def migrate(db: Database) -> list[str]:
    """Bring the database to the latest version; return the names of the files applied."""
    version = await current_version(db)
    migrations = available_migrations()
    if version > len(migrations):
        raise MigrationError(
            f"the database is at version {version}, newer than this program ({len(migrations)})"
        )
    applied = []
    for migration in migrations[version:]:
        script = (
            f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.number};\n"
            "COMMIT;"
        )
        try:
            await db.run_script(script)
        except Exception as error:
            await db.rollback_if_open()
            raise MigrationError(f"{migration.name} failed: {error}") from error
        logger.info("applied migration %s", migration.name)
        applied.append(migration.name)
    return applied
