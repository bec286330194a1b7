"""📋 My reports: a household's tickets, newest first, with their status and history; rating a
resolved one ("unsatisfied" offers to reopen it, or to keep it closed); its photos and voice
notes. Answering a grid worker's question and the reason for reopening are typed in the flow
of bot/dialogs/my_reports.py, which these buttons open. The service re-checks every press:
a button is a request, not a permission."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from bot.dialogs.engine import ACTS, Ctx
from bot.dialogs.report import spoken
from bot.domain.messages import Attachment
from bot.domain.my_reports_form import ResidentReply, offers_rating, offers_reopening, rating_of
from bot.domain.reports import (
    EventKind,
    HouseholdTicket,
    Media,
    MediaKind,
    Rating,
    Ticket,
    TicketEvent,
)
from bot.domain.wording import time_words
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import (
    Keyboard,
    Option,
    Reply,
    Screen,
    Text,
    option,
    reply,
    screen,
    text,
)

FILE_KIND: dict[MediaKind, Literal["photo", "voice"]] = {
    MediaKind.PHOTO: "photo",
    MediaKind.VOICE: "voice",
}


class MyReportsAction(StrEnum):
    """The buttons of 📋 My reports (codes already on buttons sent: never change one)."""

    VIEW = "view"
    LIST = "list"
    RATE = "rate"
    KEEP = "keep"  # unsatisfied, but not reopened
    MEDIA = "med"
    ANSWER = "ans"  # on a grid worker's question: answer it (the flow)
    REOPEN = "ro"  # after "unsatisfied": reopen with a reason (the flow)


def mine_press(action: MyReportsAction, *args: object) -> Payload:
    """A button of 📋 My reports."""
    return payload(Feature.MY_REPORTS, action, *args)


def anew(begun: Reply) -> Reply:
    """A reply whose screens are sent as new messages (the pressed one stays as it is)."""
    screens = tuple(part.model_copy(update={"replace": False}) for part in begun.screens)
    return begun.model_copy(update={"screens": screens})


def event_text(event: TicketEvent, zone: str, who: str = "") -> Text:
    """One history entry (with who made it, where `who` is given)."""
    status: str | Text = text(f"report.status_{event.to_status.value}") if event.to_status else ""
    note: str | Text = event.note
    if event.kind is EventKind.RATING:
        note = text(f"report.rating_{event.note}")
    line = text(
        f"report.event_{event.kind.value}",
        when=time_words(event.at, zone),
        status=status,
        note=note,
    )
    return text("dialog.pair", first=line, second=f"· {who}") if who else line


def media_reply(media: list[Media]) -> Reply:
    """Photos as albums of up to ten, then each voice note; or that there are none."""
    if not media:
        return reply(screen(text("report.no_media"), replace=False))
    files = tuple(Attachment(kind=FILE_KIND[item.kind], ref=item.ref) for item in media)
    return reply(screen(album=files, replace=False))


# ---------------------------------------------------------------------------- the list


def list_screen(tickets: list[Ticket], *, replace: bool) -> Screen:
    """The household's tickets, one button each."""
    rows = tuple(
        (
            option(
                mine_press(MyReportsAction.VIEW, ticket.id),
                "report.list_button",
                number=ticket.number,
                category=text(f"report.cat_{ticket.category.value}"),
                status=text(f"report.status_{ticket.status.value}"),
            ),
        )
        for ticket in tickets
    )
    return screen(text("report.mine_title", count=len(tickets)), options=rows, replace=replace)


async def show_mine(ctx: Ctx) -> Reply:
    """📋 or /myreports: the household's tickets, newest first."""
    tickets = await ctx.services.reports.mine(ctx.user)
    if not tickets:
        return reply(screen(text("report.none_mine"), keyboard=Keyboard.MAIN_MENU, replace=False))
    return reply(list_screen(tickets, replace=False))


async def back_to_list(ctx: Ctx) -> Reply:
    """« My reports, in place of the ticket."""
    tickets = await ctx.services.reports.mine(ctx.user)
    if not tickets:
        return reply(screen(text("report.none_mine")))
    return reply(list_screen(tickets, replace=True))


# ---------------------------------------------------------------------------- one ticket


async def ticket_screen(ctx: Ctx, seen: HouseholdTicket) -> Screen:
    """A ticket as the household sees it (the reporting household: all of it; a household
    that joined with "+1": the public card), its history, and what can be done."""
    reports = ctx.services.reports
    ticket = seen.ticket
    key = "report.card" if seen.reporter else "report.card_public"
    card = await reports.card(ticket, key, private=seen.reporter)
    texts = [
        spoken(card),
        text("dialog.paragraph", words=text("report.history")),
        *(event_text(event, reports.timezone) for event in seen.events),
    ]
    rows: list[tuple[Option, ...]] = []
    if offers_rating(ticket.awaiting_rating, seen.reporter):
        rows += [
            (option(mine_press(MyReportsAction.RATE, ticket.id, r.value), f"report.rating_{r}"),)
            for r in Rating
        ]
    if seen.media:
        shown = mine_press(MyReportsAction.MEDIA, ticket.id)
        rows.append(
            (option(shown, "report.media_button", photos=seen.photos, voices=seen.voices),)
        )
    rows.append((option(mine_press(MyReportsAction.LIST), "report.back_to_list"),))
    return screen(*texts, options=tuple(rows))


async def rate(ctx: Ctx, pressed: Payload) -> Reply:
    """A rating closes the ticket; "unsatisfied" offers to reopen it instead."""
    rating = rating_of(pressed.arg(1))
    if rating is None:
        raise StaleButton("not a rating")
    ticket = await ctx.services.reports.rate(ctx.user, pressed.number(0), rating)
    if not offers_reopening(rating):
        return reply(screen(text("report.thanks_rating", number=ticket.number)))
    rows = (
        (option(mine_press(MyReportsAction.REOPEN, ticket.id), "report.reopen_button"),),
        (option(mine_press(MyReportsAction.KEEP, ticket.id), "report.keep_closed_button"),),
    )
    return reply(screen(text("report.ask_reopen", number=ticket.number), options=rows))


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A button of 📋 My reports; None for the flow's own buttons (the dialog engine's)."""
    reports = ctx.services.reports
    action = pressed.action
    if action == MyReportsAction.LIST:
        return await back_to_list(ctx)
    if action == MyReportsAction.VIEW:
        seen = await reports.household_view(ctx.user, pressed.number(0))
        return reply(await ticket_screen(ctx, seen))
    if action == MyReportsAction.RATE:
        return await rate(ctx, pressed)
    if action == MyReportsAction.KEEP:
        ticket = await reports.keep_closed(ctx.user, pressed.number(0))
        return reply(screen(text("report.closed_ok", number=ticket.number)))
    if action == MyReportsAction.MEDIA:
        return media_reply(await reports.media(ctx.user, pressed.number(0)))
    if action == MyReportsAction.ANSWER:  # the question push stays; the prompt comes below
        ticket, question = await reports.question(ctx.user, pressed.number(0))
        draft = ResidentReply.answering(question.id, ticket.number, question.note)
        return anew(await ctx.services.dialogs.begin(ctx, Feature.MY_REPORTS, draft))
    if action == MyReportsAction.REOPEN:
        ticket = await reports.for_resident(ctx.user, pressed.number(0))
        draft = ResidentReply.reopening(ticket.id, ticket.number)
        return await ctx.services.dialogs.begin(ctx, Feature.MY_REPORTS, draft)
    if action in ACTS:
        return None
    raise StaleButton(f"no action {action!r} in my reports")
