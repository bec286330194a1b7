"""Migrations on a real SQLite file: the latest schema, idempotence, all-or-nothing failure."""

from __future__ import annotations

import difflib
import hashlib
import os
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
    # 0009
    "migration",
    # 0010
    "dialog_session",
    # 0012
    "pending_input",
    # 0013
    "thread_message",
}
SNAPSHOT = Path(__file__).parent / "schema.sql"
UPDATE_SNAPSHOT = "SHANGLIANG_UPDATE_SCHEMA"


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


async def schema(db: Database) -> str:
    """sqlite_master's statements, each table before its indexes and triggers, spaces evened."""
    version = await current_version(db)
    rows = await db.fetch_all(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY tbl_name,"
        " CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name"
    )
    statements = []
    for row in rows:
        lines = [" ".join(line.split()) for line in row["sql"].splitlines()]
        body = [line if line.startswith(")") else f"    {line}" for line in lines[1:] if line]
        statements.append("\n".join([lines[0], *body]) + ";\n")
    header = (
        f"-- The schema after migrating a blank database to version {version}, written by\n"
        f"-- tests/storage/test_migrations.py ({UPDATE_SNAPSHOT}=1 rewrites it).\n"
    )
    return "\n".join([header, *statements])


def later(folder: Path) -> Path:
    """A new migration after the shipped ones, in `folder`."""
    path = folder / f"{len(available_migrations()) + 1:04d}_later.sql"
    path.write_text("CREATE TABLE later (id INTEGER PRIMARY KEY) STRICT;\n")
    return path


def copy_of_the_migrations(folder: Path) -> Path:
    """The shipped migration files copied into folder, to edit in a test."""
    folder.mkdir()
    for path in MIGRATIONS_FOLDER.glob("*.sql"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


async def checksums(db: Database) -> list[tuple[int, str, str]]:
    """The migration table, in order."""
    rows = await db.fetch_all("SELECT number, name, sha256 FROM migration ORDER BY number")
    return [(row["number"], row["name"], row["sha256"]) for row in rows]


def file_checksums(folder: Path) -> list[tuple[int, str, str]]:
    """Each migration file's number, name and SHA-256 (of its bytes with LF line endings)."""
    return [
        (int(path.name[:4]), path.name, hashlib.sha256(lf_bytes(path)).hexdigest())
        for path in sorted(folder.glob("*.sql"))
    ]


def lf_bytes(path: Path) -> bytes:
    """The file's bytes with CRLF line endings made LF, as a checkout on Linux has them."""
    return path.read_bytes().replace(b"\r\n", b"\n")


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


async def test_migrated_schema_matches_the_snapshot(db: Database) -> None:
    await migrate(db)
    found = await schema(db)

    if os.environ.get(UPDATE_SNAPSHOT) == "1":
        SNAPSHOT.write_text(found, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8")
    if found != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            found.splitlines(keepends=True),
            fromfile="tests/storage/schema.sql",
            tofile="a blank database migrated",
        )
        pytest.fail(
            "The migrated schema differs from the snapshot:\n"
            f"{''.join(diff)}\n"
            "If the change is meant (a new migration), rewrite the snapshot and commit it with\n"
            f"the migration: {UPDATE_SNAPSHOT}=1 .venv/bin/pytest tests/storage -k snapshot",
            pytrace=False,
        )


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
        await db.execute("INSERT INTO compound (community_id, name) VALUES ('abc', 'x')")


# ---------------------------------------------------------------------------- idempotence


async def test_second_migrate_applies_nothing(db: Database) -> None:
    first = await migrate(db)
    before = (await schema(db), await checksums(db))

    second = await migrate(db)

    assert first
    assert second == []
    assert await current_version(db) == len(first)
    assert (await schema(db), await checksums(db)) == before


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


# ---------------------------------------------------------------------------- checksums


async def test_fresh_migrate_records_each_file_checksum(db: Database) -> None:
    await migrate(db)

    assert await checksums(db) == file_checksums(MIGRATIONS_FOLDER)


async def test_a_later_migration_records_its_checksum_with_it(
    db: Database, tmp_path: Path
) -> None:
    folder = copy_of_the_migrations(tmp_path / "migrations")
    await migrate(db, available_migrations(folder))
    added = later(folder)

    assert await migrate(db, available_migrations(folder)) == [added.name]

    assert await checksums(db) == file_checksums(folder)


async def test_an_edited_applied_migration_is_refused_naming_the_file(
    db: Database, tmp_path: Path
) -> None:
    folder = copy_of_the_migrations(tmp_path / "migrations")
    await migrate(db, available_migrations(folder))
    version = await current_version(db)
    edited = folder / "0004_reports.sql"
    edited.write_text(edited.read_text() + "\nCREATE INDEX sneaked_in ON ticket (status);\n")
    later(folder)

    with pytest.raises(
        MigrationError, match=r"0004_reports\.sql has changed since it was applied"
    ):
        await migrate(db, available_migrations(folder))

    assert await current_version(db) == version  # nothing else ran either
    assert "later" not in await table_names(db)


async def test_another_file_under_an_applied_number_is_refused(
    db: Database, tmp_path: Path
) -> None:
    folder = copy_of_the_migrations(tmp_path / "migrations")
    await migrate(db, available_migrations(folder))
    (folder / "0009_migration_checksums.sql").rename(folder / "0009_something_else.sql")

    with pytest.raises(
        MigrationError,
        match=r"0009 was applied to this database as 0009_migration_checksums\.sql, but this "
        r"program has 0009_something_else\.sql",
    ):
        await migrate(db, available_migrations(folder))


async def test_line_endings_alone_are_not_an_edit(db: Database, tmp_path: Path) -> None:
    folder = copy_of_the_migrations(tmp_path / "migrations")
    await migrate(db, available_migrations(folder))
    for path in folder.glob("*.sql"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    assert await migrate(db, available_migrations(folder)) == []


async def test_a_database_from_before_0009_gets_its_checksums_filled_in(db: Database) -> None:
    every = available_migrations()
    await migrate(db, every[:8])
    assert "migration" not in await table_names(db)

    assert (await migrate(db, every))[0] == "0009_migration_checksums.sql"

    assert await checksums(db) == file_checksums(MIGRATIONS_FOLDER)


async def test_checksums_missing_at_start_up_are_filled_in_without_complaint(
    db: Database,
) -> None:
    await migrate(db)
    await db.execute("DELETE FROM migration WHERE number IN (2, 5)")

    assert await migrate(db) == []

    assert await checksums(db) == file_checksums(MIGRATIONS_FOLDER)


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
    assert await db.fetch_value("SELECT max(number) FROM migration") == latest


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
