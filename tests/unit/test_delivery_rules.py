"""The pure rules of delivery and scheduling: quiet hours, backoff, digests, missed jobs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.delivery import (
    DeliveryPolicy,
    Pending,
    Priority,
    QuietHours,
    backoff,
    batches,
    due_time,
)
from bot.domain.schedule import Job, JobStatus, Step, next_step

SHANGHAI = ZoneInfo("Asia/Shanghai")
QUIET = QuietHours()  # 22:00–07:00 Asia/Shanghai


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment given in Shanghai time (November 2026), as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "release"),
    [
        (local(22, 21, 59), None),
        (local(22, 22, 0), local(23, 7, 0)),
        (local(22, 23, 30), local(23, 7, 0)),
        (local(23, 0, 10), local(23, 7, 0)),
        (local(23, 6, 59), local(23, 7, 0)),
        (local(23, 7, 0), None),
        (local(23, 12, 0), None),
    ],
)
def test_quiet_hours_across_midnight_release_at_seven(
    now: datetime, release: datetime | None
) -> None:
    assert QUIET.release(now) == release


def test_quiet_hours_within_one_day_and_switched_off() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(14, 0))
    assert lunch.release(local(22, 13, 0)) == local(22, 14, 0)
    assert lunch.release(local(22, 14, 0)) is None
    assert lunch.release(local(22, 11, 59)) is None
    assert QuietHours(start=time(0, 0), end=time(0, 0)).release(local(22, 3, 0)) is None


def test_quiet_hours_follow_the_community_time_zone() -> None:
    urumqi = QuietHours(timezone="Asia/Urumqi")  # two hours behind Shanghai
    assert urumqi.release(local(22, 23, 30)) is None  # 21:30 in Ürümqi
    assert urumqi.release(local(23, 1, 0)) == local(23, 9, 0)  # 23:00 there → 07:00 there


def test_urgent_pushes_ignore_quiet_hours() -> None:
    night = local(22, 23, 0)
    assert due_time(night, urgent=True, quiet=QUIET) == night
    assert due_time(night, urgent=False, quiet=QUIET) == local(23, 7, 0)


def test_backoff_doubles_and_is_capped() -> None:
    policy = DeliveryPolicy(first_backoff=timedelta(seconds=2), max_backoff=timedelta(seconds=30))
    assert [backoff(n, policy).total_seconds() for n in range(0, 7)] == [0, 2, 4, 8, 16, 30, 30]


def pending(row_id: int, user: int, *, urgent: bool = False, plain: bool = True) -> Pending:
    return Pending(
        id=row_id, user_id=user, urgent=urgent, priority=Priority.PERSONAL, digestible=plain
    )


def ids(sends: list[list[Pending]]) -> list[list[int]]:
    return [[row.id for row in send] for send in sends]


def test_a_persons_plain_rows_become_one_digest() -> None:
    rows = [pending(1, 10), pending(2, 20), pending(3, 10), pending(4, 10)]
    assert ids(batches(rows, limit=8)) == [[1, 3, 4], [2]]


def test_one_send_per_person_per_round() -> None:
    # An urgent row goes alone; the same person's other rows wait for the next round.
    rows = [pending(1, 10, urgent=True), pending(2, 10), pending(3, 10, plain=False)]
    assert ids(batches(rows, limit=8)) == [[1]]
    # A message with buttons never joins a digest, and the digest does not jump ahead of it.
    rows = [pending(1, 10, plain=False), pending(2, 10), pending(3, 20)]
    assert ids(batches(rows, limit=8)) == [[1], [3]]


def test_digest_is_capped_and_busy_people_wait() -> None:
    rows = [pending(n, 10) for n in range(1, 6)] + [pending(9, 20)]
    assert ids(batches(rows, limit=3)) == [[1, 2, 3], [9]]
    assert ids(batches(rows, limit=3, busy=frozenset({10}))) == [[9]]


def job(**changes: object) -> Job:
    base = {"id": 1, "kind": "k", "ref_id": 7, "due_at": local(22, 20, 0)}
    return Job.model_validate(base | changes)


def test_a_job_waits_until_its_time() -> None:
    assert next_step(job(), local(22, 19, 0)) == (Step.WAIT, local(22, 20, 0))


def test_a_missed_job_fires_late_while_still_useful() -> None:
    late = job(expires_at=local(22, 21, 0))
    assert next_step(late, local(22, 20, 30)) == (Step.FIRE, None)
    assert next_step(job(), local(25, 9, 0)) == (Step.FIRE, None)  # no expiry: always useful


def test_a_missed_job_past_its_expiry_is_dropped() -> None:
    late = job(expires_at=local(22, 21, 0))
    assert next_step(late, local(22, 21, 0)) == (Step.DROP, None)


@pytest.mark.parametrize("status", [JobStatus.FIRED, JobStatus.DROPPED, JobStatus.CANCELLED])
def test_a_settled_job_never_fires_again(status: JobStatus) -> None:
    assert next_step(job(status=status), local(22, 20, 0)) == (Step.DONE, None)
