"""💬 Talk to my grid worker, outside the writing flow (bot/dialogs/thread.py): a page of a
household's thread (from a push, the contact card or the grid worker's list), "💬 留言" for
grid workers (the households that wrote, unread first marked), "📝 转成工单", and what a
resident kept outside any flow sent as messages ("💬 发给网格员" of the free-input offer).
After a resident writes, outside the grid worker's duty hours they are told when to expect an
answer and given the emergency numbers."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.dialogs.engine import ACTS, Ctx
from bot.domain.duty import on_duty
from bot.domain.free_input import KeptInput
from bot.domain.thread import Direction, ThreadDraft, ThreadMessage, Written, clipped
from bot.domain.wording import time_words
from bot.features.contacts import duty_now, emergency_texts
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Keyboard, Option, Reply, Screen, Text, option, reply, screen
from bot.interaction.screen import text as say


class ThreadAction(StrEnum):
    """The thread's buttons (on pushes too: never change a code)."""

    OPEN = "o"  # household, page (0: the latest)
    REPLY = "r"  # household: a grid worker's reply (the flow)
    TICKET = "t"  # household: 📝 转成工单
    WRITE = "w"  # a member writes to the grid worker (the flow)
    MINE = "m"  # a member's own thread (their current home)
    LIST = "l"  # page: the grid worker's list
    QUESTION = "q"  # meeting, question: the organiser answers it (the flow)


def press_of(action: ThreadAction, *args: object) -> Payload:
    """A button of the thread."""
    return payload(Feature.THREAD, action, *args)


async def sent(ctx: Ctx) -> Reply:
    """✅ Sent; off duty: when to expect an answer, and the emergency numbers."""
    texts: list[Text] = [say("thread.sent")]
    service = ctx.services.contacts
    contacts = await service.for_user(ctx.user)
    if (
        contacts is not None
        and contacts.workers
        and not on_duty(contacts.duty, ctx.now, service.timezone)
    ):
        texts += [duty_now(contacts.duty, ctx.now, service.timezone)]
        texts += emergency_texts(service.lines)
    return reply(screen(*texts, keyboard=Keyboard.MAIN_MENU, replace=False))


def reply_sent(place: str) -> Reply:
    """✅ Replied."""
    return reply(screen(say("thread.reply_sent", place=place), keyboard=Keyboard.MAIN_MENU,
                        replace=False))  # fmt: skip


async def send_kept(ctx: Ctx, kept: KeptInput) -> Reply:
    """What was kept, sent to the grid worker: the words as one message, then the voice
    note, then each photo."""
    threads = ctx.services.threads
    written = []
    if kept.words:
        written.append(Written(text=kept.description))
    if kept.voice:
        written.append(Written(voice=kept.voice))
    written += [Written(photo=photo) for photo in kept.photos]
    for message in written:
        await threads.write(ctx.user, message)
    return await sent(ctx)


def _line(ctx: Ctx, message: ThreadMessage, name: str) -> Text:
    words: Text | str = clipped(message.text)
    if message.voice:
        words = say("thread.voice")
    elif message.photo:
        words = say("thread.photo") if not message.text else f"📷 {words}"
    key = "thread.line_in" if message.direction is Direction.IN else "thread.line_out"
    zone = ctx.services.contacts.timezone
    today = ctx.now.astimezone(ZoneInfo(zone)).date()  # "今天下午3:00" for today's
    line = say(key, when=time_words(message.at, zone, today=today), name=name, words=words)
    if message.ticket_id is not None:
        return say("dialog.pair", first=line, second=say("thread.in_ticket"))
    return line


async def show(ctx: Ctx, household_id: int, page: int, *, replace: bool) -> Screen:
    """A page of the thread, with what the reader can do next."""
    view = await ctx.services.threads.view(ctx.user, household_id, page)
    texts = [say("thread.title", place=view.place, page=view.page + 1, pages=view.pages)]
    names: dict[int, str] = {}
    for message in view.messages:
        if message.author_id not in names:
            author = await ctx.services.users.get(message.author_id)
            names[message.author_id] = author.first_name if author else "—"
        texts.append(_line(ctx, message, names[message.author_id]))
    if not view.messages:
        texts.append(say("thread.empty"))
    hh = view.household_id
    rows: list[tuple[Option, ...]] = []
    if view.pages > 1:
        paging = []
        if view.page + 1 < view.pages:
            paging.append(option(press_of(ThreadAction.OPEN, hh, view.page + 1), "thread.older"))
        if view.page > 0:
            paging.append(option(press_of(ThreadAction.OPEN, hh, view.page - 1), "thread.newer"))
        rows.append(tuple(paging))
    if view.as_worker:
        rows.append((option(press_of(ThreadAction.REPLY, hh), "thread.reply"),
                     option(press_of(ThreadAction.TICKET, hh), "thread.to_ticket")))  # fmt: skip
    else:
        rows.append((option(press_of(ThreadAction.WRITE), "thread.write"),))
    return screen(*texts, options=tuple(rows), replace=replace)


