"""Message catalogs (zh-CN and en) and the functions that fill them in.

Catalog texts are trusted HTML (Telegram's subset); every parameter is escaped unless it is
wrapped in `Html`, so user-supplied strings can never break a message.
"""

from __future__ import annotations

import html
import string
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from bot.domain.models import Language
from bot.domain.wording import spell

DEFAULT_LANGUAGE = Language.ZH


class Html(str):
    """A string that is already safe HTML and must not be escaped again."""

    __slots__ = ()


class MissingMessage(KeyError):
    """A key that no catalog has."""


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{key}."))
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise TypeError(f"catalog entry {key} is not text")
    return flat


@cache
def catalogs() -> dict[Language, dict[str, str]]:
    """Every language's catalog, flattened to dotted keys."""
    folder = resources.files("bot") / "locales"
    loaded = {}
    for language in Language:
        text = (folder / f"{language.value}.toml").read_text(encoding="utf-8")
        loaded[language] = _flatten(tomllib.loads(text))
    return loaded


def placeholders(template: str) -> set[str]:
    """The names a template expects, e.g. {"count", "name"}."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def _template(language: Language | str | None, key: str) -> str:
    lang = Language(language) if language else DEFAULT_LANGUAGE
    table = catalogs()[lang]
    if key in table:
        return table[key]
    if key in catalogs()[DEFAULT_LANGUAGE]:
        return catalogs()[DEFAULT_LANGUAGE][key]
    raise MissingMessage(key)


def t(language: Language | str | None, key: str, **params: object) -> str:
    """The message `key` in `language` as HTML, parameters escaped (dates and amounts in them
    spelled in `language`, see bot.domain.wording)."""
    lang = _language(language)
    safe = {
        name: value
        if isinstance(value, int | float)
        else Html(spell(value, lang))
        if isinstance(value, Html)
        else html.escape(spell(str(value), lang))
        for name, value in params.items()
    }
    return _template(language, key).format(**safe)


def plain(language: Language | str | None, key: str, **params: object) -> str:
    """The message `key` as plain text (button labels, alerts): nothing is escaped."""
    lang = _language(language)
    spelled = {
        name: spell(value, lang) if isinstance(value, str) else value
        for name, value in params.items()
    }
    return _template(language, key).format(**spelled)


def _language(language: Language | str | None) -> str:
    return str(Language(language).value) if language else DEFAULT_LANGUAGE.value


def all_labels(key: str) -> list[str]:
    """The text of `key` in every language, to recognise a pressed keyboard button."""
    return sorted({catalogs()[language][key] for language in Language})


def language_names() -> dict[Language, str]:
    """Each language named in itself, for the language picker."""
    return {language: catalogs()[language]["language.self_name"] for language in Language}
