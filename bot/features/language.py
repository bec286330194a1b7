"""/language or 🌐: switch between 简体中文 and English, per person."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.models import Language
from bot.i18n import language_names
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Keyboard, Reply, option, reply, screen, text


class LanguageAction(StrEnum):
    """The picker's button (its code is on buttons already sent: never change it)."""

    SET = "set"


async def ask(ctx: Ctx) -> Reply:
    """The picker: one button per language, each named in itself."""
    rows = tuple(
        (option(payload(Feature.LANGUAGE, LanguageAction.SET, language), literal=name),)
        for language, name in language_names().items()
    )
    return reply(screen(text("language.ask"), options=rows, replace=False))


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """Store the chosen language; the picker says so and the menu comes back in it."""
    if pressed.action != LanguageAction.SET:
        raise StaleButton(f"no language action {pressed.action!r}")
    try:
        language = Language(pressed.arg(0))
    except ValueError:
        raise StaleButton("no such language") from None
    await ctx.services.users.set_language(ctx.user, language)
    ready = screen(text("language.menu_ready"), keyboard=Keyboard.MAIN_MENU, replace=False)
    saved = reply(screen(text("language.saved")), ready, notice=text("language.saved_short"))
    return saved.model_copy(update={"language": language})
