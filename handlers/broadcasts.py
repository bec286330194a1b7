"""📢 Broadcast, for grid workers (their grid) and staff (any scope).

Text (or a photo or document with a caption) → scope kind → the places (toggled ✅, paged) →
all or only vulnerable households → urgent or not → now or at a time → preview with how many
households and people it reaches → Confirm. Back and Cancel work at every step; the draft
and the step persist across a restart. The progress line and the final report arrive as
pushes from the outbox.
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

from bot.domain.broadcasts import BroadcastDraft, at_local, check_body, parse_when
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.domain.models import Role
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import is_blank
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, PressHandler, unpack
from handlers.context import BotContext
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

FEATURE = "bc"
DRAFT = "broadcast"
ROLES = (Role.RESIDENT, Role.BUILDING_LEAD, Role.GRID_WORKER, Role.STAFF)


class Step(StrEnum):
    """Where the author is."""

    TEXT = "text"
    KIND = "kind"
    PICK = "pick"
    ROLE = "role"
    VULNERABLE = "vuln"
    URGENT = "urg"
    WHEN = "when"
    TYPED_TIME = "typed"
    PREVIEW = "prev"


def draft_of(context: BotContext) -> dict[str, Any]:
    """The draft in user_data (JSON-compatible, so it persists)."""
    return context.user_data.setdefault(DRAFT, {})


def scope_of(draft: dict[str, Any]) -> Scope:
    """The draft's scope as the domain sees it."""
    kind = ScopeKind(draft["kind"])
    return Scope(
        kind=kind,
        ids=tuple(draft.get("ids", [])),
        role=Role(draft["role"]) if kind is ScopeKind.ROLE else None,
        vulnerable_only=bool(draft.get("vulnerable")) if kind is not ScopeKind.ROLE else False,
    )


# ---------------------------------------------------------------------------- steps


async def begin(update: Update, context: BotContext) -> Step | int:
    """📢 or /broadcast: only grid workers and staff; ask for the text."""
    try:
        await context.services.broadcasts.kinds(context.account)
    except DomainError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    context.user_data[DRAFT] = {}
    await require_message(update).reply_text(
        context.t("bc.ask_text"),
        reply_markup=InlineKeyboardMarkup([nav(context, FEATURE, back=False)]),
    )
    return Step.TEXT


async def got_text(update: Update, context: BotContext) -> Step:
    """The announcement's text."""
    return await compose(update, context, require_message(update).text or "", None)


async def got_media(update: Update, context: BotContext) -> Step:
    """A photo or document: its caption is the text."""
    message = require_message(update)
    if message.photo:
        attachment = Attachment(kind="photo", ref=message.photo[-1].file_id)
    else:
        assert message.document is not None
        attachment = Attachment(kind="document", ref=message.document.file_id)
    if is_blank(message.caption):
        await message.reply_text(context.t("bc.need_caption"))
        return Step.TEXT
    return await compose(update, context, message.caption or "", attachment)


async def compose(
    update: Update, context: BotContext, body: str, attachment: Attachment | None
) -> Step:
    """Check the length, keep the draft, ask for the kind of scope."""
    try:
        text = check_body(body, with_attachment=attachment is not None)
    except DomainError as error:
        await require_message(update).reply_text(context.t(error.key, **error.params))
        return Step.TEXT
    draft = draft_of(context)
    draft.clear()
    draft["body"] = text
    if attachment is not None:
        draft["attachment"] = attachment.model_dump()
    return await ask_kind(update, context)


async def not_text(update: Update, context: BotContext) -> Step:
    """A sticker, voice note, location… where text was asked."""
    await require_message(update).reply_text(context.t("bc.text_only"))
    return Step.TEXT


async def ask_kind(update: Update, context: BotContext) -> Step:
    """Which kind of audience."""
    draft_of(context)["at"] = Step.KIND
    kinds = await context.services.broadcasts.kinds(context.account)
    rows = [[button(context, FEATURE, f"bc.kind_{kind}", "kind", kind)] for kind in kinds]
    rows.append(nav(context, FEATURE))
    await say(update, context, context.t("bc.ask_kind"), rows)
    return Step.KIND


async def chose_kind(update: Update, context: BotContext) -> Step | None:
    """Community → vulnerable?; role → which role; others → pick the places."""
    query = update.callback_query
    try:
        kind = ScopeKind(unpack(query.data).arg(0))
        if kind not in await context.services.broadcasts.kinds(context.account):
            raise BadCallback("kind not offered")
    except (BadCallback, ValueError, DomainError):
        await stale(update, context)
        return None
    await query.answer()
    draft = draft_of(context)
    draft.update(kind=kind.value, ids=[], page=0)
    draft.pop("role", None)
    if kind is ScopeKind.COMMUNITY:
        return await ask_vulnerable(update, context)
    if kind is ScopeKind.ROLE:
        rows = [[button(context, FEATURE, f"bc.role_{role}", "role", role)] for role in ROLES]
        rows.append(nav(context, FEATURE))
        draft["at"] = Step.ROLE
        await say(update, context, context.t("bc.ask_role"), rows)
        return Step.ROLE
    return await show_picker(update, context)


