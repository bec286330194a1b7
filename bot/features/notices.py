"""📣 Notices outside their flow: the list (a resident's current and upcoming notices for their
buildings; a manager's notices, each with ✏ change time / ✖ cancel, and ➕ new), and the
buttons under it. The service re-checks who presses and whether the notice can still be
changed; the flow itself is bot/dialogs/notice.py."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import ACTS, Act, Ctx
from bot.dialogs.notice import notice_words
from bot.domain.errors import DomainError
from bot.domain.notice_form import NoticeForm
from bot.domain.notices import Notice
from bot.interaction.payload import Feature, Payload, StaleButton, payload
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


class NoticeAction(StrEnum):
    """The notices' own buttons (codes already on buttons sent: never change one)."""

    NEW = "new"  # ➕ a new notice
    CHANGE = "chg"  # ✏ move a notice's time: <notice id>
    CANCEL = "cx"  # ✖ cancel a notice: <notice id>, asks to confirm
    CANCEL_OK = "cxok"  # the confirmation: <notice id>


def button(action: NoticeAction, notice: Notice, key: str) -> Option:
    """A button under one notice."""
    return option(payload(Feature.NOTICE, action, notice.id), key)


def card(ctx: Ctx, notice: Notice) -> Screen:
    """A notice as its manager sees it in the list: ✏ change its time, ✖ cancel it."""
    row = (
        button(NoticeAction.CHANGE, notice, "notice.change"),
        button(NoticeAction.CANCEL, notice, "notice.cancel"),
    )
    return screen(notice_words(ctx, notice), options=(row,), replace=False)


async def show(ctx: Ctx) -> Reply:
    """📣: a manager's notices with their buttons, then ➕; a resident's current and upcoming
    ones (or that there are none), with the main menu."""
    services = ctx.services
    try:
        managed = await services.notices.managed(ctx.user)
    except DomainError:
        found = await services.notices.for_resident(ctx.user)
        texts: list[Text] = [notice_words(ctx, notice) for notice in found[:1]]
        texts += [text("dialog.paragraph", words=notice_words(ctx, n)) for n in found[1:]]
        said = texts or [text("notice.none")]
        return reply(screen(*said, keyboard=Keyboard.MAIN_MENU, replace=False))
    cards = [card(ctx, notice) for notice in managed]
    new = option(payload(Feature.NOTICE, NoticeAction.NEW), "notice.new_button")
    manage = screen(text("notice.manage", count=len(managed)), options=((new,),), replace=False)
    return reply(*cards, manage)


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A notice's button; None for the flow's buttons (the dialog engine's); any other is
    stale (an old step's button, or forged), and so is Edit (the engine would take it to
    jump to any step, though the flow offers it nowhere)."""
    services = ctx.services
    action = pressed.action
    if action == NoticeAction.NEW:  # the manage message becomes the first step
        services.broadcasts.require_manager(ctx.user)
        return await services.dialogs.begin(ctx, Feature.NOTICE)
    if action == NoticeAction.CHANGE:  # the list stays; the new start is asked below it
        notice = await services.notices.get(ctx.user, pressed.number(0))
        begun = await services.dialogs.begin(ctx, Feature.NOTICE, NoticeForm(change=notice.id))
        anew = tuple(s.model_copy(update={"replace": False}) for s in begun.screens)
        return begun.model_copy(update={"screens": anew})
    if action == NoticeAction.CANCEL:
        notice = await services.notices.get(ctx.user, pressed.number(0))
        sure = button(NoticeAction.CANCEL_OK, notice, "notice.yes_cancel")
        return reply(screen(text("notice.confirm_cancel", id=notice.id), options=((sure,),)))
    if action == NoticeAction.CANCEL_OK:
        notice = await services.notices.cancel(ctx.user, pressed.number(0))
        return reply(screen(text("notice.cancelled_ok", id=notice.id)))
    if action == Act.EDIT:  # the flow has no review to change one answer from
        raise StaleButton("no review in the notice flow")
    if action in ACTS:
        return None
    raise StaleButton(f"no notice button {action!r}")
