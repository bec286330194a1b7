"""The core's answer to whatever a person sends: commands, presses and free input go to the
flow or feature they belong to. A channel adapter turns its update into an `Input`, calls
`respond`, and renders the reply; None means the core has no answer (yet: features not moved
onto the core are still answered by the adapter's own handlers, and what none of them takes
gets the core's `last_answer`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.dialogs import broadcast, notice
from bot.dialogs.engine import STALE, Act, Ctx, refusal
from bot.domain.errors import DomainError
from bot.domain.homes import RegistrationDraft
from bot.features import broadcast as broadcast_buttons
from bot.features import (
    contacts,
    fallback,
    free_input,
    home,
    language,
    meetings,
    mutes,
    my_reports,
    notices,
    staff,
    start,
    thread,
    ticket_stats,
    tickets,
    vote,
    vote_create,
    votes_list,
)
from bot.interaction.inputs import Input, Kind
from bot.interaction.menu import labels_of, menu_words
from bot.interaction.payload import Feature, Payload, StaleButton
from bot.interaction.screen import Keyboard, Reply, Screen, reply, screen, text

if TYPE_CHECKING:
    from bot.domain.models import User
    from bot.services import Services

BEGIN = "begin"  # the press of "register my home" / "add another home"

Entry = Callable[[Ctx], Awaitable[Reply]]


async def register(ctx: Ctx) -> Reply:
    """/register: registration from the compound."""
    return await ctx.services.dialogs.begin(ctx, Feature.REGISTRATION)


async def report(ctx: Ctx) -> Reply:
    """📝 or /report: a report, if the person has a household to report for (with what they
    sent outside any flow and kept, if anything)."""
    return await free_input.report(ctx)


COMMANDS: dict[str, Entry] = {
    "start": start.welcome,
    "help": start.explain,
    "language": language.ask,
    "home": home.show,
    "contact": contacts.show,
    "notifications": mutes.show,
    "pending": staff.pending,
    "coverage": staff.coverage,
    "register": register,
    "report": report,
    "broadcast": broadcast.begin,
    "votes": votes_list.show,
    "notice": notice.begin,
    "myreports": my_reports.show_mine,
    "inbox": tickets.show_inbox,
    "meetings": meetings.show_meetings,
}
# Commands that take what is typed after them.
ARGUED: dict[str, Callable[[Ctx, tuple[str, ...]], Awaitable[Reply]]] = {
    "stats": ticket_stats.show_stats,
}
# The features whose buttons (some of them, so far) the core answers outside a flow.
PRESSES: dict[Feature, Callable[[Ctx, Payload], Awaitable[Reply | None]]] = {
    Feature.VOTE: vote.press,
    Feature.BROADCAST: broadcast_buttons.press,
    Feature.NOTICE: notices.press,
    Feature.VOTE_CREATE: vote_create.press,
    Feature.MY_REPORTS: my_reports.press,
    Feature.TICKET: tickets.press,
    Feature.LANGUAGE: language.press,
    Feature.HOME: home.press,
    Feature.MUTE: mutes.press,
    Feature.REGISTRATION: staff.press,  # the decisions; the flow's buttons go to the engine
    Feature.MEETING: meetings.press,
    Feature.MEETING_CREATE: meetings.press_create,
    Feature.FREE_INPUT: free_input.press,
    Feature.THREAD: thread.press,
}


def core_buttons(services: Services) -> set[str]:
    """'v1:<feature>:<action>' of every button the core answers (for tests that press them
    all with forged arguments)."""
    found = {f"v1:{Feature.REGISTRATION.value}:{BEGIN}"}
    for feature, flow in services.dialogs.flows.items():
        found |= {f"v1:{feature.value}:{act.value}" for act in Act}
        found |= {f"v1:{feature.value}:{Act.PICK.value}:{step.name}" for step in flow.steps}
    found |= {f"v1:{Feature.VOTE.value}:{action}" for action in vote.ACTIONS}
    found |= {
        f"v1:{Feature.BROADCAST.value}:{action.value}"
        for action in broadcast_buttons.BroadcastAction
    }
    found |= {f"v1:{Feature.NOTICE.value}:{action.value}" for action in notices.NoticeAction}
    found |= {
        f"v1:{Feature.VOTE_CREATE.value}:{action.value}" for action in vote_create.VoteCreateAction
    }
    found |= {f"v1:{Feature.MY_REPORTS.value}:{a.value}" for a in my_reports.MyReportsAction}
    found |= {f"v1:{Feature.TICKET.value}:{action.value}" for action in tickets.TicketAction}
    found |= {f"v1:{Feature.FREE_INPUT.value}:{a.value}" for a in free_input.FreeAction}
    found |= {f"v1:{Feature.THREAD.value}:{a.value}" for a in thread.ThreadAction}
    for feature, actions in (
        (Feature.LANGUAGE, language.LanguageAction),
        (Feature.HOME, home.HomeAction),
        (Feature.MUTE, mutes.MuteAction),
        (Feature.REGISTRATION, staff.DecisionAction),
    ):
        found |= {f"v1:{feature.value}:{action.value}" for action in actions}
    found |= meetings.buttons()
    return found


async def pressed_feature(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A feature's button: its answer, a polite refusal, or "that button is old"."""
    try:
        return await PRESSES[pressed.feature](ctx, pressed)
    except StaleButton:
        return STALE
    except DomainError as error:
        return Reply(notice=refusal(error), alert=True)


