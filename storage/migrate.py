"""Apply numbered SQL migrations in order, each in one transaction, tracked in user_version.

Each applied file's SHA-256 is kept in the `migration` table (from 0009 on), and `migrate`
refuses to run when an applied file has changed since: an edited migration never reaches a
database that already ran it, so that database and a fresh one would differ. A change goes in
a new migration instead.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

from storage.database import Database

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    number: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as read, line endings as \\n (`sha256sum` of an LF file)."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


class MigrationError(Exception):
    """A migration failed, or an applied one was changed; the database stays as it was."""


def available_migrations(folder: Traversable | None = None) -> list[Migration]:
    """The migration files in order (the package's own by default); numbers must be 1, 2, 3…"""
    if folder is None:
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


async def migrate(db: Database, migrations: Sequence[Migration] | None = None) -> list[str]:
    """Bring the database to the latest version; return the names of the files applied.

    `migrations` defaults to the package's files (available_migrations()).
    """
    if migrations is None:
        migrations = available_migrations()
    version = await current_version(db)
    if version > len(migrations):
        raise MigrationError(
            f"the database is at version {version}, newer than this program ({len(migrations)})"
        )
    await _check_applied(db, migrations[:version])
    applied = []
    for migration in migrations[version:]:
        record = ""
        if await _has_checksums(db):  # recorded in the migration's own transaction
            record = (
                "INSERT INTO migration (number, name, sha256) VALUES "
                f"({migration.number}, '{migration.name}', '{migration.sha256}');\n"
            )
        script = (
            f"BEGIN IMMEDIATE;\n{migration.sql}\n;PRAGMA user_version = {migration.number};\n"
            f"{record}COMMIT;"
        )
        try:
            await db.run_script(script)
        except Exception as error:
            await db.rollback_if_open()
            raise MigrationError(f"{migration.name} failed: {error}") from error
        logger.info("applied migration %s", migration.name)
        applied.append(migration.name)
    if applied:  # the ones applied before the migration table existed (0009 included)
        await _check_applied(db, migrations[: await current_version(db)])
    return applied


async def _has_checksums(db: Database) -> bool:
    """Whether the database has the migration table (0009)."""
    found = await db.fetch_value(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migration'"
    )
    return bool(found)


async def _check_applied(db: Database, applied: Sequence[Migration]) -> None:
    """Refuse if an applied file has changed; record the checksums not recorded yet."""
    if not await _has_checksums(db):
        return  # migrated before 0009: recorded once 0009 is applied
    rows = await db.fetch_all("SELECT number, name, sha256 FROM migration")
    recorded = {row["number"]: (row["name"], row["sha256"]) for row in rows}
    missing = []
    for migration in applied:
        if migration.number not in recorded:
            missing.append(migration)
            continue
        name, sha256 = recorded[migration.number]
        if name != migration.name:
            raise MigrationError(
                f"migration {migration.number:04d} was applied to this database as {name}, "
                f"but this program has {migration.name} in its place: a migration that has "
                "been applied must never be renamed or replaced; put the change in a new one"
            )
        if sha256 != migration.sha256:
            raise MigrationError(
                f"{migration.name} has changed since it was applied to this database "
                f"(SHA-256 then {sha256[:12]}…, now {migration.sha256[:12]}…): a migration that "
                "has been applied must never be edited; restore the file and put the change "
                "in a new migration"
            )
    if missing:
        async with db.transaction():
            await db.execute_many(
                "INSERT INTO migration (number, name, sha256) VALUES (?, ?, ?)",
                [(m.number, m.name, m.sha256) for m in missing],
            )
        logger.info("recorded the checksums of %d applied migrations", len(missing))
