"""📋 My reports: a household's tickets with their status and history; rating a resolved one
(unsatisfied offers to reopen it with a reason); answering a grid worker's question.
"""

from __future__ import annotations

from enum import StrEnum

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.errors import DomainError
from bot.domain.reports import (
    MAX_NOTE,
    EventKind,
    HouseholdTicket,
    Media,
    MediaKind,
    Rating,
    Ticket,
    TicketEvent,
    local_text,
)
from bot.domain.text import words
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, CallbackData, PressHandler
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.notifier import render
from handlers.replies import edit, pressed, refuse
from handlers.start import require_message
from handlers.steps import button, canceller, conversation, forget, input_filters, replier

FEATURE = "rp"
REPLY = "report_reply"


class Step(StrEnum):
    """What the resident is typing."""

    ANSWER = "answer"
    REASON = "reason"


def event_line(context: BotContext, event: TicketEvent, who: str = "") -> str:
    """One history entry in the user's language (names only where `who` is given)."""
    when = local_text(event.at, context.services.reports.timezone)
    status = context.label(f"report.status_{event.to_status.value}") if event.to_status else ""
    text = context.t(
        f"report.event_{event.kind.value}",
        when=when,
        status=status,
        note=event.note
        if event.kind is not EventKind.RATING
        else context.label(f"report.rating_{event.note}"),
    )
    return f"{text} · {who}" if who else text


async def ticket_text(context: BotContext, seen: HouseholdTicket) -> str:
    """A ticket as the user's household sees it, with its history (the reporting household:
    all of it; a household that joined with "+1": the public card)."""
    key = "report.card" if seen.reporter else "report.card_public"
    card = await context.services.reports.card(seen.ticket, key, private=seen.reporter)
    history = [event_line(context, event) for event in seen.events]
    return "\n".join([render(context.lang, card), "", context.t("report.history"), *history])


async def show_mine(update: Update, context: BotContext) -> None:
    """📋: the household's tickets, newest first, one button each."""
    message = require_message(update)
    tickets = await context.services.reports.mine(context.account)
    if not tickets:
        await message.reply_text(
            context.t("report.none_mine"), reply_markup=main_menu(context.lang, context.account)
        )
        return
    text, markup = await mine_view(context, tickets)
    await message.reply_text(text, reply_markup=markup)


async def mine_view(
    context: BotContext, tickets: list[Ticket]
) -> tuple[str, InlineKeyboardMarkup]:
    """The list's text and one button per ticket."""
    rows = [
        [
            button(
                context,
                FEATURE,
                "report.list_button",
                "view",
                ticket.id,
                number=ticket.number,
                category=context.label(f"report.cat_{ticket.category.value}"),
                status=context.label(f"report.status_{ticket.status.value}"),
            )
        ]
        for ticket in tickets
    ]
    return context.t("report.mine_title", count=len(tickets)), InlineKeyboardMarkup(rows)


async def back_to_list(update: Update, context: BotContext) -> None:
    """« My reports."""
    query = update.callback_query
    await query.answer()
    tickets = await context.services.reports.mine(context.account)
    if not tickets:
        await edit(query, context.t("report.none_mine"))
        return
    text, markup = await mine_view(context, tickets)
    await edit(query, text, markup)


async def view(update: Update, context: BotContext) -> None:
    """One of the household's tickets, with its history and what can be done."""
    query = update.callback_query
    reports = context.services.reports
    seen = await pressed(
        update, context, lambda data: reports.household_view(context.account, data.int_arg(0))
    )
    if seen is None:
        return
    await query.answer()
    ticket = seen.ticket
    rows = []
    if ticket.awaiting_rating and seen.reporter:
        rows += [
            [button(context, FEATURE, f"report.rating_{r.value}", "rate", ticket.id, r.value)]
            for r in Rating
        ]
    if seen.media:
        rows.append(
            [
                button(
                    context,
                    FEATURE,
                    "report.media_button",
                    "med",
                    ticket.id,
                    photos=seen.photos,
                    voices=seen.voices,
                )
            ]
        )
    rows.append([button(context, FEATURE, "report.back_to_list", "list")])
    await edit(query, await ticket_text(context, seen), InlineKeyboardMarkup(rows))


async def rate(update: Update, context: BotContext) -> None:
    """A rating button: closes the ticket, or (unsatisfied) offers to reopen it."""
    query = update.callback_query
    reports = context.services.reports

    async def rate_it(data: CallbackData) -> tuple[Ticket, Rating]:
        if data.arg(1) not in {r.value for r in Rating}:
            raise BadCallback("not a rating")
        rating = Rating(data.arg(1))
        return await reports.rate(context.account, data.int_arg(0), rating), rating

    rated = await pressed(update, context, rate_it)
    if rated is None:
        return
    ticket, rating = rated
    await query.answer()
    if rating is Rating.UNSATISFIED:
        rows = [
            [button(context, FEATURE, "report.reopen_button", "ro", ticket.id)],
            [button(context, FEATURE, "report.keep_closed_button", "keep", ticket.id)],
        ]
        await edit(
            query,
            context.t("report.ask_reopen", number=ticket.number),
            InlineKeyboardMarkup(rows),
        )
        return
    await edit(query, context.t("report.thanks_rating", number=ticket.number))


