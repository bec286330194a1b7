"""➕ New meeting: the organiser's guided conversation — kind → title → time → place (or an
online link) → agenda → households (a compound, buildings or units, or none) → roles →
named contacts of the other parties → answer deadline → preview → Confirm. Back and Cancel
at every step; the draft survives a restart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.domain.broadcasts import parse_when
from bot.domain.errors import DomainError
from bot.domain.meetings import (
    INVITED_ROLES,
    MAX_AGENDA,
    MAX_CONTACTS,
    MAX_PLACE,
    MAX_TITLE,
    MEETING_SCOPES,
    Contact,
    MeetingDraft,
    MeetingKind,
    answer_deadline,
    deadline_ahead,
    parse_contact,
)
from bot.domain.models import Role
from bot.domain.reports import local_text
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import words
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
    say,
    step_after,
    step_before,
)

FEATURE = "mc"
DRAFT = "meeting_draft"
DEADLINES = {"d1": timedelta(days=1), "h3": timedelta(hours=3), "h0": timedelta(0)}


class Step(StrEnum):
    """Where the organiser is."""

    KIND = "kind"
    TITLE = "title"
    TIME = "time"
    PLACE = "place"
    AGENDA = "agenda"
    SCOPE = "scope"
    PICK = "pick"
    ROLES = "roles"
    CONTACTS = "contacts"
    DEADLINE = "deadline"
    PREVIEW = "preview"


ORDER = [
    Step.KIND,
    Step.TITLE,
    Step.TIME,
    Step.PLACE,
    Step.AGENDA,
    Step.SCOPE,
    Step.PICK,
    Step.ROLES,
    Step.CONTACTS,
    Step.DEADLINE,
]


def draft_of(context: BotContext) -> dict[str, Any]:
    """The draft in user_data (JSON, persisted)."""
    return context.user_data.setdefault(DRAFT, {})


def applies(draft: dict[str, Any], step: Step) -> bool:
    """The place picker only when households are invited."""
    return step is not Step.PICK or bool(draft.get("scope"))


def following(draft: dict[str, Any], step: Step) -> Step:
    """The step after `step` (PREVIEW after the last)."""
    return step_after(ORDER, lambda c: applies(draft, c), step, Step.PREVIEW)


def preceding(draft: dict[str, Any], step: Step) -> Step:
    """The step before `step` (the first one stays)."""
    return step_before(ORDER, lambda c: applies(draft, c), step, Step.PREVIEW)


async def begin(update: Update, context: BotContext) -> Step | int:
    """➕ (grid workers and staff)."""
    query = update.callback_query
    try:
        context.services.access.require(context.account, Role.GRID_WORKER)
    except DomainError as error:
        await refuse(update, context, error)
        return ConversationHandler.END
    await query.answer()
    context.user_data[DRAFT] = {"ids": [], "roles": [], "contacts": []}
    return await ask(update, context, Step.KIND)


async def ask(update: Update, context: BotContext, step: Step) -> Step:
    """Show a step."""
    draft = draft_of(context)
    draft["at"] = step
    if step is Step.PREVIEW:
        return await preview(update, context)
    rows: list[list[Any]] = []
    params: dict[str, object] = {}
    if step is Step.KIND:
        rows = [
            [button(context, FEATURE, f"meeting.kind_{k.value}", "kind", k.value)]
            for k in MeetingKind
        ]
    elif step is Step.AGENDA:
        rows = [[button(context, FEATURE, "notice.skip", "skip")]]
    elif step is Step.SCOPE:
        rows = [
            [button(context, FEATURE, f"bc.kind_{s.value}", "sk", s.value)]
            for s in context.services.meetings.scope_kinds(context.account)
        ]
        rows.append([button(context, FEATURE, "meeting.no_households", "sk", "none")])
    elif step is Step.PICK:
        options = await context.services.broadcasts.options(
            context.account, ScopeKind(draft["scope"])
        )
        rows = picker_rows(context, FEATURE, options, draft.get("ids", []), draft.get("page", 0))
        await say(update, context, context.t(f"bc.pick_{draft['scope']}"), rows)
        return step
    elif step is Step.ROLES:
        rows = [
            [
                button(
                    context,
                    FEATURE,
                    "meeting.role_toggle",
                    "role",
                    role.value,
                    mark="✅" if role.value in draft["roles"] else "▫️",
                    role=context.label(f"meeting.role_{role.value}"),
                )
            ]
            for role in INVITED_ROLES
        ]
        rows.append([button(context, FEATURE, "vote.done", "done", count=len(draft["roles"]))])
    elif step is Step.CONTACTS:
        params = {"count": len(draft["contacts"]), "max": MAX_CONTACTS}
        rows = [[button(context, FEATURE, "vote.done", "done", count=len(draft["contacts"]))]]
    elif step is Step.DEADLINE:
        # Only the choices still ahead: "a day before" a meeting in 11 hours is already past.
        starts = datetime.fromisoformat(draft["starts"])
        now = context.services.clock.now()
        choices = [
            button(context, FEATURE, f"meeting.deadline_{key}", "dl", key)
            for key, before in DEADLINES.items()
            if deadline_ahead(starts, before, now)
        ]
        rows = [choices] if choices else []
    rows.append(nav(context, FEATURE, back=step is not Step.KIND))
    await say(update, context, context.t(f"meeting.ask_new_{step.value}", **params), rows)
    return step


async def go_on(update: Update, context: BotContext, step: Step) -> Step:
    """The step after `step`."""
    return await ask(update, context, following(draft_of(context), step))


async def typed(update: Update, context: BotContext) -> Step:
    """Text for the typed steps."""
    draft = draft_of(context)
    step = Step(draft.get("at", Step.KIND))
    message = require_message(update)
    text = (message.text or "").strip()
    services = context.services
    zone = services.meetings.timezone
    try:
        if step is Step.TITLE:
            draft["title"] = words(text, MAX_TITLE)
        elif step is Step.TIME:
            draft["starts"] = parse_when(text, services.clock.now(), zone).isoformat()
        elif step is Step.PLACE:
            draft["place"] = words(text, MAX_PLACE)
        elif step is Step.AGENDA:
            draft["agenda"] = words(text, MAX_AGENDA)
        elif step is Step.CONTACTS:
            contacts = []
            for line in text.splitlines():
                if line.strip():
                    try:
                        contacts.append(parse_contact(line))
                    except (ValueError, ValidationError):
                        await message.reply_text(context.t("meeting.bad_contact"))
                        return step
            if len(draft["contacts"]) + len(contacts) > MAX_CONTACTS:
                await message.reply_text(context.t("meeting.too_many_contacts", max=MAX_CONTACTS))
                return step
            draft["contacts"].extend(c.model_dump(mode="json") for c in contacts)
            return await ask(update, context, Step.CONTACTS)
        elif step is Step.DEADLINE:
            starts = datetime.fromisoformat(draft["starts"])
            moment = parse_when(text, services.clock.now(), zone)
            if moment > starts:
                await message.reply_text(context.t("meeting.deadline_after"))
                return step
            draft["rsvp_by"] = moment.isoformat()
        else:
            await message.reply_text(context.t("reg.use_buttons"))
            return step
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return step
    return await go_on(update, context, step)


async def pressed_step(update: Update, context: BotContext) -> Step | None:
    """Every in-conversation button but Back, Cancel and Confirm."""
    query = update.callback_query
    draft = draft_of(context)
    step = Step(draft.get("at", Step.KIND))
    try:
        data = unpack(query.data)
        action = data.action
        if action == "kind" and step is Step.KIND:
            draft["kind"] = MeetingKind(data.arg(0)).value
        elif action == "skip" and step is Step.AGENDA:
            draft["agenda"] = ""
        elif action == "sk" and step is Step.SCOPE:
            if data.arg(0) == "none":
                draft.update(scope=None, ids=[])
            else:
                kind = ScopeKind(data.arg(0))
                if kind not in MEETING_SCOPES:
                    raise BadCallback("scope")
                context.services.meetings.check_scope_kind(context.account, kind)
                draft.update(scope=kind.value, ids=[], page=0)
        elif step is Step.PICK:
            again = await pick_press(update, context, draft)
            if again is None:
                return None
            if again:
                await query.answer()
                return await ask(update, context, Step.PICK)
        elif action == "role" and step is Step.ROLES:
            role = Role(data.arg(0))
            if role not in INVITED_ROLES:
                raise BadCallback("role")
            roles = draft["roles"]
            draft["roles"] = (
                [r for r in roles if r != role.value]
                if role.value in roles
                else [*roles, role.value]
            )
            await query.answer()
            return await ask(update, context, Step.ROLES)
        elif action == "done" and step in (Step.ROLES, Step.CONTACTS):
            pass
        elif action == "dl" and step is Step.DEADLINE:
            before = DEADLINES[data.arg(0)]
            starts = datetime.fromisoformat(draft["starts"])
            now = context.services.clock.now()
            draft["rsvp_by"] = answer_deadline(starts, before, now).isoformat()
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


def build(draft: dict[str, Any]) -> MeetingDraft:
    """The draft as the domain sees it (ValidationError or KeyError if it does not hold)."""
    scope = (
        Scope(kind=ScopeKind(draft["scope"]), ids=tuple(draft["ids"]))
        if draft.get("scope")
        else None
    )
    return MeetingDraft(
        kind=MeetingKind(draft["kind"]),
        title=draft["title"],
        starts_at=datetime.fromisoformat(draft["starts"]),
        place=draft["place"],
        agenda=draft.get("agenda", ""),
        scope=scope,
        roles=tuple(Role(r) for r in draft["roles"]),
        contacts=tuple(Contact.model_validate(c) for c in draft["contacts"]),
        rsvp_by=datetime.fromisoformat(draft["rsvp_by"]),
    )


async def preview(update: Update, context: BotContext) -> Step:
    """Everything at once with how many are invited; Confirm."""
    draft = draft_of(context)
    draft["at"] = Step.PREVIEW
    services = context.services
    try:
        meeting = build(draft)
        await services.meetings.check_scope(context.account, meeting.scope)
    except (ValidationError, KeyError, ValueError):
        await say(update, context, context.t("meeting.bad_draft"), [nav(context, FEATURE)])
        return Step.PREVIEW
    except DomainError as error:
        await say(update, context, context.t(error.key, **error.params), [nav(context, FEATURE)])
        return Step.PREVIEW
    people = 0
    if meeting.scope is not None:
        people = (await services.broadcasts.reach(context.account, meeting.scope)).people
    zone = services.meetings.timezone
    text = context.t(
        "meeting.preview",
        kind=context.label(f"meeting.kind_{meeting.kind.value}"),
        title=meeting.title,
        when=local_text(meeting.starts_at, zone),
        place=meeting.place,
        agenda=meeting.agenda or "—",
        people=people,
        roles="、".join(context.label(f"meeting.role_{r.value}") for r in meeting.roles) or "—",
        contacts="、".join(c.name for c in meeting.contacts) or "—",
        rsvp_by=local_text(meeting.rsvp_by, zone),
    )
    await say(
        update,
        context,
        text,
        [[button(context, FEATURE, "meeting.confirm", "ok")], nav(context, FEATURE)],
    )
    return Step.PREVIEW


async def confirm(update: Update, context: BotContext) -> int | Step:
    """Create it: every invitee gets the notice."""
    query = update.callback_query
    try:
        meeting = await context.services.meetings.create(context.account, build(draft_of(context)))
    except (ValidationError, KeyError, ValueError):
        await query.answer(context.label("vote.bad_draft_short"), show_alert=True)
        return Step.PREVIEW
    except DomainError as error:
        await refuse(update, context, error)
        return Step.PREVIEW
    await query.answer()
    await edit(query, context.t("meeting.created", title=meeting.title))
    return forget(context, DRAFT)


async def back(update: Update, context: BotContext) -> Step:
    """The step before."""
    await update.callback_query.answer()
    draft = draft_of(context)
    return await ask(update, context, preceding(draft, Step(draft.get("at", Step.KIND))))


async def other_input(update: Update, context: BotContext) -> Step:
    """A photo, sticker or voice note where words or buttons are expected."""
    await require_message(update).reply_text(context.t("meeting.not_here"))
    return Step(draft_of(context).get("at", Step.KIND))


cancel = canceller(DRAFT, "meeting.cancelled_draft")


def handlers() -> list[BaseHandler]:
    """The creation conversation."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    steps = [
        MessageHandler(free_text, typed),
        PressHandler(back, pattern=on("bk")),
        PressHandler(cancel, pattern=on("x")),
        PressHandler(confirm, pattern=on("ok")),
        PressHandler(pressed_step, pattern=rf"^v1:{FEATURE}:"),
        MessageHandler(other, other_input),
    ]
    return [
        conversation(
            "meeting_create",
            entry_points=[PressHandler(begin, pattern=on("new"))],
            states={step: steps for step in Step},
            fallbacks=[CommandHandler("cancel", cancel)],
        )
    ]
