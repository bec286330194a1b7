"""What the bot shows, before any channel renders it: words from the catalogs, options to
choose from, and a hint of which keyboard goes with it.

Each channel renders a screen its own way: Telegram as HTML with inline buttons (editing the
pressed message), a channel without buttons as numbered lines answered with the number or the
option's words.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from bot.domain.messages import Attachment, Line, Outgoing
from bot.domain.models import Frozen, Language
from bot.interaction.payload import VERSION, Payload, StaleButton, decode


class Text(Frozen):
    """A catalog message and its parameters; a parameter may be a Text itself (said in the
    reader's language); `labels` are parameters that are bare catalog keys."""

    key: str
    params: dict[str, str | int | Text] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)


def text(key: str, **params: str | int | Text) -> Text:
    """A catalog message with its parameters."""
    return Text(key=key, params=params)


class Option(Frozen):
    """One choice on a screen: a catalog label (`key`, `params`, a parameter perhaps a Text
    said in the reader's language) or words of the data itself (`literal`, e.g. a building's
    name), and what choosing it asks for."""

    payload: Payload
    key: str = ""
    params: dict[str, str | int | Text] = Field(default_factory=dict)
    literal: str = ""
    labels: dict[str, str] = Field(default_factory=dict)  # parameters that are catalog keys


def option(
    payload: Payload, key: str = "", *, literal: str = "", **params: str | int | Text
) -> Option:
    """An option labelled by a catalog key or by literal words."""
    return Option(payload=payload, key=key, params=params, literal=literal)


class Keyboard(StrEnum):
    """What the person is offered to type or tap besides the screen's own options."""

    KEEP = "keep"  # whatever they had
    MAIN_MENU = "main_menu"  # the persistent main menu
    CONTACT = "contact"  # share my phone / skip / back / cancel


class Made(Frozen):
    """A file the core made for this answer (a chart, a table): sent as a photo or a document
    under its name."""

    kind: Literal["photo", "document"]
    name: str
    content: bytes


class Screen(Frozen):
    """One message: paragraphs (perhaps none), rows of options, a keyboard hint, perhaps a
    file, perhaps an album of files after it.

    `replace`: when answering a press, show it in place of the pressed message (a channel
    that cannot edit sends it anew)."""

    texts: tuple[Text, ...]
    options: tuple[tuple[Option, ...], ...] = ()
    keyboard: Keyboard = Keyboard.KEEP
    attachment: Attachment | Made | None = None  # the file the words are the caption of
    album: tuple[Attachment, ...] = ()  # files shown after the words (photos as albums)
    captions: tuple[str, ...] = ()  # words of the data itself under the album's photos, in order
    replace: bool = True


def screen(*texts: Text, **fields: object) -> Screen:
    """A screen of these paragraphs."""
    return Screen.model_validate({"texts": texts, **fields})


class Reply(Frozen):
    """What answers one input: screens in order, and for a press a short notice (a pop-up
    over the chat when `alert`); `unbutton` takes the options off the pressed screen (an old
    or forged button: it should not be pressed again); `language`: the person just chose
    it, so this reply (and what follows) is said in it."""

    screens: tuple[Screen, ...] = ()
    notice: Text | None = None
    alert: bool = False
    unbutton: bool = False
    language: Language | None = None


def reply(*screens: Screen, notice: Text | None = None, alert: bool = False) -> Reply:
    """A reply of these screens."""
    return Reply(screens=screens, notice=notice, alert=alert)


def push_screen(message: Outgoing) -> Screen:
    """A push (an outbox message) as a screen: its text and its buttons (an unknown feature's
    button is left out)."""
    rows = []
    for row in message.actions:
        options = []
        for action in row:
            try:
                pressed = decode(":".join([VERSION, action.feature, action.action, *action.args]))
            except StaleButton:
                continue
            options.append(option(pressed, action.label_key))
        if options:
            rows.append(tuple(options))
    parts: tuple[Outgoing | Line, ...] = (message, *message.lines)
    spoken = [line_text(part) for part in parts]
    return Screen(texts=tuple(spoken), options=tuple(rows), attachment=message.attachment)


def line_text(line: Line | Outgoing) -> Text:
    """A push's catalog message (its main text or one of its lines) as a text."""
    return Text(key=line.key, params=dict(line.params), labels=line.labels)
