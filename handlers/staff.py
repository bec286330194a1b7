"""For grid workers and staff: registration requests to decide, and who is registered."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import MessageLimit
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.domain.errors import AlreadyDecided, DomainError
from bot.domain.homes import BuildingCoverage, place_text
from bot.domain.models import MembershipStatus
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, PressHandler, pack, unpack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.replies import drop_buttons, edit, refuse, stale
from handlers.start import require_message

MAX_LISTED = 20  # requests shown one message each; the rest are counted


async def show_pending(update: Update, context: BotContext) -> None:
    """📋 Pending requests of the grid, each with Approve / Reject."""
    message = require_message(update)
    try:
        pending = await context.services.registration.pending(context.account)
    except DomainError as error:
        await refuse(update, context, error)
        return
    if not pending:
        await message.reply_text(
            context.t("staff.no_pending"), reply_markup=main_menu(context.lang, context.account)
        )
        return
    await message.reply_text(context.t("staff.pending_title", count=len(pending)))
    for request in pending[:MAX_LISTED]:
        args = (request.user_id, request.household_id)
        await message.reply_text(
            context.t(
                "reg.ask_decision", name=request.first_name or "?", place=place_text(request.place)
            ),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            context.label("reg.approve"), callback_data=pack("reg", "ok", *args)
                        ),
                        InlineKeyboardButton(
                            context.label("reg.reject"), callback_data=pack("reg", "no", *args)
                        ),
                    ]
                ]
            ),
        )
    if len(pending) > MAX_LISTED:
        await message.reply_text(context.t("staff.more_pending", count=len(pending) - MAX_LISTED))


async def decide(update: Update, context: BotContext) -> None:
    """Approve or reject from the request message; the message then shows the decision."""
    query = update.callback_query
    try:
        data = unpack(query.data)
        user_id, household_id = data.int_arg(0), data.int_arg(1)
    except BadCallback:
        await stale(update, context)
        return
    try:
        decision = await context.services.registration.decide(
            context.account, user_id, household_id, approve=data.action == "ok"
        )
    except AlreadyDecided as error:
        await refuse(update, context, error)
        await drop_buttons(query)
        return
    except DomainError as error:
        await refuse(update, context, error)
        return
    await query.answer()
    key = "staff.approved" if decision.status is MembershipStatus.APPROVED else "staff.rejected"
    await edit(
        query,
        context.t(
            key,
            name=decision.resident or "?",
            place=place_text(decision.place),
            by=context.account.first_name if context.account else "",
        ),
    )


def coverage_text(context: BotContext, item: BuildingCoverage) -> str:
    """One building: registered/total, and the households nobody registered for."""
    lines = [
        context.t(
            "staff.coverage_line",
            compound=item.compound,
            building=item.building,
            registered=item.registered,
            households=item.households,
            percent=round(item.share * 100),
        )
    ]
    if item.unregistered:
        lines.append(context.t("staff.unregistered", rooms="、".join(item.unregistered)))
    text = "\n".join(lines)
    if len(text) > MessageLimit.MAX_TEXT_LENGTH:
        text = text[: MessageLimit.MAX_TEXT_LENGTH - 1] + "…"
    return text


async def show_coverage(update: Update, context: BotContext) -> None:
    """🏘 Per building of the grid: how many households are registered, who to visit."""
    message = require_message(update)
    try:
        buildings = await context.services.registration.coverage(context.account)
    except DomainError as error:
        await refuse(update, context, error)
        return
    if not buildings:
        await message.reply_text(context.t("staff.no_buildings"))
        return
    await message.reply_text(context.t("staff.coverage_title"))
    for item in buildings:
        await message.reply_text(coverage_text(context, item))


def handlers() -> list[BaseHandler]:
    """Staff handlers; the services refuse anyone without the role."""
    return [
        CommandHandler("pending", show_pending),
        MessageHandler(filters.Text(all_labels("menu.pending")), show_pending),
        CommandHandler("coverage", show_coverage),
        MessageHandler(filters.Text(all_labels("menu.coverage")), show_coverage),
        PressHandler(decide, pattern=r"^v1:reg:(ok|no):"),
    ]
