"""What a person sends outside any flow is kept (words, a voice note, photos) until they say
what it is for; nothing they sent is lost, a restart included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.free_input import KeptInput
from bot.domain.models import User
from bot.ports import Clock


class KeptInputs(Protocol):
    """The `pending_input` rows (see storage.pending)."""

    async def get(self, user_id: int) -> KeptInput | None: ...
    async def put(self, user_id: int, kept: KeptInput, now: datetime) -> None: ...
    async def drop(self, user_id: int) -> None: ...


@dataclass(frozen=True)
class FreeInputService:
    """Keeps, gives back and forgets a person's free input."""

    store: KeptInputs
    clock: Clock

    async def keep(
        self, user: User, *, words: str = "", voice: str | None = None, photo: str | None = None
    ) -> KeptInput:
        """One more message kept with what was kept before; all of it."""
        kept = (await self.kept(user)).adding(words=words, voice=voice, photo=photo)
        await self.store.put(user.id, kept, self.clock.now())
        return kept

    async def kept(self, user: User) -> KeptInput:
        """What is kept (empty if nothing)."""
        return await self.store.get(user.id) or KeptInput()

    async def forget(self, user: User) -> None:
        """The person chose: it is used, or not wanted."""
        await self.store.drop(user.id)
