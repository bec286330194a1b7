"""➕ New menu / ➕ New proposal: the staff's guided conversations, each ending in a preview
and Confirm. Every step has Back and Cancel; the draft is kept in the persisted user_data, so
it survives a restart.

Menu: title → scope → places → items ("title | cost | description", or a photo with that
caption) → opening → closing → k → budget → rule (with a budget) → live results → preview.
Proposal: title → text → scope → places → rule (custom: typed thresholds) → files → cost
sharing (total and floor coefficients, or skip) → opening → closing → preview.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.broadcasts import parse_when
from bot.domain.consent import RuleKind
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.domain.models import Role
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import words
from bot.domain.votes import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    MAX_ITEMS,
    MAX_TITLE,
    VOTE_SCOPES,
    MenuDraft,
    MenuItemDraft,
    ProposalDraft,
    SelectionRule,
    VoteKind,
    parse_coefficients,
    parse_item,
    parse_yuan,
    rule_named,
    yuan,
)
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
    pick_press,
    picker_rows,
    replier,
    say,
    step_after,
    step_before,
)

FEATURE = "vc"
DRAFT = "vote_draft"
DURATIONS = (3, 7, 14)  # days, the closing-time buttons
MAX_K_BUTTONS = 6


class Step(StrEnum):
    """Where the author is."""

    TITLE = "title"
    BODY = "body"
    SCOPE = "scope"
    PICK = "pick"
    ITEMS = "items"
    RULE = "rule"
    CUSTOM = "custom"
    FILES = "files"
    COST = "cost"
    OPENS = "opens"
    CLOSES = "closes"
    K = "k"
    BUDGET = "budget"
    SELECT = "select"
    LIVE = "live"
    PREVIEW = "preview"


ORDERS = {
    VoteKind.MENU: [
        Step.TITLE,
        Step.SCOPE,
        Step.PICK,
        Step.ITEMS,
        Step.OPENS,
        Step.CLOSES,
        Step.K,
        Step.BUDGET,
        Step.SELECT,
        Step.LIVE,
    ],
    VoteKind.PROPOSAL: [
        Step.TITLE,
        Step.BODY,
        Step.SCOPE,
        Step.PICK,
        Step.RULE,
        Step.CUSTOM,
        Step.FILES,
        Step.COST,
        Step.OPENS,
        Step.CLOSES,
    ],
}


def draft_of(context: BotContext) -> dict[str, Any]:
    """The draft in user_data (JSON, persisted)."""
    return context.user_data.setdefault(DRAFT, {})


def zone(context: BotContext) -> str:
    """The community's time zone."""
    return context.app.settings.community.timezone


def kind_of(draft: dict[str, Any]) -> VoteKind:
    """Menu or proposal."""
    return VoteKind(draft.get("kind", VoteKind.MENU))


def applies(draft: dict[str, Any], step: Step) -> bool:
    """Whether a step is part of this draft's path (custom thresholds, rule with budget)."""
    if step is Step.CUSTOM:
        return draft.get("rule") == RuleKind.CUSTOM
    if step is Step.SELECT:
        return draft.get("budget") is not None
    return True


def following(draft: dict[str, Any], step: Step) -> Step:
    """The step after `step` (PREVIEW after the last)."""
    return step_after(ORDERS[kind_of(draft)], lambda c: applies(draft, c), step, Step.PREVIEW)


def preceding(draft: dict[str, Any], step: Step) -> Step:
    """The step before `step` (the first one stays)."""
    return step_before(ORDERS[kind_of(draft)], lambda c: applies(draft, c), step, Step.PREVIEW)


# ---------------------------------------------------------------------------- entry


async def begin(update: Update, context: BotContext) -> Step | int:
    """➕ New menu / ➕ New proposal (staff only)."""
    query = update.callback_query
    try:
        context.services.access.require(context.account, Role.STAFF)
        kind = VoteKind(unpack(query.data).arg(0))
    except (BadCallback, ValueError):
        await stale(update, context)
        return ConversationHandler.END
    except DomainError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    await query.answer()
    context.user_data[DRAFT] = {"kind": kind.value, "items": [], "files": [], "ids": []}
    return await ask(update, context, Step.TITLE)


