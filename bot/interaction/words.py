"""A screen's words in a reader's language: what every channel's renderer starts from."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.messages import Outgoing
from bot.domain.models import Language
from bot.i18n import plain, t
from bot.interaction.screen import Option, Text


def paragraphs(language: Language, texts: Iterable[Text]) -> str:
    """The paragraphs as HTML (catalog texts, parameters escaped), one a line."""
    return "\n".join(
        t(
            language,
            part.key,
            **part.params,
            **{name: plain(language, key) for name, key in part.labels.items()},
        )
        for part in texts
    )


def label(language: Language, choice: Option) -> str:
    """What an option says."""
    return choice.literal or plain(language, choice.key, **choice.params)


def pushed(language: Language, message: Outgoing) -> str:
    """A push's text as HTML, in `language`."""
    labels = {name: plain(language, key) for name, key in message.labels.items()}
    return t(language, message.key, **message.params, **labels)
