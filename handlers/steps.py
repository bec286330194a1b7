"""Pieces every guided conversation uses: feature buttons, Back/Cancel, a step message that
is edited after a press and sent after typing, a paged multi-select picker, the input filters,
ending (or cancelling) with the draft forgotten, fixed retry answers, and the persistent
ConversationHandler itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, ConversationHandler, filters
from telegram.warnings import PTBUserWarning

from bot.domain.homes import Choice, paginate
from bot.domain.scope import ScopeKind
from handlers.callback_data import BadCallback, pack, unpack
from handlers.context import BotContext
from handlers.menu import main_menu, menu_labels
from handlers.replies import edit
from handlers.start import require_message

PAGE_SIZE = 12


def button(
    context: BotContext, feature: str, key: str, action: str, *args: object, **params: object
) -> InlineKeyboardButton:
    """An inline button of `feature` with a catalog label."""
    return InlineKeyboardButton(
        context.label(key, **params), callback_data=pack(feature, action, *args)
    )


def nav(context: BotContext, feature: str, back: bool = True) -> list[InlineKeyboardButton]:
    """The « Back / ✖ Cancel row (actions "bk" and "x")."""
    row = [button(context, feature, "reg.cancel", "x")]
    if back:
        row.insert(0, button(context, feature, "reg.back", "bk"))
    return row


async def say(update: Update, context: BotContext, text: str, rows: list[list[Any]]) -> None:
    """Show a step: edit the pressed message, or answer a typed one with a new message."""
    markup = InlineKeyboardMarkup(rows)
    if update.callback_query is not None:
        await edit(update.callback_query, text, markup)
    else:
        await require_message(update).reply_text(text, reply_markup=markup)


def picker_rows(
    context: BotContext,
    feature: str,
    options: Sequence[Choice],
    chosen: Sequence[int],
    page: int,
) -> list[list[InlineKeyboardButton]]:
    """Options two a row with ✅ on the chosen ones ("tog"), paging ("pg"), Done ("done")."""
    shown, page, pages = paginate(list(options), page, PAGE_SIZE)
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if choice.id in chosen else "") + choice.label,
                callback_data=pack(feature, "tog", choice.id),
            )
            for choice in shown[i : i + 2]
        ]
        for i in range(0, len(shown), 2)
    ]
    if pages > 1:
        rows.append(
            [
                button(context, feature, "reg.prev", "pg", (page - 1) % pages),
                InlineKeyboardButton(
                    f"{page + 1}/{pages}", callback_data=pack(feature, "pg", page)
                ),
                button(context, feature, "reg.next", "pg", (page + 1) % pages),
            ]
        )
    rows.append([button(context, feature, "bc.done", "done", count=len(chosen))])
    rows.append(nav(context, feature))
    return rows


def toggled(data: str | None, options: Sequence[Choice], chosen: Sequence[int]) -> list[int]:
    """The chosen ids after a "tog" press; BadCallback if it names no offered option."""
    item = unpack(data).int_arg(0)
    if item not in {choice.id for choice in options}:
        raise BadCallback("not an offered option")
    return [i for i in chosen if i != item] if item in chosen else [*chosen, item]


S = TypeVar("S")


def step_after(order: Sequence[S], applies: Callable[[S], bool], step: S, end: S) -> S:
    """The next step of `order` on this draft's path (`end` after the last)."""
    for candidate in order[list(order).index(step) + 1 :]:
        if applies(candidate):
            return candidate
    return end


def step_before(order: Sequence[S], applies: Callable[[S], bool], step: S, end: S) -> S:
    """The step before `step` on this draft's path (from `end`, the last; the first stays)."""
    index = len(order) if step == end else list(order).index(step)
    for candidate in reversed(order[:index]):
        if applies(candidate):
            return candidate
    return order[0]


async def pick_press(update: Update, context: BotContext, draft: dict[str, Any]) -> bool | None:
    """A press on the scope picker of a draft ("scope", "ids", "page" in `draft`): True when
    the picker is to be shown again (a toggle or another page), False when the choice is done,
    None when refused (at least one place; the press is answered). BadCallback if forged."""
    query = update.callback_query
    data = unpack(query.data)
    if data.action == "tog":
        options = await context.services.broadcasts.options(
            context.account, ScopeKind(draft["scope"])
        )
        draft["ids"] = toggled(query.data, options, draft.get("ids", []))
        return True
    if data.action == "pg":
        draft["page"] = data.int_arg(0)
        return True
    if data.action == "done":
        if not draft.get("ids"):
            await query.answer(context.label("bc.pick_one"), show_alert=True)
            return None
        return False
    raise BadCallback(f"{data.action} on the picker")


def input_filters() -> tuple[filters.BaseFilter, filters.BaseFilter]:
    """(typed text that is neither a command nor a menu button, any other such input).

    Menu buttons stay out so that they work in the middle of a conversation.
    """
    menu = filters.Text(menu_labels())
    free_text = filters.TEXT & ~filters.COMMAND & ~menu
    other = ~filters.COMMAND & ~menu & ~filters.StatusUpdate.ALL
    return free_text, other


def forget(context: BotContext, draft: str) -> int:
    """Drop the conversation's draft from user_data and end the conversation."""
    context.user_data.pop(draft, None)
    return ConversationHandler.END


def canceller(draft: str, key: str) -> Callable[[Update, BotContext], Awaitable[int]]:
    """A Cancel handler: says `key` (editing the pressed message, or with the main menu after
    /cancel), forgets `draft`, ends."""

    async def cancel(update: Update, context: BotContext) -> int:
        query = update.callback_query
        if query is not None:
            await query.answer()
            await edit(query, context.t(key))
        else:
            await require_message(update).reply_text(
                context.t(key), reply_markup=main_menu(context.lang, context.account)
            )
        return forget(context, draft)

    return cancel


def replier(key: str) -> Callable[[Update, BotContext], Awaitable[None]]:
    """A handler that answers input a step cannot take with the catalog message `key`."""

    async def reply(update: Update, context: BotContext) -> None:
        await require_message(update).reply_text(context.t(key))

    return reply


def conversation(
    name: str,
    entry_points: list[BaseHandler],
    states: dict[object, list[BaseHandler]],
    fallbacks: list[BaseHandler],
) -> ConversationHandler:
    """A persistent conversation (state kept in SQLite) that a new entry restarts.

    PTB warns that CallbackQueryHandlers are not tracked per message; we do not want that
    (the state is per user), so the warning is silenced here once.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            name=name,
            persistent=True,
            allow_reentry=True,
        )
