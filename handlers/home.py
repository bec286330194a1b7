"""My home: a resident's households, their other members, the current one; leave one."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.domain.errors import DomainError
from bot.domain.homes import Home, place_text
from bot.domain.models import MembershipStatus
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, PressHandler, pack, pattern, unpack
from handlers.context import BotContext
from handlers.replies import edit, refuse, stale
from handlers.start import require_message

FEATURE = "home"


def describe(context: BotContext, homes: list[Home]) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of "my home"."""
    if not homes:
        button = InlineKeyboardButton(
            context.label("home.register"), callback_data=pack("reg", "begin")
        )
        return context.t("home.none"), InlineKeyboardMarkup([[button]])
    lines = [context.t("home.title")]
    rows = []
    for home in homes:
        place = place_text(home.place)
        if home.status is MembershipStatus.PENDING:
            lines.append(context.t("home.pending", place=place))
            label = context.label("home.withdraw", room=home.place.room)
            rows.append(
                [
                    InlineKeyboardButton(
                        label, callback_data=pack(FEATURE, "leave", home.household_id)
                    )
                ]
            )
            continue
        key = "home.current" if home.is_current else "home.other"
        lines.append(context.t(key, place=place))
        members = "、".join(home.members) if home.members else context.label("home.no_members")
        lines.append(context.t("home.members", names=members))
        row = []
        if not home.is_current:
            row.append(
                InlineKeyboardButton(
                    context.label("home.make_current", room=home.place.room),
                    callback_data=pack(FEATURE, "cur", home.household_id),
                )
            )
        row.append(
            InlineKeyboardButton(
                context.label("home.leave", room=home.place.room),
                callback_data=pack(FEATURE, "leave", home.household_id),
            )
        )
        rows.append(row)
    rows.append(
        [InlineKeyboardButton(context.label("home.add"), callback_data=pack("reg", "begin"))]
    )
    rows.append(
        [InlineKeyboardButton(context.label("mute.open"), callback_data=pack("mute", "show"))]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def show_home(update: Update, context: BotContext) -> None:
    """The 🏠 button or /home."""
    homes = await context.services.registration.homes(context.account)
    text, markup = describe(context, homes)
    await require_message(update).reply_text(text, reply_markup=markup)


async def on_button(update: Update, context: BotContext) -> None:
    """Make current, leave (asks first), confirm or keep."""
    query = update.callback_query
    try:
        data = unpack(query.data)
        household_id = data.int_arg(0) if data.action != "keep" else 0
    except BadCallback:
        await stale(update, context)
        return
    service = context.services.registration
    try:
        if data.action == "cur":
            place = await service.set_current(context.account, household_id)
            await query.answer(context.label("home.now_current", place=place_text(place)))
        elif data.action == "leave":
            place = await service.place(household_id)
            mine = {home.household_id for home in await service.homes(context.account)}
            if household_id not in mine:
                await stale(update, context)
                return
            await query.answer()
            confirm = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            context.label("home.leave_yes"),
                            callback_data=pack(FEATURE, "sure", household_id),
                        ),
                        InlineKeyboardButton(
                            context.label("home.leave_no"), callback_data=pack(FEATURE, "keep")
                        ),
                    ]
                ]
            )
            await edit(query, context.t("home.leave_ask", place=place_text(place)), confirm)
            return
        elif data.action == "sure":
            place = await service.leave(context.account, household_id)
            await query.answer(context.label("home.left", place=place_text(place)))
        elif data.action == "keep":
            await query.answer()
        else:
            await stale(update, context)
            return
    except DomainError as error:
        await refuse(update, context, error)
        return
    text, markup = describe(context, await service.homes(context.account))
    await edit(query, text, markup)


def handlers() -> list[BaseHandler]:
    """My home's handlers."""
    return [
        CommandHandler("home", show_home),
        MessageHandler(filters.Text(all_labels("menu.home")), show_home),
        PressHandler(on_button, pattern=pattern(FEATURE)),
    ]