MENU: dict[str, Entry] = {
    "menu.report": report,
    "menu.broadcast": broadcast.begin,
    "menu.votes": votes_list.show,
    "menu.notices": notices.show,
    "menu.my_reports": my_reports.show_mine,
    "menu.inbox": tickets.show_inbox,
    "menu.building": ticket_stats.show_building,
    "menu.stats": ticket_stats.show_stats,
    "menu.home": home.show,
    "menu.contact": contacts.show,
    "menu.pending": staff.pending,
    "menu.coverage": staff.coverage,
    "menu.help": start.explain,
    "menu.language": language.ask,
    "menu.meetings": meetings.show_meetings,
    "menu.threads": thread.show_list,
}


async def respond(services: Services, user: User, given: Input) -> Reply | None:
    """The core's reply to one input, or None when it has none."""
    ctx = Ctx(user=user, services=services, now=services.clock.now())
    dialogs = services.dialogs
    if given.kind is Kind.COMMAND:
        return await command(ctx, given)
    pressed = given.payload
    if pressed is not None and (pressed.feature, pressed.action) == (Feature.REGISTRATION, BEGIN):
        begun = await dialogs.begin(ctx, Feature.REGISTRATION)
        return begun.model_copy(update={"unbutton": True, "screens": _anew(begun)})
    if pressed is not None and pressed.feature in PRESSES:
        answer = await pressed_feature(ctx, pressed)
        if answer is not None:
            return answer
    if given.kind is Kind.TEXT and given.text.strip() in menu_words():
        entry = next((e for key, e in MENU.items() if given.text.strip() in labels_of(key)), None)
        return await entry(ctx) if entry is not None else None  # other items: their features
    taken = await dialogs.handle(ctx, given)
    return taken if taken is not None else await free_input.received(ctx, given)


def last_answer(given: Input) -> Reply:
    """What answers an input nothing took: an unknown command, /cancel with nothing running,
    stray words, an old button. The Telegram adapter asks it after the feature handlers not
    yet on the core; once every feature is, `respond` ends with it instead of None."""
    return fallback.last_answer(given)


async def answer(services: Services, user: User, given: Input) -> Reply:
    """The core's reply, or its last answer: for channels with no handlers of their own."""
    return await respond(services, user, given) or last_answer(given)


async def command(ctx: Ctx, given: Input) -> Reply | None:
    """/cancel ends the open flow (with none open, it is left to the feature handlers not yet
    on the core, then to `last_answer`); /start <code> opens registration; other commands
    go to their features."""
    if given.text == "cancel":
        return await ctx.services.dialogs.cancel(ctx, pressed=False)
    if given.text == "start" and given.args:
        return await invited(ctx, given.args[0])
    if given.text in ARGUED:
        return await ARGUED[given.text](ctx, given.args)
    entry = COMMANDS.get(given.text)
    return await entry(ctx) if entry is not None else None


async def invited(ctx: Ctx, code: str) -> Reply:
    """From a building's QR code: welcome, and registration at the unit."""
    services = ctx.services
    try:
        invitation = await services.invitations.resolve(code)
        compound = await services.registration.compound_of_building(invitation.building_id)
    except DomainError as error:
        return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
    draft = RegistrationDraft(compound=compound, building=invitation.building_id, invited=True)
    begun = await services.dialogs.begin(ctx, Feature.REGISTRATION, draft)
    welcome = screen(
        text("start.welcome", name=ctx.user.first_name), keyboard=Keyboard.MAIN_MENU, replace=False
    )
    return reply(welcome, *_anew(begun))


def _anew(begun: Reply) -> tuple[Screen, ...]:
    """The screens of a reply, each sent as a new message."""
    return tuple(s.model_copy(update={"replace": False}) for s in begun.screens)
