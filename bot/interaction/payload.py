"""What a button asks for: a feature, one of that feature's actions, and a few arguments.

On the wire a payload is "v1:<feature>:<action>:<arg>…" (at most 64 bytes: Telegram's limit
for callback data; WeChat menu links carry the same string). Features and their actions are
enums, so a payload can only name something that exists; whoever decodes one re-checks
everything it names against the database: the button is a request, not a permission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.vocabulary import Feature

__all__ = ["Feature", "Payload", "StaleButton", "decode", "payload"]

VERSION = "v1"
MAX_BYTES = 64
MAX_INT = 2**63 - 1  # SQLite's largest integer: every id, count and position fits
_PART = re.compile(r"^[A-Za-z0-9_\-.]+\Z")  # \Z: "$" would let a final line break in


class StaleButton(ValueError):
    """A payload that is malformed, from an older version, forged, or no longer applies."""


@dataclass(frozen=True)
class Payload:
    """A decoded button press."""

    feature: Feature
    action: str
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        """The wire form; ValueError if it would not fit or holds characters it may not."""
        parts = [VERSION, self.feature.value, self.action, *self.args]
        for part in parts:
            if not _PART.match(part):
                raise ValueError(f"payload part {part!r} must be [A-Za-z0-9_-.]+")
        data = ":".join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"payload {data!r} is longer than {MAX_BYTES} bytes")
        return data

    def arg(self, index: int) -> str:
        """Argument `index`, or StaleButton."""
        try:
            return self.args[index]
        except IndexError:
            raise StaleButton(f"argument {index} is missing") from None

    def number(self, index: int) -> int:
        """Argument `index` as a whole number from 0 to MAX_INT, or StaleButton."""
        text = self.arg(index)
        if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_INT:
            raise StaleButton(f"argument {index} is not a number from 0 to {MAX_INT}")
        return int(text)


def payload(feature: Feature, action: StrEnum | str, *args: object) -> Payload:
    """A payload from its parts (numbers and enum values turned into text)."""
    return Payload(feature, str(action), tuple(str(arg) for arg in args))


def decode(data: str | None) -> Payload:
    """The payload on a button, or StaleButton."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        raise StaleButton("empty or too long")
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != VERSION or not all(_PART.match(p) for p in parts):
        raise StaleButton("not v1 payload")
    try:
        feature = Feature(parts[1])
    except ValueError:
        raise StaleButton(f"no feature {parts[1]!r}") from None
    return Payload(feature, parts[2], tuple(parts[3:]))
