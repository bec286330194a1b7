"""The typed context every handler receives."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.app.config import Settings
from bot.domain.models import Language, User
from bot.i18n import plain, t
from bot.services import Services


class ShangliangApplication(Application):  # type: ignore[misc]
    """PTB's Application with the services and settings attached."""

    def __init__(self, *, services: Services, settings: Settings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.settings = settings


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with the services, the account of the user and their language."""

    def __init__(
        self, application: Application, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.account: User | None = None

    @property
    def app(self) -> ShangliangApplication:
        """The application, typed."""
        return self.application  # type: ignore[return-value]

    @property
    def services(self) -> Services:
        """The channel-agnostic services."""
        return self.app.services

    @property
    def lang(self) -> Language:
        """The language to answer this user in."""
        return self.services.users.language_of(self.account)

    def t(self, key: str, **params: object) -> str:
        """A catalog message in the user's language, as HTML."""
        return t(self.lang, key, **params)

    def label(self, key: str, **params: object) -> str:
        """A catalog message in the user's language, as plain text (buttons, alerts)."""
        return plain(self.lang, key, **params)
