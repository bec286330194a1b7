"""What a household types about one of its tickets, opened by a button of 📋 My reports (see
bot/features/my_reports.py): the answer to a grid worker's question, in words or as a voice
note (💬 on the question), or why a resolved ticket is reopened (🔁 after "unsatisfied").
One step each, with ✖ Cancel; the service takes it, the grid worker is told."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.dialogs.engine import Ctx, Flow, Outcome, Step
from bot.dialogs.steps import Ask, advance
from bot.domain.messages import Attachment
from bot.domain.my_reports_form import ReplyKind, ResidentReply
from bot.domain.reports import MAX_NOTE
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, Text, reply, screen, text


async def ask_answer(ctx: Ctx, form: ResidentReply, state: dict[str, Any]) -> list[Text]:
    """The question, to answer in words or by voice."""
    return [text("report.ask_answer", number=form.number, question=form.question)]


async def ask_reason(ctx: Ctx, form: ResidentReply, state: dict[str, Any]) -> list[Text]:
    """Why it is reopened."""
    return [text("report.ask_reason", number=form.number)]


async def said(ctx: Ctx, form: ResidentReply, words: str) -> Outcome[ResidentReply]:
    """Typed words."""
    return advance(form.said(words))


async def by_voice(
    ctx: Ctx, form: ResidentReply, voice: Attachment, state: dict[str, Any]
) -> Outcome[ResidentReply]:
    """A voice note (answers only)."""
    return advance(form.by_voice(voice.ref))


def never(form: ResidentReply) -> bool:
    """No Back: the step is the whole flow."""
    return False


class MyReportsReply(Flow[ResidentReply]):
    """The answer to a question, or the reason for reopening."""

    feature = Feature.MY_REPORTS
    draft_type = ResidentReply
    cancelled = "report.reply_cancelled"
    steps: Sequence[Step[ResidentReply]] = (
        Ask(
            name="answer",
            prompt=ask_answer,
            typed=said,
            limit=MAX_NOTE,
            media=by_voice,
            media_kinds=frozenset({"voice"}),
            wrong="report.text_or_voice",
            back=never,
            done=lambda form: form.given,
            when=lambda form: form.kind is ReplyKind.ANSWER,
        ),
        Ask(
            name="reason",
            prompt=ask_reason,
            typed=said,
            limit=MAX_NOTE,
            wrong="report.text_only",
            back=never,
            done=lambda form: form.given,
            when=lambda form: form.kind is ReplyKind.REASON,
        ),
    )

    async def finish(self, ctx: Ctx, draft: ResidentReply) -> Reply:
        """The answer goes to whoever asked; a reopened ticket's deadline starts again."""
        reports = ctx.services.reports
        if draft.kind is ReplyKind.ANSWER:
            ticket = await reports.answer(ctx.user, draft.about, draft.words, draft.voice_media())
            done = text("report.answer_sent", number=ticket.number)
        else:
            ticket = await reports.reopen(ctx.user, draft.about, draft.words)
            done = text("report.reopened_ok", number=ticket.number)
        return reply(screen(done, keyboard=Keyboard.MAIN_MENU, replace=False))
