"""A screen's words in a reader's language: what every channel's renderer starts from."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.messages import Line, Outgoing
from bot.domain.models import Language
from bot.i18n import Html, plain, t
from bot.interaction.screen import Option, Text


def paragraphs(language: Language, texts: Iterable[Text]) -> str:
    """The paragraphs as HTML (catalog texts, parameters escaped), one a line."""
    return "\n".join(html(language, part) for part in texts)


def html(language: Language, part: Text) -> Html:
    """One text as HTML: its parameters escaped, a text inside it rendered as HTML too."""
    params = {
        name: html(language, value) if isinstance(value, Text) else value
        for name, value in part.params.items()
    }
    return Html(t(language, part.key, **params, **_labels(language, part)))


def said(language: Language, part: Text) -> str:
    """One text as plain words (a button, a pop-up, a text inside another)."""
    return plain(language, part.key, **_params(language, part), **_labels(language, part))


def _params(language: Language, part: Text) -> dict[str, str | int]:
    return {
        name: said(language, value) if isinstance(value, Text) else value
        for name, value in part.params.items()
    }


def _labels(language: Language, part: Text) -> dict[str, str]:
    return {name: plain(language, key) for name, key in part.labels.items()}


def label(language: Language, choice: Option) -> str:
    """What an option says."""
    spoken = Text(key=choice.key, params=dict(choice.params), labels=choice.labels)
    return choice.literal or said(language, spoken)


def pushed(language: Language, message: Outgoing) -> str:
    """A push's text as HTML, in `language`: its main text, then its lines, one a line."""
    parts: tuple[Outgoing | Line, ...] = (message, *message.lines)
    return "\n".join(
        t(
            language,
            part.key,
            **part.params,
            **{n: plain(language, k) for n, k in part.labels.items()},
        )
        for part in parts
    )
