"""What storage/database.py needs from aiosqlite's private API, pinned so an upgrade fails here.

aiosqlite has no public way to run a Python function on its connection thread, and the batches
in storage/database.py need one: they call `Connection._execute(fn, *args)` and, inside `fn`,
use `Connection._conn`, the sqlite3 connection. These tests talk to aiosqlite alone (not to
Database), so a failure here names aiosqlite's change as the cause. They were run against
aiosqlite 0.20.0, 0.21.0, 0.22.0 and 0.22.1; pyproject.toml caps aiosqlite below the next minor
version, and that cap is raised only after this file passes on the new one.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import sqlite3
import threading
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
CHECKED = ">=0.20,<0.23"  # the aiosqlite versions this file was run against
VERSION = aiosqlite.__version__


def broken(what: str) -> str:
    """The failure message: which promise aiosqlite stopped keeping, and what it breaks."""
    return (
        f"aiosqlite {VERSION} changed its private API: {what}. storage/database.py runs its "
        "batches through Connection._execute and Connection._conn (see its docstring); adapt "
        "it or keep aiosqlite at a version where this file passes (pyproject.toml)."
    )


@pytest.fixture
async def connection(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A connection opened as Database.open opens it."""
    conn = await aiosqlite.connect(tmp_path / "contract.db", isolation_level=None)
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("CREATE TABLE log (n INTEGER NOT NULL) STRICT")
        yield conn
    finally:
        await conn.close()


def raw(connection: aiosqlite.Connection) -> sqlite3.Connection:
    """Connection._conn, failing with the cause if it is gone."""
    found = getattr(connection, "_conn", None)
    assert isinstance(found, sqlite3.Connection), broken(
        f"Connection._conn is {type(found).__name__}, not the sqlite3.Connection"
    )
    return found


async def value(connection: aiosqlite.Connection, sql: str) -> Any:
    """The first column of a query's first row, through the public API."""
    rows = list(await connection.execute_fetchall(sql))
    return rows[0][0]


async def count(connection: aiosqlite.Connection) -> int:
    """How many rows the log table holds, through the public API."""
    return int(await value(connection, "SELECT count(*) FROM log"))


# ---------------------------------------------------------------------------- the pin


def test_installed_aiosqlite_is_one_this_contract_was_checked_against() -> None:
    low, high = (tuple(map(int, part.split("."))) for part in re.findall(r"[\d.]+", CHECKED))
    installed = tuple(int(part) for part in re.findall(r"\d+", VERSION)[:2])

    assert low <= installed < high, (
        f"aiosqlite {VERSION} is outside the versions whose private Connection._execute and "
        f"_conn this file was checked against ({CHECKED}). Read that version's aiosqlite/core.py, "
        "run this file, then widen CHECKED here and the pin in pyproject.toml together."
    )


def test_pyproject_pins_aiosqlite_to_the_checked_versions() -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [dep for dep in dependencies if re.match(r"aiosqlite\b", dep)]

    assert pins == [f"aiosqlite{CHECKED}"], (
        f"pyproject.toml pins {pins}, but this file was checked against aiosqlite{CHECKED}: "
        "change both together, after running this file on the new versions."
    )


# ---------------------------------------------------------------------------- _execute


def test_execute_is_a_coroutine_taking_a_function_and_its_arguments() -> None:
    execute = getattr(aiosqlite.Connection, "_execute", None)

    assert execute is not None, broken("Connection._execute is gone")
    assert inspect.iscoroutinefunction(execute), broken("Connection._execute is not async")
    parameters = list(inspect.signature(execute).parameters.values())
    assert [p.kind for p in parameters[1:3]] == [
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    ], broken(f"Connection._execute's signature is now {inspect.signature(execute)}")


async def test_execute_runs_the_function_on_the_connection_thread(
    connection: aiosqlite.Connection,
) -> None:
    # The thread that runs execute()'s statements, seen through the public API: a SQL function
    # runs on the thread that runs the statement calling it.
    await connection.create_function("thread_id", 0, threading.get_ident)
    statements_thread = await value(connection, "SELECT thread_id()")

    def where(tag: str) -> tuple[str, int]:
        return tag, threading.get_ident()

    tag, ran_on = await connection._execute(where, "tag")

    assert tag == "tag", broken("_execute(fn, *args) no longer passes args to fn")
    assert ran_on == statements_thread, broken(
        "_execute runs the function on another thread than execute()'s statements, where the "
        "sqlite3 connection (created there, check_same_thread) may not be used"
    )
    assert ran_on != threading.get_ident(), broken("_execute runs the function on the event loop")


