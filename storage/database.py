"""One SQLite database through aiosqlite: WAL, foreign keys, a busy timeout, one writer.

All statements go through one connection. A transaction holds an asyncio lock from BEGIN
IMMEDIATE to COMMIT, and statements outside any transaction take the same lock, so no coroutine
ever reads another one's uncommitted writes.

Statements outside a transaction are queued and run in batches: whatever other coroutines
asked for while one batch ran goes to aiosqlite's thread as the next batch, in one trip,
each statement still in its own autocommit and with its own result or error. Under a storm of
updates the trip to the thread (a queue, a wake-up, a callback back into the event loop) is
what a statement costs, far more than SQLite's work; at rest a batch is one statement and
nothing changes.

aiosqlite has no public way to run a Python function on its thread, so a batch goes there
through its private `Connection._execute(fn, *args)` and runs on `Connection._conn`, the
sqlite3 connection. Queuing each statement of a batch at once through the public methods
(`execute_fetchall`, `execute_insert`, with `SELECT changes()` for counts) keeps the order but
costs each statement a task, a future and a callback into the loop: measured with 500 callers
at once, about 100 µs of CPU per statement instead of 35, which is why the private call stays.
tests/storage/test_aiosqlite_contract.py pins what we rely on (the function runs on the
connection's thread, in order with the other statements, returning its result or raising its
error; `_conn` is the connection those statements use, and its writes inside an open BEGIN stay
in it); pyproject.toml caps aiosqlite at the versions that file was run against, and the cap is
raised only after it passes on the new one.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import aiosqlite

logger = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]


class _Kind(Enum):
    """What a statement's caller wants back."""

    ROWS = "rows"  # every row
    CHANGES = "changes"  # how many rows it changed
    INSERT = "insert"  # the new row's id
    MANY = "many"  # nothing (executemany)


_Statement = tuple[_Kind, str, Any]


def _run_one(connection: aiosqlite.Connection, kind: _Kind, sql: str, params: Any) -> Any:
    """In aiosqlite's thread: one statement on the underlying sqlite3 connection."""
    raw: sqlite3.Connection = connection._conn  # private: see the module docstring
    if kind is _Kind.MANY:
        raw.executemany(sql, params)
        return None
    before = raw.total_changes
    rows = raw.execute(sql, params).fetchall()
    if kind is _Kind.ROWS:
        return rows
    if kind is _Kind.CHANGES:
        return raw.total_changes - before
    return raw.execute("SELECT last_insert_rowid()").fetchone()


def _run_batch(
    connection: aiosqlite.Connection, batch: list[_Statement]
) -> list[tuple[bool, Any]]:
    """In aiosqlite's thread: each statement in order; (True, result) or (False, error)."""
    results: list[tuple[bool, Any]] = []
    for kind, sql, params in batch:
        try:
            results.append((True, _run_one(connection, kind, sql, params)))
        except Exception as error:  # handed to that statement's caller
            results.append((False, error))
    return results


class Database:
    """The single connection and its write lock."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._pending: list[tuple[asyncio.Future[Any], _Statement]] = []
        self._drainer: asyncio.Task[None] | None = None
        self.batches = 0  # trips to the thread for queued statements (for tests and benchmarks)

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating if needed) the database file with our pragmas."""
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = NORMAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
        ):
            await connection.execute(pragma)
        return cls(connection, path)

    async def close(self) -> None:
        """Close the connection (waits for a running transaction)."""
        async with self._lock:
            await self._conn.close()

    def in_transaction(self) -> bool:
        """Whether the running task is inside transaction()."""
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on an exception. Re-entrant in one task."""
        if self.in_transaction():
            yield
            return
        async with self._lock:
            self._owner = asyncio.current_task()
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            else:
                await self._conn.execute("COMMIT")
            finally:
                self._owner = None

    async def _run(self, kind: _Kind, sql: str, params: Any) -> Any:
        """One statement: inside this task's transaction at once, otherwise in the next batch."""
        if self.in_transaction():
            return await self._conn._execute(  # type: ignore[no-untyped-call]  # contract-tested
                _run_one, self._conn, kind, sql, params
            )
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((future, (kind, sql, params)))
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain(), name="sqlite-batches")
        return await future

    async def _drain(self) -> None:
        """Run the queued statements, batch after batch, until none is left."""
        try:
            while self._pending:
                async with self._lock:
                    taken = [item for item in self._pending if not item[0].done()]
                    self._pending = []
                    if not taken:
                        continue
                    self.batches += 1
                    try:
                        results = await self._conn._execute(  # type: ignore[no-untyped-call]  # contract-tested
                            _run_batch, self._conn, [statement for _, statement in taken]
                        )
                    except BaseException as error:  # the connection closed, or we were cancelled
                        for future, _ in taken:
                            _fail(future, error)
                        if isinstance(error, asyncio.CancelledError):
                            raise
                        continue
                for (future, _), (ok, value) in zip(taken, results, strict=True):
                    if future.done():  # its caller was cancelled; the statement did run
                        continue
                    if ok:
                        future.set_result(value)
                    else:
                        future.set_exception(value)
        finally:
            self._drainer = None
            if self._pending:  # cancelled (the loop is closing): nobody will run these
                for future, _ in self._pending:
                    _fail(future, asyncio.CancelledError())
                self._pending = []

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return how many rows it changed."""
        return int(await self._run(_Kind.CHANGES, sql, params))

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row's id."""
        row = await self._run(_Kind.INSERT, sql, params)
        if row is None or row[0] is None:
            raise RuntimeError("INSERT gave no row id")
        return int(row[0])

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter sets."""
        await self._run(_Kind.MANY, sql, list(rows))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """All rows of a query."""
        return list(await self._run(_Kind.ROWS, sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetch_one(sql, params)
        return row[0] if row else None

    async def fetch_int(self, sql: str, params: Params = ()) -> int | None:
        """The first column of the first row as a whole number, or None."""
        value = await self.fetch_value(sql, params)
        return None if value is None else int(value)

    async def fetch_count(self, sql: str, params: Params = ()) -> int:
        """A COUNT (or another number that is 0 when there is no row)."""
        return await self.fetch_int(sql, params) or 0

    async def fetch_text(self, sql: str, params: Params = ()) -> str | None:
        """The first column of the first row as text, or None."""
        value = await self.fetch_value(sql, params)
        return None if value is None else str(value)

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script inside the lock (used by migrations)."""
        async with self._lock:
            await self._conn.executescript(script)

    async def rollback_if_open(self) -> None:
        """Roll back a transaction a failed script left open."""
        async with self._lock:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    """Hand a batch's failure to a statement's caller (cancel it if the batch was cancelled)."""
    if future.done():
        return
    if isinstance(error, asyncio.CancelledError):
        future.cancel()
    else:
        future.set_exception(error)
