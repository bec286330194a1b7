"""What a person typed, as every step that asks for words takes it."""

from __future__ import annotations

import unicodedata

from bot.domain.errors import BlankText, TextTooLong

_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, zero-width marks, spaces


def is_blank(text: str | None) -> bool:
    """Nothing a reader would see: empty, or only spaces, newlines and invisible marks."""
    return all(unicodedata.category(char) in _INVISIBLE for char in text or "")


def words(text: str | None, limit: int) -> str:
    """The text trimmed; BlankText when nothing visible is left, TextTooLong past `limit`."""
    trimmed = (text or "").strip()
    if is_blank(trimmed):
        raise BlankText()
    if len(trimmed) > limit:
        raise TextTooLong(limit)
    return trimmed