async def test_execute_returns_the_function_result_as_is(
    connection: aiosqlite.Connection,
) -> None:
    result = [(True, 1), (False, ValueError("kept"))]

    assert await connection._execute(lambda: result) is result, broken(
        "_execute no longer returns the function's own result"
    )


async def test_execute_raises_the_function_exception(connection: aiosqlite.Connection) -> None:
    class Marker(Exception):
        """Raised inside the function."""

    def fail() -> None:
        raise Marker("from the thread")

    with pytest.raises(Marker, match="from the thread"):
        await connection._execute(fail)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        await connection._execute(lambda: raw(connection).execute("SELECT * FROM nowhere"))
    assert await count(connection) == 0, broken(
        "the connection is unusable after a function raised in _execute"
    )


async def test_execute_runs_in_order_with_the_public_statements(
    connection: aiosqlite.Connection,
) -> None:
    def insert_two() -> int:
        seen = raw(connection).execute("SELECT count(*) FROM log").fetchone()[0]
        raw(connection).execute("INSERT INTO log (n) VALUES (2)")
        return int(seen)

    # Tasks started in this order queue their work on the thread in this order.
    first = asyncio.ensure_future(connection.execute_fetchall("INSERT INTO log (n) VALUES (1)"))
    middle = asyncio.ensure_future(connection._execute(insert_two))
    last = asyncio.ensure_future(connection.execute_fetchall("INSERT INTO log (n) VALUES (3)"))
    await asyncio.gather(first, middle, last)

    rows = await connection.execute_fetchall("SELECT n FROM log ORDER BY rowid")
    assert [row[0] for row in rows] == [1, 2, 3], broken(
        "_execute's function and execute()'s statements no longer run in the order asked"
    )
    assert middle.result() == 1, broken("_execute's function ran before an earlier statement")


async def test_execute_on_a_closed_connection_raises_value_error(tmp_path: Path) -> None:
    conn = await aiosqlite.connect(tmp_path / "closed.db", isolation_level=None)
    await conn.close()

    with pytest.raises(ValueError, match="closed"):
        await conn._execute(lambda: None)


# ---------------------------------------------------------------------------- _conn


async def test_conn_is_the_sqlite3_connection_of_the_public_statements(
    connection: aiosqlite.Connection,
) -> None:
    sqlite = raw(connection)
    await connection.execute("CREATE TEMP TABLE only_this_connection (x INTEGER)")
    await connection.execute("INSERT INTO only_this_connection VALUES (7)")

    def read() -> Any:
        return sqlite.execute("SELECT x FROM only_this_connection").fetchone()

    row = await connection._execute(read)

    assert row[0] == 7, broken("_conn is not the connection execute() uses")
    assert isinstance(row, aiosqlite.Row), broken("_conn does not carry Connection.row_factory")
    assert sqlite.isolation_level is None, broken(
        "_conn does not carry connect(isolation_level=None)"
    )


async def test_conn_writes_stay_inside_an_open_transaction(
    connection: aiosqlite.Connection, tmp_path: Path
) -> None:
    def insert(n: int) -> int:
        sqlite = raw(connection)
        before = sqlite.total_changes
        sqlite.execute("INSERT INTO log (n) VALUES (?)", (n,))
        return sqlite.total_changes - before

    await connection.execute("BEGIN IMMEDIATE")
    changed = await connection._execute(insert, 1)
    inside = await connection._execute(lambda: raw(connection).in_transaction)
    await connection.execute("ROLLBACK")

    assert changed == 1, broken("total_changes on _conn does not count a write")
    assert inside, broken("a write through _conn ended the transaction the caller opened")
    assert await count(connection) == 0, broken(
        "a write through _conn inside BEGIN … ROLLBACK was kept"
    )

    await connection._execute(insert, 2)  # outside any transaction: its own autocommit
    async with aiosqlite.connect(tmp_path / "contract.db") as other:
        assert await count(other) == 1, broken(
            "with isolation_level=None a write through _conn is not committed at once"
        )
