"""One SQLite database through aiosqlite: WAL, foreign keys, a busy timeout, one writer.

All statements go through one connection. A transaction holds an asyncio lock from BEGIN
IMMEDIATE to COMMIT, and a statement outside any transaction takes the same lock for its own
duration, so no coroutine ever reads another one's uncommitted writes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

logger = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]


class Database:
    """The single connection and its write lock."""

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

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

    @asynccontextmanager
    async def _statement(self) -> AsyncIterator[aiosqlite.Connection]:
        if self.in_transaction():
            yield self._conn
        else:
            async with self._lock:
                yield self._conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return how many rows it changed.

        One trip to aiosqlite's thread (a cursor would cost a second one to close it); the
        lock guarantees that no other statement runs in between, so total_changes tells.
        """
        async with self._statement() as conn:
            before = conn.total_changes
            await conn.execute_fetchall(sql, params)
            return conn.total_changes - before

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row's id (in one trip to the database thread)."""
        async with self._statement() as conn:
            row = await conn.execute_insert(sql, params)
        if row is None or row[0] is None:
            raise RuntimeError("INSERT gave no row id")
        return int(row[0])

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter sets."""
        async with self._statement() as conn:
            await conn.executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """All rows of a query."""
        async with self._statement() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetch_one(sql, params)
        return row[0] if row else None

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script inside the lock (used by migrations)."""
        async with self._lock:
            await self._conn.executescript(script)

    async def rollback_if_open(self) -> None:
        """Roll back a transaction a failed script left open."""
        async with self._lock:
            if self._conn.in_transaction:
                await self._conn.execute("ROLLBACK")