async def keep_closed(update: Update, context: BotContext) -> None:
    """Unsatisfied, but no reopening."""
    query = update.callback_query
    reports = context.services.reports
    ticket = await pressed(
        update, context, lambda data: reports.keep_closed(context.account, data.int_arg(0))
    )
    if ticket is None:
        return
    await query.answer()
    await edit(query, context.t("report.closed_ok", number=ticket.number))


async def send_media(update: Update, context: BotContext) -> None:
    """Forward a ticket's photos (an album) and voice notes, for whoever may see the ticket."""
    reports = context.services.reports
    media = await pressed(
        update, context, lambda data: reports.media(context.account, data.int_arg(0))
    )
    if media is None:
        return
    await update.callback_query.answer()
    await forward_media(update, context, media)


async def forward_media(update: Update, context: BotContext, media: list[Media]) -> None:
    """Photos as albums of up to ten, then each voice note."""
    chat_id = update.effective_chat.id
    photos = [item.ref for item in media if item.kind is MediaKind.PHOTO]
    for start in range(0, len(photos), 10):
        batch = photos[start : start + 10]
        if len(batch) == 1:
            await context.bot.send_photo(chat_id, batch[0])
        else:
            await context.bot.send_media_group(chat_id, [InputMediaPhoto(p) for p in batch])
    for item in media:
        if item.kind is MediaKind.VOICE:
            await context.bot.send_voice(chat_id, item.ref)
    if not media:
        await context.bot.send_message(chat_id, context.t("report.no_media"))


# ---------------------------------------------------------------------------- typed replies


async def begin_answer(update: Update, context: BotContext) -> Step | int:
    """💬 Answer on a question push: ask for the answer."""
    query = update.callback_query
    reports = context.services.reports
    found = await pressed(
        update, context, lambda data: reports.question(context.account, data.int_arg(0))
    )
    if found is None:
        return ConversationHandler.END
    ticket, question = found
    await query.answer()
    context.user_data[REPLY] = {"event": question.id}
    await context.bot.send_message(
        update.effective_chat.id,
        context.t("report.ask_answer", number=ticket.number, question=question.note),
        reply_markup=InlineKeyboardMarkup([[button(context, FEATURE, "reg.cancel", "x")]]),
    )
    return Step.ANSWER


async def answered(update: Update, context: BotContext) -> Step | int:
    """The answer, in words or as a voice note."""
    message = require_message(update)
    try:
        text = "" if message.voice else words(message.text, MAX_NOTE)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.ANSWER
    voice = Media(kind=MediaKind.VOICE, ref=message.voice.file_id) if message.voice else None
    try:
        ticket = await context.services.reports.answer(
            context.account, context.user_data.get(REPLY, {}).get("event", 0), text, voice
        )
    except DomainError as error:
        await refuse(update, context, error)
        return forget(context, REPLY)
    await message.reply_text(
        context.t("report.answer_sent", number=ticket.number),
        reply_markup=main_menu(context.lang, context.account),
    )
    return forget(context, REPLY)


async def begin_reopen(update: Update, context: BotContext) -> Step | int:
    """🔁 Reopen after "unsatisfied": ask why."""
    query = update.callback_query
    reports = context.services.reports
    ticket = await pressed(
        update, context, lambda data: reports.for_resident(context.account, data.int_arg(0))
    )
    if ticket is None:
        return ConversationHandler.END
    await query.answer()
    context.user_data[REPLY] = {"ticket": ticket.id}
    await edit(
        query,
        context.t("report.ask_reason", number=ticket.number),
        InlineKeyboardMarkup([[button(context, FEATURE, "reg.cancel", "x")]]),
    )
    return Step.REASON


async def reason_given(update: Update, context: BotContext) -> Step | int:
    """Reopen with the reason; the grid worker is told."""
    message = require_message(update)
    try:
        text = words(message.text, MAX_NOTE)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.REASON
    try:
        ticket = await context.services.reports.reopen(
            context.account, context.user_data.get(REPLY, {}).get("ticket", 0), text
        )
    except DomainError as error:
        await refuse(update, context, error)
        return forget(context, REPLY)
    await message.reply_text(
        context.t("report.reopened_ok", number=ticket.number),
        reply_markup=main_menu(context.lang, context.account),
    )
    return forget(context, REPLY)


cancel = canceller(REPLY, "report.reply_cancelled")


words_or_voice = replier("report.text_or_voice")


words_only = replier("report.text_only")


def handlers() -> list[BaseHandler]:
    """📋 My reports, rating, media, and the answer/reopen conversation."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    conversation_handler = conversation(
        REPLY,
        entry_points=[
            PressHandler(begin_answer, pattern=on("ans")),
            PressHandler(begin_reopen, pattern=on("ro")),
        ],
        states={
            Step.ANSWER: [
                MessageHandler(free_text | filters.VOICE, answered),
                PressHandler(cancel, pattern=on("x")),
                MessageHandler(other, words_or_voice),
            ],
            Step.REASON: [
                MessageHandler(free_text, reason_given),
                PressHandler(cancel, pattern=on("x")),
                MessageHandler(other, words_only),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
    )
    return [
        conversation_handler,
        MessageHandler(filters.Text(all_labels("menu.my_reports")), show_mine),
        CommandHandler("myreports", show_mine),
        PressHandler(view, pattern=on("view")),
        PressHandler(back_to_list, pattern=on("list")),
        PressHandler(rate, pattern=on("rate")),
        PressHandler(keep_closed, pattern=on("keep")),
        PressHandler(send_media, pattern=on("med")),
    ]
