"""📣 Notices: residents see current and upcoming construction notices for their building;
grid workers and staff create them (kind → buildings or units → start → end → details →
arrangements → preview → Confirm), move their time, or cancel them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.broadcasts import parse_when
from bot.domain.errors import DomainError
from bot.domain.notices import (
    EVENING_KIND,
    HOUR_KIND,
    MAX_DETAILS,
    Notice,
    NoticeDraft,
    NoticeKind,
    window_text,
)
from bot.domain.reports import local_text
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import words
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, PressHandler, unpack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.replies import edit, refuse, stale
from handlers.start import require_message
from handlers.steps import (
    button,
    canceller,
    conversation,
    forget,
    input_filters,
    nav,
    picker_rows,
    replier,
    say,
    toggled,
)

FEATURE = "nt"
DRAFT = "notice"


class Step(StrEnum):
    """Where the author is."""

    KIND = "kind"
    SCOPE = "scope"
    PICK = "pick"
    START = "start"
    END = "end"
    DETAILS = "details"
    ARRANGE = "arrange"
    PREVIEW = "preview"


ORDER = [Step.KIND, Step.SCOPE, Step.PICK, Step.START, Step.END, Step.DETAILS, Step.ARRANGE]


def draft_of(context: BotContext) -> dict[str, Any]:
    """The draft in user_data (JSON, persisted)."""
    return context.user_data.setdefault(DRAFT, {})


def zone(context: BotContext) -> str:
    """The community's time zone."""
    return context.app.settings.community.timezone


def reminders_text(context: BotContext, starts_at: datetime) -> str:
    """Which reminders residents will get: only those still ahead."""
    times = context.services.notices.reminders(starts_at)
    hour = times.get(HOUR_KIND)
    evening = times.get(EVENING_KIND)
    if hour is None:
        return context.t("notice.reminders_none")
    shown = {"hour": local_text(hour, zone(context))}
    if evening is None:
        return context.t("notice.reminders_hour", **shown)
    return context.t("notice.reminders_both", evening=local_text(evening, zone(context)), **shown)


def notice_text(context: BotContext, notice: Notice) -> str:
    """One notice as a resident reads it."""
    message = context.services.notices.message(notice, "notice.view")
    labels = {name: context.label(key) for name, key in message.labels.items()}
    return context.t(message.key, **message.params, **labels)


# ---------------------------------------------------------------------------- the list


async def show_notices(update: Update, context: BotContext) -> None:
    """📣: a manager's notices with their buttons; a resident's current and upcoming ones."""
    message = require_message(update)
    services = context.services
    try:
        managed = await services.notices.managed(context.account)
    except DomainError:
        notices = await services.notices.for_resident(context.account)
        text = "\n\n".join(notice_text(context, n) for n in notices) or context.t("notice.none")
        await message.reply_text(text, reply_markup=main_menu(context.lang, context.account))
        return
    for notice in managed:
        await message.reply_text(
            notice_text(context, notice),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        button(context, FEATURE, "notice.change", "chg", notice.id),
                        button(context, FEATURE, "notice.cancel", "cx", notice.id),
                    ]
                ]
            ),
        )
    await message.reply_text(
        context.t("notice.manage", count=len(managed)),
        reply_markup=InlineKeyboardMarkup(
            [[button(context, FEATURE, "notice.new_button", "new")]]
        ),
    )


# ---------------------------------------------------------------------------- creating


async def begin(update: Update, context: BotContext) -> Step | int:
    """➕ or /notice: managers only; start with the kind."""
    try:
        context.services.broadcasts.require_manager(context.account)
    except DomainError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    if update.callback_query is not None:
        await update.callback_query.answer()
    context.user_data[DRAFT] = {}
    return await ask(update, context, Step.KIND)


