"""What is typed about one meeting, each a small flow of the 📅 feature: an invitee's question
in advance (words or a voice note); the organiser's new time, new place, or the minutes (words
or a file) then the decisions (or Skip). ✖ Cancel (or /cancel) at every step."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.dialogs.engine import Ctx, End, Flow, Outcome, Step, refusal
from bot.dialogs.meeting_steps import Asking
from bot.dialogs.steps import Answer, advance, answer, asks
from bot.domain.errors import DomainError
from bot.domain.meeting_form import MeetingInput, Typing, decisions, new_time, question
from bot.domain.meetings import MAX_PLACE
from bot.domain.messages import Attachment
from bot.domain.text import words
from bot.domain.wording import time_words
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, reply, screen, text

SKIP = "skip"


async def begin(ctx: Ctx, typing: Typing, meeting_id: int) -> Reply:
    """Start typing about a meeting, once the service agrees (NotInvited, NotAllowed,
    MeetingOver, NotYetHeld): the prompt comes as a new message, below the pressed one."""
    meetings = ctx.services.meetings
    if typing is Typing.QUESTION:
        await meetings.askable(ctx.user, meeting_id)
    elif typing is Typing.MINUTES:
        await meetings.held(ctx.user, meeting_id)
    else:
        await meetings.changeable(ctx.user, meeting_id)
    draft = MeetingInput(meeting_id=meeting_id, typing=typing)
    begun = await ctx.services.dialogs.begin(ctx, Feature.MEETING, draft)
    anew = tuple(part.model_copy(update={"replace": False}) for part in begun.screens)
    return begun.model_copy(update={"screens": anew})


def said(key: str, *, menu: bool = False, **params: str | int) -> End:
    """The flow ends with these words (the main menu back, after a question)."""
    keyboard = Keyboard.MAIN_MENU if menu else Keyboard.KEEP
    return End(reply(screen(text(key, **params), keyboard=keyboard, replace=False)))


def when(ctx: Ctx, moment: datetime) -> str:
    return time_words(moment, ctx.services.meetings.timezone)


# ---------------------------------------------------------------------------- a question


async def send_question(
    ctx: Ctx, form: MeetingInput, words_: str, voice: Attachment | None
) -> Outcome[MeetingInput]:
    asked = question(words_, voice)
    voice_ref = voice.ref if voice is not None else None
    await ctx.services.meetings.ask(ctx.user, form.meeting_id, text=asked, voice=voice_ref)
    return said("meeting.question_sent", menu=True)


async def typed_question(ctx: Ctx, form: MeetingInput, typed: str) -> Outcome[MeetingInput]:
    return await send_question(ctx, form, typed, None)


async def spoken_question(
    ctx: Ctx, form: MeetingInput, voice: Attachment, caption: str
) -> Outcome[MeetingInput]:
    return await send_question(ctx, form, caption, voice)


# ---------------------------------------------------------------------------- time and place


async def typed_time(ctx: Ctx, form: MeetingInput, typed: str) -> Outcome[MeetingInput]:
    meetings = ctx.services.meetings
    moment = new_time(typed, ctx.now, meetings.timezone)
    meeting = await meetings.change(ctx.user, form.meeting_id, starts_at=moment)
    return said(
        "meeting.changed_ok",
        when=when(ctx, meeting.starts_at),
        rsvp_by=when(ctx, meeting.rsvp_by),
    )


async def typed_place(ctx: Ctx, form: MeetingInput, typed: str) -> Outcome[MeetingInput]:
    place = words(typed, MAX_PLACE)
    meeting = await ctx.services.meetings.change(ctx.user, form.meeting_id, place=place)
    return said("meeting.changed_place_ok", place=meeting.place)


# ---------------------------------------------------------------------------- the minutes


async def typed_minutes(ctx: Ctx, form: MeetingInput, typed: str) -> Outcome[MeetingInput]:
    return advance(form.minutes_given(typed, None))


async def minutes_file(
    ctx: Ctx, form: MeetingInput, document: Attachment, caption: str
) -> Outcome[MeetingInput]:
    return advance(form.minutes_given(caption, document))


async def post(ctx: Ctx, form: MeetingInput, decided: str) -> Outcome[MeetingInput]:
    """Send the minutes to every invitee (a rule's no ends the flow with the reason)."""
    try:
        meeting = await ctx.services.meetings.post_minutes(
            ctx.user,
            form.meeting_id,
            minutes=form.minutes,
            decisions=decided,
            document=form.document,
        )
    except DomainError as error:
        return End(reply(screen(refusal(error), replace=False)))
    return said("meeting.minutes_sent", title=meeting.title)


async def typed_decisions(ctx: Ctx, form: MeetingInput, typed: str) -> Outcome[MeetingInput]:
    return await post(ctx, form, decisions(typed))


async def skip(ctx: Ctx, form: MeetingInput) -> Sequence[Sequence[Answer]]:
    return [[answer(SKIP, "notice.skip")]]


async def skipped(ctx: Ctx, form: MeetingInput, value: str) -> Outcome[MeetingInput]:
    return await post(ctx, form, "")


def typing(kind: Typing) -> Any:
    """A step's `when`: the draft is about typing `kind`."""
    return lambda form: form.typing is kind


class MeetingTyping(Flow[MeetingInput]):
    """The 📅 feature's typed input."""

    feature = Feature.MEETING
    draft_type = MeetingInput
    cancelled = "meeting.input_cancelled"
    steps: Sequence[Step[MeetingInput]] = (
        Asking(
            name="question",
            prompt=asks("meeting.ask_question"),
            typed=typed_question,
            captioned=spoken_question,
            media_kinds=frozenset({"voice"}),
            back=lambda form: False,
            when=typing(Typing.QUESTION),
        ),
        Asking(
            name="time",
            prompt=asks("meeting.ask_time"),
            typed=typed_time,
            back=lambda form: False,
            when=typing(Typing.TIME),
        ),
        Asking(
            name="place",
            prompt=asks("meeting.ask_place"),
            typed=typed_place,
            back=lambda form: False,
            when=typing(Typing.PLACE),
        ),
        Asking(
            name="minutes",
            prompt=asks("meeting.ask_minutes"),
            typed=typed_minutes,
            captioned=minutes_file,
            media_kinds=frozenset({"document"}),
            back=lambda form: False,
            when=typing(Typing.MINUTES),
            done=lambda form: form.minuted,
        ),
        Asking(
            name="decisions",
            prompt=asks("meeting.ask_decisions"),
            answers=skip,
            chose=skipped,
            typed=typed_decisions,
            back=lambda form: False,
            when=typing(Typing.MINUTES),
        ),
    )

    async def finish(self, ctx: Ctx, draft: MeetingInput) -> Reply:
        """Not reached: each path ends at its own last step."""
        return reply()
