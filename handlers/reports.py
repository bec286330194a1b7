"""📝 Report a problem: category → description (text or voice) → photos → place → urgency →
similar open reports ("+1") → summary with Submit / Edit / Cancel. Back works at every step;
the draft lives in user_data and the step in a persistent conversation, so both survive a
restart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.errors import DomainError
from bot.domain.homes import Home
from bot.domain.reports import (
    BUILDING_SPOTS,
    COMPOUND_SPOTS,
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    MAX_PLACE_NOTE,
    Media,
    MediaKind,
    PlaceKind,
    ReportCategory,
    ReportDraft,
    ReportPlace,
    Urgency,
    local_text,
)
from bot.domain.text import words
from bot.i18n import all_labels
from handlers.callback_data import BadCallback, PressHandler, unpack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.notifier import render
from handlers.replies import edit, stale
from handlers.start import require_message
from handlers.steps import (
    button,
    canceller,
    conversation,
    forget,
    input_filters,
    nav,
    replier,
    say,
)

FEATURE = "rf"
DRAFT = "report"


class Step(StrEnum):
    """Where the resident is."""

    CATEGORY = "category"
    DESCRIBE = "describe"
    PHOTOS = "photos"
    PLACE = "place"
    PLACE_TEXT = "place_text"
    URGENCY = "urgency"
    SIMILAR = "similar"
    SUMMARY = "summary"
    EDIT = "edit"


ORDER = [Step.CATEGORY, Step.DESCRIBE, Step.PHOTOS, Step.PLACE, Step.URGENCY]
EDITABLE = ORDER
URGENCY_MARK = {Urgency.HIGH: "🔴", Urgency.NORMAL: "🟡", Urgency.LOW: "🟢"}


def draft_of(context: BotContext) -> dict[str, Any]:
    """The draft in user_data (JSON, persisted)."""
    return context.user_data.setdefault(DRAFT, {})


def report_draft(draft: dict[str, Any]) -> ReportDraft:
    """The draft as the domain sees it."""
    voice = draft.get("voice")
    return ReportDraft(
        category=ReportCategory(draft["category"]),
        description=draft.get("description", ""),
        voice=Media(kind=MediaKind.VOICE, ref=voice) if voice else None,
        photos=tuple(Media(kind=MediaKind.PHOTO, ref=ref) for ref in draft.get("photos", [])),
        place=ReportPlace.model_validate(draft["place"]),
        urgency=Urgency(draft["urgency"]),
    )


def place_words(context: BotContext, home: Home, place: dict[str, Any]) -> str:
    """Where, in words, as the reporter picked it."""
    kind = PlaceKind(place["kind"])
    if kind is PlaceKind.HOME:
        at = home.place
        return context.label("report.place_home", place=f"{at.building} {at.unit} {at.room}")
    spot = context.label(f"report.spot_{place.get('spot')}") if place.get("spot") else ""
    if kind is PlaceKind.BUILDING:
        return f"{home.place.building} {spot}"
    if kind is PlaceKind.COMPOUND:
        return f"{home.place.compound} {spot}"
    return place.get("note", "")


# ---------------------------------------------------------------------------- the steps


async def begin(update: Update, context: BotContext) -> Step | int:
    """📝 or /report: a registered household is needed; start with the category."""
    message = require_message(update)
    try:
        await context.services.reports.home_for_report(context.account)
    except DomainError as error:
        await message.reply_text(
            context.t(error.key, **error.params),
            reply_markup=main_menu(context.lang, context.account),
        )
        return ConversationHandler.END
    context.user_data[DRAFT] = {"photos": []}
    return await ask(update, context, Step.CATEGORY)


async def ask(update: Update, context: BotContext, step: Step) -> Step | int:
    """Show a step (the end, if the reporter no longer has a home to report for)."""
    draft = draft_of(context)
    draft["at"] = step
    if step is Step.CATEGORY:
        options = [
            button(context, FEATURE, f"report.cat_{category.value}", "cat", category.value)
            for category in ReportCategory
        ]
        rows = [options[i : i + 2] for i in range(0, len(options), 2)]
        rows.append(nav(context, FEATURE, back=bool(draft.get("editing"))))
        await say(update, context, context.t("report.ask_category"), rows)
    elif step is Step.DESCRIBE:
        await say(
            update,
            context,
            context.t("report.ask_description", limit=MAX_DESCRIPTION),
            [nav(context, FEATURE)],
        )
    elif step is Step.PHOTOS:
        count = len(draft.get("photos", []))
        rows = [[button(context, FEATURE, "report.photos_done", "pdone", count=count)]]
        rows.append(nav(context, FEATURE))
        await say(
            update, context, context.t("report.ask_photos", count=count, limit=MAX_PHOTOS), rows
        )
    elif step is Step.PLACE and not await show_places(update, context):
        return ConversationHandler.END
    elif step is Step.PLACE_TEXT:
        await say(update, context, context.t("report.ask_place_text"), [nav(context, FEATURE)])
    elif step is Step.URGENCY:
        rows = [
            [button(context, FEATURE, f"report.urgency_{u.value}_long", "urg", u.value)]
            for u in Urgency
        ]
        rows.append(nav(context, FEATURE))
        await say(update, context, context.t("report.ask_urgency"), rows)
    return step


async def home_or_stop(update: Update, context: BotContext) -> Home | None:
    """The reporter's home; None (and the draft dropped, the user told) if it is gone."""
    try:
        return await context.services.reports.home_for_report(context.account)
    except DomainError as error:
        await say(update, context, context.t(error.key, **error.params), [])
        forget(context, DRAFT)
        return None