async def show_picker(update: Update, context: BotContext) -> Step:
    """The places of the chosen kind, ✅ on the chosen ones, paged."""
    draft = draft_of(context)
    draft["at"] = Step.PICK
    kind = ScopeKind(draft["kind"])
    options = await context.services.broadcasts.options(context.account, kind)
    rows = picker_rows(context, FEATURE, options, draft.get("ids", []), draft.get("page", 0))
    key = f"bc.pick_{kind}" if options else "bc.none_to_pick"
    await say(update, context, context.t(key), rows)
    return Step.PICK


async def toggle(update: Update, context: BotContext) -> Step | None:
    """Choose or unchoose one place (it must be one the author may pick)."""
    query = update.callback_query
    draft = draft_of(context)
    try:
        options = await context.services.broadcasts.options(
            context.account, ScopeKind(draft["kind"])
        )
        draft["ids"] = toggled(query.data, options, draft.get("ids", []))
    except (BadCallback, KeyError, ValueError, DomainError):
        await stale(update, context)
        return None
    await query.answer()
    return await show_picker(update, context)


async def turn_page(update: Update, context: BotContext) -> Step | None:
    """Another page of places."""
    query = update.callback_query
    try:
        draft_of(context)["page"] = unpack(query.data).int_arg(0)
    except BadCallback:
        await stale(update, context)
        return None
    await query.answer()
    return await show_picker(update, context)


async def picked(update: Update, context: BotContext) -> Step | None:
    """Done picking: at least one place."""
    query = update.callback_query
    if not draft_of(context).get("ids"):
        await query.answer(context.label("bc.pick_one"), show_alert=True)
        return None
    await query.answer()
    return await ask_vulnerable(update, context)


async def chose_role(update: Update, context: BotContext) -> Step | None:
    """Everyone with one role."""
    query = update.callback_query
    try:
        role = Role(unpack(query.data).arg(0))
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    draft_of(context)["role"] = role.value
    return await ask_urgent(update, context)


async def ask_vulnerable(update: Update, context: BotContext) -> Step:
    """Every household, or only those flagged vulnerable (lives alone, elderly, disabled)."""
    draft_of(context)["at"] = Step.VULNERABLE
    rows = [
        [button(context, FEATURE, "bc.all_households", "vul", 0)],
        [button(context, FEATURE, "bc.vulnerable_only", "vul", 1)],
        nav(context, FEATURE),
    ]
    await say(update, context, context.t("bc.ask_vulnerable"), rows)
    return Step.VULNERABLE


async def chose_vulnerable(update: Update, context: BotContext) -> Step | None:
    """Remember the filter; ask about urgency."""
    if not await keep_flag(update, context, "vulnerable"):
        return None
    return await ask_urgent(update, context)


async def ask_urgent(update: Update, context: BotContext) -> Step:
    """Urgent pushes go out at night too and cannot be muted."""
    draft_of(context)["at"] = Step.URGENT
    rows = [
        [button(context, FEATURE, "bc.urgent", "urg", 1)],
        [button(context, FEATURE, "bc.normal", "urg", 0)],
        nav(context, FEATURE),
    ]
    await say(update, context, context.t("bc.ask_urgent"), rows)
    return Step.URGENT


async def chose_urgent(update: Update, context: BotContext) -> Step | None:
    """Remember the urgency; ask when."""
    if not await keep_flag(update, context, "urgent"):
        return None
    return await ask_when(update, context)


async def keep_flag(update: Update, context: BotContext, field: str) -> bool:
    """A yes (1) / no (0) press stored in the draft; False (and refused) if malformed."""
    query = update.callback_query
    try:
        value = unpack(query.data).int_arg(0)
    except BadCallback:
        await stale(update, context)
        return False
    await query.answer()
    draft_of(context)[field] = bool(value)
    return True


async def ask_when(update: Update, context: BotContext) -> Step:
    """Now, this evening, tomorrow morning, or a typed time."""
    draft_of(context)["at"] = Step.WHEN
    rows = [
        [button(context, FEATURE, "bc.now", "when", "now")],
        [button(context, FEATURE, "bc.evening", "when", "evening")],
        [button(context, FEATURE, "bc.morning", "when", "morning")],
        [button(context, FEATURE, "bc.type_time", "when", "type")],
        nav(context, FEATURE),
    ]
    await say(update, context, context.t("bc.ask_when"), rows)
    return Step.WHEN


