"""📥 The grid worker's inbox: open tickets of the grid (staff: all), nearest deadline first;
a ticket card to claim, assign, move on with a note, ask the reporter, hear and see its
media. 🏢 Building leads see their building's open tickets without personal data. /stats.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.errors import DomainError
from bot.domain.homes import paginate
from bot.domain.reports import (
    MAX_NOTE,
    NEEDS_REASON,
    WORKER_STATUSES,
    Ticket,
    TicketStatus,
    local_text,
    next_deadline,
    overdue,
    worker_moves,
)
from bot.domain.text import words
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, CallbackData, PressHandler
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.my_reports import event_line, forward_media
from handlers.notifier import render
from handlers.replies import edit, pressed, refuse
from handlers.start import require_message
from handlers.steps import button, canceller, conversation, forget, input_filters, replier

FEATURE = "tk"
NOTE = "ticket_note"
PAGE = 10
STATS_DAYS = 30


class Step(StrEnum):
    """What the grid worker is typing."""

    NOTE = "note"
    QUESTION = "question"


# ---------------------------------------------------------------------------- the inbox


def deadline_mark(ticket: Ticket, now: datetime) -> str:
    """🔴 past a deadline, ⏳ still open in time, ✅ no longer open."""
    if not ticket.open:
        return "✅"
    return "🔴" if overdue(ticket, now) else "⏳"


def inbox_view(
    context: BotContext, tickets: list[Ticket], page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of the inbox: one button per ticket, paging."""
    if not tickets:
        return context.t("report.inbox_empty"), None
    now = context.services.clock.now()
    zone = context.services.reports.timezone
    shown, page, pages = paginate(tickets, page, PAGE)
    rows = [
        [
            button(
                context,
                FEATURE,
                "report.inbox_button",
                "open",
                ticket.id,
                mark=deadline_mark(ticket, now),
                number=ticket.number,
                category=context.label(f"report.cat_{ticket.category.value}"),
                deadline=local_text(next_deadline(ticket), zone)[5:],
                supporters=ticket.supporters,
            )
        ]
        for ticket in shown
    ]
    if pages > 1:
        rows.append(
            [
                button(context, FEATURE, "reg.prev", "pg", (page - 1) % pages),
                button(context, FEATURE, "reg.next", "pg", (page + 1) % pages),
            ]
        )
    overdue_count = sum(1 for ticket in tickets if overdue(ticket, now))
    text = context.t(
        "report.inbox_title",
        count=len(tickets),
        overdue=overdue_count,
        page=page + 1,
        pages=pages,
    )
    return text, InlineKeyboardMarkup(rows)


async def show_inbox(update: Update, context: BotContext) -> None:
    """📥: the open tickets of the grid."""
    message = require_message(update)
    try:
        tickets = await context.services.reports.inbox(context.account)
    except DomainError as error:
        await refuse(update, context, error)
        return
    text, markup = inbox_view(context, tickets, 0)
    await message.reply_text(text, reply_markup=markup or main_menu(context.lang, context.account))


async def turn_page(update: Update, context: BotContext) -> None:
    """Another page of the inbox."""
    query = update.callback_query
    reports = context.services.reports

    async def page_of(data: CallbackData) -> tuple[int, list[Ticket]]:
        return data.int_arg(0), await reports.inbox(context.account)

    found = await pressed(update, context, page_of)
    if found is None:
        return
    await query.answer()
    text, markup = inbox_view(context, found[1], found[0])
    await edit(query, text, markup)


