"""Phone normalisation: roster numbers and shared contacts must compare equal."""

from __future__ import annotations

import pytest

from bot.domain.phones import normalize_phone, phones_match


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("13812345678.0", "13812345678"),
        ("(010) 6512-3456", "01065123456"),
        ("", None),
        ("not a phone", None),
        (None, None),
    ],
)
def test_normalize_phone(raw: str | None, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_phones_match_ignores_format_but_not_digits() -> None:
    assert phones_match("+86 138 1234 5678", "138-1234-5678")
    assert not phones_match("13812345678", "13812345679")
    assert not phones_match(None, None)
