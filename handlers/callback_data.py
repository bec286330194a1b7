"""Callback data: short versioned strings "v1:<feature>:<action>:<arg>…", parsed in one place.

The data on a button is a request, not a permission: handlers re-check everything it names
against the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

VERSION = "v1"
MAX_BYTES = 64
MAX_INT = 2**63 - 1  # SQLite's largest integer
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
        """Argument `index` as a whole number from 0 to MAX_INT (every id, count and position
        on a button fits a SQLite integer), or BadCallback: a forged id out of range is a
        stale button, not an OverflowError deep in the database."""
        try:
            text = self.args[index]
        except IndexError:
            raise BadCallback(f"argument {index} is missing") from None
        if (
            not (text.isascii() and text.isdigit())
            or len(text) > len(str(MAX_INT))
            or int(text) > MAX_INT
        ):
            raise BadCallback(f"argument {index} is not a number from 0 to {MAX_INT}")
        return int(text)

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


_META = frozenset("\\^$.|?*+()[]{}")


def literal_prefix(regex: str) -> str:
    """The text every match of `regex` (anchored with ^) starts with; "" if unsure."""
    if not regex.startswith("^"):
        return ""
    prefix = []
    for index, char in enumerate(regex[1:], start=1):
        if char in _META:
            if char in "?*{" and prefix:
                prefix.pop()  # the last character was made optional or repeated
            break
        if index + 1 < len(regex) and regex[index + 1] in "?*{":
            break
        prefix.append(char)
    return "".join(prefix)


class PressHandler(CallbackQueryHandler[Any, Any]):
    """PTB's CallbackQueryHandler that first compares the pattern's literal start.

    Every press is offered to the handlers in order until one matches; most patterns here
    begin "^v1:<feature>:", so a plain `startswith` rules out all other features' handlers
    before the regular expression runs. What matches is exactly what would have matched.
    """

    __slots__ = ("_prefix",)

    def __init__(self, callback: Any, pattern: str | None = None, block: bool = True) -> None:
        super().__init__(callback, pattern=pattern, block=block)
        self._prefix = literal_prefix(pattern) if isinstance(pattern, str) else ""

    def check_update(self, update: object) -> bool | object | None:
        """False for data that does not start with the prefix; otherwise PTB's own check."""
        if self._prefix and isinstance(update, Update) and update.callback_query is not None:
            data = update.callback_query.data
            if data and isinstance(data, str) and not data.startswith(self._prefix):
                return False
        return super().check_update(update)
