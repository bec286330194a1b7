"""📅 Meetings: invitees answer attend / cannot / maybe, send a question in advance (text or
voice), add the meeting to their calendar (.ics) and read past minutes; organisers see the
answers, the questions and who has not answered, move or cancel a meeting, post the minutes,
record who came and export it all.
"""

from __future__ import annotations

import io
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.documents.meeting_export import meeting_table
from bot.documents.tables import table_csv, table_xlsx
from bot.domain.broadcasts import parse_when
from bot.domain.errors import DomainError, TextTooLong
from bot.domain.meetings import (
    MAX_MINUTES,
    MAX_PLACE,
    MAX_QUESTION,
    Meeting,
    MeetingStatus,
    Rsvp,
    counts,
)
from bot.domain.models import Role
from bot.domain.reports import local_text
from bot.domain.text import words
from bot.i18n import all_labels
from bot.services.meetings import FEATURE, Overview
from handlers.callback_data import BadCallback, CallbackData, PressHandler, pack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.notifier import render
from handlers.replies import answered, edit, pressed
from handlers.start import require_message
from handlers.steps import button, canceller, conversation, forget, input_filters, replier

INPUT = "meeting_input"


class Step(StrEnum):
    """What the person is typing."""

    QUESTION = "question"
    TIME = "time"
    PLACE = "place"
    MINUTES = "minutes"
    DECISIONS = "decisions"


def when(context: BotContext, moment: datetime) -> str:
    """A time in community time."""
    return local_text(moment, context.services.meetings.timezone)


def meeting_text(context: BotContext, meeting: Meeting, key: str = "meeting.view") -> str:
    """The meeting as its notice says it, in the reader's language."""
    message = context.services.meetings.notice(meeting, key)
    return render(context.lang, message)


# ---------------------------------------------------------------------------- the list


async def show_meetings(update: Update, context: BotContext) -> None:
    """📅: organisers get what they organise (and ➕); everyone the meetings they are invited
    to and the past ones of their compound."""
    message = require_message(update)
    meetings = context.services.meetings
    account = context.account
    if account is not None and account.has_role(Role.GRID_WORKER):
        managed = await meetings.managed(account)
        rows = [
            [button(context, FEATURE, "meeting.list_line", "card", m.id, **line(context, m))]
            for m in managed[:15]
        ]
        rows.append([button(context, "mc", "meeting.new_button", "new")])
        await message.reply_text(
            context.t("meeting.manage_title", count=len(managed)),
            reply_markup=InlineKeyboardMarkup(rows),
        )
    mine = await meetings.for_resident(account)
    if not mine:
        if account is None or not account.has_role(Role.GRID_WORKER):
            await message.reply_text(
                context.t("meeting.none"), reply_markup=main_menu(context.lang, account)
            )
        return
    rows = [
        [button(context, FEATURE, "meeting.list_line", "view", m.id, **line(context, m))]
        for m in mine[:15]
    ]
    await message.reply_text(
        context.t("meeting.mine_title"), reply_markup=InlineKeyboardMarkup(rows)
    )


def line(context: BotContext, meeting: Meeting) -> dict[str, str]:
    """The parameters of a list button: state, date and title."""
    now = context.services.meetings.now()
    if meeting.status is MeetingStatus.CANCELLED:
        mark = "✖"
    elif meeting.starts_at > now:
        mark = "🟢"
    else:
        mark = "📝" if meeting.minutes_at else "⚪"
    return {
        "mark": mark,
        "when": f"{meeting.starts_at.astimezone(_zone(context)):%m-%d}",
        "title": meeting.title[:40],
    }


def _zone(context: BotContext) -> ZoneInfo:
    return ZoneInfo(context.services.meetings.timezone)


# ---------------------------------------------------------------------------- invitees


