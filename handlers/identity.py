"""Before any handler: who is talking, in which language."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, TypeHandler

from bot.domain.models import ChannelUser
from handlers.context import BotContext

CHANNEL = "telegram"


def channel_user(update: Update) -> ChannelUser | None:
    """The Telegram user of an update as a channel-agnostic identity."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    return ChannelUser(
        channel=CHANNEL,
        external_id=str(user.id),
        first_name=user.first_name or "",
        language_hint=user.language_code,
    )


async def identify(update: Update, context: BotContext) -> None:
    """Load (or create) the account of whoever sent the update."""
    who = channel_user(update)
    if who is not None:
        context.account = await context.services.users.identify(who)


def handlers() -> list[BaseHandler]:
    """Registered in a group before every feature (see handlers.build_application)."""
    return [TypeHandler(Update, identify)]