async def chose_when(update: Update, context: BotContext) -> Step | None:
    """A preset time, or ask for one to be typed."""
    query = update.callback_query
    try:
        choice = unpack(query.data).arg(0)
    except BadCallback:
        await stale(update, context)
        return None
    await query.answer()
    now = context.services.clock.now()
    zone = context.app.settings.community.timezone
    draft = draft_of(context)
    if choice == "now":
        draft["send_at"] = None
    elif choice == "evening":
        draft["send_at"] = at_local(now, zone, 20).isoformat()
    elif choice == "morning":
        draft["send_at"] = at_local(now, zone, 8, days=1).isoformat()
    elif choice == "type":
        draft["at"] = Step.TYPED_TIME
        await say(update, context, context.t("bc.ask_time"), [nav(context, FEATURE)])
        return Step.TYPED_TIME
    else:
        await stale(update, context)
        return None
    return await preview(update, context)


async def typed_time(update: Update, context: BotContext) -> Step:
    """A typed time in community time."""
    message = require_message(update)
    try:
        moment = parse_when(
            message.text or "",
            context.services.clock.now(),
            context.app.settings.community.timezone,
        )
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.TYPED_TIME
    draft_of(context)["send_at"] = moment.isoformat()
    return await preview(update, context)


def local_time(context: BotContext, moment: datetime) -> str:
    """A moment shown in the community's time zone."""
    zone = context.app.settings.community.tz
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def when_text(context: BotContext, draft: dict[str, Any]) -> str:
    """When the broadcast in the draft goes out: now, at its time, or — non-urgent in quiet
    hours — when they end, said as such."""
    send_at = datetime.fromisoformat(draft["send_at"]) if draft.get("send_at") else None
    held = context.services.broadcasts.held_until(
        urgent=bool(draft.get("urgent")), send_at=send_at
    )
    if held is not None:
        return context.label("bc.held", when=local_time(context, held))
    return local_time(context, send_at) if send_at else context.label("bc.now")


async def scope_text(context: BotContext, scope: Scope) -> str:
    """The scope in words: its kind and the places or role chosen."""
    text = context.label(f"bc.kind_{scope.kind}")
    if scope.kind is ScopeKind.ROLE and scope.role is not None:
        text += f": {context.label(f'bc.role_{scope.role}')}"
    elif scope.ids:
        options = await context.services.broadcasts.options(context.account, scope.kind)
        names = [choice.label for choice in options if choice.id in scope.ids]
        text += ": " + "、".join(names)
    if scope.vulnerable_only:
        text += f" ({context.label('bc.vulnerable_only')})"
    return text


async def preview(update: Update, context: BotContext) -> Step | int:
    """What will be sent, to how many, when; Confirm."""
    draft = draft_of(context)
    try:
        scope = scope_of(draft)
        reach = await context.services.broadcasts.reach(context.account, scope)
    except DomainError as error:
        await refuse(update, context, error)
        return forget(context, DRAFT)
    except (KeyError, ValueError):
        return await ask_kind(update, context)
    text = context.t(
        "bc.preview",
        body=draft["body"],
        scope=await scope_text(context, scope),
        urgent=context.label("bc.urgent" if draft.get("urgent") else "bc.normal"),
        when=when_text(context, draft),
        households=reach.households,
        registered=reach.registered_households,
        people=reach.people,
        unregistered=reach.unregistered_households,
    )
    if draft.get("attachment"):
        text += "\n" + context.t(f"bc.with_{draft['attachment']['kind']}")
    if reach.people == 0:
        text += "\n\n" + context.t("bc.nobody_registered")
    rows = [[button(context, FEATURE, "bc.confirm", "ok")], nav(context, FEATURE)]
    draft["at"] = Step.PREVIEW
    await say(update, context, text, rows)
    return Step.PREVIEW