async def show_places(update: Update, context: BotContext) -> bool:
    """Home (pre-filled), the spots of the building and the compound, or type one."""
    home = await home_or_stop(update, context)
    if home is None:
        return False
    at = home.place
    rows = [
        [
            button(
                context,
                FEATURE,
                "report.place_home",
                "home",
                place=f"{at.building} {at.unit} {at.room}",
            )
        ]
    ]
    spots = [
        button(context, FEATURE, f"report.spot_{spot}", "bspot", spot) for spot in BUILDING_SPOTS
    ]
    rows += [spots[i : i + 2] for i in range(0, len(spots), 2)]
    spots = [
        button(context, FEATURE, f"report.spot_{spot}", "cspot", spot) for spot in COMPOUND_SPOTS
    ]
    rows += [spots[i : i + 2] for i in range(0, len(spots), 2)]
    rows.append([button(context, FEATURE, "report.place_other", "other")])
    rows.append(nav(context, FEATURE))
    text = context.t("report.ask_place", building=at.building, compound=at.compound)
    await say(update, context, text, rows)
    return True


async def after(update: Update, context: BotContext, step: Step) -> Step | int:
    """The step that follows `step`, or the summary when the resident was editing."""
    draft = draft_of(context)
    if draft.get("editing") or step is Step.URGENCY:
        draft.pop("editing", None)
        return await similar_or_summary(update, context)
    return await ask(update, context, ORDER[ORDER.index(step) + 1])


async def chose_category(update: Update, context: BotContext) -> Step | None:
    """One of the categories."""
    query = update.callback_query
    try:
        category = ReportCategory(unpack(query.data).arg(0))
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    draft_of(context)["category"] = category.value
    return await after(update, context, Step.CATEGORY)


async def described(update: Update, context: BotContext) -> Step:
    """A description in words (bounded)."""
    message = require_message(update)
    try:
        text = words(message.text, MAX_DESCRIPTION)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.DESCRIBE
    draft = draft_of(context)
    draft.update(description=text, voice=None)
    return await after(update, context, Step.DESCRIBE)


async def described_by_voice(update: Update, context: BotContext) -> Step:
    """A voice note instead of words."""
    message = require_message(update)
    draft = draft_of(context)
    draft.update(description="", voice=message.voice.file_id)
    await message.reply_text(context.t("report.voice_received"))
    return await after(update, context, Step.DESCRIBE)


async def not_a_description(update: Update, context: BotContext) -> Step:
    """A sticker, photo or file where words or a voice note were asked for."""
    await require_message(update).reply_text(context.t("report.text_or_voice"))
    return Step.DESCRIBE


async def photo(update: Update, context: BotContext) -> Step:
    """One more photo (at most ten)."""
    message = require_message(update)
    photos = draft_of(context).setdefault("photos", [])
    if len(photos) >= MAX_PHOTOS:
        await message.reply_text(context.t("report.too_many_photos", limit=MAX_PHOTOS))
        return Step.PHOTOS
    photos.append(message.photo[-1].file_id)
    rows = [
        [button(context, FEATURE, "report.photos_done", "pdone", count=len(photos))],
        nav(context, FEATURE),
    ]
    await say(
        update,
        context,
        context.t("report.photo_received", count=len(photos), limit=MAX_PHOTOS),
        rows,
    )
    return Step.PHOTOS


async def not_a_photo(update: Update, context: BotContext) -> Step:
    """A file, sticker or text where photos were asked for."""
    await require_message(update).reply_text(context.t("report.photos_only"))
    return Step.PHOTOS


async def photos_done(update: Update, context: BotContext) -> Step:
    """Done with photos (or none)."""
    await update.callback_query.answer()
    return await after(update, context, Step.PHOTOS)


