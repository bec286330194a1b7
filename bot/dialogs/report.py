"""📝 Report a problem: category → description (words or a voice note) → photos → place (home,
a spot of the building or the compound, or typed) → urgency → open reports of the same problem
("+1") → summary with Submit / Edit / Cancel. Back works at every step; editing one part from
the summary returns to it. Begun with what the resident sent before (free input), the
description and the photos they sent are not asked again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.dialogs.engine import Act, Ctx, End, Flow, Outcome, Redo, Stay, Step
from bot.dialogs.steps import Answer, Ask, advance, answer
from bot.domain.homes import Home
from bot.domain.messages import Attachment, Outgoing
from bot.domain.report_form import ReportForm
from bot.domain.reports import (
    BUILDING_SPOTS,
    COMPOUND_SPOTS,
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    MAX_PLACE_NOTE,
    PlaceKind,
    ReportCategory,
    ReportPlace,
    Urgency,
)
from bot.domain.wording import time_words
from bot.features.contacts import emergency_texts
from bot.interaction.payload import Feature, payload
from bot.interaction.screen import Reply, Text, option, reply, screen, text

URGENCY_MARK = {Urgency.HIGH: "🔴", Urgency.NORMAL: "🟡", Urgency.LOW: "🟢"}
EDITABLE = {
    "category": "report.edit_category",
    "describe": "report.edit_description",
    "photos": "report.edit_photos",
    "place": "report.edit_place",
    "urgency": "report.edit_urgency",
}


def pairs(answers: Sequence[Answer]) -> list[list[Answer]]:
    """Two buttons a row."""
    return [list(answers[i : i + 2]) for i in range(0, len(answers), 2)]


async def home(ctx: Ctx) -> Home:
    """The household the report is for (NoHome ends the flow, politely)."""
    return await ctx.services.reports.home_for_report(ctx.user)


def spoken(card: Outgoing) -> Text:
    """A service's card as a text of a screen."""
    return Text(key=card.key, params=dict(card.params), labels=card.labels)


# ---------------------------------------------------------------------------- the steps


