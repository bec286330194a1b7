"""📥 The grid worker's desk: the inbox (open tickets of the grid, staff: all, nearest deadline
first, paged), a ticket's card to claim it, give it to a colleague, move it on, ask the
reporting household, hear and see its media and read its history. A new status's note and a
question are typed in the flow of bot/dialogs/tickets.py, which these buttons open. The
service re-checks every press: a button is a request, not a permission."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import ACTS, Ctx, refusal
from bot.dialogs.report import spoken
from bot.domain.errors import DomainError
from bot.domain.homes import paginate
from bot.domain.reports import Ticket, next_deadline, overdue, worker_moves
from bot.domain.ticket_form import INBOX_PAGE, DeskNote, deadline_mark, worker_status_of
from bot.domain.wording import time_words
from bot.features.my_reports import anew, event_text, media_reply
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Keyboard, Option, Reply, Screen, option, reply, screen, text


class TicketAction(StrEnum):
    """The desk's buttons (codes already on buttons sent: never change one)."""

    PAGE = "pg"
    OPEN = "open"  # from the inbox or a push: the card as a new message
    CARD = "card"  # « back to the card
    CLAIM = "claim"
    ASSIGN = "as"  # who to give it to
    TO = "to"  # give it to this person
    HISTORY = "hist"
    MEDIA = "med"
    STATUS = "st"  # a new status: its note (the flow)
    ASK = "ask"  # a question for the reporting household (the flow)


def desk(action: TicketAction, *args: object) -> Payload:
    """A button of the desk."""
    return payload(Feature.TICKET, action, *args)


# ---------------------------------------------------------------------------- the inbox


def inbox_screen(ctx: Ctx, tickets: list[Ticket], page: int, *, new: bool) -> Screen:
    """A page of the inbox: one button per ticket (🔴 late, ⏳ in time), paging."""
    if not tickets:
        return screen(
            text("report.inbox_empty"),
            keyboard=Keyboard.MAIN_MENU if new else Keyboard.KEEP,
            replace=not new,
        )
    zone = ctx.services.reports.timezone
    shown, page, pages = paginate(tickets, page, INBOX_PAGE)
    rows: list[tuple[Option, ...]] = [
        (
            option(
                desk(TicketAction.OPEN, ticket.id),
                "report.inbox_button",
                mark=deadline_mark(ticket, ctx.now),
                number=ticket.number,
                category=text(f"report.cat_{ticket.category.value}"),
                deadline=time_words(next_deadline(ticket), zone),
                supporters=ticket.supporters,
            ),
        )
        for ticket in shown
    ]
    if pages > 1:
        rows.append(
            (
                option(desk(TicketAction.PAGE, (page - 1) % pages), "reg.prev"),
                option(desk(TicketAction.PAGE, (page + 1) % pages), "reg.next"),
            )
        )
    title = text(
        "report.inbox_title",
        count=len(tickets),
        overdue=sum(1 for ticket in tickets if overdue(ticket, ctx.now)),
        page=page + 1,
        pages=pages,
    )
    return screen(title, options=tuple(rows), replace=not new)


async def show_inbox(ctx: Ctx) -> Reply:
    """📥 or /inbox: the open tickets of the grid."""
    try:
        tickets = await ctx.services.reports.inbox(ctx.user)
    except DomainError as error:
        return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
    return reply(inbox_screen(ctx, tickets, 0, new=True))


# ---------------------------------------------------------------------------- a ticket


