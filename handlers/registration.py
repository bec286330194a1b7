"""Registration: from a stairwell QR code or the menu, pick compound → building → unit → room,
optionally share the phone, and get linked to the household (at once, or after a grid worker
approves). One inline picker message is edited as the user goes; Back and Cancel work at
every step; the state and the draft persist, so a restart does not lose the user's place.
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.domain.errors import DomainError
from bot.domain.homes import Choice, paginate, place_text
from bot.domain.models import MembershipStatus
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, PressHandler, pack, unpack
from handlers.context import BotContext
from handlers.menu import main_menu, menu_labels
from handlers.replies import drop_buttons, edit, refuse, stale
from handlers.start import require_message

FEATURE = "reg"
DRAFT = "registration"
PAGE_SIZE = 12
COLUMNS = 3


class Step(StrEnum):
    """Where the user is in the registration."""

    COMPOUND = "c"
    BUILDING = "b"
    UNIT = "u"
    ROOM = "r"
    PHONE = "p"


ORDER = [Step.COMPOUND, Step.BUILDING, Step.UNIT, Step.ROOM]
# The draft field each picking step fills in.
FIELD = {
    Step.COMPOUND: "compound",
    Step.BUILDING: "building",
    Step.UNIT: "unit",
    Step.ROOM: "room",
}


def draft_of(context: BotContext) -> dict[str, Any]:
    """The registration draft in user_data (JSON-compatible, so it persists)."""
    return context.user_data.setdefault(DRAFT, {})


async def choices(context: BotContext, step: Step, draft: dict[str, Any]) -> list[Choice]:
    """The options of a picking step, given what the draft already holds."""
    service = context.services.registration
    if step is Step.COMPOUND:
        return await service.compounds()
    if step is Step.BUILDING:
        return await service.buildings(draft["compound"])
    if step is Step.UNIT:
        return await service.units(draft["building"])
    return await service.rooms(draft["unit"])


async def picker(
    context: BotContext, step: Step, draft: dict[str, Any], page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of a picking step."""
    options = await choices(context, step, draft)
    shown, page, pages = paginate(options, page, PAGE_SIZE)
    rows = [
        [
            InlineKeyboardButton(
                choice.label, callback_data=pack(FEATURE, "pick", step, choice.id)
            )
            for choice in shown[i : i + COLUMNS]
        ]
        for i in range(0, len(shown), COLUMNS)
    ]
    if pages > 1:
        rows.append(
            [
                InlineKeyboardButton(
                    context.label("reg.prev"),
                    callback_data=pack(FEATURE, "page", step, (page - 1) % pages),
                ),
                InlineKeyboardButton(
                    f"{page + 1}/{pages}", callback_data=pack(FEATURE, "page", step, page)
                ),
                InlineKeyboardButton(
                    context.label("reg.next"),
                    callback_data=pack(FEATURE, "page", step, (page + 1) % pages),
                ),
            ]
        )
    nav = [InlineKeyboardButton(context.label("reg.cancel"), callback_data=pack(FEATURE, "x"))]
    if step is not Step.COMPOUND:
        nav.insert(
            0, InlineKeyboardButton(context.label("reg.back"), callback_data=pack(FEATURE, "bk"))
        )
    rows.append(nav)
    number = ORDER.index(step) + 1
    key = f"reg.ask_{FIELD[step]}" if options else f"reg.none_{FIELD[step]}"
    return context.t("reg.step", number=number, total=len(ORDER)) + "\n" + context.t(key), (
        InlineKeyboardMarkup(rows)
    )


async def show_step(update: Update, context: BotContext, step: Step, page: int = 0) -> Step:
    """Show a picking step: edit the picker after a press, or send it after a message."""
    text, markup = await picker(context, step, draft_of(context), page)
    query = update.callback_query
    if query is not None:
        await edit(query, text, markup)
    else:
        await require_message(update).reply_text(text, reply_markup=markup)
    return step


# ---------------------------------------------------------------------------- entries


