"""The log filter masks mainland mobiles however they are written."""

from __future__ import annotations

import logging

import pytest

from bot.__main__ import RedactPhones


def redacted(message: str) -> str:
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, message, None, None)
    RedactPhones().filter(record)
    return record.getMessage()


@pytest.mark.parametrize(
    "phone",
    ["13804710001", "138 0471 0001", "138-0471-0001", "+86 138 0471 0001", "+8613804710001"],
)
def test_a_mobile_in_any_grouping_is_masked(phone: str) -> None:
    said = redacted(f'sendMessage text="网格员 王芳 ☎ {phone}"')
    assert "0471" not in said
    assert "[phone]" in said


@pytest.mark.parametrize("other", ["0471-6912345", "96777", "R-2026-0001", "1700000000.123"])
def test_what_is_not_a_mobile_is_left(other: str) -> None:
    assert redacted(f"line {other}") == f"line {other}"
