"""A renovation menu as staff see it: live results, and before voting opens the rules to change
(how many picks, live results, the selection rule) or the menu to cancel; the results as a PNG
bar chart. The vote service re-checks who presses and whether the rules may still change."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.documents.vote_chart import menu_chart
from bot.domain.errors import DomainError
from bot.domain.models import Language
from bot.domain.votes import Menu, MenuResult, Phase, SelectionRule
from bot.features.vote_texts import menu_card_texts
from bot.i18n import plain
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import (
    Made,
    Option,
    Reply,
    Screen,
    line_text,
    option,
    reply,
    screen,
    text,
)
from bot.services.votes.wording import menu_turnout


class MenuCardAction(StrEnum):
    """The staff card's buttons (codes already on buttons sent: never change one)."""

    OPEN = "sm"
    PICKS = "mk"  # how many picks a household has
    LIVE = "ml"  # results shown while voting, or after
    RULE = "mu"  # the selection rule under a budget
    CANCEL = "mx"
    CHART = "mc"


def card_options(menu: Menu, phase: Phase) -> tuple[tuple[Option, ...], ...]:
    """The chart; before opening, the rules to change and Cancel."""
    vote = Feature.VOTE
    rows: list[tuple[Option, ...]] = [
        (option(payload(vote, MenuCardAction.CHART, menu.id), "vote.chart_button"),)
    ]
    if phase is Phase.SCHEDULED:
        k = menu.max_picks
        other = SelectionRule.MES if menu.rule is SelectionRule.GREEDY else SelectionRule.GREEDY
        rows += [
            (
                option(payload(vote, MenuCardAction.PICKS, menu.id, k - 1), "vote.k_less"),
                option(payload(vote, MenuCardAction.PICKS, menu.id, k + 1), "vote.k_more"),
            ),
            (
                option(
                    payload(vote, MenuCardAction.LIVE, menu.id, int(not menu.live)),
                    "vote.live_toggle",
                ),
                Option(
                    payload=payload(vote, MenuCardAction.RULE, menu.id, other.value),
                    key="vote.rule_toggle",
                    labels={"rule": f"vote.sel_{other.value}"},
                ),
            ),
            (option(payload(vote, MenuCardAction.CANCEL, menu.id), "vote.cancel_vote"),),
        ]
    return tuple(rows)


def card(ctx: Ctx, menu: Menu, result: MenuResult, *, new: bool) -> Screen:
    """The staff card of a menu."""
    votes = ctx.services.votes
    now = votes.now()
    texts = menu_card_texts(menu, result, now, votes.timezone)
    return screen(*texts, options=card_options(menu, menu.phase(now)), replace=not new)


async def change(ctx: Ctx, pressed: Payload) -> Reply:
    """k, live results, the selection rule, or cancelling — refused once voting opened."""
    votes = ctx.services.votes
    action = pressed.action
    menu_id = pressed.number(0)
    rules: dict[str, object] = {}
    if action == MenuCardAction.PICKS:
        rules["max_picks"] = pressed.number(1)
    elif action == MenuCardAction.LIVE:
        rules["live"] = bool(pressed.number(1))
    elif action == MenuCardAction.RULE:
        try:
            rules["rule"] = SelectionRule(pressed.arg(1))
        except ValueError:
            raise StaleButton("no such selection rule") from None
    try:
        if rules:
            menu = await votes.change_menu(ctx.user, menu_id, **rules)
        else:
            menu = await votes.cancel_menu(ctx.user, menu_id)
    except DomainError:
        raise  # a rule said no: the router explains it
    except ValueError:  # k out of range: the draft's own validation
        return reply(notice=text("vote.k_range"), alert=True)
    found = await votes.results(ctx.user, menu.id)
    return reply(card(ctx, *found, new=False), notice=text("vote.changed"))


def chart_legend(language: Language, result: MenuResult) -> tuple[str, str] | None:
    """The chart's legend in the reader's language (chosen, not chosen); none when nothing is
    chosen by rule (no budget)."""
    if result.selected is None:
        return None
    return plain(language, "vote.chart_chosen"), plain(language, "vote.chart_not_chosen")


async def chart(ctx: Ctx, menu_id: int) -> Reply:
    """The results as a PNG bar chart (staff), drawn off the event loop."""
    services = ctx.services
    menu, result = await services.votes.staff_results(ctx.user, menu_id)
    language = services.users.language_of(ctx.user)
    png = await services.offload(
        menu_chart,
        menu,
        result,
        title=plain(language, "vote.chart_title", title=menu.title),
        axis=plain(language, "vote.chart_axis"),
        legend=chart_legend(language, result),
    )
    made = Made(kind="photo", name=f"menu-{menu.id}.png", content=png)
    caption = text("vote.chart_caption", title=menu.title, turnout=line_text(menu_turnout(result)))
    return reply(screen(caption, attachment=made, replace=False))


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """One of the staff card's buttons."""
    if pressed.action == MenuCardAction.OPEN:
        found = await ctx.services.votes.staff_results(ctx.user, pressed.number(0))
        return reply(card(ctx, *found, new=True))
    if pressed.action == MenuCardAction.CHART:
        return await chart(ctx, pressed.number(0))
    return await change(ctx, pressed)
