"""Duty hours (bot.domain.duty) and the contact rules (bot.domain.contacts), pure."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from pydantic import ValidationError

from bot.domain.contacts import Directory, Person, dial, valid_phone, with_contact
from bot.domain.duty import WORKDAYS, DutyHours, next_on_duty, on_duty

SHANGHAI = "Asia/Shanghai"
OFFICE = DutyHours(start=time(8, 30), end=time(17, 30), weekdays=WORKDAYS)
NIGHTS = DutyHours(start=time(22, 0), end=time(6, 0))  # every day, past midnight


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """2026-11-<day> hh:mm in Shanghai (23 Nov 2026 is a Monday), as a UTC moment."""
    shanghai = timezone(timedelta(hours=8))
    return datetime(2026, 11, day, hour, minute, tzinfo=shanghai).astimezone(UTC)


@pytest.mark.parametrize(
    ("hours", "moment", "expected"),
    [
        (OFFICE, local(23, 10), True),  # Monday 10:00
        (OFFICE, local(23, 22), False),  # Monday 22:00
        (OFFICE, local(23, 8, 29), False),
        (OFFICE, local(23, 8, 30), True),  # the start is in
        (OFFICE, local(23, 17, 30), False),  # the end is out
        (OFFICE, local(28, 10), False),  # Saturday
        (NIGHTS, local(23, 23), True),
        (NIGHTS, local(24, 5, 59), True),  # after midnight: the span of the day before
        (NIGHTS, local(24, 6), False),
        (NIGHTS, local(24, 12), False),
        (DutyHours(start=time(0, 0), end=time(0, 0)), local(24, 3), True),  # all day
    ],
)
def test_on_duty(hours: DutyHours, moment: datetime, expected: bool) -> None:
    assert on_duty(hours, moment, SHANGHAI) is expected


def test_overnight_span_belongs_to_the_day_it_starts() -> None:
    sundays = DutyHours(start=time(22, 0), end=time(6, 0), weekdays=frozenset({7}))
    assert on_duty(sundays, local(30, 2), SHANGHAI)  # Monday 02:00, from Sunday night
    assert not on_duty(sundays, local(29, 2), SHANGHAI)  # Sunday 02:00: Saturday is off


@pytest.mark.parametrize(
    ("hours", "moment", "expected"),
    [
        (OFFICE, local(23, 10), datetime(2026, 11, 23, 10, 0)),  # on duty: now
        (OFFICE, local(23, 22), datetime(2026, 11, 24, 8, 30)),  # tomorrow morning
        (OFFICE, local(23, 7), datetime(2026, 11, 23, 8, 30)),  # later today
        (OFFICE, local(27, 18), datetime(2026, 11, 30, 8, 30)),  # Friday evening → Monday
        (NIGHTS, local(24, 12), datetime(2026, 11, 24, 22, 0)),
    ],
)
def test_next_on_duty(hours: DutyHours, moment: datetime, expected: datetime) -> None:
    found = next_on_duty(hours, moment, SHANGHAI)
    assert found.replace(tzinfo=None) == expected
    assert found.utcoffset() == timedelta(hours=8)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        on_duty(OFFICE, datetime(2026, 11, 23, 10, 0), SHANGHAI)


@pytest.mark.parametrize("days", [frozenset(), frozenset({0}), frozenset({8})])
def test_weekdays_are_iso_and_not_empty(days: frozenset[int]) -> None:
    with pytest.raises(ValidationError):
        DutyHours(weekdays=days)


@pytest.mark.parametrize(
    ("raw", "shown", "dialled"),
    [
        ("0471-6912345", "0471-6912345", "04716912345"),
        (" 138 0471 0001 ", "138 0471 0001", "13804710001"),
        ("+86 138 0471 0001", "+86 138 0471 0001", "+8613804710001"),
        ("96777", "96777", "96777"),
        ("119", "119", "119"),
    ],
)
def test_phones_shown_as_given_and_dialled_as_digits(raw: str, shown: str, dialled: str) -> None:
    assert valid_phone(raw) == shown
    assert dial(shown) == dialled


@pytest.mark.parametrize("raw", ["call me", "12", "138-0471-000a", "<b>110</b>", ""])
def test_what_is_not_a_phone_is_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not a phone number"):
        valid_phone(raw)


def test_a_message_carries_the_contact_it_knows() -> None:
    assert with_contact("reg.rejected_push", None) == ("reg.rejected_push", {})
    assert with_contact("reg.rejected_push", Person(name="王芳")) == (
        "reg.rejected_push_named",
        {"worker": "王芳"},
    )
    assert with_contact("reg.rejected_push", Person(name="王芳", phone="138 0471 0001")) == (
        "reg.rejected_push_contact",
        {"worker": "王芳", "phone": "138 0471 0001", "dial": "13804710001"},
    )


def test_directory_names_phones_and_duty_per_grid() -> None:
    worker = ("telegram", "7")
    directory = Directory(
        duty=OFFICE,
        grid_of_building={"幸福里小区/1号楼": "第一网格", "光明新村/3号楼": "第二网格"},
        grid_duty={"第二网格": NIGHTS},
        people={worker: Person(name="王芳")},
        phones={worker: "138 0471 0001"},
    )
    assert directory.duty_of("幸福里小区/1号楼") == OFFICE  # the default
    assert directory.duty_of("光明新村/3号楼") == NIGHTS  # the grid's own
    assert directory.duty_of(None) == OFFICE
    assert directory.person(worker, "Telegram name") == Person(name="王芳", phone="138 0471 0001")
    # No display name configured: their own name, and no phone (none configured).
    assert directory.person(("telegram", "8"), "李网格员") == Person(name="李网格员")
    assert directory.person(("telegram", "9"), None) is None
    # The phone stays out of the repr (and so out of logs).
    assert "0471" not in repr(directory.person(worker, None))
