"""📅 Meetings outside a flow: the list (organisers get what they organise, and ➕; everyone
the meetings they are invited to and the past ones of their compound), a meeting as an
invitee reads it, attend / cannot / maybe, the calendar file (.ics), the minutes' document;
and the buttons that start typing about a meeting (bot/dialogs/meeting_input.py), the
organiser's card (meeting_card.py) and the export (meeting_export.py). Every button is a
request: the service re-checks who presses it."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs import meeting_create, meeting_input
from bot.dialogs.engine import ACTS, Ctx
from bot.domain.errors import DomainError
from bot.domain.meeting_form import Typing
from bot.domain.meetings import Invitee, Meeting, MeetingStatus, Rsvp
from bot.domain.messages import Attachment
from bot.domain.models import Role
from bot.domain.wording import day_words
from bot.features import meeting_card, meeting_export
from bot.features.meeting_card import CardAction, notice_text, press_of
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
from bot.services.meetings import ICS_PREFIX

LISTED = 15  # meetings a list shows


class MeetingAction(StrEnum):
    """The invitee's buttons (codes already on buttons sent: never change one)."""

    VIEW = "view"
    RSVP = "rs"
    QUESTION = "q"
    CALENDAR = "ics"
    MINUTES_DOC = "md"


class CreateAction(StrEnum):
    """The button that starts a new meeting (code already on buttons sent)."""

    NEW = "new"


TYPING = {
    MeetingAction.QUESTION.value: Typing.QUESTION,
    CardAction.CHANGE_TIME.value: Typing.TIME,
    CardAction.CHANGE_PLACE.value: Typing.PLACE,
    CardAction.MINUTES.value: Typing.MINUTES,
}


# ---------------------------------------------------------------------------- the list


def line(ctx: Ctx, meeting: Meeting) -> dict[str, str | int | Text]:
    """A list button's parameters: state, date and title."""
    meetings = ctx.services.meetings
    if meeting.status is MeetingStatus.CANCELLED:
        mark = "✖"
    elif meeting.starts_at > meetings.now():
        mark = "🟢"
    else:
        mark = "📝" if meeting.minutes_at else "⚪"
    when = day_words(meeting.starts_at, meetings.timezone)
    return {"mark": mark, "when": when, "title": meeting.title[:40]}


def listed(ctx: Ctx, action: StrEnum, meetings: list[Meeting]) -> list[tuple[Option, ...]]:
    return [
        (Option(payload=press_of(action, m.id), key="meeting.list_line", params=line(ctx, m)),)
        for m in meetings[:LISTED]
    ]


async def show_meetings(ctx: Ctx) -> Reply:
    """📅 or /meetings."""
    meetings = ctx.services.meetings
    shown: list[Screen] = []
    organiser = ctx.user.has_role(Role.GRID_WORKER)
    if organiser:
        managed = await meetings.managed(ctx.user)
        rows = listed(ctx, CardAction.CARD, managed)
        rows.append(
            (option(payload(Feature.MEETING_CREATE, CreateAction.NEW), "meeting.new_button"),)
        )
        title = text("meeting.manage_title", count=len(managed))
        shown.append(screen(title, options=tuple(rows), replace=False))
    mine = await meetings.for_resident(ctx.user)
    if mine:
        rows = listed(ctx, MeetingAction.VIEW, mine)
        shown.append(screen(text("meeting.mine_title"), options=tuple(rows), replace=False))
    elif not organiser:
        shown.append(screen(text("meeting.none"), keyboard=Keyboard.MAIN_MENU, replace=False))
    return reply(*shown)


# ---------------------------------------------------------------------------- invitees


_RSVP_CHOSEN = "meeting.rsvp_chosen"  # "✅ 🙋 参加": the invitee's answer, marked