async def ask(update: Update, context: BotContext, step: Step) -> Step:
    """Show a step."""
    draft = draft_of(context)
    draft["at"] = step
    kind = kind_of(draft)
    if step is Step.PREVIEW:
        return await preview(update, context)
    rows: list[list[Any]] = []
    params: dict[str, object] = {}
    if step is Step.SCOPE:
        rows = [
            [button(context, FEATURE, f"bc.kind_{scope.value}", "sk", scope.value)]
            for scope in VOTE_SCOPES
        ]
    elif step is Step.PICK:
        options = await context.services.broadcasts.options(
            context.account, ScopeKind(draft["scope"])
        )
        rows = picker_rows(context, FEATURE, options, draft.get("ids", []), draft.get("page", 0))
        await say(update, context, context.t(f"bc.pick_{draft['scope']}"), rows)
        return step
    elif step is Step.ITEMS:
        params = {"count": len(draft["items"]), "max": MAX_ITEMS}
        rows = [[button(context, FEATURE, "vote.done", "done", count=len(draft["items"]))]]
    elif step is Step.RULE:
        rows = [
            [button(context, FEATURE, f"vote.rule_{rule.value}", "rule", rule.value)]
            for rule in RuleKind
        ]
    elif step is Step.FILES:
        params = {"count": len(draft["files"]), "max": MAX_ATTACHMENTS}
        rows = [[button(context, FEATURE, "vote.done", "done", count=len(draft["files"]))]]
    elif step is Step.COST:
        rows = [[button(context, FEATURE, "notice.skip", "skip")]]
    elif step is Step.OPENS:
        rows = [[button(context, FEATURE, "vote.open_now", "now")]]
    elif step is Step.CLOSES:
        rows = [
            [button(context, FEATURE, "vote.days", "days", days, days=days) for days in DURATIONS]
        ]
    elif step is Step.K:
        top = min(MAX_K_BUTTONS, len(draft["items"]))
        rows = [
            [button(context, FEATURE, "vote.k_button", "k", k, k=k) for k in range(1, top + 1)]
        ]
    elif step is Step.BUDGET:
        rows = [[button(context, FEATURE, "vote.no_budget", "nob")]]
    elif step is Step.SELECT:
        rows = [
            [button(context, FEATURE, f"vote.sel_{rule.value}", "sel", rule.value)]
            for rule in SelectionRule
        ]
    elif step is Step.LIVE:
        rows = [
            [
                button(context, FEATURE, "vote.live_yes", "live", 1),
                button(context, FEATURE, "vote.live_no", "live", 0),
            ]
        ]
    rows.append(nav(context, FEATURE, back=step is not Step.TITLE))
    await say(update, context, context.t(f"vote.ask_{kind.value}_{step.value}", **params), rows)
    return step


async def go_on(update: Update, context: BotContext, step: Step) -> Step:
    """Ask the step after `step`."""
    return await ask(update, context, following(draft_of(context), step))


# ---------------------------------------------------------------------------- typed steps


async def typed(update: Update, context: BotContext) -> Step:
    """A text message: what it means depends on the step."""
    draft = draft_of(context)
    step = Step(draft.get("at", Step.TITLE))
    message = require_message(update)
    text = (message.text or "").strip()
    try:
        if step is Step.TITLE:
            draft["title"] = words(text, MAX_TITLE)
        elif step is Step.BODY:
            draft["body"] = words(text, MAX_BODY)
        elif step is Step.ITEMS:
            return await add_items(update, context, text, None)
        elif step is Step.CUSTOM:
            rule_named(RuleKind.CUSTOM, text)
            draft["custom"] = text
        elif step is Step.COST:
            total, _, coefficients = text.replace("；", ";").partition(";")
            fen = parse_yuan(total)
            coef = parse_coefficients(coefficients)
            draft["cost_fen"] = fen
            draft["coef"] = {str(k): str(v) for k, v in coef.items()}
        elif step is Step.OPENS:
            draft["opens"] = parse_when(
                text, context.services.clock.now(), zone(context)
            ).isoformat()
        elif step is Step.CLOSES:
            opens = datetime.fromisoformat(draft["opens"])
            draft["closes"] = parse_when(text, opens, zone(context)).isoformat()
        elif step is Step.K:
            k = int(text) if text.isdecimal() else 0
            if not 1 <= k <= len(draft["items"]):
                await message.reply_text(context.t("vote.k_range"))
                return step
            draft["k"] = k
        elif step is Step.BUDGET:
            fen = parse_yuan(text)
            if fen <= 0 or fen % 100:
                await message.reply_text(context.t("vote.bad_budget"))
                return step
            draft["budget"] = fen // 100
        else:
            await message.reply_text(context.t("reg.use_buttons"))
            return step
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return step
    return await go_on(update, context, step)


async def add_items(
    update: Update, context: BotContext, text: str, photo: Attachment | None
) -> Step:
    """One item per line (or a photo with one item as caption); the count so far."""
    draft = draft_of(context)
    message = require_message(update)
    lines = [line for line in text.splitlines() if line.strip()]
    if photo is not None and len(lines) != 1:
        await message.reply_text(context.t("vote.photo_caption"))
        return Step.ITEMS
    try:
        items = [parse_item(line, photo) for line in lines]
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.ITEMS
    if len(draft["items"]) + len(items) > MAX_ITEMS:
        await message.reply_text(context.t("vote.too_many_items", max=MAX_ITEMS))
        return Step.ITEMS
    draft["items"].extend(item.model_dump(mode="json") for item in items)
    return await ask(update, context, Step.ITEMS)


