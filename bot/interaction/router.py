"""The core's answer to whatever a person sends: commands, presses and free input go to the
flow or feature they belong to. A channel adapter turns its update into an `Input`, calls
`respond`, and renders the reply; None means the core has no answer (yet: features not moved
onto the engine are still answered by the adapter's own handlers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialogs.engine import Ctx
from bot.domain.errors import DomainError
from bot.domain.homes import RegistrationDraft
from bot.interaction.inputs import Input, Kind
from bot.interaction.menu import menu_words
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, Screen, reply, screen, text

if TYPE_CHECKING:
    from bot.domain.models import User
    from bot.services import Services


BEGIN = "begin"  # the press of "register my home" / "add another home"


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
    if given.kind is Kind.TEXT and given.text.strip() in menu_words():
        return None  # a main-menu button works in the middle of a flow
    return await dialogs.handle(ctx, given)


async def command(ctx: Ctx, given: Input) -> Reply | None:
    """/cancel ends the open flow; /register and /start <code> open registration."""
    dialogs = ctx.services.dialogs
    if given.text == "cancel":
        return await dialogs.cancel(ctx, pressed=False)
    if given.text == "register":
        return await dialogs.begin(ctx, Feature.REGISTRATION)
    if given.text == "start" and given.args:
        return await invited(ctx, given.args[0])
    return None


async def invited(ctx: Ctx, code: str) -> Reply:
    """From a building's QR code: welcome, and registration at the unit."""
    services = ctx.services
    try:
        invitation = await services.invitations.resolve(code)
        compound = await services.registration.compound_of_building(invitation.building_id)
    except DomainError as error:
        refused = text(error.key, **{k: str(v) for k, v in error.params.items()})
        return reply(screen(refused, keyboard=Keyboard.MAIN_MENU, replace=False))
    draft = RegistrationDraft(compound=compound, building=invitation.building_id, invited=True)
    begun = await services.dialogs.begin(ctx, Feature.REGISTRATION, draft)
    welcome = screen(
        text("start.welcome", name=ctx.user.first_name), keyboard=Keyboard.MAIN_MENU, replace=False
    )
    return reply(welcome, *_anew(begun))


def _anew(begun: Reply) -> tuple[Screen, ...]:
    """The screens of a reply, each sent as a new message."""
    return tuple(s.model_copy(update={"replace": False}) for s in begun.screens)
