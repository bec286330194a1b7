"""Invitation payloads: valid for Telegram, random, and turned into t.me links."""

from __future__ import annotations

import pytest

from bot.domain.invitations import deep_link, is_valid_payload, new_payload


def test_new_payloads_are_valid_random_and_unrelated_to_anything() -> None:
    payloads = {new_payload() for _ in range(200)}
    assert len(payloads) == 200
    assert all(is_valid_payload(payload) for payload in payloads)
    assert all(16 <= len(payload) <= 64 for payload in payloads)


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("abc_DEF-123", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("", False),
        ("a b", False),
        ("中文", False),
        ("a/b", False),
    ],
)
def test_payload_alphabet_and_length(text: str, valid: bool) -> None:
    assert is_valid_payload(text) is valid


def test_deep_link() -> None:
    assert deep_link("ShangliangBot", "abc-_1") == "https://t.me/ShangliangBot?start=abc-_1"
    with pytest.raises(ValueError, match="payload"):
        deep_link("ShangliangBot", "has space")