async def view(ctx: Ctx, meeting_id: int, *, replace: bool = False) -> Reply:
    """A meeting as an invitee (or a resident of its compound) reads it; their answer is
    marked ✅ on its button. `replace`: in place of the pressed notice (after answering)."""
    meetings = ctx.services.meetings
    meeting = await meetings.readable(ctx.user, meeting_id)
    texts: list[Text] = [notice_text(ctx, meeting)]
    rows: list[tuple[Option, ...]] = []
    invitee: Invitee | None
    try:
        _, invitee = await meetings.invitation(ctx.user, meeting.id)
    except DomainError:
        invitee = None
    now = meetings.now()
    if invitee is not None:
        answer: Text | str = text(f"meeting.rsvp_{invitee.rsvp.value}") if invitee.rsvp else "—"
        texts.append(text("meeting.your_answer", answer=answer))
        if meeting.rsvp_open(now):
            rows.append(
                tuple(
                    Option(
                        payload=press_of(MeetingAction.RSVP, meeting.id, a.value),
                        key="meeting.rsvp_chosen"
                        if a is invitee.rsvp
                        else f"meeting.rsvp_{a.value}",
                        labels={"answer": f"meeting.rsvp_{a.value}"},
                    )
                    for a in Rsvp
                )
            )
        if meeting.changeable(now):
            rows.append(
                (
                    option(press_of(MeetingAction.QUESTION, meeting.id), "meeting.ask_button"),
                    option(press_of(MeetingAction.CALENDAR, meeting.id), "meeting.ics_button"),
                )
            )
    if meeting.minutes_at is not None:
        minutes = text(
            "meeting.minutes_view",
            minutes=meeting.minutes or "—",
            decisions=meeting.decisions or "—",
        )
        texts.append(text("dialog.paragraph", words=minutes))
        if meeting.minutes_doc:
            rows.append(
                (option(press_of(MeetingAction.MINUTES_DOC, meeting.id), "meeting.minutes_doc"),)
            )
    return reply(screen(*texts, options=tuple(rows), replace=replace))


async def rsvp(ctx: Ctx, pressed: Payload) -> Reply:
    """Attend / cannot / maybe (changeable until the deadline): said in a pop-up, and the
    pressed notice becomes the meeting's card with the answer marked ✅."""
    if pressed.arg(1) not in {a.value for a in Rsvp}:
        raise StaleButton("not an answer")
    answer = Rsvp(pressed.arg(1))
    await ctx.services.meetings.rsvp(ctx.user, pressed.number(0), answer)
    done = text("meeting.rsvp_done", answer=text(f"meeting.rsvp_{answer.value}"))
    card = await view(ctx, pressed.number(0), replace=True)
    return card.model_copy(update={"notice": done, "alert": True})


async def calendar(ctx: Ctx, meeting_id: int) -> Reply:
    """The meeting as an .ics file for the phone's calendar (made as it is now)."""
    meeting, _ = await ctx.services.meetings.invitation(ctx.user, meeting_id)
    ics = Attachment(kind="generated", ref=f"{ICS_PREFIX}:{meeting.id}")
    return reply(screen(text("meeting.ics_caption"), attachment=ics, replace=False))


async def minutes_document(ctx: Ctx, meeting_id: int) -> Reply:
    """The minutes' document (nothing when there is none)."""
    meeting = await ctx.services.meetings.readable(ctx.user, meeting_id)
    if not meeting.minutes_doc:
        return Reply()
    document = Attachment(kind="document", ref=meeting.minutes_doc)
    return reply(Screen(texts=(), attachment=document, replace=False))


# ---------------------------------------------------------------------------- presses


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A 📅 button; None for the typed input's own (the dialog engine's)."""
    action = pressed.action
    if action in ACTS:
        return None
    if action == MeetingAction.VIEW:
        return await view(ctx, pressed.number(0))
    if action == MeetingAction.RSVP:
        return await rsvp(ctx, pressed)
    if action == MeetingAction.CALENDAR:
        return await calendar(ctx, pressed.number(0))
    if action == MeetingAction.MINUTES_DOC:
        return await minutes_document(ctx, pressed.number(0))
    if action in TYPING:
        return await meeting_input.begin(ctx, TYPING[action], pressed.number(0))
    if action == CardAction.EXPORT:
        return await meeting_export.export(ctx, pressed.number(0))
    shown = await meeting_card.press(ctx, pressed)
    if shown is None:
        raise StaleButton(f"no meeting button {action!r}")
    return shown


async def press_create(ctx: Ctx, pressed: Payload) -> Reply | None:
    """➕ New meeting; None for the flow's own buttons (the dialog engine's)."""
    if pressed.action in ACTS:
        return None
    if pressed.action != CreateAction.NEW:
        raise StaleButton(f"no meeting-creation button {pressed.action!r}")
    return await meeting_create.begin(ctx)


def buttons() -> set[str]:
    """'v1:<feature>:<action>' of every button answered here (for the forged-press test)."""
    found = {f"v1:{Feature.MEETING.value}:{a.value}" for a in (*MeetingAction, *CardAction)}
    return found | {f"v1:{Feature.MEETING_CREATE.value}:{a.value}" for a in CreateAction}