async def chose_place(update: Update, context: BotContext) -> Step | None:
    """Home, a spot of the building or compound, or "somewhere else" (typed next)."""
    query = update.callback_query
    try:
        data = unpack(query.data)
        if data.action == "home":
            place = ReportPlace(kind=PlaceKind.HOME)
        elif data.action == "other":
            await query.answer()
            return await ask(update, context, Step.PLACE_TEXT)
        else:
            kind = PlaceKind.BUILDING if data.action == "bspot" else PlaceKind.COMPOUND
            spots = BUILDING_SPOTS if kind is PlaceKind.BUILDING else COMPOUND_SPOTS
            if data.arg(0) not in spots:
                raise BadCallback("unknown spot")
            place = ReportPlace(kind=kind, spot=data.arg(0))
    except BadCallback:
        await stale(update, context)
        return None
    await query.answer()
    draft_of(context)["place"] = place.model_dump(mode="json")
    return await after(update, context, Step.PLACE)


async def typed_place(update: Update, context: BotContext) -> Step:
    """A place in the resident's own words."""
    message = require_message(update)
    try:
        text = words(message.text, MAX_PLACE_NOTE)
    except DomainError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return Step.PLACE_TEXT
    draft_of(context)["place"] = ReportPlace(kind=PlaceKind.OTHER, note=text).model_dump(
        mode="json"
    )
    return await after(update, context, Step.PLACE)


async def chose_urgency(update: Update, context: BotContext) -> Step | None:
    """How urgent."""
    query = update.callback_query
    try:
        urgency = Urgency(unpack(query.data).arg(0))
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    draft_of(context)["urgency"] = urgency.value
    return await after(update, context, Step.URGENCY)


async def similar_or_summary(update: Update, context: BotContext) -> Step | int:
    """Offer open reports of the same problem before the summary, if there are any."""
    draft = draft_of(context)
    if draft.get("similar_seen"):
        return await summary(update, context)
    try:
        found = await context.services.reports.similar(context.account, report_draft(draft))
    except DomainError:
        found = []  # the summary says why the report cannot go on
    if not found:
        return await summary(update, context)
    draft["at"] = Step.SIMILAR
    lines = [context.t("report.similar_title")]
    rows = []
    for ticket in found:
        card = await context.services.reports.card(ticket, "report.similar_line", private=False)
        lines.append(render(context.lang, card))
        rows.append(
            [button(context, FEATURE, "report.plus_one", "join", ticket.id, number=ticket.number)]
        )
    rows.append([button(context, FEATURE, "report.not_same", "new")])
    rows.append(nav(context, FEATURE))
    await say(update, context, "\n\n".join(lines), rows)
    return Step.SIMILAR


async def join(update: Update, context: BotContext) -> Step | int | None:
    """ "+1": join the existing ticket instead of filing a new one."""
    query = update.callback_query
    try:
        ticket_id = unpack(query.data).int_arg(0)
        ticket = await context.services.reports.join(
            context.account, ticket_id, report_draft(draft_of(context))
        )
    except BadCallback:
        await stale(update, context)
        return None
    except DomainError as error:
        await query.answer(context.label(error.key, **error.params), show_alert=True)
        return None
    await query.answer()
    await edit(query, context.t("report.joined", number=ticket.number, count=ticket.supporters))
    return forget(context, DRAFT)


async def not_same(update: Update, context: BotContext) -> Step:
    """None of them: go on to the summary of a new report."""
    await update.callback_query.answer()
    draft_of(context)["similar_seen"] = True
    return await summary(update, context)


async def summary(update: Update, context: BotContext) -> Step | int:
    """Everything the resident entered, with Submit / Edit / Cancel."""
    draft = draft_of(context)
    draft["at"] = Step.SUMMARY
    home = await home_or_stop(update, context)
    if home is None:
        return ConversationHandler.END
    report = report_draft(draft)
    text = context.t(
        "report.summary",
        category=context.label(f"report.cat_{report.category.value}"),
        description=report.description or ("🎤" if report.voice else "—"),
        photos=len(report.photos),
        place=place_words(context, home, draft["place"]),
        urgency=f"{URGENCY_MARK[report.urgency]} "
        + context.label(f"report.urgency_{report.urgency.value}"),
    )
    rows = [
        [
            button(context, FEATURE, "report.submit", "ok"),
            button(context, FEATURE, "report.edit", "edit"),
        ],
        nav(context, FEATURE),
    ]
    await say(update, context, text, rows)
    return Step.SUMMARY


