"""The kinds of step a flow is made of: pick one of a list (paged), share a phone, … .

A step kind knows how to ask and how to check an answer; what it asks about (which options,
which words, what the answer changes in the draft) is given by the flow that uses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from bot.dialogs.engine import (
    Act,
    Advance,
    Back,
    Cancel,
    Ctx,
    D,
    Flow,
    Outcome,
    Stay,
    Step,
)
from bot.domain.homes import Choice, paginate
from bot.i18n import all_labels
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import StaleButton
from bot.interaction.screen import Keyboard, Option, Screen, Text, option, reply, screen, text

Options = Callable[[Ctx, D], Awaitable[list[Choice]]]
Prompt = Callable[[D, list[Choice]], Sequence[Text]]
Chosen = Callable[[Ctx, D, Choice], Awaitable[Outcome[D]]]


@dataclass
class Pick(Step[D], Generic[D]):
    """Choose one of a list: `columns` buttons a row, `page_size` a page, ‹ n/N › to page.

    `chosen` takes the choice (one of the options offered now: anything else is a stale
    button) and says what happens next. Typed words or a file get `use_buttons`.
    """

    name: str
    options: Options[D]
    prompt: Prompt[D]
    chosen: Chosen[D]
    done: Callable[[D], bool] = lambda draft: False
    columns: int = 3
    page_size: int = 12
    back: bool = True
    use_buttons: str = "reg.use_buttons"

    def answered(self, draft: D) -> bool:
        """The draft holds this step's choice."""
        return self.done(draft)

    async def ask(self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any]) -> Screen:
        """The prompt and a page of options."""
        choices = await self.options(ctx, draft)
        shown, page, pages = paginate(choices, int(state.get("page", 0)), self.page_size)
        rows: list[tuple[Option, ...]] = [
            tuple(
                option(self.press(flow, Act.PICK, choice.id), literal=choice.label)
                for choice in shown[i : i + self.columns]
            )
            for i in range(0, len(shown), self.columns)
        ]
        if pages > 1:
            rows.append(
                (
                    option(self.press(flow, Act.PAGE, (page - 1) % pages), "reg.prev"),
                    option(self.press(flow, Act.PAGE, page), literal=f"{page + 1}/{pages}"),
                    option(self.press(flow, Act.PAGE, (page + 1) % pages), "reg.next"),
                )
            )
        rows.append(flow.nav(back=self.back))
        return screen(*self.prompt(draft, choices), options=tuple(rows))

    async def take(
        self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any], given: Input
    ) -> Outcome[D]:
        """A press on an option or a page; anything else: use the buttons."""
        pressed = given.payload
        if given.kind is not Kind.PRESS or pressed is None:
            return Stay(reply(screen(text(self.use_buttons), replace=False)))
        if pressed.action == Act.PAGE:
            turned = {**state, "page": pressed.number(1)}
            return Stay(reply(await self.ask(ctx, flow, draft, turned)), state=turned)
        if pressed.action != Act.PICK:
            raise StaleButton(f"{pressed.action} on a list")
        wanted = pressed.number(1)
        choice = next((c for c in await self.options(ctx, draft) if c.id == wanted), None)
        if choice is None:
            raise StaleButton("not an offered option")
        return await self.chosen(ctx, draft, choice)


PhoneGiven = Callable[[Ctx, D, str | None], Awaitable[Outcome[D]]]


@dataclass
class Phone(Step[D], Generic[D]):
    """Share the phone (only one's own number counts) or skip; Back and Cancel are on the same
    keyboard, so they come as typed words."""

    name: str
    prompt: str
    given: PhoneGiven[D]
    own_only: str = "reg.own_phone_only"
    buttons: str = "reg.phone_buttons"

    async def ask(self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any]) -> Screen:
        """The question with the share-my-phone keyboard."""
        return screen(text(self.prompt), keyboard=Keyboard.CONTACT, replace=False)

    async def take(
        self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any], given: Input
    ) -> Outcome[D]:
        """A contact, or the words of one of the keyboard's buttons."""
        if given.kind is Kind.CONTACT:
            if not given.own:
                return Stay(reply(screen(text(self.own_only), **AGAIN)))
            return await self.given(ctx, draft, given.phone)
        words = given.text.strip() if given.kind is Kind.TEXT else ""
        if words in all_labels("reg.skip_phone"):
            return await self.given(ctx, draft, None)
        if words in all_labels("reg.back"):
            return Back()
        if words in all_labels("reg.cancel"):
            return Cancel()
        if given.kind is Kind.PRESS:
            raise StaleButton("no buttons on this step")
        return Stay(reply(screen(text(self.buttons), **AGAIN)))


AGAIN: dict[str, Any] = {"keyboard": Keyboard.CONTACT, "replace": False}


def advance(draft: D, *said: Screen) -> Advance[D]:
    """On to the next step, after `said`."""
    return Advance(draft, said)
