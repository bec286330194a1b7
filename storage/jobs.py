"""Scheduled jobs: the rows the in-memory scheduler is rebuilt from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.schedule import Job, JobStatus
from storage.codec import time_from_db, time_to_db
from storage.database import Database

_COLUMNS = "id, kind, ref_id, due_at, expires_at, status, fired_at"


def _job(row: Any) -> Job:
    data = dict(row)
    for name in ("due_at", "expires_at", "fired_at"):
        data[name] = time_from_db(data[name])
    return Job.model_validate(data)


class SqliteJobRepository:
    """The `job` table. Callers hold the transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self, kind: str, ref_id: int, due_at: datetime, expires_at: datetime | None
    ) -> Job:
        """A new pending job."""
        job_id = await self._db.insert(
            "INSERT INTO job (kind, ref_id, due_at, expires_at) VALUES (?, ?, ?, ?)",
            (kind, ref_id, time_to_db(due_at), time_to_db(expires_at) if expires_at else None),
        )
        return Job(id=job_id, kind=kind, ref_id=ref_id, due_at=due_at, expires_at=expires_at)

    async def get(self, job_id: int) -> Job | None:
        """One job."""
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM job WHERE id = ?", (job_id,))
        return _job(row) if row else None

    async def pending(self, due_before: datetime | None = None) -> list[Job]:
        """Pending jobs (all, or those due by `due_before`), earliest first."""
        if due_before is None:
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM job WHERE status = 'pending' ORDER BY due_at, id"
            )
        else:
            rows = await self._db.fetch_all(
                f"SELECT {_COLUMNS} FROM job WHERE status = 'pending' AND due_at <= ?"
                " ORDER BY due_at, id",
                (time_to_db(due_before),),
            )
        return [_job(row) for row in rows]

    async def for_ref(self, kinds: Sequence[str], ref_id: int) -> list[Job]:
        """The jobs of these kinds about one thing."""
        marks = ",".join("?" * len(kinds))
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM job WHERE kind IN ({marks}) AND ref_id = ? ORDER BY due_at",
            (*kinds, ref_id),
        )
        return [_job(row) for row in rows]

    async def settle(self, job_id: int, status: JobStatus, now: datetime) -> bool:
        """Move a pending job to fired, dropped or cancelled; False if it was not pending."""
        changed = await self._db.execute(
            "UPDATE job SET status = ?, fired_at = ? WHERE id = ? AND status = 'pending'",
            (status.value, time_to_db(now), job_id),
        )
        return changed == 1
