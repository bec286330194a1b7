"""Registration: compound → building → unit → room (one picker message edited as the person
goes), then share the phone or skip; a phone that matches the roster links the household at
once, otherwise the building's grid worker approves. From a stairwell QR code the building is
known and the flow starts at the unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.dialogs.engine import Ctx, End, Flow, Outcome, Step, refusal
from bot.dialogs.steps import Phone, Pick, advance
from bot.domain.contacts import with_contact
from bot.domain.errors import DomainError
from bot.domain.homes import Choice, RegistrationDraft, place_text
from bot.domain.models import MembershipStatus
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, Screen, Text, reply, screen, text

LEVELS = RegistrationDraft.LEVELS


async def options(ctx: Ctx, draft: RegistrationDraft, level: str) -> list[Choice]:
    """The compounds, or the buildings / units / rooms of the level above."""
    service = ctx.services.registration
    if level == "compound":
        return await service.compounds()
    if level == "building":
        return await service.buildings(draft.compound or 0)
    if level == "unit":
        return await service.units(draft.building or 0)
    return await service.rooms(draft.unit or 0)


def level_step(level: str) -> Pick[RegistrationDraft]:
    """The picking step of one level ("哪一栋楼？", under the engine's "第 2/5 步")."""

    async def offered(ctx: Ctx, draft: RegistrationDraft) -> list[Choice]:
        return await options(ctx, draft, level)

    def prompt(draft: RegistrationDraft, choices: list[Choice]) -> Sequence[Text]:
        return (text(f"reg.ask_{level}" if choices else f"reg.none_{level}"),)

    async def chosen(
        ctx: Ctx, draft: RegistrationDraft, choice: Choice
    ) -> Outcome[RegistrationDraft]:
        picked = draft.choose(level, choice.id)
        if level != "room":
            return advance(picked)
        return await room_chosen(ctx, picked, choice.id)

    return (RoomPick if level == "room" else Pick)(
        name=level[0],
        options=offered,
        prompt=prompt,
        chosen=chosen,
        done=lambda draft: getattr(draft, level) is not None,
        back=level != "compound",
    )


@dataclass
class RoomPick(Pick[RegistrationDraft]):
    """The room picker: a unit with no flats listed says whom to contact (the building's grid
    worker, with name and phone when known)."""

    async def ask(
        self,
        ctx: Ctx,
        flow: Flow[RegistrationDraft],
        draft: RegistrationDraft,
        state: dict[str, Any],
    ) -> Screen:
        """The picker; "no flats: contact your grid worker" names them."""
        shown = await super().ask(ctx, flow, draft, state)
        if not shown.texts or shown.texts[-1].key != "reg.none_room" or draft.building is None:
            return shown
        worker = await ctx.services.contacts.grid_worker(draft.building)
        key, params = with_contact("reg.none_room", worker)
        return shown.model_copy(update={"texts": (*shown.texts[:-1], text(key, **params))})


async def room_chosen(
    ctx: Ctx, draft: RegistrationDraft, household_id: int
) -> Outcome[RegistrationDraft]:
    """Said in place of the picker: the room chosen, or that the person already belongs."""
    registration = ctx.services.registration
    place = place_text(await registration.place(household_id))
    for home in await registration.homes(ctx.user):
        if home.household_id == household_id:
            approved = home.status is MembershipStatus.APPROVED
            key = "reg.already_member" if approved else "reg.already_pending"
            return End(reply(screen(text(key, place=place))))
    return advance(draft, screen(text("reg.chosen", place=place)))


async def phone_given(
    ctx: Ctx, draft: RegistrationDraft, phone: str | None
) -> Outcome[RegistrationDraft]:
    """The phone (or none) goes with the request at the end."""
    return advance(draft.model_copy(update={"phone": phone}))


class Registration(Flow[RegistrationDraft]):
    """The registration flow."""

    feature = Feature.REGISTRATION
    draft_type = RegistrationDraft
    cancelled = "reg.cancelled"
    counted = True  # "第 2/5 步" on each step (the engine)
    steps: Sequence[Step[RegistrationDraft]] = (
        *(level_step(level) for level in LEVELS),
        Phone(name="p", prompt="reg.ask_phone", given=phone_given),
    )

    def after_cancel(self, *, pressed: bool) -> Reply:
        """Cancelled: after a press, the picker says so and the main menu comes back."""
        if not pressed:
            return super().after_cancel(pressed=False)
        menu = screen(text("reg.back_to_menu"), keyboard=Keyboard.MAIN_MENU, replace=False)
        return reply(screen(text("reg.cancelled")), menu)

    async def finish(self, ctx: Ctx, draft: RegistrationDraft) -> Reply:
        """Send the request: linked at once, or waiting for the grid worker."""
        try:
            result = await ctx.services.registration.request(
                ctx.user, draft.room or 0, draft.phone
            )
        except DomainError as error:
            return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
        approved = result.status is MembershipStatus.APPROVED
        key = "reg.approved" if approved else "reg.pending"
        done = text(key, place=place_text(result.place))
        return reply(screen(done, keyboard=Keyboard.MAIN_MENU, replace=False))
