"""Screens for a channel without buttons (WeChat's messages, SMS, a terminal): plain text, each
option on a numbered line, answered with its number or its words.

`PlainText.show` renders a reply for one person and remembers the options it numbered;
`PlainText.understand` turns what that person sends next back into a press (or the words of
a keyboard button) when it names one of them, and leaves anything else as words.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from bot.domain.models import Language
from bot.i18n import plain
from bot.interaction.inputs import Input, Kind
from bot.interaction.screen import Keyboard, Reply, Screen
from bot.interaction.words import label, paragraphs, said

_TAG = re.compile(r"<[^>]+>")
# The keyboard buttons a screen may ask for, as words the flow takes (no contact sharing here:
# a typed number could be anyone's, so the phone is skipped and a grid worker checks).
KEYBOARD_WORDS = {
    Keyboard.CONTACT: ("reg.skip_phone", "reg.back", "reg.cancel"),
}


def to_plain(markup: str) -> str:
    """HTML as the words it shows."""
    return html.unescape(_TAG.sub("", markup))


@dataclass(frozen=True)
class Offered:
    """A numbered line: what it says, and what answering it sends."""

    words: str
    given: Input


@dataclass
class PlainText:
    """Renders replies as numbered text and reads numbers and words back, per person."""

    _offered: dict[int, list[Offered]] = field(default_factory=dict)

    def show(self, user_id: int, language: Language, reply: Reply) -> list[str]:
        """The messages of a reply (in the language it names, if the person just chose one),
        options numbered; they replace the person's last ones."""
        language = reply.language or language
        messages: list[str] = []
        offered: list[Offered] = []
        if reply.notice is not None:
            messages.append(said(language, reply.notice))
        for part in reply.screens:
            messages.append(self._screen(language, part, offered))
        if offered:  # a retry with nothing to choose leaves the earlier choices standing
            self._offered[user_id] = offered
        return messages

    def _screen(self, language: Language, part: Screen, offered: list[Offered]) -> str:
        lines = [to_plain(paragraphs(language, part.texts))] if part.texts else []
        lines += [f"[{part.attachment.kind}]"] if part.attachment is not None else []
        captions = (*part.captions, *[""] * len(part.album))[: len(part.album)]
        lines += [
            f"[{file.kind}] {words}".rstrip()
            for file, words in zip(part.album, captions, strict=True)
        ]
        for row in part.options:
            for choice in row:
                words = label(language, choice)
                offered.append(Offered(words, Input(kind=Kind.PRESS, payload=choice.payload)))
                lines.append(f"{len(offered)}. {words}")
        for key in KEYBOARD_WORDS.get(part.keyboard, ()):
            words = plain(language, key)
            offered.append(Offered(words, Input(kind=Kind.TEXT, text=words)))
            lines.append(f"{len(offered)}. {words}")
        return "\n".join(lines)

    def understand(self, user_id: int, words: str) -> Input:
        """What the person's words mean: an offered line by its number or its words, or just
        words."""
        said = words.strip()
        offered = self._offered.get(user_id, [])
        if said.isdecimal() and 1 <= int(said) <= len(offered):
            return offered[int(said) - 1].given
        for line in offered:
            if said == line.words.strip():
                return line.given
        return Input(kind=Kind.TEXT, text=words)