async def confirm(update: Update, context: BotContext) -> int:
    """Create the broadcast; it starts now or waits for its time."""
    query = update.callback_query
    draft = draft_of(context)
    await query.answer()
    when = draft.get("send_at")
    try:
        broadcast = await context.services.broadcasts.create(
            context.account,
            BroadcastDraft(
                body=draft["body"],
                attachment=Attachment.model_validate(draft["attachment"])
                if draft.get("attachment")
                else None,
                scope=scope_of(draft),
                urgent=bool(draft.get("urgent")),
                send_at=datetime.fromisoformat(when) if when else None,
            ),
        )
    except DomainError as error:
        await edit(query, context.t(error.key, **error.params))
        return forget(context, DRAFT)
    held = context.services.broadcasts.held_until(
        urgent=broadcast.urgent, send_at=broadcast.send_at
    )
    if held is not None:  # quiet hours: it waits until they end, and says so
        key = "bc.started_held" if broadcast.started_at is not None else "bc.scheduled_held"
        text = context.t(key, id=broadcast.id, when=local_time(context, held))
        markup = None
        if broadcast.started_at is None:
            markup = InlineKeyboardMarkup(
                [[button(context, FEATURE, "bc.cancel_scheduled", "stop", broadcast.id)]]
            )
        await edit(query, text, markup)
    elif broadcast.started_at is not None:
        await edit(query, context.t("bc.started", id=broadcast.id))
    else:
        await edit(
            query,
            context.t(
                "bc.scheduled", id=broadcast.id, when=local_time(context, broadcast.send_at)
            ),
            InlineKeyboardMarkup(
                [[button(context, FEATURE, "bc.cancel_scheduled", "stop", broadcast.id)]]
            ),
        )
    return forget(context, DRAFT)


PICKED_KINDS = (ScopeKind.COMPOUNDS, ScopeKind.BUILDINGS, ScopeKind.UNITS, ScopeKind.GRIDS)


async def back(update: Update, context: BotContext) -> Step:
    """One step back from the step the draft is at."""
    await update.callback_query.answer()
    draft = draft_of(context)
    at = Step(draft.get("at", Step.TEXT))
    kind = draft.get("kind")
    if at in (Step.PREVIEW, Step.TYPED_TIME):
        return await ask_when(update, context)
    if at is Step.WHEN:
        return await ask_urgent(update, context)
    if at is Step.URGENT:
        if kind == ScopeKind.ROLE:
            return await ask_kind(update, context)
        return await ask_vulnerable(update, context)
    if at is Step.VULNERABLE and kind in PICKED_KINDS:
        return await show_picker(update, context)
    if at in (Step.VULNERABLE, Step.PICK, Step.ROLE):
        return await ask_kind(update, context)
    await say(update, context, context.t("bc.ask_text"), [nav(context, FEATURE, back=False)])
    draft["at"] = Step.TEXT
    return Step.TEXT


cancel = canceller(DRAFT, "bc.cancelled")


use_buttons = replier("reg.use_buttons")


async def stop_scheduled(update: Update, context: BotContext) -> None:
    """Cancel a scheduled broadcast from the button under its confirmation."""
    query = update.callback_query
    try:
        broadcast_id = unpack(query.data).int_arg(0)
        broadcast = await context.services.broadcasts.cancel(context.account, broadcast_id)
    except BadCallback:
        await stale(update, context)
        return
    except DomainError as error:
        await refuse(update, context, error)
        return
    await query.answer()
    await edit(query, context.t("bc.cancelled_scheduled", id=broadcast.id))


def handlers() -> list[BaseHandler]:
    """The broadcast conversation and the button that cancels a scheduled broadcast."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other_input = input_filters()
    common = [
        PressHandler(back, pattern=on("bk")),
        PressHandler(cancel, pattern=on("x")),
    ]
    states = {
        Step.TEXT: [
            MessageHandler(free_text, got_text),
            MessageHandler(filters.PHOTO | filters.Document.ALL, got_media),
            MessageHandler(other_input, not_text),
            *common,
        ],
        Step.KIND: [PressHandler(chose_kind, pattern=on("kind")), *common],
        Step.PICK: [
            PressHandler(toggle, pattern=on("tog")),
            PressHandler(turn_page, pattern=on("pg")),
            PressHandler(picked, pattern=on("done")),
            *common,
        ],
        Step.ROLE: [PressHandler(chose_role, pattern=on("role")), *common],
        Step.VULNERABLE: [PressHandler(chose_vulnerable, pattern=on("vul")), *common],
        Step.URGENT: [PressHandler(chose_urgent, pattern=on("urg")), *common],
        Step.WHEN: [PressHandler(chose_when, pattern=on("when")), *common],
        Step.TYPED_TIME: [MessageHandler(free_text, typed_time), *common],
        Step.PREVIEW: [PressHandler(confirm, pattern=on("ok")), *common],
    }
    for step in (
        Step.KIND,
        Step.PICK,
        Step.ROLE,
        Step.VULNERABLE,
        Step.URGENT,
        Step.WHEN,
        Step.PREVIEW,
    ):
        states[step].append(MessageHandler(other_input, use_buttons))
    states[Step.TYPED_TIME].append(MessageHandler(other_input, not_text))
    conversation_handler = conversation(
        "broadcast",
        entry_points=[
            CommandHandler("broadcast", begin),
            MessageHandler(filters.Text(all_labels("menu.broadcast")), begin),
        ],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel)],
    )
    return [conversation_handler, PressHandler(stop_scheduled, pattern=on("stop"))]