async def view(update: Update, context: BotContext) -> None:
    """A meeting as an invitee (or a resident of its compound) reads it."""
    meetings = context.services.meetings
    meeting = await answered(
        update, context, lambda d: meetings.readable(context.account, d.int_arg(0))
    )
    if meeting is None:
        return
    text = meeting_text(context, meeting)
    rows: list[list[InlineKeyboardButton]] = []
    try:
        _, invitee = await meetings.invitation(context.account, meeting.id)
    except DomainError:
        invitee = None
    if invitee is not None:
        answer = context.label(f"meeting.rsvp_{invitee.rsvp.value}") if invitee.rsvp else "—"
        text += "\n" + context.t("meeting.your_answer", answer=answer)
        if meeting.rsvp_open(meetings.now()):
            rows.append(
                [
                    button(context, FEATURE, f"meeting.rsvp_{a.value}", "rs", meeting.id, a.value)
                    for a in Rsvp
                ]
            )
        if meeting.changeable(meetings.now()):
            rows.append(
                [
                    button(context, FEATURE, "meeting.ask_button", "q", meeting.id),
                    button(context, FEATURE, "meeting.ics_button", "ics", meeting.id),
                ]
            )
    if meeting.minutes_at is not None:
        text += "\n\n" + context.t(
            "meeting.minutes_view",
            minutes=meeting.minutes or "—",
            decisions=meeting.decisions or "—",
        )
        if meeting.minutes_doc:
            rows.append([button(context, FEATURE, "meeting.minutes_doc", "md", meeting.id)])
    await require_message(update).reply_text(text, reply_markup=InlineKeyboardMarkup(rows))


async def rsvp(update: Update, context: BotContext) -> None:
    """Attend / cannot / maybe (changeable until the deadline)."""
    query = update.callback_query
    meetings = context.services.meetings

    async def answer_it(data: CallbackData) -> Rsvp:
        if data.arg(1) not in {a.value for a in Rsvp}:
            raise BadCallback("not an answer")
        answer = Rsvp(data.arg(1))
        await meetings.rsvp(context.account, data.int_arg(0), answer)
        return answer

    answer = await pressed(update, context, answer_it)
    if answer is None:
        return
    await query.answer(
        context.label("meeting.rsvp_done", answer=context.label(f"meeting.rsvp_{answer.value}")),
        show_alert=True,
    )


async def calendar(update: Update, context: BotContext) -> None:
    """The meeting as an .ics file for the phone's calendar."""
    meetings = context.services.meetings
    found = await answered(
        update, context, lambda d: meetings.invitation(context.account, d.int_arg(0))
    )
    if found is None:
        return
    meeting, _ = found
    name, data = await meetings.calendar_file(meeting)
    await require_message(update).reply_document(
        io.BytesIO(data),
        filename=name,
        caption=context.label("meeting.ics_caption"),
    )


async def minutes_document(update: Update, context: BotContext) -> None:
    """The minutes' document."""
    meetings = context.services.meetings
    meeting = await answered(
        update, context, lambda d: meetings.readable(context.account, d.int_arg(0))
    )
    if meeting is None:
        return
    if meeting.minutes_doc:
        await require_message(update).reply_document(meeting.minutes_doc)


# ---------------------------------------------------------------------------- typed input


async def begin_input(update: Update, context: BotContext) -> Step | int:
    """❓ a question, or (organisers) a new time, a new place, the minutes."""
    query = update.callback_query
    meetings = context.services.meetings
    account = context.account

    async def check(data: CallbackData) -> tuple[Step, int]:
        meeting_id = data.int_arg(0)
        step = {"q": Step.QUESTION, "ct": Step.TIME, "cp": Step.PLACE, "mn": Step.MINUTES}[
            data.action
        ]
        if step is Step.QUESTION:
            await meetings.askable(account, meeting_id)
        elif step is Step.MINUTES:
            await meetings.held(account, meeting_id)
        else:
            await meetings.changeable(account, meeting_id)
        return step, meeting_id

    found = await pressed(update, context, check)
    if found is None:
        return ConversationHandler.END
    await query.answer()
    step, meeting_id = found
    context.user_data[INPUT] = {"step": step.value, "id": meeting_id}
    await require_message(update).reply_text(
        context.t(f"meeting.ask_{step.value}"),
        reply_markup=InlineKeyboardMarkup([[button(context, FEATURE, "reg.cancel", "x")]]),
    )
    return step