async def show_list(ctx: Ctx, page: int = 0, *, replace: bool = False) -> Reply:
    """💬 留言 (grid workers): the households of the grid that wrote, latest first."""
    lines, page, pages = await ctx.services.threads.threads(ctx.user, page)
    if not lines:
        return reply(screen(say("thread.list_empty"), keyboard=Keyboard.MAIN_MENU,
                            replace=replace))  # fmt: skip
    rows: list[tuple[Option, ...]] = [
        (
            option(
                press_of(ThreadAction.OPEN, line.household_id, 0),
                "thread.list_line_unread" if line.unread else "thread.list_line",
                place=line.place,
                unread=line.unread,
            ),
        )
        for line in lines
    ]
    if pages > 1:
        earlier = option(press_of(ThreadAction.LIST, (page - 1) % pages), "reg.prev")
        later = option(press_of(ThreadAction.LIST, (page + 1) % pages), "reg.next")
        rows.append((earlier, later))
    title = say("thread.list_title", page=page + 1, pages=pages)
    return reply(screen(title, options=tuple(rows), replace=replace))


async def begin_reply(ctx: Ctx, household_id: int) -> Reply:
    """💬 回复: the grid worker's reply to this household (theirs only)."""
    view = await ctx.services.threads.view(ctx.user, household_id, 0)
    if not view.as_worker:
        raise StaleButton("a member does not reply to their own household")
    draft = ThreadDraft(household=household_id, to_worker=False, room=view.place)
    begun = await ctx.services.dialogs.begin(ctx, Feature.THREAD, draft)
    return _anew(begun)


async def begin_answer(ctx: Ctx, meeting_id: int, question_id: int) -> Reply:
    """💬 on a question sent before a meeting: the organiser's answer to who asked."""
    asked = await ctx.services.threads.question(ctx.user, meeting_id, question_id)
    draft = ThreadDraft(
        to_worker=False, meeting=meeting_id, question=question_id, asked=asked.text or "🎤"
    )
    return _anew(await ctx.services.dialogs.begin(ctx, Feature.THREAD, draft))


async def begin_writing(ctx: Ctx) -> Reply:
    """💬 给网格员留言: a message to the grid worker of the member's current home."""
    household_id = await ctx.services.threads.home_of(ctx.user)
    begun = await ctx.services.dialogs.begin(
        ctx, Feature.THREAD, ThreadDraft(household=household_id)
    )
    return _anew(begun)


def _anew(begun: Reply) -> Reply:
    return begun.model_copy(
        update={"screens": tuple(s.model_copy(update={"replace": False}) for s in begun.screens)}
    )


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A button of the thread; None for the writing flow's own buttons (the engine's)."""
    action = pressed.action
    if action in ACTS:
        return None
    threads = ctx.services.threads
    if action == ThreadAction.WRITE and not pressed.args:
        return await begin_writing(ctx)
    if action == ThreadAction.MINE and not pressed.args:
        household_id = await threads.home_of(ctx.user)
        return reply(await show(ctx, household_id, 0, replace=False))
    if action == ThreadAction.LIST and len(pressed.args) == 1:
        return await show_list(ctx, pressed.number(0), replace=True)
    if action == ThreadAction.OPEN and len(pressed.args) == 2:
        return reply(await show(ctx, pressed.number(0), pressed.number(1), replace=False))
    if action == ThreadAction.REPLY and len(pressed.args) == 1:
        return await begin_reply(ctx, pressed.number(0))
    if action == ThreadAction.QUESTION and len(pressed.args) == 2:
        return await begin_answer(ctx, pressed.number(0), pressed.number(1))
    if action == ThreadAction.TICKET and len(pressed.args) == 1:
        ticket = await threads.turn_into_ticket(ctx.user, pressed.number(0))
        done = say("thread.ticket_done", number=ticket.number)
        return reply(screen(done, replace=False), notice=done)
    raise StaleButton(f"no thread action {action!r} with {len(pressed.args)} arguments")