async def ask(update: Update, context: BotContext, step: Step) -> Step:
    """Show a step."""
    draft = draft_of(context)
    draft["at"] = step
    if step is Step.KIND:
        rows = [
            [button(context, FEATURE, f"notice.kind_{kind}", "kind", kind)] for kind in NoticeKind
        ]
        rows.append(nav(context, FEATURE, back=False))
        await say(update, context, context.t("notice.ask_kind"), rows)
    elif step is Step.SCOPE:
        rows = [
            [button(context, FEATURE, "bc.kind_buildings", "sk", ScopeKind.BUILDINGS)],
            [button(context, FEATURE, "bc.kind_units", "sk", ScopeKind.UNITS)],
            nav(context, FEATURE),
        ]
        await say(update, context, context.t("notice.ask_scope"), rows)
    elif step is Step.PICK:
        await show_picker(update, context)
    elif step is Step.START:
        await say(update, context, context.t("notice.ask_start"), [nav(context, FEATURE)])
    elif step is Step.END:
        await say(update, context, context.t("notice.ask_end"), [nav(context, FEATURE)])
    elif step is Step.DETAILS:
        rows = [[button(context, FEATURE, "notice.skip", "skip")], nav(context, FEATURE)]
        await say(update, context, context.t("notice.ask_details"), rows)
    elif step is Step.ARRANGE:
        rows = [[button(context, FEATURE, "notice.skip", "skip")], nav(context, FEATURE)]
        await say(update, context, context.t("notice.ask_arrangements"), rows)
    return step


async def show_picker(update: Update, context: BotContext) -> None:
    """Buildings or units the author manages, ✅ on the chosen ones."""
    draft = draft_of(context)
    options = await context.services.broadcasts.options(context.account, ScopeKind(draft["scope"]))
    rows = picker_rows(context, FEATURE, options, draft.get("ids", []), draft.get("page", 0))
    await say(update, context, context.t(f"bc.pick_{draft['scope']}"), rows)


async def chose_kind(update: Update, context: BotContext) -> Step | None:
    """Water, power, gas or works."""
    query = update.callback_query
    try:
        kind = NoticeKind(unpack(query.data).arg(0))
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    draft_of(context)["kind"] = kind.value
    return await ask(update, context, Step.SCOPE)


async def chose_scope(update: Update, context: BotContext) -> Step | None:
    """Buildings or units."""
    query = update.callback_query
    try:
        kind = ScopeKind(unpack(query.data).arg(0))
        if kind not in (ScopeKind.BUILDINGS, ScopeKind.UNITS):
            raise BadCallback("scope kind")
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    draft_of(context).update(scope=kind.value, ids=[], page=0)
    return await ask(update, context, Step.PICK)


async def toggle(update: Update, context: BotContext) -> Step | None:
    """Choose or unchoose a building or unit the author manages."""
    query = update.callback_query
    draft = draft_of(context)
    try:
        options = await context.services.broadcasts.options(
            context.account, ScopeKind(draft["scope"])
        )
        draft["ids"] = toggled(query.data, options, draft.get("ids", []))
    except (BadCallback, KeyError, ValueError, DomainError):
        await stale(update, context)
        return None
    await query.answer()
    return await ask(update, context, Step.PICK)


async def turn_page(update: Update, context: BotContext) -> Step | None:
    """Another page."""
    query = update.callback_query
    try:
        draft_of(context)["page"] = unpack(query.data).int_arg(0)
    except BadCallback:
        await stale(update, context)
        return None
    await query.answer()
    return await ask(update, context, Step.PICK)


async def picked(update: Update, context: BotContext) -> Step | None:
    """At least one place, then the start time."""
    query = update.callback_query
    if not draft_of(context).get("ids"):
        await query.answer(context.label("bc.pick_one"), show_alert=True)
        return None
    await query.answer()
    return await ask(update, context, Step.START)


async def typed_start(update: Update, context: BotContext) -> Step:
    """When it starts (community time)."""
    message = require_message(update)
    try:
        moment = parse_when(message.text or "", context.services.clock.now(), zone(context))
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.START
    draft_of(context)["starts_at"] = moment.isoformat()
    return await ask(update, context, Step.END)


async def typed_end(update: Update, context: BotContext) -> Step:
    """When it ends: a bare time means the first such time after the start."""
    message = require_message(update)
    starts_at = datetime.fromisoformat(draft_of(context)["starts_at"])
    try:
        moment = parse_when(message.text or "", starts_at, zone(context))
    except DomainError:
        await message.reply_text(context.t("notice.bad_end"))
        return Step.END
    draft_of(context)["ends_at"] = moment.isoformat()
    return await ask(update, context, Step.DETAILS)


async def typed_details(update: Update, context: BotContext) -> Step:
    """What happens (or Skip)."""
    return await text_step(update, context, "details", Step.DETAILS, Step.ARRANGE)