async def card_view(context: BotContext, ticket: Ticket) -> tuple[str, InlineKeyboardMarkup]:
    """A ticket as its handler sees it, with what can be done now."""
    reports = context.services.reports
    card = await reports.card(
        ticket,
        "report.card_staff",
        private=True,
        mark=deadline_mark(ticket, context.services.clock.now()),
    )
    rows = []
    if ticket.open:
        rows.append(
            [
                button(context, FEATURE, "report.claim", "claim", ticket.id),
                button(context, FEATURE, "report.assign", "as", ticket.id),
            ]
        )
    statuses = worker_moves(ticket.status)
    buttons = [
        button(context, FEATURE, f"report.set_{s.value}", "st", ticket.id, s.value)
        for s in statuses
    ]
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    extra = [button(context, FEATURE, "report.ask", "ask", ticket.id)]
    if ticket.photos or ticket.voices:
        extra.append(
            button(
                context,
                FEATURE,
                "report.media_button",
                "med",
                ticket.id,
                photos=ticket.photos,
                voices=ticket.voices,
            )
        )
    rows.append(extra)
    rows.append([button(context, FEATURE, "report.history_button", "hist", ticket.id)])
    return render(context.lang, card), InlineKeyboardMarkup(rows)


async def managed_ticket(update: Update, context: BotContext) -> Ticket | None:
    """The ticket a pressed button names, if the presser handles it (else answered)."""
    reports = context.services.reports
    return await pressed(
        update, context, lambda data: reports.managed(context.account, data.int_arg(0))
    )


async def open_card(update: Update, context: BotContext) -> None:
    """A ticket from the inbox or from a push: its card as a new message."""
    ticket = await managed_ticket(update, context)
    if ticket is None:
        return
    await update.callback_query.answer()
    text, markup = await card_view(context, ticket)
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def refresh_card(update: Update, context: BotContext) -> None:
    """« back to the card (after the assignee list)."""
    ticket = await managed_ticket(update, context)
    if ticket is None:
        return
    await update.callback_query.answer()
    await edit(update.callback_query, *await card_view(context, ticket))


async def claim(update: Update, context: BotContext) -> None:
    """🙋 The presser takes the ticket."""
    query = update.callback_query
    reports = context.services.reports
    ticket = await pressed(
        update, context, lambda data: reports.claim(context.account, data.int_arg(0))
    )
    if ticket is None:
        return
    await query.answer(context.label("report.claimed", number=ticket.number))
    await edit(query, *await card_view(context, ticket))


async def choose_assignee(update: Update, context: BotContext) -> None:
    """👥 Who to give it to: the building's grid workers and staff."""
    query = update.callback_query
    reports = context.services.reports
    ticket = await managed_ticket(update, context)
    if ticket is None:
        return
    ticket_id = ticket.id
    people = await reports.assignees(context.account, ticket_id)
    await query.answer()
    rows = [
        [
            button(
                context,
                FEATURE,
                "report.assign_to",
                "to",
                ticket_id,
                user.id,
                name=user.first_name,
            )
        ]
        for user in people
    ]
    rows.append([button(context, FEATURE, "reg.back", "card", ticket_id)])
    await edit(query, context.t("report.ask_assignee"), InlineKeyboardMarkup(rows))


async def assign(update: Update, context: BotContext) -> None:
    """Give the ticket to the chosen person; they are told."""
    query = update.callback_query
    reports = context.services.reports
    ticket = await pressed(
        update,
        context,
        lambda data: reports.assign(context.account, data.int_arg(0), data.int_arg(1)),
    )
    if ticket is None:
        return
    await query.answer()
    await edit(query, *await card_view(context, ticket))


async def show_history(update: Update, context: BotContext) -> None:
    """📜 Every change of the ticket, with who made it."""
    ticket = await managed_ticket(update, context)
    if ticket is None:
        return
    await update.callback_query.answer()
    lines = [context.t("report.history_of", number=ticket.number)]
    for event, who in await context.services.reports.history(ticket):
        lines.append(event_line(context, event, who))
    await context.bot.send_message(update.effective_chat.id, "\n".join(lines))


async def send_media(update: Update, context: BotContext) -> None:
    """📷 The ticket's photos and voice notes."""
    ticket = await managed_ticket(update, context)
    if ticket is None:
        return
    await update.callback_query.answer()
    await forward_media(
        update, context, await context.services.reports.media(context.account, ticket.id)
    )


