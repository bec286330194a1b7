"""📣 A construction or outage notice, for grid workers (their buildings) and staff: water,
power, gas or works → buildings or units → the places (ticked, paged) → start → end → what
happens (or skip) → temporary arrangements (or skip) → preview with how many it reaches and
which reminders residents will get → Confirm. Back and Cancel work at every step.

The same flow moves a notice's time (✏ on a notice, see bot/features/notices.py): only the
new start and end are asked (with Cancel, no Back), and the change is made when the end is
typed; a refusal asks the end again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.dialogs.engine import Ctx, End, Flow, Outcome, Step, refusal
from bot.dialogs.steps import (
    Answer,
    Ask,
    PickMany,
    advance,
    answer,
    asks,
    one_a_row,
)
from bot.domain.errors import DomainError
from bot.domain.homes import Choice
from bot.domain.notice_form import PLACE_KINDS, NoticeForm
from bot.domain.notices import EVENING_KIND, HOUR_KIND, Notice, NoticeKind, window_text
from bot.domain.scope import ScopeKind
from bot.domain.wording import time_words
from bot.interaction.payload import Feature
from bot.interaction.screen import Keyboard, Reply, Text, reply, screen, text

Rows = Sequence[Sequence[Answer]]
SKIP = "skip"  # the value of the Skip button of the details and the arrangements


async def begin(ctx: Ctx) -> Reply:
    """/notice: for grid workers and staff only."""
    try:
        ctx.services.broadcasts.require_manager(ctx.user)
    except DomainError as error:
        return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
    return await ctx.services.dialogs.begin(ctx, Feature.NOTICE)


def notice_words(ctx: Ctx, notice: Notice) -> Text:
    """One notice as a resident reads it."""
    card = ctx.services.notices.message(notice, "notice.view")
    return Text(key=card.key, params=dict(card.params), labels=card.labels)


def reminders_words(ctx: Ctx, starts_at: datetime) -> Text:
    """Which reminders residents will get: only those still ahead."""
    service = ctx.services.notices
    times = service.reminders(starts_at)
    hour, evening = times.get(HOUR_KIND), times.get(EVENING_KIND)
    if hour is None:
        return text("notice.reminders_none")
    if evening is None:
        return text("notice.reminders_hour", hour=time_words(hour, service.timezone))
    return text(
        "notice.reminders_both",
        evening=time_words(evening, service.timezone),
        hour=time_words(hour, service.timezone),
    )


def creating(form: NoticeForm) -> bool:
    """The steps only a new notice has."""
    return not form.changing


# ---------------------------------------------------------------------------- what, where


async def chose_kind(ctx: Ctx, form: NoticeForm, value: str) -> Outcome[NoticeForm]:
    """Water, power, gas or works."""
    return advance(form.of_kind(NoticeKind(value)))


async def chose_places(ctx: Ctx, form: NoticeForm, value: str) -> Outcome[NoticeForm]:
    """Buildings or units: none ticked yet."""
    return advance(form.of_places(ScopeKind(value)))


async def places(ctx: Ctx, form: NoticeForm) -> list[Choice]:
    """The buildings or units the author manages."""
    assert form.places is not None  # asked only after buildings or units is chosen
    return await ctx.services.broadcasts.options(ctx.user, form.places)


def ask_places(form: NoticeForm, choices: list[Choice]) -> list[Text]:
    """Tick the buildings or units."""
    assert form.places is not None
    return [text(f"bc.pick_{form.places.value}")]


async def ticked(ctx: Ctx, form: NoticeForm, ticks: list[int]) -> Outcome[NoticeForm]:
    """The places ticked (Done needs one)."""
    return advance(form.ticked(ticks))


# ---------------------------------------------------------------------------- when


async def ask_start(ctx: Ctx, form: NoticeForm, state: dict[str, Any]) -> list[Text]:
    """When it starts (a changed notice's new start names it)."""
    if form.change is not None:
        return [text("notice.ask_new_start", id=form.change)]
    return [text("notice.ask_start")]


async def typed_start(ctx: Ctx, form: NoticeForm, words: str) -> Outcome[NoticeForm]:
    """The start, in community time."""
    return advance(form.started(words, ctx.now, ctx.services.notices.timezone))


async def typed_end(ctx: Ctx, form: NoticeForm, words: str) -> Outcome[NoticeForm]:
    """The end: a new notice goes on to its details; a changed one is changed now (everyone
    in scope is told), or the service's refusal asks the end again."""
    service = ctx.services.notices
    ended = form.ended(words, ctx.now, service.timezone)
    if ended.change is None:
        return advance(ended)
    assert ended.starts_at is not None
    assert ended.ends_at is not None
    notice = await service.change(ctx.user, ended.change, ended.starts_at, ended.ends_at)
    window = window_text(notice.starts_at, notice.ends_at, service.timezone)
    said = text("notice.changed_ok", id=notice.id, window=window)
    return End(reply(screen(said, keyboard=Keyboard.MAIN_MENU, replace=False)))


# ---------------------------------------------------------------------------- what and how


async def typed_details(ctx: Ctx, form: NoticeForm, words: str) -> Outcome[NoticeForm]:
    """What happens."""
    return advance(form.described(words))


async def skipped_details(ctx: Ctx, form: NoticeForm, value: str) -> Outcome[NoticeForm]:
    """No details."""
    return advance(form.described(None))


async def typed_arrangements(ctx: Ctx, form: NoticeForm, words: str) -> Outcome[NoticeForm]:
    """The temporary arrangements."""
    return advance(form.arranged(words))


async def skipped_arrangements(ctx: Ctx, form: NoticeForm, value: str) -> Outcome[NoticeForm]:
    """No arrangements."""
    return advance(form.arranged(None))


# ---------------------------------------------------------------------------- preview


async def ask_preview(ctx: Ctx, form: NoticeForm, state: dict[str, Any]) -> list[Text]:
    """The notice as residents will read it, how many it reaches, and the reminders."""
    notice = form.draft()
    reach = await ctx.services.broadcasts.reach(ctx.user, notice.scope)
    window = window_text(notice.starts_at, notice.ends_at, ctx.services.notices.timezone)
    return [
        text(
            "notice.preview",
            kind=text(f"notice.kind_{notice.kind.value}"),
            window=window,
            details=notice.details or "—",
            arrangements=notice.arrangements or "—",
            households=reach.households,
            people=reach.people,
        ),
        reminders_words(ctx, notice.starts_at),
    ]


async def confirmed(ctx: Ctx, form: NoticeForm, value: str) -> Outcome[NoticeForm]:
    """Confirm: the notice is made (the flow's finish)."""
    return advance(form)


class NoticeFlow(Flow[NoticeForm]):
    """The notice flow (a new notice, or a notice's new time)."""

    feature = Feature.NOTICE
    draft_type = NoticeForm
    cancelled = "notice.cancelled_draft"
    counted = True  # "第 2/7 步" on each step before the preview (the engine)
    sub_steps = frozenset({"places"})  # asked as part of the step before
    unnumbered = frozenset({"preview"})
    steps: Sequence[Step[NoticeForm]] = (
        Ask(
            name="kind",
            prompt=asks("notice.ask_kind"),
            answers=one_a_row(*(answer(kind.value, f"notice.kind_{kind}") for kind in NoticeKind)),
            chose=chose_kind,
            back=lambda form: False,
            when=creating,
        ),
        Ask(
            name="scope",
            prompt=asks("notice.ask_scope"),
            answers=one_a_row(*(answer(kind.value, f"bc.kind_{kind}") for kind in PLACE_KINDS)),
            chose=chose_places,
            when=creating,
        ),
        PickMany(
            name="places",
            options=places,
            prompt=ask_places,
            chose=ticked,
            ticked=lambda form: form.ids,
            when=creating,
        ),
        Ask(
            name="start",
            prompt=ask_start,
            typed=typed_start,
            wrong="notice.text_only",
            back=creating,
        ),
        Ask(
            name="end",
            prompt=asks("notice.ask_end"),
            typed=typed_end,
            wrong="notice.text_only",
            back=creating,
        ),
        Ask(
            name="details",
            prompt=asks("notice.ask_details"),
            answers=one_a_row(answer(SKIP, "notice.skip")),
            chose=skipped_details,
            typed=typed_details,
            wrong="notice.text_only",
            when=creating,
        ),
        Ask(
            name="arrange",
            prompt=asks("notice.ask_arrangements"),
            answers=one_a_row(answer(SKIP, "notice.skip")),
            chose=skipped_arrangements,
            typed=typed_arrangements,
            wrong="notice.text_only",
            when=creating,
        ),
        Ask(
            name="preview",
            prompt=ask_preview,
            answers=one_a_row(answer("ok", "bc.confirm")),
            chose=confirmed,
            when=creating,
        ),
    )

    async def finish(self, ctx: Ctx, draft: NoticeForm) -> Reply:
        """Create the notice: residents are told now and reminded later; the preview becomes
        the confirmation (or the reason it could not be made)."""
        try:
            notice = await ctx.services.notices.create(ctx.user, draft.draft())
        except DomainError as error:
            return reply(screen(refusal(error)))
        created = text("notice.created", id=notice.id)
        return reply(screen(created, reminders_words(ctx, notice.starts_at)))