async def typed_arrangements(update: Update, context: BotContext) -> Step:
    """Temporary arrangements, e.g. where to fetch water (or Skip)."""
    return await text_step(update, context, "arrangements", Step.ARRANGE, Step.PREVIEW)


async def text_step(
    update: Update, context: BotContext, field: str, here: Step, following: Step
) -> Step:
    """Keep a free text (bounded), go on."""
    message = require_message(update)
    try:
        text = words(message.text, MAX_DETAILS)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return here
    draft_of(context)[field] = text
    if following is Step.PREVIEW:
        return await preview(update, context)
    return await ask(update, context, following)


async def skip(update: Update, context: BotContext) -> Step:
    """Skip details or arrangements."""
    await update.callback_query.answer()
    draft = draft_of(context)
    if draft.get("at") == Step.DETAILS:
        draft["details"] = ""
        return await ask(update, context, Step.ARRANGE)
    draft["arrangements"] = ""
    return await preview(update, context)


def draft_notice(draft: dict[str, Any]) -> NoticeDraft:
    """The draft as the domain sees it."""
    return NoticeDraft(
        kind=NoticeKind(draft["kind"]),
        starts_at=datetime.fromisoformat(draft["starts_at"]),
        ends_at=datetime.fromisoformat(draft["ends_at"]),
        scope=Scope(kind=ScopeKind(draft["scope"]), ids=tuple(draft["ids"])),
        details=draft.get("details", ""),
        arrangements=draft.get("arrangements", ""),
    )


async def preview(update: Update, context: BotContext) -> Step:
    """The notice as residents will read it, with how many it reaches; Confirm."""
    draft = draft_of(context)
    draft["at"] = Step.PREVIEW
    notice = draft_notice(draft)
    reach = await context.services.broadcasts.reach(context.account, notice.scope)
    text = context.t(
        "notice.preview",
        kind=context.label(f"notice.kind_{notice.kind}"),
        window=window_text(notice.starts_at, notice.ends_at, zone(context)),
        details=notice.details or "—",
        arrangements=notice.arrangements or "—",
        households=reach.households,
        people=reach.people,
    )
    text += "\n" + reminders_text(context, notice.starts_at)
    await say(
        update,
        context,
        text,
        [[button(context, FEATURE, "bc.confirm", "ok")], nav(context, FEATURE)],
    )
    return Step.PREVIEW


async def confirm(update: Update, context: BotContext) -> int:
    """Create the notice: residents are told now, and reminded later."""
    query = update.callback_query
    await query.answer()
    try:
        notice = await context.services.notices.create(
            context.account, draft_notice(draft_of(context))
        )
    except DomainError as error:
        await edit(query, context.t(error.key, **error.params))
        return forget(context, DRAFT)
    text = context.t("notice.created", id=notice.id)
    await edit(query, text + "\n" + reminders_text(context, notice.starts_at))
    return forget(context, DRAFT)


async def back(update: Update, context: BotContext) -> Step:
    """The step before the current one."""
    await update.callback_query.answer()
    at = Step(draft_of(context).get("at", Step.KIND))
    previous = ORDER[-1] if at is Step.PREVIEW else ORDER[max(ORDER.index(at) - 1, 0)]
    return await ask(update, context, previous)


cancel = canceller(DRAFT, "notice.cancelled_draft")


use_buttons = replier("reg.use_buttons")


text_only = replier("notice.text_only")


# ---------------------------------------------------------------------------- change, cancel


async def change_begin(update: Update, context: BotContext) -> Step | int:
    """✏ on a notice: ask the new start and end."""
    query = update.callback_query
    try:
        notice = await context.services.notices.get(context.account, unpack(query.data).int_arg(0))
    except BadCallback:
        await stale(update, context)
        return ConversationHandler.END
    except DomainError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    await query.answer()
    context.user_data[DRAFT] = {"change": notice.id, "at": Step.START}
    await context.bot.send_message(
        update.effective_chat.id,
        context.t("notice.ask_new_start", id=notice.id),
        reply_markup=InlineKeyboardMarkup([[button(context, FEATURE, "reg.cancel", "x")]]),
    )
    return Step.START


