"""The scheduler on a real database: rows are the truth, timers are rebuilt from them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.delivery.scheduling import Scheduler, job_key
from bot.domain.schedule import Job, JobStatus, Step
from storage.database import Database
from storage.jobs import SqliteJobRepository
from storage.migrate import migrate


class FakeTimer:
    """Records timers instead of running them; the test fires them by moving the clock."""

    def __init__(self) -> None:
        self.timers: dict[str, float] = {}
        self.callbacks: dict[str, Callable[[], Awaitable[None]]] = {}

    def schedule(self, key: str, delay: float, callback: Callable[[], Awaitable[None]]) -> None:
        self.timers[key] = delay
        self.callbacks[key] = callback

    def cancel(self, key: str) -> None:
        self.timers.pop(key, None)
        self.callbacks.pop(key, None)


@pytest.fixture
async def db(database_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(database_path)
    await migrate(database)
    yield database
    await database.close()


def scheduler(db: Database, clock: ManualClock, fired: list[int]) -> tuple[Scheduler, FakeTimer]:
    """A scheduler as the runtime builds it, with a handler that records what fired."""

    async def remind(job: Job) -> None:
        fired.append(job.ref_id)

    made = Scheduler(db, SqliteJobRepository(db), clock)
    made.register("reminder", remind)
    timer = FakeTimer()
    made.attach(timer)
    return made, timer


async def status_of(db: Database, job_id: int) -> str:
    return await db.fetch_value("SELECT status FROM job WHERE id = ?", (job_id,))


async def test_a_job_fires_once_when_its_time_comes(db: Database, clock: ManualClock) -> None:
    fired: list[int] = []
    jobs, timer = scheduler(db, clock, fired)
    job = await jobs.add("reminder", 41, clock.now() + timedelta(hours=1))
    assert timer.timers == {job_key(job.id): 3600.0}

    assert await jobs.tick() == 0  # not yet
    clock.advance(timedelta(hours=1))
    await timer.callbacks[job_key(job.id)]()  # the timer goes off
    await jobs.tick()  # and the safety net looks too
    assert await jobs.fire(job.id) is False  # and someone fires it by hand
    assert fired == [41]
    assert await status_of(db, job.id) == "fired"


async def test_restart_rebuilds_timers_and_handles_missed_jobs(
    db: Database, clock: ManualClock
) -> None:
    fired: list[int] = []
    before, _ = scheduler(db, clock, fired)
    later = await before.add("reminder", 1, clock.now() + timedelta(hours=5))
    missed = await before.add("reminder", 2, clock.now() + timedelta(minutes=10))
    useless = await before.add(
        "reminder",
        3,
        clock.now() + timedelta(minutes=20),
        expires_at=clock.now() + timedelta(minutes=30),
    )
    cancelled = await before.add("reminder", 4, clock.now() + timedelta(minutes=5))
    await before.cancel(["reminder"], 4)

    # The bot is down for an hour; a new process builds a new scheduler from the rows.
    clock.advance(timedelta(hours=1))
    after, timer = scheduler(db, clock, fired)
    counts = await after.restore()

    assert counts == {Step.WAIT: 1, Step.FIRE: 1, Step.DROP: 1}
    assert fired == [2]
    assert timer.timers == {job_key(later.id): 4 * 3600.0}
    assert [await status_of(db, j.id) for j in (later, missed, useless, cancelled)] == [
        "pending",
        "fired",
        "dropped",
        "cancelled",
    ]
    # A second restart changes nothing: none fires twice.
    again, _ = scheduler(db, clock, fired)
    await again.restore()
    assert fired == [2]


async def test_a_failing_handler_leaves_the_job_pending(db: Database, clock: ManualClock) -> None:
    calls = 0

    async def broken(job: Job) -> None:
        nonlocal calls
        calls += 1
        await db.execute("INSERT INTO mute (user_id, category) VALUES (999, 'x')")  # no user

    jobs = Scheduler(db, SqliteJobRepository(db), clock)
    jobs.register("broken", broken)
    job = await jobs.add("broken", 1, clock.now())
    with pytest.raises(Exception, match="FOREIGN KEY"):
        await jobs.fire(job.id)
    assert calls == 1
    assert await status_of(db, job.id) == JobStatus.PENDING.value
    assert await db.fetch_value("SELECT count(*) FROM mute") == 0  # rolled back together


async def test_a_job_of_an_unknown_kind_is_refused(db: Database, clock: ManualClock) -> None:
    jobs, _ = scheduler(db, clock, [])
    with pytest.raises(ValueError, match="no handler"):
        await jobs.add("nobody-does-this", 1, clock.now())
