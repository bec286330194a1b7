"""PTB persistence on our SQLite database (through the SessionStore port), not pickle.

Conversation states and user/chat data (drafts, as JSON-compatible dicts) survive a restart.
The update processor flushes after every update, so even a SIGKILL loses at most the update
being processed.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from bot.ports import SessionStore


class SqlitePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    """Stores conversations, user_data and chat_data; bot_data and callback data are not used."""

    def __init__(self, store: SessionStore, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, callback_data=False),
            update_interval=update_interval,
        )
        self._store = store
        # What each owner's row holds now (JSON), so unchanged data is not written again:
        # PTB offers user_data and chat_data after every update, mostly unchanged or empty.
        self._written: dict[tuple[str, int], str] = {}

    async def _load(self, scope: str) -> dict[int, dict[str, Any]]:
        loaded = await self._store.load_data(scope)
        for owner_id, data in loaded.items():
            self._written[(scope, owner_id)] = json.dumps(data, sort_keys=True)
        return loaded

    async def _save(self, scope: str, owner_id: int, data: dict[str, Any]) -> None:
        encoded = json.dumps(data, sort_keys=True) if data else None
        if self._written.get((scope, owner_id)) == encoded:
            return
        await self._store.save_data(scope, owner_id, data)
        if encoded is None:
            self._written.pop((scope, owner_id), None)
        else:
            self._written[(scope, owner_id)] = encoded

    async def _drop(self, scope: str, owner_id: int) -> None:
        if (scope, owner_id) in self._written:
            await self._store.drop_data(scope, owner_id)
            del self._written[(scope, owner_id)]

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        """Every user's stored data."""
        return await self._load("user")

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        """Every chat's stored data."""
        return await self._load("chat")

    async def get_bot_data(self) -> dict[str, Any]:
        """Not stored: the database is the bot's data."""
        return {}

    async def get_callback_data(self) -> None:
        """Not stored: callback data is plain strings."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """The open conversations of one ConversationHandler."""
        return await self._store.load_conversations(name)  # type: ignore[return-value]

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Record one conversation's state (None: it ended)."""
        await self._store.save_conversation(name, tuple(key), new_state)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        """Store one user's data (if it changed)."""
        await self._save("user", user_id, data)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        """Store one chat's data (if it changed)."""
        await self._save("chat", chat_id, data)

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        """Not stored."""

    async def update_callback_data(self, data: Any) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Forget a chat's data."""
        await self._drop("chat", chat_id)

    async def drop_user_data(self, user_id: int) -> None:
        """Forget a user's data."""
        await self._drop("user", user_id)

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """Nothing to refresh."""

    async def flush(self) -> None:
        """Every write already went to the database."""