async def card_screen(ctx: Ctx, ticket: Ticket, *, replace: bool) -> Screen:
    """A ticket as its handler sees it, with what can be done now."""
    mark = deadline_mark(ticket, ctx.now)
    card = await ctx.services.reports.card(ticket, "report.card_staff", private=True, mark=mark)
    rows: list[tuple[Option, ...]] = []
    if ticket.open:
        rows.append(
            (
                option(desk(TicketAction.CLAIM, ticket.id), "report.claim"),
                option(desk(TicketAction.ASSIGN, ticket.id), "report.assign"),
            )
        )
    moves = [
        option(desk(TicketAction.STATUS, ticket.id, status.value), f"report.set_{status}")
        for status in worker_moves(ticket.status)
    ]
    rows += [tuple(moves[i : i + 2]) for i in range(0, len(moves), 2)]
    extra = [option(desk(TicketAction.ASK, ticket.id), "report.ask")]
    if ticket.photos or ticket.voices:
        media = desk(TicketAction.MEDIA, ticket.id)
        extra.append(
            option(media, "report.media_button", photos=ticket.photos, voices=ticket.voices)
        )
    rows.append(tuple(extra))
    rows.append((option(desk(TicketAction.HISTORY, ticket.id), "report.history_button"),))
    return screen(spoken(card), options=tuple(rows), replace=replace)


async def assignees_screen(ctx: Ctx, ticket: Ticket) -> Screen:
    """Who to give the ticket to: the building's grid workers and staff; « back to the card."""
    people = await ctx.services.reports.assignees(ctx.user, ticket.id)
    rows = [
        (option(desk(TicketAction.TO, ticket.id, user.id), "report.assign_to",
                name=user.first_name),)
        for user in people
    ]  # fmt: skip
    rows.append((option(desk(TicketAction.CARD, ticket.id), "reg.back"),))
    return screen(text("report.ask_assignee"), options=tuple(rows))


async def history_screen(ctx: Ctx, ticket: Ticket) -> Screen:
    """Every change of the ticket, with who made it (a new message)."""
    reports = ctx.services.reports
    lines = [
        event_text(event, reports.timezone, who) for event, who in await reports.history(ticket)
    ]
    return screen(text("report.history_of", number=ticket.number), *lines, replace=False)


async def begin_note(ctx: Ctx, pressed: Payload) -> Reply:
    """A status button: the note (a reason, for a rejection or a duplicate) is asked below."""
    status = worker_status_of(pressed.arg(1))
    if status is None:
        raise StaleButton("no such status button")
    ticket = await ctx.services.reports.check_move(ctx.user, pressed.number(0), status)
    draft = DeskNote.moving(ticket.id, ticket.number, status)
    return anew(await ctx.services.dialogs.begin(ctx, Feature.TICKET, draft))


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A button of the desk; None for the flow's own buttons (the dialog engine's)."""
    reports = ctx.services.reports
    action = pressed.action
    if action == TicketAction.PAGE:
        page = pressed.number(0)
        return reply(inbox_screen(ctx, await reports.inbox(ctx.user), page, new=False))
    if action == TicketAction.CLAIM:
        ticket = await reports.claim(ctx.user, pressed.number(0))
        claimed = text("report.claimed", number=ticket.number)
        return reply(await card_screen(ctx, ticket, replace=True), notice=claimed)
    if action == TicketAction.TO:
        ticket = await reports.assign(ctx.user, pressed.number(0), pressed.number(1))
        return reply(await card_screen(ctx, ticket, replace=True))
    if action == TicketAction.STATUS:
        return await begin_note(ctx, pressed)
    if action in ACTS:
        return None
    if action not in set(TicketAction):
        raise StaleButton(f"no action {action!r} at the desk")
    ticket = await reports.managed(ctx.user, pressed.number(0))
    if action == TicketAction.OPEN:
        return reply(await card_screen(ctx, ticket, replace=False))
    if action == TicketAction.CARD:
        return reply(await card_screen(ctx, ticket, replace=True))
    if action == TicketAction.ASSIGN:
        return reply(await assignees_screen(ctx, ticket))
    if action == TicketAction.HISTORY:
        return reply(await history_screen(ctx, ticket))
    if action == TicketAction.MEDIA:
        return media_reply(await reports.media(ctx.user, ticket.id))
    draft = DeskNote.asking(ticket.id, ticket.number)  # ASK: the question is asked below
    return anew(await ctx.services.dialogs.begin(ctx, Feature.TICKET, draft))
