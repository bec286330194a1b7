"""Words, a voice note or a photo sent outside any flow never dead-end: plain words answer the
grid worker's open question of the household; a feature's name opens it; a greeting gets the
welcome; anything else is kept (bot.services.free_input) and offered as a report ("是要报事吗？"),
which begins with it in the draft, or sent to the grid worker ("💬 发给网格员"). A
person with no home registers first, their words kept for when they can report."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

from bot.dialogs.engine import STALE, Ctx, refusal
from bot.domain.errors import DomainError
from bot.domain.free_input import Guess, KeptInput, answerable, guess
from bot.domain.models import MembershipStatus, Role
from bot.domain.report_form import ReportForm
from bot.domain.reports import MAX_NOTE, Media, MediaKind
from bot.features import home, meetings, my_reports, notices, start, thread, votes_list
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Keyboard, Reply, Screen, Text, option, reply, screen, text


class FreeAction(StrEnum):
    """The offer's buttons."""

    REPORT = "rep"  # yes: a report with what was sent
    MESSAGE = "msg"  # 💬 sent to the grid worker instead (see bot.features.thread)
    DROP = "no"  # no: forget it, back to the menu


ACTIONS = frozenset(action.value for action in FreeAction)
STAFF_ROLES = frozenset({Role.GRID_WORKER, Role.STAFF})

# A feature named in free words: its screen.
SCREENS: dict[Guess, Callable[[Ctx], Awaitable[Reply]]] = {
    Guess.VOTES: votes_list.show,
    Guess.MEETINGS: meetings.show_meetings,
    Guess.NOTICES: notices.show,
    Guess.HOME: home.show,
    Guess.MY_REPORTS: my_reports.show_mine,
    Guess.GREETING: start.welcome,
}


async def received(ctx: Ctx, given: Input) -> Reply | None:
    """The answer to words, a voice note or a photo no flow took; None for anything else
    (and for words with no words in them: the core's last answer)."""
    if given.kind not in (Kind.TEXT, Kind.VOICE, Kind.PHOTO):
        return None
    said = guess(given.text) if given.kind is Kind.TEXT else Guess.PROBLEM
    if given.kind is not Kind.PHOTO and answerable(said):
        answered = await answer_question(ctx, given)
        if answered is not None:
            return answered
    if said in SCREENS:
        return await SCREENS[said](ctx)
    if said is Guess.REPORT:
        return await report(ctx)
    if said is Guess.THANKS:
        return reply(screen(text("free.thanks"), keyboard=Keyboard.MAIN_MENU, replace=False))
    if said is Guess.NOTHING:
        return None
    homes = await ctx.services.registration.homes(ctx.user)
    if not homes and ctx.user.role in STAFF_ROLES:
        return None  # staff at work, not a resident: the core's last answer
    ref = given.media.ref if given.media is not None else None
    kept = await ctx.services.free_input.keep(
        ctx.user,
        words=given.text,
        voice=ref if given.kind is Kind.VOICE else None,
        photo=ref if given.kind is Kind.PHOTO else None,
    )
    if not homes:
        begun = await ctx.services.dialogs.begin(ctx, Feature.REGISTRATION)
        first = screen(text("free.register_first"), replace=False)
        return reply(first, *(s.model_copy(update={"replace": False}) for s in begun.screens))
    if not any(h.status is MembershipStatus.APPROVED for h in homes):
        return reply(screen(text("free.kept_until_approved"), replace=False))
    return reply(offer(kept))


def offer(kept: KeptInput) -> Screen:
    """ "Is it a report?", with what is kept, and Yes / No."""
    lines: list[Text] = [text("free.offer")]
    lines += [text("free.kept_words", words=words) for words in kept.words]
    if kept.voice:
        lines.append(text("free.kept_voice"))
    if kept.photos:
        lines.append(text("free.kept_photos", count=len(kept.photos)))
    yes = option(payload(Feature.FREE_INPUT, FreeAction.REPORT), "free.yes_report")
    message = option(payload(Feature.FREE_INPUT, FreeAction.MESSAGE), "thread.send_kept")
    no = option(payload(Feature.FREE_INPUT, FreeAction.DROP), "free.no_menu")
    return screen(*lines, options=((yes, message), (no,)), replace=False)


async def answer_question(ctx: Ctx, given: Input) -> Reply | None:
    """Plain words or a voice note answer the household's open question, as 💬 Reply would;
    None when there is no question to answer."""
    if given.kind is Kind.TEXT and len(given.text.strip()) > MAX_NOTE:
        return None  # too long for an answer: a new problem, most likely
    reports = ctx.services.reports
    question = await reports.open_question(ctx.user)
    if question is None:
        return None
    voice = None
    if given.kind is Kind.VOICE and given.media is not None:
        voice = Media(kind=MediaKind.VOICE, ref=given.media.ref)
    words = given.text.strip() if given.kind is Kind.TEXT else ""
    ticket = await reports.answer(ctx.user, question.id, words, voice)
    done = text("free.answer_sent", number=ticket.number, question=question.note)
    return reply(screen(done, keyboard=Keyboard.MAIN_MENU, replace=False))


async def report(ctx: Ctx) -> Reply:
    """A report, if the person has a household to report for, with what they sent before
    (kept) in its draft; what is kept is then the report's."""
    try:
        await ctx.services.reports.home_for_report(ctx.user)
    except DomainError as error:
        return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
    kept = await ctx.services.free_input.kept(ctx.user)
    if kept.empty:
        return await ctx.services.dialogs.begin(ctx, Feature.REPORT)
    form = ReportForm.kept(kept.description, kept.voice, kept.photos)
    begun = await ctx.services.dialogs.begin(ctx, Feature.REPORT, form)
    await ctx.services.free_input.forget(ctx.user)
    return begun


async def send_to_worker(ctx: Ctx) -> Reply:
    """💬 What is kept goes to the grid worker as messages of the household's thread (then
    it is the thread's, no longer kept)."""
    kept = await ctx.services.free_input.kept(ctx.user)
    try:
        await ctx.services.threads.home_of(ctx.user)
    except DomainError as error:
        return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
    answer = await thread.send_kept(ctx, kept)
    await ctx.services.free_input.forget(ctx.user)
    return answer


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """Yes: the report with it (in place of the offer). No: it is forgotten."""
    if pressed.action not in ACTIONS or pressed.args:
        raise StaleButton(f"no free input action {pressed.action!r}")
    if (await ctx.services.free_input.kept(ctx.user)).empty:
        return STALE  # chosen already (or never offered)
    if pressed.action == FreeAction.REPORT:
        return await report(ctx)
    if pressed.action == FreeAction.MESSAGE:
        return await send_to_worker(ctx)
    await ctx.services.free_input.forget(ctx.user)
    return reply(screen(text("free.dropped")))