async def submit(update: Update, context: BotContext) -> int | None:
    """File the report; the grid worker is told."""
    query = update.callback_query
    await query.answer()
    try:
        ticket = await context.services.reports.submit(
            context.account, report_draft(draft_of(context))
        )
    except DomainError as error:
        await edit(query, context.t(error.key, **error.params))
        return forget(context, DRAFT)
    await edit(
        query,
        context.t(
            "report.submitted",
            number=ticket.number,
            deadline=local_text(ticket.accept_by, context.services.reports.timezone),
        ),
    )
    return forget(context, DRAFT)


async def choose_edit(update: Update, context: BotContext) -> Step:
    """Which part to change."""
    await update.callback_query.answer()
    draft_of(context)["at"] = Step.EDIT
    labels = {
        Step.CATEGORY: "report.edit_category",
        Step.DESCRIBE: "report.edit_description",
        Step.PHOTOS: "report.edit_photos",
        Step.PLACE: "report.edit_place",
        Step.URGENCY: "report.edit_urgency",
    }
    rows = [[button(context, FEATURE, labels[step], "ed", step.value)] for step in EDITABLE]
    rows.append(nav(context, FEATURE))
    await say(update, context, context.t("report.ask_edit"), rows)
    return Step.EDIT


async def edit_part(update: Update, context: BotContext) -> Step | None:
    """Go to that step; after it, back to the summary."""
    query = update.callback_query
    try:
        step = Step(unpack(query.data).arg(0))
        if step not in EDITABLE:
            raise BadCallback("not editable")
    except (BadCallback, ValueError):
        await stale(update, context)
        return None
    await query.answer()
    draft = draft_of(context)
    draft["editing"] = True
    draft["similar_seen"] = False
    if step is Step.PHOTOS:
        draft["photos"] = []
    return await ask(update, context, step)


async def back(update: Update, context: BotContext) -> Step:
    """The step before this one (the summary, when editing)."""
    await update.callback_query.answer()
    draft = draft_of(context)
    at = Step(draft.get("at", Step.CATEGORY))
    if at is Step.EDIT or (draft.get("editing") and at in ORDER):
        draft.pop("editing", None)
        return await summary(update, context)
    if at is Step.PLACE_TEXT:
        return await ask(update, context, Step.PLACE)
    if at in (Step.SIMILAR, Step.SUMMARY):
        draft["similar_seen"] = False
        return await ask(update, context, Step.URGENCY)
    return await ask(update, context, ORDER[max(ORDER.index(at) - 1, 0)])


cancel = canceller(DRAFT, "report.cancelled")


use_buttons = replier("reg.use_buttons")


text_only = replier("report.text_only")


def handlers() -> list[BaseHandler]:
    """The report conversation."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    free_text, other = input_filters()
    common = [
        PressHandler(back, pattern=on("bk")),
        PressHandler(cancel, pattern=on("x")),
    ]
    states: dict[object, list[BaseHandler]] = {
        Step.CATEGORY: [PressHandler(chose_category, pattern=on("cat")), *common],
        Step.DESCRIBE: [
            MessageHandler(free_text, described),
            MessageHandler(filters.VOICE, described_by_voice),
            *common,
            MessageHandler(other, not_a_description),
        ],
        Step.PHOTOS: [
            MessageHandler(filters.PHOTO, photo),
            PressHandler(photos_done, pattern=on("pdone")),
            *common,
            MessageHandler(other, not_a_photo),
        ],
        Step.PLACE: [
            PressHandler(chose_place, pattern=on("(home|bspot|cspot|other)")),
            *common,
        ],
        Step.PLACE_TEXT: [
            MessageHandler(free_text, typed_place),
            *common,
            MessageHandler(other, text_only),
        ],
        Step.URGENCY: [PressHandler(chose_urgency, pattern=on("urg")), *common],
        Step.SIMILAR: [
            PressHandler(join, pattern=on("join")),
            PressHandler(not_same, pattern=on("new")),
            *common,
        ],
        Step.SUMMARY: [
            PressHandler(submit, pattern=on("ok")),
            PressHandler(choose_edit, pattern=on("edit")),
            *common,
        ],
        Step.EDIT: [PressHandler(edit_part, pattern=on("ed")), *common],
    }
    for step in (Step.CATEGORY, Step.PLACE, Step.URGENCY, Step.SIMILAR, Step.SUMMARY, Step.EDIT):
        states[step].append(MessageHandler(other, use_buttons))
    conversation_handler = conversation(
        "report",
        entry_points=[
            CommandHandler("report", begin),
            MessageHandler(filters.Text(all_labels("menu.report")), begin),
        ],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel)],
    )
    return [conversation_handler]