# ---------------------------------------------------------------------------- notes, questions


async def begin_status(update: Update, context: BotContext) -> Step | int:
    """A status button: ask for the note (a reason, for a rejection or duplicate)."""
    query = update.callback_query
    reports = context.services.reports

    async def move(data: CallbackData) -> tuple[Ticket, TicketStatus]:
        if data.arg(1) not in {status.value for status in WORKER_STATUSES}:
            raise BadCallback("no such status button")
        status = TicketStatus(data.arg(1))
        return await reports.check_move(context.account, data.int_arg(0), status), status

    found = await pressed(update, context, move)
    if found is None:
        return ConversationHandler.END
    ticket, status = found
    await query.answer()
    context.user_data[NOTE] = {"ticket": ticket.id, "status": status.value}
    rows = [[button(context, FEATURE, "reg.cancel", "x")]]
    if status not in NEEDS_REASON:
        rows.insert(0, [button(context, FEATURE, "report.no_note", "nonote")])
    key = "report.ask_reason_staff" if status in NEEDS_REASON else "report.ask_note"
    await context.bot.send_message(
        update.effective_chat.id,
        context.t(
            key,
            number=ticket.number,
            status=context.label(f"report.status_{status.value}"),
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return Step.NOTE


async def apply_status(update: Update, context: BotContext, note: str) -> int:
    """Change the status with `note`; the households are told."""
    pending = context.user_data.get(NOTE, {})
    try:
        ticket = await context.services.reports.change_status(
            context.account,
            int(pending.get("ticket", 0)),
            TicketStatus(pending.get("status", TicketStatus.ACCEPTED.value)),
            note,
        )
    except DomainError as error:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(
            update.effective_chat.id, context.t(error.key, **error.params)
        )
        if error.key == "report.reason_needed":
            return Step.NOTE  # type: ignore[return-value]
        return forget(context, NOTE)
    text, markup = await card_view(context, ticket)
    await context.bot.send_message(
        update.effective_chat.id,
        context.t(
            "report.status_done",
            number=ticket.number,
            status=context.label(f"report.status_{ticket.status.value}"),
        ),
    )
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)
    return forget(context, NOTE)


async def typed_note(update: Update, context: BotContext) -> Step | int:
    """The note for the households."""
    message = require_message(update)
    try:
        text = words(message.text, MAX_NOTE)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.NOTE
    return await apply_status(update, context, text)


async def no_note(update: Update, context: BotContext) -> Step | int:
    """Skip the note."""
    await update.callback_query.answer()
    return await apply_status(update, context, "")


async def begin_question(update: Update, context: BotContext) -> Step | int:
    """❓ Ask the reporter: what to ask."""
    ticket = await managed_ticket(update, context)
    if ticket is None:
        return ConversationHandler.END
    await update.callback_query.answer()
    context.user_data[NOTE] = {"ticket": ticket.id}
    await context.bot.send_message(
        update.effective_chat.id,
        context.t("report.ask_question", number=ticket.number),
        reply_markup=InlineKeyboardMarkup([[button(context, FEATURE, "reg.cancel", "x")]]),
    )
    return Step.QUESTION


async def typed_question(update: Update, context: BotContext) -> Step | int:
    """Send the question to the reporting household."""
    message = require_message(update)
    try:
        text = words(message.text, MAX_NOTE)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.QUESTION
    try:
        await context.services.reports.ask(
            context.account, int(context.user_data.get(NOTE, {}).get("ticket", 0)), text
        )
    except DomainError as error:
        await refuse(update, context, error)
        return forget(context, NOTE)
    await message.reply_text(
        context.t("report.question_sent"), reply_markup=main_menu(context.lang, context.account)
    )
    return forget(context, NOTE)


cancel = canceller(NOTE, "report.note_cancelled")


words_only = replier("report.text_only")


# ---------------------------------------------------------------------------- leads, stats


async def show_building(update: Update, context: BotContext) -> None:
    """🏢 A building lead's view: open tickets, no names or rooms."""
    message = require_message(update)
    try:
        tickets = await context.services.reports.led(context.account)
    except DomainError as error:
        await refuse(update, context, error)
        return
    reports = context.services.reports
    lines = [context.t("report.building_title", count=len(tickets))]
    for ticket in tickets:
        card = await reports.card(ticket, "report.card_lead", private=False)
        lines.append(render(context.lang, card))
    await message.reply_text(
        "\n\n".join(lines), reply_markup=main_menu(context.lang, context.account)
    )


def share(value: float | None) -> str:
    """ "83%" or "—"."""
    return "—" if value is None else f"{value:.0%}"


async def show_stats(update: Update, context: BotContext) -> None:
    """/stats: open tickets per grid and category; times, deadlines kept, satisfaction."""
    message = require_message(update)
    days = STATS_DAYS
    if context.args:
        try:
            days = max(1, min(int(context.args[0]), 3660))
        except ValueError:
            await message.reply_text(context.t("report.stats_usage"))
            return
    try:
        stats = await context.services.reports.stats(context.account, days)
    except DomainError as error:
        await refuse(update, context, error)
        return
    by_grid = "\n".join(f"  {name}: {count}" for name, count in stats.open_by_grid.items())
    by_category = "\n".join(
        f"  {context.label(f'report.cat_{name}')}: {count}"
        for name, count in stats.open_by_category.items()
    )
    ratings = "\n".join(
        f"  {context.label(f'report.rating_{name}')}: {count}"
        for name, count in stats.ratings.items()
    )
    hours = context.label("report.hours")
    await message.reply_text(
        context.t(
            "report.stats",
            days=days,
            open=sum(stats.open_by_grid.values()),
            by_grid=by_grid or "  —",
            by_category=by_category or "  —",
            filed=stats.filed,
            accept=f"{stats.median_accept_hours} {hours}"
            if stats.median_accept_hours is not None
            else "—",
            resolve=f"{stats.median_resolve_hours} {hours}"
            if stats.median_resolve_hours is not None
            else "—",
            resolved=stats.resolved,
            in_time=share(stats.in_time_share),
            satisfied=share(stats.satisfied_share),
            ratings=ratings or "  —",
        ),
        reply_markup=main_menu(context.lang, context.account),
    )


def handlers() -> list[BaseHandler]:
    """The inbox, ticket cards, the note/question conversation, the lead view and /stats."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    conversation_handler = conversation(
        NOTE,
        entry_points=[
            PressHandler(begin_status, pattern=on("st")),
            PressHandler(begin_question, pattern=on("ask")),
        ],
        states={
            Step.NOTE: [
                MessageHandler(free_text, typed_note),
                PressHandler(no_note, pattern=on("nonote")),
                PressHandler(cancel, pattern=on("x")),
                MessageHandler(other, words_only),
            ],
            Step.QUESTION: [
                MessageHandler(free_text, typed_question),
                PressHandler(cancel, pattern=on("x")),
                MessageHandler(other, words_only),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
    )
    return [
        conversation_handler,
        MessageHandler(filters.Text(all_labels("menu.inbox")), show_inbox),
        CommandHandler("inbox", show_inbox),
        MessageHandler(filters.Text(all_labels("menu.building")), show_building),
        MessageHandler(filters.Text(all_labels("menu.stats")), show_stats),
        CommandHandler("stats", show_stats),
        PressHandler(turn_page, pattern=on("pg")),
        PressHandler(open_card, pattern=on("open")),
        PressHandler(refresh_card, pattern=on("card")),
        PressHandler(claim, pattern=on("claim")),
        PressHandler(choose_assignee, pattern=on("as")),
        PressHandler(assign, pattern=on("to")),
        PressHandler(show_history, pattern=on("hist")),
        PressHandler(send_media, pattern=on("med")),
    ]