async def begin(update: Update, context: BotContext) -> Step:
    """/register, "register my home" or "add another home": start from the compound."""
    context.user_data[DRAFT] = {}
    if update.callback_query is not None:
        await update.callback_query.answer()
        await drop_buttons(update.callback_query)
        text, markup = await picker(context, Step.COMPOUND, {})
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
        return Step.COMPOUND
    return await show_step(update, context, Step.COMPOUND)


async def from_invitation(update: Update, context: BotContext) -> Step | int:
    """/start <payload> from a building's QR code: the building is known, ask for the unit."""
    payload = context.args[0] if context.args else ""
    try:
        invitation = await context.services.invitations.resolve(payload)
        compound = await context.services.registration.compound_of_building(invitation.building_id)
    except DomainError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    context.user_data[DRAFT] = {
        "compound": compound,
        "building": invitation.building_id,
        "invited": True,
    }
    await require_message(update).reply_text(
        context.t("start.welcome", name=update.effective_user.first_name),
        reply_markup=main_menu(context.lang, context.account),
    )
    return await show_step(update, context, Step.UNIT)


# ---------------------------------------------------------------------------- picking


async def pick(update: Update, context: BotContext) -> Step | int:
    """A compound, building, unit or room was chosen: check it belongs, go one step on."""
    query = update.callback_query
    try:
        data = unpack(query.data)
        step, chosen = Step(data.arg(0)), data.int_arg(1)
    except (BadCallback, ValueError):
        await stale(update, context)
        return None  # stay where we are
    draft = draft_of(context)
    if chosen not in {choice.id for choice in await choices(context, step, draft)}:
        await stale(update, context)
        return None
    await query.answer()
    draft[FIELD[step]] = chosen
    for later in ORDER[ORDER.index(step) + 1 :]:
        draft.pop(FIELD[later], None)
    if step is not Step.ROOM:
        return await show_step(update, context, ORDER[ORDER.index(step) + 1])
    place = await context.services.registration.place(chosen)
    homes = await context.services.registration.homes(context.account)
    if any(home.household_id == chosen for home in homes):
        home = next(home for home in homes if home.household_id == chosen)
        key = (
            "reg.already_member"
            if home.status is MembershipStatus.APPROVED
            else "reg.already_pending"
        )
        await edit(query, context.t(key, place=place_text(place)))
        return await finish(update, context)
    await edit(query, context.t("reg.chosen", place=place_text(place)))
    return await ask_phone(update, context)


async def page(update: Update, context: BotContext) -> Step | None:
    """Another page of a long list."""
    query = update.callback_query
    try:
        data = unpack(query.data)
        step, number = Step(data.arg(0)), data.int_arg(1)
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    return await show_step(update, context, step, number)


async def back_from_picker(update: Update, context: BotContext) -> Step:
    """Back one picking step: forget the previous answer and ask it again."""
    await update.callback_query.answer()
    current = context_state(context)
    previous = ORDER[max(ORDER.index(current) - 1, 0)] if current in ORDER else Step.ROOM
    draft_of(context).pop(FIELD[previous], None)
    return await show_step(update, context, previous)


def context_state(context: BotContext) -> Step:
    """The step the draft is at: the first one it has no answer for."""
    draft = draft_of(context)
    for step in ORDER:
        if FIELD[step] not in draft:
            return step
    return Step.PHONE


# ---------------------------------------------------------------------------- phone


def phone_keyboard(context: BotContext) -> ReplyKeyboardMarkup:
    """The contact button, Skip, Back and Cancel."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(context.label("reg.share_phone"), request_contact=True)],
            [KeyboardButton(context.label("reg.skip_phone"))],
            [
                KeyboardButton(context.label("reg.back")),
                KeyboardButton(context.label("reg.cancel")),
            ],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


async def ask_phone(update: Update, context: BotContext) -> Step:
    """Offer to share the phone: a roster match approves the link at once."""
    await context.bot.send_message(
        update.effective_chat.id, context.t("reg.ask_phone"), reply_markup=phone_keyboard(context)
    )
    return Step.PHONE


async def contact(update: Update, context: BotContext) -> Step | int:
    """A shared contact: only the user's own number counts."""
    message = require_message(update)
    shared = message.contact
    if shared.user_id != update.effective_user.id:
        await message.reply_text(
            context.t("reg.own_phone_only"), reply_markup=phone_keyboard(context)
        )
        return Step.PHONE
    return await submit(update, context, shared.phone_number)