async def change_start(update: Update, context: BotContext) -> Step | int:
    """The new start of a notice being changed, or of a new notice."""
    draft = draft_of(context)
    if "change" not in draft:
        return await typed_start(update, context)
    message = require_message(update)
    try:
        moment = parse_when(message.text or "", context.services.clock.now(), zone(context))
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.START
    draft["starts_at"] = moment.isoformat()
    await message.reply_text(
        context.t("notice.ask_end"),
        reply_markup=InlineKeyboardMarkup([[button(context, FEATURE, "reg.cancel", "x")]]),
    )
    draft["at"] = Step.END
    return Step.END


async def change_end(update: Update, context: BotContext) -> Step | int:
    """The new end: apply the change; everyone in scope is told."""
    draft = draft_of(context)
    if "change" not in draft:
        return await typed_end(update, context)
    message = require_message(update)
    starts_at = datetime.fromisoformat(draft["starts_at"])
    try:
        ends_at = parse_when(message.text or "", starts_at, zone(context))
        notice = await context.services.notices.change(
            context.account, draft["change"], starts_at, ends_at
        )
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.END
    await message.reply_text(
        context.t(
            "notice.changed_ok",
            id=notice.id,
            window=window_text(notice.starts_at, notice.ends_at, zone(context)),
        ),
        reply_markup=main_menu(context.lang, context.account),
    )
    return forget(context, DRAFT)


async def ask_cancel(update: Update, context: BotContext) -> None:
    """✖ on a notice: ask to confirm."""
    query = update.callback_query
    try:
        notice = await context.services.notices.get(context.account, unpack(query.data).int_arg(0))
    except BadCallback:
        await stale(update, context)
        return
    except DomainError as error:
        await refuse(update, context, error)
        return
    await query.answer()
    await edit(
        query,
        context.t("notice.confirm_cancel", id=notice.id),
        InlineKeyboardMarkup([[button(context, FEATURE, "notice.yes_cancel", "cxok", notice.id)]]),
    )


async def do_cancel(update: Update, context: BotContext) -> None:
    """Cancel the notice; residents in scope are told."""
    query = update.callback_query
    try:
        notice = await context.services.notices.cancel(
            context.account, unpack(query.data).int_arg(0)
        )
    except BadCallback:
        await stale(update, context)
        return
    except DomainError as error:
        await refuse(update, context, error)
        return
    await query.answer()
    await edit(query, context.t("notice.cancelled_ok", id=notice.id))


def handlers() -> list[BaseHandler]:
    """The 📣 list, the creation/change conversation, and the cancel buttons."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    common = [
        PressHandler(back, pattern=on("bk")),
        PressHandler(cancel, pattern=on("x")),
    ]
    states = {
        Step.KIND: [PressHandler(chose_kind, pattern=on("kind")), *common],
        Step.SCOPE: [PressHandler(chose_scope, pattern=on("sk")), *common],
        Step.PICK: [
            PressHandler(toggle, pattern=on("tog")),
            PressHandler(turn_page, pattern=on("pg")),
            PressHandler(picked, pattern=on("done")),
            *common,
        ],
        Step.START: [MessageHandler(free_text, change_start), *common],
        Step.END: [MessageHandler(free_text, change_end), *common],
        Step.DETAILS: [
            MessageHandler(free_text, typed_details),
            PressHandler(skip, pattern=on("skip")),
            *common,
        ],
        Step.ARRANGE: [
            MessageHandler(free_text, typed_arrangements),
            PressHandler(skip, pattern=on("skip")),
            *common,
        ],
        Step.PREVIEW: [PressHandler(confirm, pattern=on("ok")), *common],
    }
    for step in (Step.KIND, Step.SCOPE, Step.PICK, Step.PREVIEW):
        states[step].append(MessageHandler(other, use_buttons))
    for step in (Step.START, Step.END, Step.DETAILS, Step.ARRANGE):
        states[step].append(MessageHandler(other, text_only))
    conversation_handler = conversation(
        "notice",
        entry_points=[
            CommandHandler("notice", begin),
            PressHandler(begin, pattern=on("new")),
            PressHandler(change_begin, pattern=on("chg")),
        ],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel)],
    )
    return [
        conversation_handler,
        MessageHandler(filters.Text(all_labels("menu.notices")), show_notices),
        PressHandler(ask_cancel, pattern=on("cx")),
        PressHandler(do_cancel, pattern=on("cxok")),
    ]
