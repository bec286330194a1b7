"""Migrations on a real SQLite file: the latest schema, idempotence, all-or-nothing failure."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest

import storage
from storage import migrate as migrate_module
from storage.database import Database
from storage.migrate import (
    Migration,
    MigrationError,
    available_migrations,
    current_version,
    migrate,
)

MIGRATIONS_FOLDER = Path(storage.__file__).parent / "migrations"
TABLES = {
    "community",
    "compound",
    "building",
    "unit",
    "household",
    "user",
    "membership",
    "conversation_state",
    "session_data",
    # 0002
    "grid",
    "grid_building",
    "grid_worker",
    "building_lead",
    "invitation",
    # 0003
    "broadcast",
    "broadcast_target",
    "outbox",
    "mute",
    "job",
    "notice",
    # 0004
    "ticket",
    "ticket_supporter",
    "ticket_event",
    "ticket_media",
    # 0005
    "menu",
    "menu_item",
    "menu_ballot",
    "menu_ballot_pick",
    "menu_ballot_event",
    "proposal",
    "proposal_answer",
    "proposal_event",
    # 0006
    "meeting",
    "meeting_invitee",
    "meeting_contact",
    "meeting_question",
    # 0007 changes mute only
    # 0008 adds meeting.sequence
}


@pytest.fixture
async def db(database_path: Path) -> AsyncIterator[Database]:
    """A blank database."""
    database = await Database.open(database_path)
    try:
        yield database
    finally:
        await database.close()


async def table_names(db: Database) -> set[str]:
    """The tables in sqlite_master, SQLite's own left out."""
    rows = await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {row["name"] for row in rows}


def with_broken_last(monkeypatch: pytest.MonkeyPatch, sql: str) -> Migration:
    """Ship the real migrations plus one more that fails part-way."""
    real = available_migrations()
    broken = Migration(len(real) + 1, f"{len(real) + 1:04d}_broken.sql", sql)
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: [*real, broken])
    return broken


# ---------------------------------------------------------------------------- the latest schema


async def test_blank_database_migrates_to_one_version_per_file(db: Database) -> None:
    files = sorted(path.name for path in MIGRATIONS_FOLDER.glob("*.sql"))

    applied = await migrate(db)

    assert applied == files
    assert await current_version(db) == len(files)
    assert await db.fetch_value("PRAGMA user_version") == len(files)


async def test_migrated_schema_has_the_expected_tables(db: Database) -> None:
    await migrate(db)

    assert await table_names(db) == TABLES


async def test_every_table_is_strict(db: Database) -> None:
    await migrate(db)

    rows = await db.fetch_all(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main'"
        " AND name NOT LIKE 'sqlite_%'"
    )
    assert {row["name"]: row["strict"] for row in rows} == dict.fromkeys(TABLES, 1)


async def test_connection_uses_foreign_keys_and_wal(db: Database) -> None:
    assert await db.fetch_value("PRAGMA foreign_keys") == 1
    assert await db.fetch_value("PRAGMA journal_mode") == "wal"
    assert await db.fetch_value("PRAGMA busy_timeout") == 5000
    assert await db.fetch_value("PRAGMA synchronous") == 1  # NORMAL


async def test_foreign_keys_are_enforced_after_migration(db: Database) -> None:
    await migrate(db)

    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await db.execute("INSERT INTO compound (community_id, name) VALUES (999, 'x')")


async def test_strict_tables_refuse_wrong_types(db: Database) -> None:
    await migrate(db)

    with pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in INTEGER column"):
        await db.execute(
            "INSERT INTO session_data (scope, owner_id, data) VALUES ('user', 'abc', '{}')"
        )


# ---------------------------------------------------------------------------- idempotence


async def test_second_migrate_applies_nothing(db: Database) -> None:
    first = await migrate(db)
    schema = await db.fetch_all("SELECT type, name, sql FROM sqlite_master ORDER BY name")

    second = await migrate(db)

    assert first
    assert second == []
    assert await current_version(db) == len(first)
    assert await db.fetch_all("SELECT type, name, sql FROM sqlite_master ORDER BY name") == schema


async def test_migration_survives_reopening_the_file(database_path: Path) -> None:
    first = await Database.open(database_path)
    applied = await migrate(first)
    await first.close()

    again = await Database.open(database_path)
    try:
        assert await migrate(again) == []
        assert await current_version(again) == len(applied)
    finally:
        await again.close()


async def test_database_newer_than_the_program_is_refused(db: Database) -> None:
    await db.execute(f"PRAGMA user_version = {len(available_migrations()) + 1}")

    with pytest.raises(MigrationError, match="newer than this program"):
        await migrate(db)


# ---------------------------------------------------------------------------- failures