async def skip_phone(update: Update, context: BotContext) -> Step | int:
    """No phone: a grid worker will check the request."""
    return await submit(update, context, None)


async def back_from_phone(update: Update, context: BotContext) -> Step:
    """Back to the room list."""
    draft_of(context).pop("room", None)
    return await show_step(update, context, Step.ROOM)


async def phone_expected(update: Update, context: BotContext) -> Step:
    """Anything else at the phone step: explain the buttons again."""
    await require_message(update).reply_text(
        context.t("reg.phone_buttons"), reply_markup=phone_keyboard(context)
    )
    return Step.PHONE


async def submit(update: Update, context: BotContext, phone: str | None) -> int:
    """Send the request; tell the user whether it is approved or waits for the grid worker."""
    household_id = draft_of(context).get("room")
    if household_id is None:
        return await show_step(update, context, Step.ROOM)
    try:
        result = await context.services.registration.request(context.account, household_id, phone)
    except DomainError as error:
        await refuse(update, context, error)
        return await finish(update, context)
    key = "reg.approved" if result.status is MembershipStatus.APPROVED else "reg.pending"
    await require_message(update).reply_text(
        context.t(key, place=place_text(result.place)),
        reply_markup=main_menu(context.lang, context.account),
    )
    return await finish(update, context)


# ---------------------------------------------------------------------------- leaving


async def finish(update: Update, context: BotContext) -> int:
    """End the conversation and forget the draft."""
    context.user_data.pop(DRAFT, None)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """Cancel at any step (button, keyboard or /cancel)."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await edit(query, context.t("reg.cancelled"))
        await context.bot.send_message(
            update.effective_chat.id,
            context.t("reg.back_to_menu"),
            reply_markup=main_menu(context.lang, context.account),
        )
    else:
        await require_message(update).reply_text(
            context.t("reg.cancelled"), reply_markup=main_menu(context.lang, context.account)
        )
    return await finish(update, context)


async def use_buttons(update: Update, context: BotContext) -> None:
    """Typed text, a photo, a sticker… while a picker waits: point at the buttons."""
    await require_message(update).reply_text(context.t("reg.use_buttons"))


def handlers() -> list[BaseHandler]:
    """The registration conversation (persistent; ends on Cancel, /cancel or a result)."""

    def pattern(action: str, step: Step | None = None) -> str:
        return rf"^v1:{FEATURE}:{action}" + (rf":{step}:" if step else "(:|$)")

    free_input = ~filters.COMMAND & ~filters.Text(menu_labels()) & ~filters.StatusUpdate.ALL
    picking = {
        step: [
            PressHandler(pick, pattern=pattern("pick", step)),
            PressHandler(page, pattern=pattern("page", step)),
            PressHandler(back_from_picker, pattern=pattern("bk")),
            PressHandler(cancel, pattern=pattern("x")),
            MessageHandler(free_input, use_buttons),
        ]
        for step in ORDER
    }
    phone = [
        MessageHandler(filters.CONTACT, contact),
        MessageHandler(filters.Text(all_labels("reg.skip_phone")), skip_phone),
        MessageHandler(filters.Text(all_labels("reg.back")), back_from_phone),
        MessageHandler(filters.Text(all_labels("reg.cancel")), cancel),
        MessageHandler(free_input, phone_expected),
    ]
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a CallbackQueryHandler is tracked per chat, not
        # per message: that is what we want (one picker per user, old pickers are refused).
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[
                CommandHandler("start", from_invitation, has_args=True),
                CommandHandler("register", begin),
                PressHandler(begin, pattern=pattern("begin")),
            ],
            states={**picking, Step.PHONE: phone},
            fallbacks=[CommandHandler("cancel", cancel)],
            name="registration",
            persistent=True,
            allow_reentry=True,
        )
    return [conversation]
