"""Statements outside transactions run in batches: fewer trips, same results, same order."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import Database


@pytest.fixture
async def db(database_path: Path) -> AsyncIterator[Database]:
    """A database with one small table."""
    database = await Database.open(database_path)
    await database.execute(
        "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER) STRICT"
    )
    try:
        yield database
    finally:
        await database.close()


async def test_concurrent_statements_share_trips_and_each_gets_its_own_result(
    db: Database,
) -> None:
    before = db.batches

    ids = await asyncio.gather(
        *(db.insert("INSERT INTO item (name, n) VALUES (?, ?)", (f"i{k}", k)) for k in range(50))
    )
    names = await asyncio.gather(
        *(db.fetch_value("SELECT name FROM item WHERE id = ?", (row_id,)) for row_id in ids)
    )

    assert names == [f"i{k}" for k in range(50)]
    assert len(set(ids)) == 50
    trips = db.batches - before
    assert 2 <= trips < 100 / 5  # 100 statements in a handful of trips


async def test_an_error_goes_to_its_own_statement_only(db: Database) -> None:
    await db.execute("INSERT INTO item (name, n) VALUES ('taken', 0)")

    results = await asyncio.gather(
        db.execute("INSERT INTO item (name, n) VALUES ('a', 1)"),
        db.execute("INSERT INTO item (name, n) VALUES ('taken', 2)"),  # UNIQUE fails
        db.execute("INSERT INTO item (name, n) VALUES ('b', 3)"),
        db.fetch_all("SELECT * FROM no_such_table"),
        db.execute("UPDATE item SET n = n + 10 WHERE name IN ('a', 'b')"),
        return_exceptions=True,
    )

    assert (results[0], results[2], results[4]) == (1, 1, 2)
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert isinstance(results[3], sqlite3.OperationalError)
    rows = await db.fetch_all("SELECT name, n FROM item ORDER BY name")
    assert [(row["name"], row["n"]) for row in rows] == [("a", 11), ("b", 13), ("taken", 0)]


async def test_queued_writes_apply_in_the_order_they_were_asked_for(db: Database) -> None:
    await db.execute("INSERT INTO item (id, name, n) VALUES (1, 'x', 0)")

    seen = await asyncio.gather(
        *(
            db.fetch_value("UPDATE item SET n = n * 10 + ? WHERE id = 1 RETURNING n", (k,))
            for k in range(1, 7)
        )
    )

    assert seen == [1, 12, 123, 1234, 12345, 123456]


async def test_execute_many_and_changes(db: Database) -> None:
    await db.execute_many(
        "INSERT INTO item (name, n) VALUES (?, ?)", ((f"r{k}", k) for k in range(5))
    )

    assert await db.execute("UPDATE item SET n = 0 WHERE n >= 3") == 2
    assert await db.execute("DELETE FROM item WHERE name = 'nobody'") == 0
    assert await db.fetch_value("SELECT sum(n) FROM item") == 3


async def test_statements_wait_for_an_open_transaction_and_see_only_its_commit(
    db: Database,
) -> None:
    inside = asyncio.Event()
    go_on = asyncio.Event()

    async def writer() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO item (name, n) VALUES ('t', 1)")
            inside.set()
            await go_on.wait()
            await db.execute("UPDATE item SET n = 2 WHERE name = 't'")

    async with asyncio.timeout(5):
        writing = asyncio.create_task(writer())
        await inside.wait()
        reading = asyncio.create_task(db.fetch_value("SELECT n FROM item WHERE name = 't'"))
        await asyncio.sleep(0)  # the read is queued behind the transaction
        assert not reading.done()
        go_on.set()
        await writing
        assert await reading == 2


async def test_a_statement_cancelled_while_queued_never_runs(db: Database) -> None:
    inside = asyncio.Event()
    go_on = asyncio.Event()

    async def holder() -> None:
        async with db.transaction():
            inside.set()
            await go_on.wait()

    async with asyncio.timeout(5):
        holding = asyncio.create_task(holder())
        await inside.wait()
        cancelled = asyncio.create_task(db.execute("INSERT INTO item (name, n) VALUES ('c', 1)"))
        kept = asyncio.create_task(db.execute("INSERT INTO item (name, n) VALUES ('k', 1)"))
        await asyncio.sleep(0)
        cancelled.cancel()
        go_on.set()
        await holding
        assert await kept == 1
        with pytest.raises(asyncio.CancelledError):
            await cancelled

    assert [row["name"] for row in await db.fetch_all("SELECT name FROM item")] == ["k"]


async def test_statements_after_close_fail_clearly(database_path: Path) -> None:
    database = await Database.open(database_path)
    await database.close()

    with pytest.raises(ValueError, match="closed"):
        await database.fetch_all("SELECT 1")
