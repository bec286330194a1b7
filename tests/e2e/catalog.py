"""Catalog texts as a Telegram user sees them (HTML rendered to plain text)."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import t
from emulator.markup import html_to_plain


def shown(language: Language, key: str, **params: object) -> str:
    """The catalog message `key` as it appears on the user's screen."""
    return html_to_plain(t(language, key, **params))