async def ask_category(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    return [text("report.ask_category")]


async def categories(ctx: Ctx, form: ReportForm) -> list[list[Answer]]:
    return pairs([answer(c.value, f"report.cat_{c.value}") for c in ReportCategory])


async def chose_category(ctx: Ctx, form: ReportForm, value: str) -> Outcome[ReportForm]:
    return advance(form.model_copy(update={"category": ReportCategory(value)}))


async def ask_description(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    return [text("report.ask_description", limit=MAX_DESCRIPTION)]


async def described(ctx: Ctx, form: ReportForm, words: str) -> Outcome[ReportForm]:
    return advance(form.model_copy(update={"description": words, "voice": None}))


async def said_by_voice(
    ctx: Ctx, form: ReportForm, voice: Attachment, state: dict[str, Any]
) -> Outcome[ReportForm]:
    told = screen(text("report.voice_received"), replace=False)
    return advance(form.model_copy(update={"description": "", "voice": voice.ref}), told)


async def ask_photos(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    count = len(form.photos)
    if state.get("full"):
        return [text("report.too_many_photos", limit=MAX_PHOTOS)]
    if state.get("received"):
        return [text("report.photo_received", count=count, limit=MAX_PHOTOS)]
    return [text("report.ask_photos", count=count, limit=MAX_PHOTOS)]


async def photos_done(ctx: Ctx, form: ReportForm) -> list[list[Answer]]:
    return [[answer("done", "report.photos_done", count=len(form.photos))]]


async def photo(
    ctx: Ctx, form: ReportForm, sent: Attachment, state: dict[str, Any]
) -> Outcome[ReportForm]:
    if form.full:
        return Redo(form, {"full": True})
    return Redo(form.model_copy(update={"photos": (*form.photos, sent.ref)}), {"received": True})


async def no_more_photos(ctx: Ctx, form: ReportForm, value: str) -> Outcome[ReportForm]:
    return advance(form.model_copy(update={"photos_done": True}))


async def ask_place(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    at = (await home(ctx)).place
    return [text("report.ask_place", building=at.building, compound=at.compound)]


async def places(ctx: Ctx, form: ReportForm) -> list[list[Answer]]:
    at = (await home(ctx)).place
    rows = [[answer("home", "report.place_home", place=f"{at.building} {at.unit} {at.room}")]]
    rows += pairs([answer(f"b.{spot}", f"report.spot_{spot}") for spot in BUILDING_SPOTS])
    rows += pairs([answer(f"c.{spot}", f"report.spot_{spot}") for spot in COMPOUND_SPOTS])
    rows.append([answer("other", "report.place_other")])
    return rows


async def chose_place(ctx: Ctx, form: ReportForm, value: str) -> Outcome[ReportForm]:
    if value == "other":  # typed at the next step
        return advance(form.model_copy(update={"place": None, "place_typed": True}))
    if value == "home":
        place = ReportPlace(kind=PlaceKind.HOME)
    else:
        where, _, spot = value.partition(".")
        kind = PlaceKind.BUILDING if where == "b" else PlaceKind.COMPOUND
        place = ReportPlace(kind=kind, spot=spot)
    return advance(form.model_copy(update={"place": place, "place_typed": False}))


async def ask_place_text(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    return [text("report.ask_place_text")]


async def typed_place(ctx: Ctx, form: ReportForm, words: str) -> Outcome[ReportForm]:
    typed = ReportPlace(kind=PlaceKind.OTHER, note=words)
    return advance(form.model_copy(update={"place": typed}))


async def ask_urgency(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    return [text("report.ask_urgency")]


async def urgencies(ctx: Ctx, form: ReportForm) -> list[list[Answer]]:
    return [[answer(u.value, f"report.urgency_{u.value}_long")] for u in Urgency]


async def chose_urgency(ctx: Ctx, form: ReportForm, value: str) -> Outcome[ReportForm]:
    # the open reports of the same problem are offered again for what is now reported
    chosen = form.model_copy(update={"urgency": Urgency(value), "similar_seen": False})
    if chosen.urgency is not Urgency.HIGH:
        return advance(chosen)
    # Urgent: 119/110/120 and the gas and property emergency lines first, then the flow goes on.
    lines = ctx.services.contacts.lines
    return advance(chosen, screen(*emergency_texts(lines, "contacts.urgent_first"), replace=False))


async def ask_similar(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text] | None:
    found = await ctx.services.reports.similar(ctx.user, form.draft())
    if not found:
        return None
    texts = [text("report.similar_title")]
    for ticket in found:
        card = await ctx.services.reports.card(ticket, "report.similar_line", private=False)
        texts.append(text("dialog.paragraph", words=spoken(card)))
    return texts


async def similar(ctx: Ctx, form: ReportForm) -> list[list[Answer]]:
    found = await ctx.services.reports.similar(ctx.user, form.draft())
    rows = [[answer(t.id, "report.plus_one", number=t.number)] for t in found]
    return [*rows, [answer("new", "report.not_same")]]


async def chose_similar(ctx: Ctx, form: ReportForm, value: str) -> Outcome[ReportForm]:
    if value == "new":
        return advance(form.model_copy(update={"similar_seen": True}))
    ticket = await ctx.services.reports.join(ctx.user, int(value), form.draft())
    return End(reply(screen(text("report.joined", number=ticket.number, count=ticket.supporters))))


def place_words(at: Home, place: ReportPlace) -> Text:
    """Where, in words, as the reporter picked it."""
    if place.kind is PlaceKind.HOME:
        where = f"{at.place.building} {at.place.unit} {at.place.room}"
        return text("report.place_home", place=where)
    if place.kind is PlaceKind.OTHER:
        return text("dialog.words", words=place.note)
    named = at.place.building if place.kind is PlaceKind.BUILDING else at.place.compound
    return text("dialog.pair", first=named, second=text(f"report.spot_{place.spot}"))


async def ask_summary(ctx: Ctx, form: ReportForm, state: dict[str, Any]) -> list[Text]:
    at = await home(ctx)
    draft = form.draft()
    urgency = text(f"report.urgency_{draft.urgency.value}")
    return [
        text(
            "report.summary",
            category=text(f"report.cat_{draft.category.value}"),
            description=draft.description or ("🎤" if draft.voice else "—"),
            photos=len(draft.photos),
            place=place_words(at, draft.place),
            urgency=text("dialog.pair", first=URGENCY_MARK[draft.urgency], second=urgency),
        )
    ]


async def submit_or_edit(ctx: Ctx, form: ReportForm) -> list[list[Answer]]:
    return [[answer("submit", "report.submit"), answer("edit", "report.edit")]]


async def reviewed(ctx: Ctx, form: ReportForm, value: str) -> Outcome[ReportForm]:
    return advance(form.model_copy(update={"reviewing": value == "edit"}))


class EditMenu(Step[ReportForm]):
    """Which part to change (after "✏ Edit" on the summary)."""

    name = "edit"

    def applies(self, draft: ReportForm) -> bool:
        """Only after "✏ Edit"."""
        return draft.reviewing

    async def ask(
        self, ctx: Ctx, flow: Flow[ReportForm], draft: ReportForm, state: dict[str, Any]
    ) -> Any:
        """One button a part."""
        rows = [
            (option(payload(flow.feature, Act.EDIT, step), key),) for step, key in EDITABLE.items()
        ]
        return screen(text("report.ask_edit"), options=(*rows, flow.nav()))

    async def take(
        self,
        ctx: Ctx,
        flow: Flow[ReportForm],
        draft: ReportForm,
        state: dict[str, Any],
        given: Any,
    ) -> Outcome[ReportForm]:
        """Only its buttons (the engine takes them)."""
        return Stay(reply(screen(text("reg.use_buttons"), replace=False)))


class Report(Flow[ReportForm]):
    """The report flow."""

    feature = Feature.REPORT
    draft_type = ReportForm
    cancelled = "report.cancelled"
    review = "summary"
    counted = True  # "第 2/5 步" on each step before the summary (the engine)
    sub_steps = frozenset({"where", "similar"})  # typing the place; the reports like it
    steps: Sequence[Step[ReportForm]] = (
        Ask(
            name="category",
            prompt=ask_category,
            answers=categories,
            chose=chose_category,
            back=lambda form: False,
            done=lambda form: form.category is not None,
        ),
        Ask(
            name="describe",
            prompt=ask_description,
            typed=described,
            limit=MAX_DESCRIPTION,
            media=said_by_voice,
            media_kinds=frozenset({"voice"}),
            wrong="report.text_or_voice",
            done=lambda form: form.described,
            when=lambda form: not form.kept_words,
        ),
        Ask(
            name="photos",
            prompt=ask_photos,
            answers=photos_done,
            chose=no_more_photos,
            media=photo,
            media_kinds=frozenset({"photo"}),
            wrong="report.photos_only",
            done=lambda form: form.photos_done,
            when=lambda form: not form.kept_photos,
        ),
        Ask(
            name="place",
            prompt=ask_place,
            answers=places,
            chose=chose_place,
            done=lambda form: form.place is not None or form.place_typed,
        ),
        Ask(
            name="where",
            prompt=ask_place_text,
            typed=typed_place,
            limit=MAX_PLACE_NOTE,
            wrong="report.text_only",
            done=lambda form: form.place is not None,
            when=lambda form: form.place_typed,
        ),
        Ask(
            name="urgency",
            prompt=ask_urgency,
            answers=urgencies,
            chose=chose_urgency,
            done=lambda form: form.urgency is not None,
        ),
        Ask(
            name="similar",
            prompt=ask_similar,
            answers=similar,
            chose=chose_similar,
            done=lambda form: form.similar_seen,
        ),
        Ask(name="summary", prompt=ask_summary, answers=submit_or_edit, chose=reviewed),
        EditMenu(),
    )

    def to_edit(self, draft: ReportForm, step: str) -> ReportForm:
        """Back to one part: photos are sent anew; the open reports are looked at again."""
        changed: dict[str, Any] = {"reviewing": False, "similar_seen": False}
        if step == "describe":
            changed |= {"kept_words": False}
        if step == "photos":
            changed |= {"photos": (), "photos_done": False, "kept_photos": False}
        if step == "place":
            changed |= {"place": None, "place_typed": False}
        return draft.model_copy(update=changed)

    async def finish(self, ctx: Ctx, draft: ReportForm) -> Reply:
        """File the report; the grid worker is told."""
        reports = ctx.services.reports
        ticket = await reports.submit(ctx.user, draft.draft())
        deadline = time_words(ticket.accept_by, reports.timezone)
        return reply(screen(text("report.submitted", number=ticket.number, deadline=deadline)))
