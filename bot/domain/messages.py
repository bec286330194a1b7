"""A message the core pushes to a user, before any channel renders it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.domain.models import Frozen
from bot.domain.vocabulary import Feature


class Action(Frozen):
    """A button: its label's catalog key and what pressing it asks for."""

    label_key: str
    feature: Feature
    action: str
    args: tuple[str, ...] = ()


class Attachment(Frozen):
    """A photo, document or voice note the channel already holds (its own file reference), or
    a file the core makes when the push is sent ("generated": see bot.delivery.files)."""

    kind: Literal["photo", "document", "voice", "generated"]
    ref: str = Field(min_length=1, max_length=256)


class Line(Frozen):
    """A paragraph said after a push's main text: a catalog message of its own (so a push can
    carry as many as it needs, each in the recipient's language)."""

    key: str
    params: dict[str, str | int] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)  # parameters that are catalog keys


class Outgoing(Frozen):
    """A catalog message with its parameters and rows of buttons; rendered per recipient."""

    key: str
    params: dict[str, str | int] = Field(default_factory=dict)
    actions: tuple[tuple[Action, ...], ...] = ()
    attachment: Attachment | None = None
    # Parameters that are themselves catalog keys, translated for each recipient.
    labels: dict[str, str] = Field(default_factory=dict)
    lines: tuple[Line, ...] = ()  # paragraphs after the main text, one a line

    @property
    def plain(self) -> bool:
        """Text only: no buttons and no attachment (so it may join a digest)."""
        return not self.actions and self.attachment is None
