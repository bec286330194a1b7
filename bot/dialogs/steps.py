"""The kinds of step a flow is made of: pick one of a list (paged), share a phone, … .

A step kind knows how to ask and how to check an answer; what it asks about (which options,
which words, what the answer changes in the draft) is given by the flow that uses it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from bot.dialogs.engine import (
    EDITING,
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
from bot.domain.messages import Attachment
from bot.domain.text import words
from bot.i18n import all_labels
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import StaleButton
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


ChoseMany = Callable[[Ctx, D, list[int]], Awaitable[Outcome[D]]]


@dataclass
class PickMany(Step[D], Generic[D]):
    """Tick several of a list (✅), two a row, `page_size` a page, then "✔ Done (n)"; at least
    one must be ticked. The ticks live in the step's state until Done."""

    name: str
    options: Options[D]
    prompt: Prompt[D]
    chose: ChoseMany[D]
    ticked: Callable[[D], Sequence[int]] = lambda draft: ()
    done: Callable[[D], bool] = lambda draft: False
    when: Callable[[D], bool] = lambda draft: True
    page_size: int = 12
    none_ticked: str = "bc.pick_one"
    use_buttons: str = "reg.use_buttons"

    def applies(self, draft: D) -> bool:
        """Whether this draft needs the step (`when`)."""
        return self.when(draft)

    def answered(self, draft: D) -> bool:
        """The draft holds this step's choice (`done`)."""
        return self.done(draft)

    def _ticks(self, draft: D, state: dict[str, Any]) -> list[int]:
        return list(state["ticks"]) if "ticks" in state else list(self.ticked(draft))

    async def ask(self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any]) -> Screen:
        """The prompt, a page of options with their ticks, Done and « Back / ✖ Cancel."""
        choices = await self.options(ctx, draft)
        ticks = self._ticks(draft, state)
        shown, page, pages = paginate(choices, int(state.get("page", 0)), self.page_size)
        rows: list[tuple[Option, ...]] = [
            tuple(
                option(
                    self.press(flow, Act.TOGGLE, choice.id),
                    literal=("✅ " if choice.id in ticks else "") + choice.label,
                )
                for choice in shown[i : i + 2]
            )
            for i in range(0, len(shown), 2)
        ]
        if pages > 1:
            rows.append(
                (
                    option(self.press(flow, Act.PAGE, (page - 1) % pages), "reg.prev"),
                    option(self.press(flow, Act.PAGE, page), literal=f"{page + 1}/{pages}"),
                    option(self.press(flow, Act.PAGE, (page + 1) % pages), "reg.next"),
                )
            )
        rows.append((option(self.press(flow, Act.DONE), "bc.done", count=len(ticks)),))
        rows.append(flow.nav(back=True))
        return screen(*self.prompt(draft, choices), options=tuple(rows))

    async def take(
        self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any], given: Input
    ) -> Outcome[D]:
        """A tick, a page, or Done (with at least one ticked)."""
        pressed = given.payload
        if given.kind is not Kind.PRESS or pressed is None:
            return Stay(reply(screen(text(self.use_buttons), replace=False)))
        ticks = self._ticks(draft, state)
        if pressed.action == Act.TOGGLE:
            wanted = pressed.number(1)
            if wanted not in {choice.id for choice in await self.options(ctx, draft)}:
                raise StaleButton("not an offered option")
            ticks = [t for t in ticks if t != wanted] if wanted in ticks else [*ticks, wanted]
            changed = {**state, "ticks": ticks}
            return Stay(reply(await self.ask(ctx, flow, draft, changed)), state=changed)
        if pressed.action == Act.PAGE:
            turned = {**state, "ticks": ticks, "page": pressed.number(1)}
            return Stay(reply(await self.ask(ctx, flow, draft, turned)), state=turned)
        if pressed.action != Act.DONE:
            raise StaleButton(f"{pressed.action} on a list to tick")
        if not ticks:
            return Stay(Reply(notice=text(self.none_ticked), alert=True))
        return await self.chose(ctx, draft, ticks)


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
    done: Callable[[D], bool] = lambda draft: False

    def answered(self, draft: D) -> bool:
        """The draft holds this step's answer (`done`: shared or skipped)."""
        return self.done(draft)

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


@dataclass(frozen=True)
class Answer:
    """One button of an `Ask` step: the value it gives, and its label (a catalog key with its
    parameters, or literal words)."""

    value: str
    key: str = ""
    literal: str = ""
    params: tuple[tuple[str, str | int], ...] = ()


