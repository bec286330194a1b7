"""What a grid worker types about a ticket, opened by a button of the desk (see
bot/features/tickets.py): the note that goes with a new status (skippable, except the reason
for a rejection or a duplicate), or a question for the reporting household. One step each,
with ✖ Cancel; the households are told, and the card comes back with what can be done next."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.dialogs.engine import Ctx, Flow, Outcome, Step, refusal
from bot.dialogs.steps import Answer, Ask, advance, answer
from bot.domain.errors import DomainError
from bot.domain.reports import MAX_NOTE
from bot.domain.ticket_form import DeskKind, DeskNote
from bot.features.tickets import card_screen
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, Text, reply, screen, text

SKIP = "none"


async def ask_note(ctx: Ctx, form: DeskNote, state: dict[str, Any]) -> list[Text]:
    """The note for the new status (a reason, where one is needed), or the question."""
    status = text(f"report.status_{form.status.value}")
    return [text(form.prompt, number=form.number, status=status)]


async def skip_button(ctx: Ctx, form: DeskNote) -> list[list[Answer]]:
    """ "No note", where a note may be skipped."""
    return [[answer(SKIP, "report.no_note")]] if form.may_skip else []


async def skipped(ctx: Ctx, form: DeskNote, value: str) -> Outcome[DeskNote]:
    """No note."""
    return advance(form.without_note())


async def noted(ctx: Ctx, form: DeskNote, words: str) -> Outcome[DeskNote]:
    """The typed note or question."""
    return advance(form.noted_with(words))


def never(form: DeskNote) -> bool:
    """No Back: the step is the whole flow."""
    return False


class Desk(Flow[DeskNote]):
    """A status's note, or a question."""

    feature = Feature.TICKET
    draft_type = DeskNote
    cancelled = "report.note_cancelled"
    steps: Sequence[Step[DeskNote]] = (
        Ask(
            name="note",
            prompt=ask_note,
            answers=skip_button,
            chose=skipped,
            typed=noted,
            limit=MAX_NOTE,
            wrong="report.text_only",
            back=never,
            done=lambda form: form.noted,
            when=lambda form: form.kind is DeskKind.NOTE,
        ),
        Ask(
            name="question",
            prompt=ask_note,
            typed=noted,
            limit=MAX_NOTE,
            wrong="report.text_only",
            back=never,
            done=lambda form: form.noted,
            when=lambda form: form.kind is DeskKind.QUESTION,
        ),
    )

    async def finish(self, ctx: Ctx, draft: DeskNote) -> Reply:
        """Ask the household; or move the ticket on, then its card again."""
        reports = ctx.services.reports
        if draft.kind is DeskKind.QUESTION:
            await reports.ask(ctx.user, draft.ticket, draft.note)
            sent = text("report.question_sent")
            return reply(screen(sent, keyboard=Keyboard.MAIN_MENU, replace=False))
        try:
            ticket = await reports.change_status(ctx.user, draft.ticket, draft.status, draft.note)
        except DomainError as error:  # it moved meanwhile: said, without the main menu
            return reply(screen(refusal(error), replace=False))
        status = text(f"report.status_{ticket.status.value}")
        done = screen(text("report.status_done", number=ticket.number, status=status),
                      replace=False)  # fmt: skip
        return reply(done, await card_screen(ctx, ticket, replace=False))
