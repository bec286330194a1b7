"""One message of a household's thread with its grid worker, opened by a button (see
bot/features/thread.py): a member's message to the grid worker ("💬 给网格员留言", "💬 再留言"),
or a grid worker's reply ("💬 回复" on the push or the thread), or an organiser's answer
to a question sent before a meeting (💬 on the meeting's questions). Words, a voice note or a photo
(with its caption); one step, with ✖ Cancel. The service sends it as a push."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from bot.dialogs.engine import Ctx, Flow, Outcome, Stay, Step
from bot.dialogs.steps import Ask, advance
from bot.domain.messages import Attachment
from bot.domain.thread import MAX_MESSAGE, ThreadDraft, Written
from bot.features.thread import reply_sent, sent
from bot.interaction.payload import Feature
from bot.interaction.screen import Reply, Text, reply, screen, text


async def ask(ctx: Ctx, form: ThreadDraft, state: dict[str, Any]) -> list[Text]:
    """What to write: to the grid worker, or the reply to a household."""
    if form.meeting:
        return [text("thread.ask_meeting_answer", question=form.asked)]
    if form.to_worker:
        return [text("thread.ask_message")]
    return [text("thread.ask_reply", place=form.room)]


async def typed(ctx: Ctx, form: ThreadDraft, words: str) -> Outcome[ThreadDraft]:
    """Words."""
    return advance(form.with_message(Written(text=words)))


async def sent_file(
    ctx: Ctx, form: ThreadDraft, file: Attachment, caption: str
) -> Outcome[ThreadDraft]:
    """A voice note, or a photo with the words sent with it."""
    try:
        if file.kind == "voice":
            written = Written(voice=file.ref)
        else:
            written = Written(photo=file.ref, text=caption.strip()[:MAX_MESSAGE])
    except ValidationError:
        return Stay(reply(screen(text("thread.text_voice_photo"), replace=False)))
    return advance(form.with_message(written))


def never(form: ThreadDraft) -> bool:
    """No Back: the step is the whole flow."""
    return False


class ThreadWriting(Flow[ThreadDraft]):
    """A message to the grid worker, or a grid worker's reply."""

    feature = Feature.THREAD
    draft_type = ThreadDraft
    cancelled = "thread.cancelled"
    steps: Sequence[Step[ThreadDraft]] = (
        Ask(
            name="message",
            prompt=ask,
            typed=typed,
            limit=MAX_MESSAGE,
            captioned=sent_file,
            media_kinds=frozenset({"voice", "photo"}),
            wrong="thread.text_voice_photo",
            back=never,
            done=lambda form: form.written is not None,
        ),
    )

    async def finish(self, ctx: Ctx, draft: ThreadDraft) -> Reply:
        """Sent: to the grid workers of the household's building, or to its members."""
        assert draft.written is not None
        threads = ctx.services.threads
        if draft.meeting:
            name = await threads.answer_question(
                ctx.user, draft.meeting, draft.question, draft.written
            )
            return reply_sent(name)
        if draft.to_worker:
            await threads.write(ctx.user, draft.written)
            return await sent(ctx)
        place = await threads.reply(ctx.user, draft.household, draft.written)
        return reply_sent(place)
