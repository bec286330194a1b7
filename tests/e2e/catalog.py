"""Catalog texts as a Telegram user sees them (HTML rendered to plain text)."""

from __future__ import annotations

import re

from bot.domain.models import Language
from bot.i18n import t
from emulator.markup import html_to_plain


def shown(language: Language, key: str, **params: object) -> str:
    """The catalog message `key` as it appears on the user's screen."""
    return html_to_plain(t(language, key, **params))


def pack(feature: str, action: str, *args: object) -> str:
    """Button data as a client could send it, forged or not: "v1:<feature>:<action>:<args>"
    joined as is (bot.interaction.payload checks what a real button carries)."""
    return ":".join(["v1", feature, action, *(str(arg) for arg in args)])


def at_step(language: Language, number: int, total: int, key: str, **params: object) -> str:
    """A step's question as a long flow shows it: "第 2/5 步" above the catalog text."""
    counter = shown(language, "dialog.step", number=number, total=total)
    return f"{counter}\n{shown(language, key, **params)}"


def below_counter(words: str) -> str:
    """What a step of a long flow says below its "第 2/5 步" / "Step 2/5" (which must be
    there)."""
    counter, _, rest = words.partition("\n")
    assert re.fullmatch(r"第 \d+/\d+ 步|Step \d+/\d+", counter), words
    return rest
