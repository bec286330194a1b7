"""The organiser's card of a meeting and what it leads to: the count of each answer, who has
not answered (to phone them) and the named contacts, the questions sent in advance (voice
notes after them), cancelling (confirmed first), and who came (a toggle per person). The
service re-checks who presses every button."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.meetings import Meeting, MeetingStatus, Rsvp, counts
from bot.domain.messages import Attachment
from bot.domain.wording import time_words
from bot.features.thread import ThreadAction
from bot.features.thread import press_of as thread_press
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Option, Reply, Screen, Text, option, reply, screen, text
from bot.services.meetings import Overview

MAX_UNANSWERED = 80  # names on the phone list
MAX_ATTENDANCE = 60  # invitees' toggles on the attendance screen
MAX_ANSWER_BUTTONS = 20  # "💬 回复第 n 条" under the questions


class CardAction(StrEnum):
    """The card's buttons (codes already on buttons sent: never change one)."""

    CARD = "card"
    UNANSWERED = "na"
    QUESTIONS = "qs"
    CHANGE_TIME = "ct"
    CHANGE_PLACE = "cp"
    CANCEL = "cx"
    CANCEL_CONFIRMED = "cxok"
    MINUTES = "mn"
    ATTENDANCE = "at"
    MARK_INVITEE = "atu"
    MARK_CONTACT = "atc"
    EXPORT = "ex"


def press_of(action: StrEnum | str, *args: object) -> Payload:
    """A payload of the meetings feature."""
    return payload(Feature.MEETING, action, *args)


def notice_text(ctx: Ctx, meeting: Meeting, key: str = "meeting.view") -> Text:
    """The meeting as its notice says it (said in the reader's language)."""
    message = ctx.services.meetings.notice(meeting, key)
    return Text(key=message.key, params=dict(message.params), labels=message.labels)


