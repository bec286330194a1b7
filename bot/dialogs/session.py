"""Where a person is in a guided conversation, as the engine stores it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import Field

from bot.domain.models import Frozen
from bot.interaction.payload import Feature


class Session(Frozen):
    """One person's place in one flow: the step, the draft (JSON) and the step's state."""

    flow: Feature
    step: str
    draft: dict[str, Any]
    state: dict[str, Any] = Field(default_factory=dict)


class SessionStore(Protocol):
    """The `dialog_session` rows (see storage.dialogs)."""

    async def get(self, user_id: int) -> Session | None: ...
    async def put(self, user_id: int, session: Session, now: datetime) -> None: ...
    async def drop(self, user_id: int) -> None: ...