def _draft(context: BotContext) -> dict[str, Any]:
    return context.user_data.setdefault(INPUT, {})


async def typed(update: Update, context: BotContext) -> Step | int:
    """The text (or voice note, or document) of the step."""
    message = require_message(update)
    draft = _draft(context)
    step = Step(draft.get("step", Step.QUESTION))
    meetings = context.services.meetings
    account = context.account
    text = (message.text or message.caption or "").strip()
    try:
        if step is Step.QUESTION:
            voice = message.voice.file_id if message.voice else None
            if len(text) > MAX_QUESTION:
                raise TextTooLong(MAX_QUESTION)
            if not text and voice is None:
                await message.reply_text(context.t("meeting.words_or_voice"))
                return step
            await meetings.ask(account, draft["id"], text=text, voice=voice)
            await message.reply_text(
                context.t("meeting.question_sent"), reply_markup=main_menu(context.lang, account)
            )
        elif step is Step.TIME:
            moment = parse_when(text, meetings.now(), meetings.timezone)
            meeting = await meetings.change(account, draft["id"], starts_at=moment)
            await message.reply_text(
                context.t(
                    "meeting.changed_ok",
                    when=when(context, meeting.starts_at),
                    rsvp_by=when(context, meeting.rsvp_by),
                )
            )
        elif step is Step.PLACE:
            meeting = await meetings.change(account, draft["id"], place=words(text, MAX_PLACE))
            await message.reply_text(context.t("meeting.changed_place_ok", place=meeting.place))
        elif step is Step.MINUTES:
            document = message.document.file_id if message.document else None
            if len(text) > MAX_MINUTES:
                raise TextTooLong(MAX_MINUTES)
            if not text and document is None:
                await message.reply_text(context.t("meeting.text_or_document"))
                return step
            draft.update(minutes=text, document=document, step=Step.DECISIONS.value)
            await message.reply_text(
                context.t("meeting.ask_decisions"),
                reply_markup=InlineKeyboardMarkup(
                    [
                        [
                            button(context, FEATURE, "notice.skip", "nod"),
                            button(context, FEATURE, "reg.cancel", "x"),
                        ]
                    ]
                ),
            )
            return Step.DECISIONS
        elif step is Step.DECISIONS:
            if len(text) > MAX_MINUTES:
                raise TextTooLong(MAX_MINUTES)
            return await post(update, context, text)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return step
    return forget(context, INPUT)


async def no_decisions(update: Update, context: BotContext) -> Step | int:
    """Skip the decisions."""
    await update.callback_query.answer()
    return await post(update, context, "")


async def post(update: Update, context: BotContext, decisions: str) -> Step | int:
    """Send the minutes to every invitee."""
    draft = _draft(context)
    try:
        meeting = await context.services.meetings.post_minutes(
            context.account,
            draft["id"],
            minutes=draft.get("minutes", ""),
            decisions=decisions,
            document=draft.get("document"),
        )
    except DomainError as error:
        await require_message(update).reply_text(context.t(error.key, **error.params))
        return forget(context, INPUT)
    await require_message(update).reply_text(
        context.t("meeting.minutes_sent", title=meeting.title)
    )
    return forget(context, INPUT)


cancel_input = canceller(INPUT, "meeting.input_cancelled")
words_only = replier("meeting.not_here")


# ---------------------------------------------------------------------------- organisers


def card_text(context: BotContext, overview: Overview) -> str:
    """The meeting with the count of each answer, the questions and the contacts."""
    meeting = overview.meeting
    tally = counts(overview.invitees)
    lines = [
        meeting_text(context, meeting),
        context.t(
            "meeting.counts",
            attend=tally[Rsvp.ATTEND],
            cannot=tally[Rsvp.CANNOT],
            maybe=tally[Rsvp.MAYBE],
            none=tally[None],
            questions=len(overview.questions),
            contacts=len(overview.contacts),
        ),
    ]
    if meeting.status is MeetingStatus.CANCELLED:
        lines.append(context.t("meeting.is_cancelled"))
    return "\n".join(lines)