async def got_photo(update: Update, context: BotContext) -> Step:
    """A photo: an item's picture (caption = the item), or a proposal's attachment."""
    draft = draft_of(context)
    step = Step(draft.get("at", Step.TITLE))
    message = require_message(update)
    ref = message.photo[-1].file_id
    if step is Step.ITEMS:
        return await add_items(
            update, context, message.caption or "", Attachment(kind="photo", ref=ref)
        )
    if step is Step.FILES:
        return await add_file(update, context, Attachment(kind="photo", ref=ref))
    await message.reply_text(context.t("vote.not_here"))
    return step


async def got_document(update: Update, context: BotContext) -> Step:
    """A document (a PDF plan, a cost table) for a proposal."""
    draft = draft_of(context)
    step = Step(draft.get("at", Step.TITLE))
    message = require_message(update)
    if step is not Step.FILES:
        await message.reply_text(context.t("vote.not_here"))
        return step
    return await add_file(
        update, context, Attachment(kind="document", ref=message.document.file_id)
    )


async def add_file(update: Update, context: BotContext, attachment: Attachment) -> Step:
    """Keep an attachment (at most MAX_ATTACHMENTS)."""
    draft = draft_of(context)
    if len(draft["files"]) >= MAX_ATTACHMENTS:
        await require_message(update).reply_text(
            context.t("vote.too_many_files", max=MAX_ATTACHMENTS)
        )
        return Step.FILES
    draft["files"].append(attachment.model_dump())
    return await ask(update, context, Step.FILES)


async def other_input(update: Update, context: BotContext) -> Step:
    """A sticker, voice note or anything else a step does not take."""
    await require_message(update).reply_text(context.t("vote.not_here"))
    return Step(draft_of(context).get("at", Step.TITLE))


# ---------------------------------------------------------------------------- buttons


async def pressed_step(update: Update, context: BotContext) -> Step | None:
    """Every in-conversation button but Back, Cancel and Confirm."""
    query = update.callback_query
    draft = draft_of(context)
    step = Step(draft.get("at", Step.TITLE))
    try:
        data = unpack(query.data)
        action = data.action
        if action == "sk" and step is Step.SCOPE:
            scope = ScopeKind(data.arg(0))
            if scope not in VOTE_SCOPES:
                raise BadCallback("scope")
            draft.update(scope=scope.value, ids=[], page=0)
        elif step is Step.PICK:
            again = await pick_press(update, context, draft)
            if again is None:
                return None
            if again:
                await query.answer()
                return await ask(update, context, Step.PICK)
        elif action == "done" and step is Step.ITEMS:
            if len(draft["items"]) < 2:
                await query.answer(context.label("vote.two_items"), show_alert=True)
                return None
        elif action == "done" and step is Step.FILES:
            pass
        elif action == "rule" and step is Step.RULE:
            draft["rule"] = RuleKind(data.arg(0)).value
        elif action == "skip" and step is Step.COST:
            draft.pop("cost_fen", None)
            draft.pop("coef", None)
        elif action == "now" and step is Step.OPENS:
            draft["opens"] = context.services.clock.now().isoformat()
        elif action == "days" and step is Step.CLOSES:
            days = data.int_arg(0)
            if days not in DURATIONS:
                raise BadCallback("days")
            draft["closes"] = (
                datetime.fromisoformat(draft["opens"]) + timedelta(days=days)
            ).isoformat()
        elif action == "k" and step is Step.K:
            k = data.int_arg(0)
            if not 1 <= k <= len(draft["items"]):
                raise BadCallback("k")
            draft["k"] = k
        elif action == "nob" and step is Step.BUDGET:
            draft["budget"] = None
        elif action == "sel" and step is Step.SELECT:
            draft["select"] = SelectionRule(data.arg(0)).value
        elif action == "live" and step is Step.LIVE:
            draft["live"] = bool(data.int_arg(0))
        else:
            raise BadCallback(f"{action} at {step}")
    except (BadCallback, ValueError, KeyError):
        await stale(update, context)
        return None
    except DomainError as error:
        await refuse(update, context, error)
        return None
    await query.answer()
    return await go_on(update, context, step)