async def test_broken_migration_rolls_back_entirely(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    latest = len(await migrate(db))
    broken = with_broken_last(
        monkeypatch,
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT;\n"
        "INSERT INTO community (name) VALUES ('written before the failure');\n"
        "INSERT INTO no_such_table VALUES (1);\n",
    )

    with pytest.raises(MigrationError, match=broken.name):
        await migrate(db)

    assert await current_version(db) == latest
    assert await table_names(db) == TABLES
    assert await db.fetch_value("SELECT count(*) FROM community") == 0


async def test_database_is_usable_after_a_failed_migration(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await migrate(db)
    with_broken_last(monkeypatch, "CREATE TABLE t (x INTEGER) STRICT; SELEC 1;")

    with pytest.raises(MigrationError):
        await migrate(db)

    async with db.transaction():
        await db.execute("INSERT INTO community (name) VALUES ('幸福里社区')")
    assert await db.fetch_value("SELECT name FROM community") == "幸福里社区"


async def test_failure_in_a_later_migration_keeps_the_earlier_ones(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_broken_last(monkeypatch, "SELECT * FROM nowhere;")

    with pytest.raises(MigrationError):
        await migrate(db)

    assert await current_version(db) == len(available_migrations())
    assert await table_names(db) == TABLES


def test_available_migrations_are_numbered_from_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0002_second.sql").write_text("SELECT 2;")
    (folder / "0001_first.sql").write_text("SELECT 1;")
    (folder / "README.txt").write_text("not a migration")
    (folder / "3_bad_name.sql").write_text("ignored")
    monkeypatch.setattr(migrate_module, "resources", SimpleNamespace(files=lambda _: tmp_path))

    found = migrate_module.available_migrations()

    assert [(m.number, m.name, m.sql) for m in found] == [
        (1, "0001_first.sql", "SELECT 1;"),
        (2, "0002_second.sql", "SELECT 2;"),
    ]


def test_a_gap_in_migration_numbers_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_first.sql").write_text("SELECT 1;")
    (folder / "0003_third.sql").write_text("SELECT 3;")
    monkeypatch.setattr(migrate_module, "resources", SimpleNamespace(files=lambda _: tmp_path))

    with pytest.raises(MigrationError, match=r"0002 is missing before 0003_third\.sql"):
        migrate_module.available_migrations()


def test_shipped_migration_files_all_match_the_naming_rule() -> None:
    names = sorted(path.name for path in MIGRATIONS_FOLDER.glob("*.sql"))

    assert names
    assert [migration.name for migration in available_migrations()] == names


async def test_ticket_history_is_append_only(db: Database) -> None:
    await migrate(db)
    now = "2026-11-22T01:00:00.000000+00:00"
    await db.execute("INSERT INTO community (name) VALUES ('c')")
    await db.execute("INSERT INTO compound (community_id, name) VALUES (1, 'x')")
    await db.execute("INSERT INTO building (compound_id, name) VALUES (1, 'b')")
    await db.execute("INSERT INTO unit (building_id, name) VALUES (1, 'u')")
    await db.execute(
        "INSERT INTO household (unit_id, room, created_at, updated_at) VALUES (1, '1', ?, ?)",
        (now, now),
    )
    await db.execute(
        "INSERT INTO user (channel, external_id, created_at) VALUES ('telegram', '1', ?)", (now,)
    )
    await db.execute(
        "INSERT INTO ticket (year, seq, category, urgency, reporter_id, household_id,"
        " building_id, compound_id, place_kind, accept_by, resolve_by, created_at, updated_at)"
        " VALUES (2026, 1, 'water', 'normal', 1, 1, 1, 1, 'home', ?, ?, ?, ?)",
        (now, now, now, now),
    )
    await db.execute(
        "INSERT INTO ticket_event (ticket_id, kind, at) VALUES (1, 'created', ?)", (now,)
    )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("UPDATE ticket_event SET note = 'changed'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("DELETE FROM ticket_event")
    assert await db.fetch_value("SELECT count(*) FROM ticket_event WHERE note = ''") == 1


async def test_mutes_recorded_before_0007_stay_muted(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = available_migrations()
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: every[:6])
    await migrate(db)
    await db.execute(
        "INSERT INTO user (channel, external_id, created_at) VALUES ('telegram', '1', ?)",
        ("2026-11-22T01:00:00.000000+00:00",),
    )
    await db.execute("INSERT INTO mute (user_id, category) VALUES (1, 'notice')")
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: every)

    assert await migrate(db) == [migration.name for migration in every[6:]]

    assert await db.fetch_value("SELECT muted FROM mute WHERE user_id = 1") == 1
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute("UPDATE mute SET muted = 2")


async def test_meetings_stored_before_0008_start_their_calendar_sequence_at_0(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = available_migrations()
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: every[:7])
    await migrate(db)
    now = "2026-11-22T01:00:00.000000+00:00"
    await db.execute(
        "INSERT INTO user (channel, external_id, created_at) VALUES ('telegram', '1', ?)", (now,)
    )
    await db.execute(
        "INSERT INTO meeting (kind, title, starts_at, place, rsvp_by, organiser_id, created_at)"
        " VALUES ('hearing', '听证会', ?, '活动室', ?, 1, ?)",
        (now, now, now),
    )
    monkeypatch.setattr(migrate_module, "available_migrations", lambda: every)

    assert await migrate(db) == [migration.name for migration in every[7:]]

    assert await db.fetch_value("SELECT sequence FROM meeting") == 0
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute("UPDATE meeting SET sequence = -1")