def card_markup(context: BotContext, overview: Overview) -> InlineKeyboardMarkup:
    """What the organiser can do now."""
    meeting = overview.meeting
    now = context.services.meetings.now()
    mid = meeting.id
    rows = [
        [
            button(context, FEATURE, "meeting.unanswered_button", "na", mid),
            button(context, FEATURE, "meeting.questions_button", "qs", mid),
        ]
    ]
    if meeting.changeable(now):
        rows.append(
            [
                button(context, FEATURE, "meeting.change_time", "ct", mid),
                button(context, FEATURE, "meeting.change_place", "cp", mid),
            ]
        )
        rows.append([button(context, FEATURE, "meeting.cancel_button", "cx", mid)])
    if meeting.held(now):
        rows.append(
            [
                button(context, FEATURE, "meeting.minutes_button", "mn", mid),
                button(context, FEATURE, "meeting.attendance_button", "at", mid),
            ]
        )
    rows.append([button(context, FEATURE, "meeting.export_button", "ex", mid)])
    return InlineKeyboardMarkup(rows)


async def card(update: Update, context: BotContext) -> None:
    """The organiser's card of a meeting."""
    meetings = context.services.meetings
    overview = await answered(
        update, context, lambda d: meetings.overview(context.account, d.int_arg(0))
    )
    if overview is None:
        return
    await require_message(update).reply_text(
        card_text(context, overview), reply_markup=card_markup(context, overview)
    )


async def unanswered(update: Update, context: BotContext) -> None:
    """Invitees who have not answered, with their household, to phone them; and the contacts."""
    meetings = context.services.meetings
    overview = await answered(
        update, context, lambda d: meetings.overview(context.account, d.int_arg(0))
    )
    if overview is None:
        return
    waiting = [i for i in overview.invitees if i.rsvp is None]
    lines = [context.t("meeting.unanswered_head", count=len(waiting))]
    lines += [f"• {i.first_name or '—'}　{i.place or ''}" for i in waiting[:80]]
    if overview.contacts:
        lines.append(context.t("meeting.contacts_head"))
        lines += [
            f"• {c.name}（{context.label(f'meeting.party_{c.party.value}')}）{c.phone}"
            for c in overview.contacts
        ]
    await require_message(update).reply_text("\n".join(lines))


async def questions(update: Update, context: BotContext) -> None:
    """The questions sent in advance (voice notes forwarded)."""
    meetings = context.services.meetings
    overview = await answered(
        update, context, lambda d: meetings.overview(context.account, d.int_arg(0))
    )
    if overview is None:
        return
    message = require_message(update)
    lines = [context.t("meeting.questions_head", count=len(overview.questions))]
    lines += [
        f"{n}. {q.first_name or '—'}（{when(context, q.at)}）：{q.text or '🎤'}"
        for n, q in enumerate(overview.questions, start=1)
    ]
    await message.reply_text("\n".join(lines))
    for q in overview.questions:
        if q.voice:
            await message.reply_voice(q.voice, caption=q.first_name or None)


async def ask_cancel(update: Update, context: BotContext) -> None:
    """✖: confirm first."""
    query = update.callback_query
    meetings = context.services.meetings
    overview = await answered(
        update, context, lambda d: meetings.overview(context.account, d.int_arg(0))
    )
    if overview is None:
        return
    await edit(
        query,
        context.t("meeting.confirm_cancel", title=overview.meeting.title),
        InlineKeyboardMarkup(
            [[button(context, FEATURE, "meeting.yes_cancel", "cxok", overview.meeting.id)]]
        ),
    )


async def do_cancel(update: Update, context: BotContext) -> None:
    """Call the meeting off; every invitee is told."""
    query = update.callback_query
    meetings = context.services.meetings
    meeting = await answered(
        update, context, lambda d: meetings.cancel(context.account, d.int_arg(0))
    )
    if meeting is None:
        return
    await edit(query, context.t("meeting.cancelled_ok", title=meeting.title))


