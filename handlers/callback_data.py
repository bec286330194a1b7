"""Callback data: short versioned strings "v1:<feature>:<action>:<arg>…", parsed in one place.

The data on a button is a request, not a permission: handlers re-check everything it names
against the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "v1"
MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_\-.]+$")


class BadCallback(ValueError):
    """Callback data that is malformed, from an older version, or forged."""


@dataclass(frozen=True)
class CallbackData:
    """A parsed button press."""

    feature: str
    action: str
    args: tuple[str, ...] = ()

    def int_arg(self, index: int) -> int:
        """Argument `index` as an integer, or BadCallback."""
        try:
            return int(self.args[index])
        except (IndexError, ValueError):
            raise BadCallback(f"argument {index} is not a number") from None

    def arg(self, index: int) -> str:
        """Argument `index` as text, or BadCallback."""
        try:
            return self.args[index]
        except IndexError:
            raise BadCallback(f"argument {index} is missing") from None


def pack(feature: str, action: str, *args: object) -> str:
    """Encode a button's data; refuses anything Telegram would refuse."""
    parts = [VERSION, feature, action, *(str(arg) for arg in args)]
    for part in parts:
        if not _PART.match(part):
            raise ValueError(f"callback part {part!r} must be [A-Za-z0-9_-.]+")
    data = ":".join(parts)
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def unpack(data: str | None) -> CallbackData:
    """Decode a button's data, or raise BadCallback."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        raise BadCallback("empty or too long")
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != VERSION or not all(_PART.match(p) for p in parts):
        raise BadCallback("not v1 callback data")
    return CallbackData(parts[1], parts[2], tuple(parts[3:]))


def pattern(feature: str, action: str | None = None) -> str:
    """A CallbackQueryHandler pattern for one feature (and optionally one action)."""
    return rf"^{VERSION}:{feature}:" + (rf"{action}(:|$)" if action else "")
