"""Phone numbers, normalised so a roster's number and a shared contact compare equal."""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s\-()（）]")


def normalize_phone(raw: str | None) -> str | None:
    """Digits only, without China's +86 / 0086 prefix; None when nothing usable remains.

    Telegram sends contacts as "8613812345678" or "+86 138 1234 5678"; spreadsheets hold
    "138-1234-5678" or "13812345678.0".
    """
    if raw is None:
        return None
    text = _NOISE.sub("", str(raw).strip())
    if text.endswith(".0"):
        text = text[:-2]
    text = text.removeprefix("+")
    if text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not text.isdigit() or not 5 <= len(text) <= 15:
        return None
    return text


def phones_match(a: str | None, b: str | None) -> bool:
    """Whether two phone numbers are the same number."""
    left, right = normalize_phone(a), normalize_phone(b)
    return left is not None and left == right
