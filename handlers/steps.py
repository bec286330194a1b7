"""Pieces every guided conversation of staff uses: feature buttons, Back/Cancel, a step
message that is edited after a press and sent after typing, and a paged multi-select picker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.homes import Choice, paginate
from handlers.callback_data import BadCallback, pack, unpack
from handlers.context import BotContext
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