def build(draft: dict[str, Any]) -> MenuDraft | ProposalDraft:
    """The draft as the domain sees it (ValidationError / DomainError if it does not hold)."""
    scope = Scope(kind=ScopeKind(draft["scope"]), ids=tuple(draft["ids"]))
    common = {
        "title": draft["title"],
        "scope": scope,
        "opens_at": datetime.fromisoformat(draft["opens"]),
        "closes_at": datetime.fromisoformat(draft["closes"]),
    }
    if kind_of(draft) is VoteKind.MENU:
        return MenuDraft(
            **common,
            items=tuple(MenuItemDraft.model_validate(item) for item in draft["items"]),
            max_picks=draft["k"],
            budget=draft.get("budget"),
            rule=SelectionRule(draft.get("select", SelectionRule.GREEDY)),
            live=draft.get("live", True),
        )
    return ProposalDraft(
        **common,
        body=draft["body"],
        rule=rule_named(RuleKind(draft["rule"]), draft.get("custom", "")),
        attachments=tuple(Attachment.model_validate(f) for f in draft["files"]),
        total_cost_fen=draft.get("cost_fen"),
        coefficients={int(k): Decimal(v) for k, v in draft.get("coef", {}).items()},
    )


async def preview(update: Update, context: BotContext) -> Step:
    """Everything at once, with how many households it concerns; Confirm."""
    draft = draft_of(context)
    draft["at"] = Step.PREVIEW
    try:
        vote = build(draft)
    except (ValidationError, DomainError, KeyError, ValueError):
        await say(update, context, context.t("vote.bad_draft"), [nav(context, FEATURE)])
        return Step.PREVIEW
    reach = await context.services.broadcasts.reach(context.account, vote.scope)
    when = {
        "opens": f"{vote.opens_at.astimezone(ZoneInfo(zone(context))):%Y-%m-%d %H:%M}",
        "closes": f"{vote.closes_at.astimezone(ZoneInfo(zone(context))):%Y-%m-%d %H:%M}",
    }
    if isinstance(vote, MenuDraft):
        items = "\n".join(
            f"{n}. {item.title} — ¥{item.cost:,}" + (" 📷" if item.photo else "")
            for n, item in enumerate(vote.items, start=1)
        )
        text = context.t(
            "vote.preview_menu",
            title=vote.title,
            items=items,
            k=vote.max_picks,
            budget=f"{vote.budget:,}" if vote.budget else "—",
            rule=context.label(f"vote.sel_{vote.rule.value}"),
            live=context.label("vote.live_yes" if vote.live else "vote.live_no"),
            households=reach.registered_households,
            **when,
        )
    else:
        text = context.t(
            "vote.preview_proposal",
            title=vote.title,
            body=vote.body,
            rule=context.label(f"vote.rule_{vote.rule.kind.value}"),
            files=len(vote.attachments),
            cost=yuan(vote.total_cost_fen) if vote.total_cost_fen is not None else "—",
            households=reach.households,
            **when,
        )
    await say(
        update,
        context,
        text,
        [[button(context, FEATURE, "vote.confirm", "ok")], nav(context, FEATURE)],
    )
    return Step.PREVIEW


async def confirm(update: Update, context: BotContext) -> int | Step:
    """Publish it: it opens at its time and the scope is told."""
    query = update.callback_query
    draft = draft_of(context)
    votes = context.services.votes
    try:
        vote = build(draft)
        if isinstance(vote, MenuDraft):
            created = await votes.create_menu(context.account, vote)
            key = "vote.menu_created"
        else:
            created = await votes.create_proposal(context.account, vote)
            key = "vote.proposal_created"
    except (ValidationError, KeyError, ValueError):
        await query.answer(context.label("vote.bad_draft_short"), show_alert=True)
        return Step.PREVIEW
    except DomainError as error:
        await refuse(update, context, error)
        return Step.PREVIEW
    await query.answer()
    await edit(query, context.t(key, id=created.id, title=created.title))
    return forget(context, DRAFT)


async def back(update: Update, context: BotContext) -> Step:
    """The step before the current one."""
    await update.callback_query.answer()
    draft = draft_of(context)
    at = Step(draft.get("at", Step.TITLE))
    return await ask(update, context, preceding(draft, at))


cancel = canceller(DRAFT, "vote.cancelled_draft")
use_buttons = replier("reg.use_buttons")


def handlers() -> list[BaseHandler]:
    """The creation conversation."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    steps = [
        MessageHandler(free_text, typed),
        MessageHandler(filters.PHOTO, got_photo),
        MessageHandler(filters.Document.ALL, got_document),
        PressHandler(back, pattern=on("bk")),
        PressHandler(cancel, pattern=on("x")),
        PressHandler(confirm, pattern=on("ok")),
        PressHandler(pressed_step, pattern=rf"^v1:{FEATURE}:"),
        MessageHandler(other, other_input),
    ]
    return [
        conversation(
            "vote_create",
            entry_points=[PressHandler(begin, pattern=on("new"))],
            states={step: steps for step in Step},
            fallbacks=[
                CommandHandler("cancel", cancel),
            ],
        )
    ]
