"""A message the core pushes to a user, before any channel renders it."""

from __future__ import annotations

from pydantic import Field

from bot.domain.models import Frozen


class Action(Frozen):
    """A button: its label's catalog key and what pressing it asks for."""

    label_key: str
    feature: str
    action: str
    args: tuple[str, ...] = ()


class Outgoing(Frozen):
    """A catalog message with its parameters and rows of buttons; rendered per recipient."""

    key: str
    params: dict[str, str | int] = Field(default_factory=dict)
    actions: tuple[tuple[Action, ...], ...] = ()
