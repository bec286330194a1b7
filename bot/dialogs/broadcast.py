"""📢 Broadcast, for grid workers (their grid) and staff (any scope): the words (or a photo or
document with its caption) → the kind of audience → the places (ticked, paged) or a role →
all or only vulnerable households → urgent or not → now, this evening, tomorrow morning or a
typed time → preview with how many households and people it reaches, and when it really goes
out (quiet hours hold a non-urgent one until morning) → Confirm. Back and Cancel work at every
step. The progress line and the final report arrive later, as pushes from the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.dialogs.engine import Ctx, Flow, Outcome, Step, refusal
from bot.dialogs.steps import (
    Answer,
    Ask,
    PickMany,
    advance,
    answer,
    asks,
    one_a_row,
)
from bot.domain.broadcast_form import ROLES, BroadcastForm, SendTime
from bot.domain.errors import DomainError
from bot.domain.homes import Choice
from bot.domain.messages import Attachment
from bot.domain.models import Role
from bot.domain.scope import Scope, ScopeKind
from bot.domain.wording import time_words
from bot.features.broadcast import stop_option
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, Text, reply, screen, text

Rows = Sequence[Sequence[Answer]]


async def begin(ctx: Ctx) -> Reply:
    """📢 or /broadcast: for grid workers and staff only."""
    try:
        await ctx.services.broadcasts.kinds(ctx.user)
    except DomainError as error:
        return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
    return await ctx.services.dialogs.begin(ctx, Feature.BROADCAST)


# ---------------------------------------------------------------------------- the words


async def typed(ctx: Ctx, form: BroadcastForm, words: str) -> Outcome[BroadcastForm]:
    return advance(BroadcastForm.composed(words))


async def sent_file(
    ctx: Ctx, form: BroadcastForm, file: Attachment, caption: str
) -> Outcome[BroadcastForm]:
    return advance(BroadcastForm.composed(caption, file))


# ---------------------------------------------------------------------------- the audience


async def kinds(ctx: Ctx, form: BroadcastForm) -> Rows:
    offered = await ctx.services.broadcasts.kinds(ctx.user)
    return [[answer(kind.value, f"bc.kind_{kind.value}")] for kind in offered]


async def chose_kind(ctx: Ctx, form: BroadcastForm, value: str) -> Outcome[BroadcastForm]:
    return advance(form.of_kind(ScopeKind(value)))


async def places(ctx: Ctx, form: BroadcastForm) -> list[Choice]:
    """The places of the chosen kind the author may send to."""
    assert form.kind is not None  # the step applies only once a kind with places is chosen
    return await ctx.services.broadcasts.options(ctx.user, form.kind)


def ask_places(form: BroadcastForm, choices: list[Choice]) -> list[Text]:
    assert form.kind is not None
    return [text(f"bc.pick_{form.kind.value}" if choices else "bc.none_to_pick")]


async def picked(ctx: Ctx, form: BroadcastForm, ticks: list[int]) -> Outcome[BroadcastForm]:
    return advance(form.model_copy(update={"ids": tuple(ticks)}))


async def chose_role(ctx: Ctx, form: BroadcastForm, value: str) -> Outcome[BroadcastForm]:
    return advance(form.model_copy(update={"role": Role(value)}))


async def chose_vulnerable(ctx: Ctx, form: BroadcastForm, value: str) -> Outcome[BroadcastForm]:
    return advance(form.model_copy(update={"vulnerable": value == "1"}))


async def chose_urgent(ctx: Ctx, form: BroadcastForm, value: str) -> Outcome[BroadcastForm]:
    return advance(form.model_copy(update={"urgent": value == "1"}))


# ---------------------------------------------------------------------------- when


async def chose_when(ctx: Ctx, form: BroadcastForm, value: str) -> Outcome[BroadcastForm]:
    zone = ctx.services.broadcasts.timezone
    return advance(form.at(SendTime(value), ctx.now, zone))


async def typed_time(ctx: Ctx, form: BroadcastForm, words: str) -> Outcome[BroadcastForm]:
    return advance(form.typed_at(words, ctx.now, ctx.services.broadcasts.timezone))


def when_words(ctx: Ctx, form: BroadcastForm) -> Text:
    """When it goes out: now, at its time, or — non-urgent in quiet hours — when they end,
    said as such."""
    service = ctx.services.broadcasts
    held = service.held_until(urgent=form.urgent, send_at=form.send_at)
    if held is not None:
        return text("bc.held", when=time_words(held, service.timezone))
    if form.send_at is not None:
        return text("dialog.words", words=time_words(form.send_at, service.timezone))
    return text("bc.now")


# ---------------------------------------------------------------------------- preview


async def scope_words(ctx: Ctx, scope: Scope) -> Text:
    """The audience in words: its kind, the places or role chosen, vulnerable only."""
    said = text(f"bc.kind_{scope.kind.value}")
    if scope.role is not None:
        said = text("bc.scope_named", kind=said, names=text(f"bc.role_{scope.role.value}"))
    elif scope.ids:
        options = await ctx.services.broadcasts.options(ctx.user, scope.kind)
        names = "、".join(choice.label for choice in options if choice.id in scope.ids)
        said = text("bc.scope_named", kind=said, names=names)
    if scope.vulnerable_only:
        said = text("bc.scope_vulnerable", scope=said, only=text("bc.vulnerable_only"))
    return said


async def ask_preview(ctx: Ctx, form: BroadcastForm, state: dict[str, Any]) -> list[Text]:
    """What will be sent, to whom, when, and how many it reaches now."""
    scope = form.scope()
    reach = await ctx.services.broadcasts.reach(ctx.user, scope)
    texts = [
        text(
            "bc.preview",
            body=form.body,
            scope=await scope_words(ctx, scope),
            urgent=text("bc.urgent" if form.urgent else "bc.normal"),
            when=when_words(ctx, form),
            households=reach.households,
            registered=reach.registered_households,
            people=reach.people,
            unregistered=reach.unregistered_households,
        )
    ]
    if form.attachment is not None:
        texts.append(text(f"bc.with_{form.attachment.kind}"))
    if reach.people == 0:
        texts.append(text("dialog.paragraph", words=text("bc.nobody_registered")))
    return texts


async def confirmed(ctx: Ctx, form: BroadcastForm, value: str) -> Outcome[BroadcastForm]:
    return advance(form)


class BroadcastFlow(Flow[BroadcastForm]):
    """The broadcast flow."""

    feature = Feature.BROADCAST
    draft_type = BroadcastForm
    cancelled = "bc.cancelled"
    counted = True  # "第 2/7 步" on each step before the preview (the engine)
    sub_steps = frozenset({"places", "role", "time"})  # asked as part of the step before
    unnumbered = frozenset({"preview"})
    steps: Sequence[Step[BroadcastForm]] = (
        Ask(
            name="text",
            prompt=asks("bc.ask_text"),
            typed=typed,
            captioned=sent_file,
            media_kinds=frozenset({"photo", "document"}),
            wrong="bc.text_only",
            back=lambda form: False,
        ),
        Ask(name="kind", prompt=asks("bc.ask_kind"), answers=kinds, chose=chose_kind),
        PickMany(
            name="places",
            options=places,
            prompt=ask_places,
            chose=picked,
            ticked=lambda form: form.ids,
            when=lambda form: form.picks_places,
        ),
        Ask(
            name="role",
            prompt=asks("bc.ask_role"),
            answers=one_a_row(*(answer(role.value, f"bc.role_{role.value}") for role in ROLES)),
            chose=chose_role,
            when=lambda form: form.by_role,
        ),
        Ask(
            name="vuln",
            prompt=asks("bc.ask_vulnerable"),
            answers=one_a_row(answer(0, "bc.all_households"), answer(1, "bc.vulnerable_only")),
            chose=chose_vulnerable,
            when=lambda form: form.by_household,
        ),
        Ask(
            name="urgent",
            prompt=asks("bc.ask_urgent"),
            answers=one_a_row(answer(1, "bc.urgent"), answer(0, "bc.normal")),
            chose=chose_urgent,
        ),
        Ask(
            name="when",
            prompt=asks("bc.ask_when"),
            answers=one_a_row(
                answer(SendTime.NOW, "bc.now"),
                answer(SendTime.EVENING, "bc.evening"),
                answer(SendTime.MORNING, "bc.morning"),
                answer(SendTime.TYPED, "bc.type_time"),
            ),
            chose=chose_when,
        ),
        Ask(
            name="time",
            prompt=asks("bc.ask_time"),
            typed=typed_time,
            wrong="bc.text_only",
            when=lambda form: form.awaits_typed_time,
        ),
        Ask(
            name="preview",
            prompt=ask_preview,
            answers=one_a_row(answer("ok", "bc.confirm")),
            chose=confirmed,
        ),
    )

    async def finish(self, ctx: Ctx, draft: BroadcastForm) -> Reply:
        """Create the broadcast: it starts now, waits for quiet hours to end, or waits for its
        time (with a button to cancel it until then)."""
        service = ctx.services.broadcasts
        try:
            broadcast = await service.create(ctx.user, draft.draft())
        except DomainError as error:
            return reply(screen(refusal(error)))
        zone = service.timezone
        waiting = broadcast.started_at is None
        stop = ((stop_option(broadcast.id),),) if waiting else ()
        held = service.held_until(urgent=broadcast.urgent, send_at=broadcast.send_at)
        if held is not None:  # quiet hours: it waits until they end, and says so
            key = "bc.scheduled_held" if waiting else "bc.started_held"
            said = text(key, id=broadcast.id, when=time_words(held, zone))
            return reply(screen(said, options=stop))
        if not waiting:
            return reply(screen(text("bc.started", id=broadcast.id)))
        when = time_words(broadcast.send_at, zone)
        return reply(screen(text("bc.scheduled", id=broadcast.id, when=when), options=stop))
