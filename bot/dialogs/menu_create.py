"""➕ New menu, for staff: title → scope → places → items ("title | cost | description" one a
line, or a photo with one as caption; Done with at least two) → opening → closing → how many
each household may pick → budget (or none) → how a budget selects → live results or not →
preview with how many registered households may vote → Confirm. Back and Cancel work at every
step; the draft is the engine's session, so it survives a restart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.dialogs.engine import Ctx, End, Flow, Outcome, Redo, Step
from bot.dialogs.steps import Answer, advance, answer, asks, fixed
from bot.dialogs.vote_steps import (
    VoteAsk,
    closes_step,
    opens_step,
    places_step,
    scope_step,
    timezone,
    title_step,
)
from bot.domain.errors import DomainError
from bot.domain.menu_form import MenuForm
from bot.domain.messages import Attachment
from bot.domain.vote_form import DraftIncomplete
from bot.domain.votes import MAX_ITEMS, MenuDraft, SelectionRule
from bot.domain.wording import money_about, money_exact, time_words
from bot.interaction.payload import Feature
from bot.interaction.screen import Reply, Text, reply, screen, text

PREFIX = "vote.ask_menu"
DONE = "done"
NO_BUDGET = "none"
CONFIRM = "ok"


# ---------------------------------------------------------------------------- the items


async def ask_items(ctx: Ctx, form: MenuForm, state: dict[str, Any]) -> list[Text]:
    return [text(f"{PREFIX}_items", count=len(form.items), max=MAX_ITEMS)]


async def items_done(ctx: Ctx, form: MenuForm) -> list[list[Answer]]:
    return [[answer(DONE, "vote.done", count=len(form.items))]]


async def typed_items(ctx: Ctx, form: MenuForm, words: str) -> Outcome[MenuForm]:
    return Redo(form.with_items(words))


async def item_photo(
    ctx: Ctx, form: MenuForm, photo: Attachment, caption: str
) -> Outcome[MenuForm]:
    return Redo(form.with_items(caption, photo))


async def no_more_items(ctx: Ctx, form: MenuForm, value: str) -> Outcome[MenuForm]:
    return advance(form.items_done())


# ---------------------------------------------------------------------------- k, budget, rule


async def k_buttons(ctx: Ctx, form: MenuForm) -> list[list[Answer]]:
    return [[answer(k, "vote.k_button", k=k) for k in form.k_offered]]


async def chose_k(ctx: Ctx, form: MenuForm, value: str) -> Outcome[MenuForm]:
    return advance(form.picking(int(value)))


async def typed_k(ctx: Ctx, form: MenuForm, words: str) -> Outcome[MenuForm]:
    return advance(form.picking_typed(words))


async def typed_budget(ctx: Ctx, form: MenuForm, words: str) -> Outcome[MenuForm]:
    return advance(form.with_budget(words))


async def chose_no_budget(ctx: Ctx, form: MenuForm, value: str) -> Outcome[MenuForm]:
    return advance(form.without_budget())


async def chose_rule(ctx: Ctx, form: MenuForm, value: str) -> Outcome[MenuForm]:
    return advance(form.selecting(SelectionRule(value)))


async def chose_live(ctx: Ctx, form: MenuForm, value: str) -> Outcome[MenuForm]:
    return advance(form.showing_live(value == "1"))


# ---------------------------------------------------------------------------- preview


def checked(form: MenuForm) -> MenuDraft | None:
    """The menu as it would be created, or None when the draft does not hold together."""
    try:
        return form.draft()
    except (ValueError, DomainError):
        return None


async def ask_preview(ctx: Ctx, form: MenuForm, state: dict[str, Any]) -> list[Text]:
    """Everything at once, with how many registered households may vote."""
    menu = checked(form)
    if menu is None:
        return [text("vote.bad_draft")]
    reach = await ctx.services.broadcasts.reach(ctx.user, menu.scope)
    items = "\n".join(
        f"{n}. {item.title} — {money_about(item.cost * 100)}" + (" 📷" if item.photo else "")
        for n, item in enumerate(menu.items, start=1)
    )
    zone = timezone(ctx)
    return [
        text(
            "vote.preview_menu",
            title=menu.title,
            items=items,
            k=menu.max_picks,
            budget=money_exact(menu.budget * 100) if menu.budget else "—",
            rule=text(f"vote.sel_{menu.rule.value}"),
            live=text("vote.live_yes" if menu.live else "vote.live_no"),
            households=reach.registered_households,
            opens=time_words(menu.opens_at, zone),
            closes=time_words(menu.closes_at, zone),
        )
    ]


async def confirm(ctx: Ctx, form: MenuForm) -> list[list[Answer]]:
    return [[answer(CONFIRM, "vote.confirm")]] if checked(form) is not None else []


async def publish(ctx: Ctx, form: MenuForm) -> Reply:
    """Create the menu: it opens at its time and the scope is told (a DomainError if a rule
    says no: the author stays on the preview)."""
    menu = checked(form)
    if menu is None:
        raise DraftIncomplete()
    created = await ctx.services.votes.create_menu(ctx.user, menu)
    return reply(screen(text("vote.menu_created", id=created.id, title=created.title)))


async def confirmed(ctx: Ctx, form: MenuForm, value: str) -> Outcome[MenuForm]:
    return End(await publish(ctx, form))


class MenuCreateFlow(Flow[MenuForm]):
    """The menu flow."""

    feature = Feature.VOTE_CREATE
    draft_type = MenuForm
    cancelled = "vote.cancelled_draft"
    counted = True  # "第 2/9 步" on each step before the preview (the engine)
    sub_steps = frozenset({"places"})  # asked as part of the step before
    unnumbered = frozenset({"preview"})
    steps: Sequence[Step[MenuForm]] = (
        title_step(PREFIX, MenuForm),
        scope_step(PREFIX, MenuForm),
        places_step(MenuForm),
        VoteAsk(
            name="items",
            prompt=ask_items,
            answers=items_done,
            chose=no_more_items,
            typed=typed_items,
            captioned=item_photo,
            media_kinds=frozenset({"photo"}),
        ),
        opens_step(PREFIX, MenuForm),
        closes_step(PREFIX, MenuForm),
        VoteAsk(
            name="k",
            prompt=asks(f"{PREFIX}_k"),
            answers=k_buttons,
            chose=chose_k,
            typed=typed_k,
        ),
        VoteAsk(
            name="budget",
            prompt=asks(f"{PREFIX}_budget"),
            answers=fixed([[answer(NO_BUDGET, "vote.no_budget")]]),
            chose=chose_no_budget,
            typed=typed_budget,
        ),
        VoteAsk(
            name="select",
            prompt=asks(f"{PREFIX}_select"),
            answers=fixed(
                [[answer(rule.value, f"vote.sel_{rule.value}")] for rule in SelectionRule]
            ),
            chose=chose_rule,
            when=lambda form: form.has_budget,
        ),
        VoteAsk(
            name="live",
            prompt=asks(f"{PREFIX}_live"),
            answers=fixed([[answer(1, "vote.live_yes"), answer(0, "vote.live_no")]]),
            chose=chose_live,
        ),
        VoteAsk(name="preview", prompt=ask_preview, answers=confirm, chose=confirmed),
    )

    async def finish(self, ctx: Ctx, draft: MenuForm) -> Reply:
        """Only after a preview that asks nothing (it always asks): publish."""
        return await publish(ctx, draft)