def card_screen(ctx: Ctx, overview: Overview) -> Screen:
    """The meeting with the count of each answer, the questions and the contacts, and what
    the organiser can do now."""
    meeting = overview.meeting
    tally = counts(overview.invitees)
    texts = [
        notice_text(ctx, meeting),
        text(
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
        texts.append(text("meeting.is_cancelled"))
    return screen(*texts, options=card_options(ctx, meeting), replace=False)


def card_options(ctx: Ctx, meeting: Meeting) -> tuple[tuple[Option, ...], ...]:
    """The card's buttons: the lists always; change and cancel before it starts; minutes and
    attendance after; the export."""
    now = ctx.services.meetings.now()
    mid = meeting.id
    rows: list[tuple[Option, ...]] = [
        (
            option(press_of(CardAction.UNANSWERED, mid), "meeting.unanswered_button"),
            option(press_of(CardAction.QUESTIONS, mid), "meeting.questions_button"),
        )
    ]
    if meeting.changeable(now):
        rows.append(
            (
                option(press_of(CardAction.CHANGE_TIME, mid), "meeting.change_time"),
                option(press_of(CardAction.CHANGE_PLACE, mid), "meeting.change_place"),
            )
        )
        rows.append((option(press_of(CardAction.CANCEL, mid), "meeting.cancel_button"),))
    if meeting.held(now):
        rows.append(
            (
                option(press_of(CardAction.MINUTES, mid), "meeting.minutes_button"),
                option(press_of(CardAction.ATTENDANCE, mid), "meeting.attendance_button"),
            )
        )
    rows.append((option(press_of(CardAction.EXPORT, mid), "meeting.export_button"),))
    return tuple(rows)


def unanswered_screen(overview: Overview) -> Screen:
    """Invitees who have not answered, with their household, to phone them; the contacts."""
    waiting = [i for i in overview.invitees if i.rsvp is None]
    texts = [text("meeting.unanswered_head", count=len(waiting))]
    texts += [
        text("meeting.invitee_line", name=i.first_name or "—", place=i.place or "")
        for i in waiting[:MAX_UNANSWERED]
    ]
    if overview.contacts:
        texts.append(text("meeting.contacts_head"))
        texts += [
            Text(
                key="meeting.contact_line",
                params={"name": c.name, "phone": c.phone},
                labels={"party": f"meeting.party_{c.party.value}"},
            )
            for c in overview.contacts
        ]
    return screen(*texts, replace=False)


def question_screens(ctx: Ctx, overview: Overview) -> list[Screen]:
    """The questions sent in advance, then each voice note (with its sender's name)."""
    zone = ctx.services.meetings.timezone
    texts = [text("meeting.questions_head", count=len(overview.questions))]
    texts += [
        text(
            "meeting.question_line",
            n=n,
            name=q.first_name or "—",
            when=time_words(q.at, zone),
            text=q.text or "🎤",
        )
        for n, q in enumerate(overview.questions, start=1)
    ]
    answers = tuple(
        (option(thread_press(ThreadAction.QUESTION, q.meeting_id, q.id), "thread.answer_n", n=n),)
        for n, q in enumerate(overview.questions[:MAX_ANSWER_BUTTONS], start=1)
    )
    shown = [screen(*texts, options=answers, replace=False)]
    for q in overview.questions:
        if q.voice:
            name = (text("dialog.words", words=q.first_name),) if q.first_name else ()
            voice = Attachment(kind="voice", ref=q.voice)
            shown.append(Screen(texts=name, attachment=voice, replace=False))
    return shown


def attendance_screen(overview: Overview, *, new: bool) -> Screen:
    """A toggle per invitee who did not decline (or came anyway) and per contact: ✅ came."""
    mid = overview.meeting.id
    rows = [
        (
            option(
                press_of(CardAction.MARK_INVITEE, mid, i.user_id, int(not i.attended)),
                literal=("✅ " if i.attended else "▫️ ")
                + (i.first_name or "—")
                + (f" {i.place}" if i.place else ""),
            ),
        )
        for i in overview.invitees
        if i.rsvp is not Rsvp.CANNOT or i.attended
    ][:MAX_ATTENDANCE]
    rows += [
        (
            option(
                press_of(CardAction.MARK_CONTACT, mid, c.id, int(not c.attended)),
                literal=("✅ " if c.attended else "▫️ ") + c.name,
            ),
        )
        for c in overview.contacts
    ]
    head = text("meeting.attendance_head", title=overview.meeting.title)
    return screen(head, options=tuple(rows), replace=not new)


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """One of the card's buttons (but changing, minutes and the export: not here); None for
    another of the feature's buttons."""
    meetings = ctx.services.meetings
    action = pressed.action
    if action == CardAction.CARD:
        return reply(card_screen(ctx, await meetings.overview(ctx.user, pressed.number(0))))
    if action == CardAction.UNANSWERED:
        return reply(unanswered_screen(await meetings.overview(ctx.user, pressed.number(0))))
    if action == CardAction.QUESTIONS:
        overview = await meetings.overview(ctx.user, pressed.number(0))
        return reply(*question_screens(ctx, overview))
    if action == CardAction.CANCEL:
        meeting = (await meetings.overview(ctx.user, pressed.number(0))).meeting
        yes = option(press_of(CardAction.CANCEL_CONFIRMED, meeting.id), "meeting.yes_cancel")
        return reply(
            screen(text("meeting.confirm_cancel", title=meeting.title), options=((yes,),))
        )
    if action == CardAction.CANCEL_CONFIRMED:
        meeting = await meetings.cancel(ctx.user, pressed.number(0))
        return reply(screen(text("meeting.cancelled_ok", title=meeting.title)))
    if action == CardAction.ATTENDANCE:
        return reply(attendance_screen(await meetings.held(ctx.user, pressed.number(0)), new=True))
    if action in (CardAction.MARK_INVITEE, CardAction.MARK_CONTACT):
        if pressed.arg(2) not in ("0", "1"):
            raise StaleButton("not a flag")
        who = "u" if action == CardAction.MARK_INVITEE else "c"
        overview = await meetings.mark(
            ctx.user, pressed.number(0), who, pressed.number(1), pressed.arg(2) == "1"
        )
        return reply(attendance_screen(overview, new=False), notice=text("meeting.marked"))
    return None