def attendance_markup(context: BotContext, overview: Overview) -> InlineKeyboardMarkup:
    """A toggle per invitee who did not decline and per contact: ✅ came."""
    mid = overview.meeting.id
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if i.attended else "▫️ ")
                + (i.first_name or "—")
                + (f" {i.place}" if i.place else ""),
                callback_data=pack(FEATURE, "atu", mid, i.user_id, int(not i.attended)),
            )
        ]
        for i in overview.invitees
        if i.rsvp is not Rsvp.CANNOT or i.attended
    ][:60]
    rows += [
        [
            InlineKeyboardButton(
                ("✅ " if c.attended else "▫️ ") + c.name,
                callback_data=pack(FEATURE, "atc", mid, c.id, int(not c.attended)),
            )
        ]
        for c in overview.contacts
    ]
    return InlineKeyboardMarkup(rows)


async def attendance(update: Update, context: BotContext) -> None:
    """✅ Who came: one toggle per person."""
    meetings = context.services.meetings

    overview = await answered(
        update, context, lambda d: meetings.held(context.account, d.int_arg(0))
    )
    if overview is None:
        return
    await require_message(update).reply_text(
        context.t("meeting.attendance_head", title=overview.meeting.title),
        reply_markup=attendance_markup(context, overview),
    )


async def mark(update: Update, context: BotContext) -> None:
    """Toggle one person's attendance."""
    query = update.callback_query
    meetings = context.services.meetings

    async def mark_it(data: CallbackData) -> Overview:
        if data.arg(2) not in ("0", "1"):
            raise BadCallback("flag")
        who = "u" if data.action == "atu" else "c"
        return await meetings.mark(
            context.account, data.int_arg(0), who, data.int_arg(1), data.arg(2) == "1"
        )

    overview = await pressed(update, context, mark_it)
    if overview is None:
        return
    await query.answer(context.label("meeting.marked"))
    await edit(
        query,
        context.t("meeting.attendance_head", title=overview.meeting.title),
        attendance_markup(context, overview),
    )


async def export(update: Update, context: BotContext) -> None:
    """Invitees and contacts with their answers and attendance: XLSX and CSV."""
    meetings = context.services.meetings
    overview = await answered(
        update, context, lambda d: meetings.overview(context.account, d.int_arg(0))
    )
    if overview is None:
        return
    rows = meeting_table(overview, context.lang, meetings.timezone)
    message = require_message(update)
    name = f"meeting-{overview.meeting.id}"
    xlsx = await context.services.offload(table_xlsx, rows, "meeting")
    csv = await context.services.offload(table_csv, rows)
    await message.reply_document(io.BytesIO(xlsx), filename=f"{name}.xlsx")
    await message.reply_document(io.BytesIO(csv), filename=f"{name}.csv")


def handlers() -> list[BaseHandler]:
    """📅, every meeting button, and the typed-input conversation."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    input_conversation = conversation(
        INPUT,
        entry_points=[PressHandler(begin_input, pattern=r"^v1:mg:(q|ct|cp|mn):")],
        states={
            step: [
                MessageHandler(free_text | filters.VOICE | filters.Document.ALL, typed),
                PressHandler(no_decisions, pattern=on("nod")),
                PressHandler(cancel_input, pattern=on("x")),
                MessageHandler(other, words_only),
            ]
            for step in Step
        },
        fallbacks=[CommandHandler("cancel", cancel_input)],
    )
    return [
        input_conversation,
        MessageHandler(filters.Text(all_labels("menu.meetings")), show_meetings),
        CommandHandler("meetings", show_meetings),
        PressHandler(view, pattern=on("view")),
        PressHandler(rsvp, pattern=on("rs")),
        PressHandler(calendar, pattern=on("ics")),
        PressHandler(minutes_document, pattern=on("md")),
        PressHandler(card, pattern=on("card")),
        PressHandler(unanswered, pattern=on("na")),
        PressHandler(questions, pattern=on("qs")),
        PressHandler(ask_cancel, pattern=on("cx")),
        PressHandler(do_cancel, pattern=on("cxok")),
        PressHandler(attendance, pattern=on("at")),
        PressHandler(mark, pattern=r"^v1:mg:(atu|atc):"),
        PressHandler(export, pattern=on("ex")),
    ]
