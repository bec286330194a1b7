"""The steps the menu and proposal flows share: the title, the scope and its places, when it
opens and closes; and how their steps answer what they cannot take (typed words where only
buttons are offered: "use the buttons"; a file, sticker or voice note: "not here")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.dialogs.engine import Ctx, Flow, Outcome, Stay
from bot.dialogs.steps import (
    Answer,
    Ask,
    PickMany,
    advance,
    answer,
    asks,
    fixed,
)
from bot.domain.homes import Choice
from bot.domain.vote_form import DURATIONS, VoteForm
from bot.domain.votes import VOTE_SCOPES
from bot.interaction.inputs import Input, Kind
from bot.interaction.screen import Text, reply, screen, text

F = TypeVar("F", bound=VoteForm)
Rows = Sequence[Sequence[Answer]]

NOT_HERE = "vote.not_here"
USE_BUTTONS = "reg.use_buttons"
NOW = "now"
KINDS = [[answer(kind.value, f"bc.kind_{kind.value}")] for kind in VOTE_SCOPES]


def retry(key: str, **params: str | int) -> Stay:
    """Stay on the step, saying `key` below it."""
    return Stay(reply(screen(text(key, **params), replace=False)))


@dataclass
class VoteAsk(Ask[F]):
    """An Ask where typed words, on a step that takes none, get "use the buttons"; anything
    else it cannot take gets "not here"."""

    wrong: str = NOT_HERE

    async def take(
        self, ctx: Ctx, flow: Flow[F], draft: F, state: dict[str, Any], given: Input
    ) -> Outcome[F]:
        """As Ask, with "use the buttons" for words it does not take."""
        if given.kind is Kind.TEXT and self.typed is None:
            return retry(USE_BUTTONS)
        return await super().take(ctx, flow, draft, state, given)


@dataclass
class Places(PickMany[F]):
    """The places ticked, as PickMany; a file, sticker or voice note is "not here"."""

    async def take(
        self, ctx: Ctx, flow: Flow[F], draft: F, state: dict[str, Any], given: Input
    ) -> Outcome[F]:
        """As PickMany, with "not here" for what is neither words nor a press."""
        if given.kind not in (Kind.PRESS, Kind.TEXT):
            return retry(NOT_HERE)
        return await super().take(ctx, flow, draft, state, given)


def timezone(ctx: Ctx) -> str:
    """The community's time zone: times are typed and shown in it."""
    return ctx.services.votes.timezone


# ---------------------------------------------------------------------------- the steps
# (`form_type` only tells the type checker which form a step is for)


def title_step(prefix: str, form_type: type[F]) -> VoteAsk[F]:
    """The title, typed (the first step: no Back)."""

    async def typed(ctx: Ctx, form: F, words: str) -> Outcome[F]:
        return advance(form.titled(words))

    return VoteAsk(
        name="title",
        prompt=asks(f"{prefix}_title"),
        typed=typed,
        back=lambda form: False,
    )


def scope_step(prefix: str, form_type: type[F]) -> VoteAsk[F]:
    """A compound, buildings or units."""

    async def chose(ctx: Ctx, form: F, value: str) -> Outcome[F]:
        return advance(form.of_kind(next(kind for kind in VOTE_SCOPES if kind.value == value)))

    return VoteAsk(
        name="scope",
        prompt=asks(f"{prefix}_scope"),
        answers=fixed(KINDS),
        chose=chose,
    )


def places_step(form_type: type[F]) -> Places[F]:
    """The places of the chosen kind, ticked (paged), at least one."""

    async def options(ctx: Ctx, form: F) -> list[Choice]:
        assert form.kind is not None  # asked only once a kind is chosen
        return await ctx.services.broadcasts.options(ctx.user, form.kind)

    def prompt(form: F, choices: list[Choice]) -> list[Text]:
        assert form.kind is not None
        return [text(f"bc.pick_{form.kind.value}")]

    async def chose(ctx: Ctx, form: F, ticks: list[int]) -> Outcome[F]:
        return advance(form.with_places(ticks))

    return Places(
        name="places", options=options, prompt=prompt, chose=chose, ticked=lambda form: form.ids
    )


def opens_step(prefix: str, form_type: type[F]) -> VoteAsk[F]:
    """Now, or a typed time."""

    async def chose(ctx: Ctx, form: F, value: str) -> Outcome[F]:
        return advance(form.opening_now(ctx.now))

    async def typed(ctx: Ctx, form: F, words: str) -> Outcome[F]:
        return advance(form.opening_at(words, ctx.now, timezone(ctx)))

    return VoteAsk(
        name="opens",
        prompt=asks(f"{prefix}_opens"),
        answers=fixed([[answer(NOW, "vote.open_now")]]),
        chose=chose,
        typed=typed,
    )


def closes_step(prefix: str, form_type: type[F]) -> VoteAsk[F]:
    """In 3, 7 or 14 days, or a typed time after the opening."""

    async def chose(ctx: Ctx, form: F, value: str) -> Outcome[F]:
        return advance(form.closing_in(int(value)))

    async def typed(ctx: Ctx, form: F, words: str) -> Outcome[F]:
        return advance(form.closing_at(words, ctx.now, timezone(ctx)))

    days = [answer(days, "vote.days", days=days) for days in DURATIONS]
    return VoteAsk(
        name="closes",
        prompt=asks(f"{prefix}_closes"),
        answers=fixed([days]),
        chose=chose,
        typed=typed,
    )