def answer(value: object, key: str = "", *, literal: str = "", **params: str | int) -> Answer:
    """A button of an Ask step."""
    return Answer(str(value), key, literal, tuple(params.items()))


AskPrompt = Callable[[Ctx, D, dict[str, Any]], Awaitable[Sequence[Text] | None]]
Answers = Callable[[Ctx, D], Awaitable[Sequence[Sequence[Answer]]]]
Took = Callable[[Ctx, D, str], Awaitable[Outcome[D]]]
TookMedia = Callable[[Ctx, D, Attachment, dict[str, Any]], Awaitable[Outcome[D]]]
TookCaptioned = Callable[[Ctx, D, Attachment, str], Awaitable[Outcome[D]]]


def asks(key: str, **params: str | int) -> AskPrompt[Any]:
    """A prompt that is one catalog text, whatever the draft."""

    async def prompt(ctx: Ctx, draft: Any, state: dict[str, Any]) -> list[Text]:
        return [text(key, **params)]

    return prompt


def fixed(rows: Sequence[Sequence[Answer]]) -> Answers[Any]:
    """Buttons that do not depend on the draft."""

    async def answers(ctx: Ctx, draft: Any) -> Sequence[Sequence[Answer]]:
        return rows

    return answers


def one_a_row(*answers: Answer) -> Answers[Any]:
    """Fixed buttons, one a row."""
    return fixed([[one] for one in answers])


async def no_answers(ctx: Ctx, draft: Any) -> Sequence[Sequence[Answer]]:
    """A step with nothing to press but Back and Cancel."""
    return ()


@dataclass
class Ask(Step[D], Generic[D]):
    """A question answered by a button, by typing (`typed`, words bounded by `limit`) or by
    sending a photo, voice note or file (`media`, of `media_kinds`; or `captioned`, which
    also gets the words sent with it, "" when none). Anything else gets `wrong`. A prompt of
    None skips the step (nothing to ask for this draft)."""

    name: str
    prompt: AskPrompt[D]
    answers: Answers[D] = no_answers
    chose: Took[D] | None = None
    typed: Took[D] | None = None
    limit: int = 0
    media: TookMedia[D] | None = None
    media_kinds: frozenset[str] = frozenset()
    captioned: TookCaptioned[D] | None = None
    wrong: str = "reg.use_buttons"
    back: Callable[[D], bool] = lambda draft: True
    done: Callable[[D], bool] = lambda draft: False
    when: Callable[[D], bool] = lambda draft: True

    def applies(self, draft: D) -> bool:
        """Whether this draft needs the step (`when`)."""
        return self.when(draft)

    def answered(self, draft: D) -> bool:
        """The draft holds this step's answer (`done`)."""
        return self.done(draft)

    async def ask(self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any]) -> Screen | None:
        """The prompt and its buttons, then « Back / ✖ Cancel."""
        texts = await self.prompt(ctx, draft, state)
        if texts is None:
            return None
        rows: list[tuple[Option, ...]] = [
            tuple(
                option(
                    self.press(flow, Act.PICK, one.value),
                    one.key,
                    literal=one.literal,
                    **dict(one.params),
                )
                for one in row
            )
            for row in await self.answers(ctx, draft)
        ]
        rows.append(flow.nav(back=self.back(draft) or bool(state.get(EDITING))))
        return screen(*texts, options=tuple(rows))

    async def take(
        self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any], given: Input
    ) -> Outcome[D]:
        """A button that is offered now, typed words, or a file of the kinds taken."""
        if given.kind is Kind.PRESS and given.payload is not None:
            offered = {one.value for row in await self.answers(ctx, draft) for one in row}
            value = given.payload.arg(1)
            if given.payload.action != Act.PICK or value not in offered or self.chose is None:
                raise StaleButton("not an offered answer")
            return await self.chose(ctx, draft, value)
        if given.kind is Kind.TEXT and self.typed is not None:
            return await self.typed(ctx, draft, words(given.text, self.limit) if self.limit
                                    else given.text)  # fmt: skip
        if given.media is not None and given.media.kind in self.media_kinds:
            if self.captioned is not None:
                return await self.captioned(ctx, draft, given.media, given.text)
            if self.media is not None:
                return await self.media(ctx, draft, given.media, state)
        return Stay(reply(screen(text(self.wrong), replace=False)))


def advance(draft: D, *said: Screen) -> Advance[D]:
    """On to the next step, after `said`."""
    return Advance(draft, said)
