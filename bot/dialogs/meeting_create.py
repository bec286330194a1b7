"""➕ New meeting: the organiser's guided conversation — kind → title → time → place (or an
online link) → agenda → households (a compound, buildings or units, or none) → the places
(ticked, paged) → roles → named contacts of the other parties → answer deadline → preview →
Confirm. Back and Cancel at every step; the draft survives a restart (a dialog session)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.dialogs.engine import Act, Ctx, End, Flow, Outcome, Redo, Stay, Step, refusal
from bot.dialogs.meeting_steps import NOT_HERE, Asking
from bot.dialogs.steps import Answer, PickMany, advance, answer, asks
from bot.domain.errors import DomainError
from bot.domain.homes import Choice
from bot.domain.meeting_form import DEADLINES, MeetingForm
from bot.domain.meetings import INVITED_ROLES, MAX_CONTACTS, MEETING_SCOPES, MeetingKind
from bot.domain.models import Role
from bot.domain.scope import ScopeKind
from bot.domain.wording import time_words
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, StaleButton
from bot.interaction.screen import Option, Reply, Screen, Text, option, reply, screen, text

Rows = Sequence[Sequence[Answer]]
NO_HOUSEHOLDS = "none"
CONFIRM = "ok"
DONE = "done"
SKIP = "skip"


async def begin(ctx: Ctx) -> Reply:
    """➕ (grid workers and staff; NotAllowed for anyone else)."""
    ctx.services.meetings.scope_kinds(ctx.user)  # NotAllowed unless a grid worker or staff
    return await ctx.services.dialogs.begin(ctx, Feature.MEETING_CREATE)


def zone(ctx: Ctx) -> str:
    """The community's time zone (times are typed and shown in it)."""
    return ctx.services.meetings.timezone


# ---------------------------------------------------------------------------- kind … agenda


async def kinds(ctx: Ctx, form: MeetingForm) -> Rows:
    return [[answer(kind.value, f"meeting.kind_{kind.value}")] for kind in MeetingKind]


async def chose_kind(ctx: Ctx, form: MeetingForm, value: str) -> Outcome[MeetingForm]:
    return advance(form.model_copy(update={"kind": MeetingKind(value)}))


async def typed_title(ctx: Ctx, form: MeetingForm, words: str) -> Outcome[MeetingForm]:
    return advance(form.titled(words))


async def typed_time(ctx: Ctx, form: MeetingForm, words: str) -> Outcome[MeetingForm]:
    return advance(form.timed(words, ctx.now, zone(ctx)))


async def typed_place(ctx: Ctx, form: MeetingForm, words: str) -> Outcome[MeetingForm]:
    return advance(form.placed(words))


async def skip_agenda(ctx: Ctx, form: MeetingForm) -> Rows:
    return [[answer(SKIP, "notice.skip")]]


async def skipped_agenda(ctx: Ctx, form: MeetingForm, value: str) -> Outcome[MeetingForm]:
    return advance(form.with_agenda(None))


async def typed_agenda(ctx: Ctx, form: MeetingForm, words: str) -> Outcome[MeetingForm]:
    return advance(form.with_agenda(words))


# ---------------------------------------------------------------------------- who is invited


async def scopes(ctx: Ctx, form: MeetingForm) -> Rows:
    offered = ctx.services.meetings.scope_kinds(ctx.user)
    rows = [[answer(kind.value, f"bc.kind_{kind.value}")] for kind in offered]
    return [*rows, [answer(NO_HOUSEHOLDS, "meeting.no_households")]]


async def chose_scope(ctx: Ctx, form: MeetingForm, value: str) -> Outcome[MeetingForm]:
    allowed = ctx.services.meetings.scope_kinds(ctx.user)
    kind = None if value == NO_HOUSEHOLDS else ScopeKind(value)
    return advance(form.households(kind, allowed))


@dataclass
class Households(Asking[MeetingForm]):
    """The households' step: a kind of place the organiser may not invite by (a compound,
    for a grid worker), pressed anyway, is refused with the reason and the step stays."""

    async def take(
        self,
        ctx: Ctx,
        flow: Flow[MeetingForm],
        draft: MeetingForm,
        state: dict[str, Any],
        given: Input,
    ) -> Outcome[MeetingForm]:
        """NotAllowed for a kind of meeting scope not offered; else as `Ask`."""
        pressed = given.payload
        if given.kind is Kind.PRESS and pressed is not None and pressed.action == Act.PICK:
            wanted = pressed.arg(1)
            if wanted in {kind.value for kind in MEETING_SCOPES}:
                ctx.services.meetings.check_scope_kind(ctx.user, ScopeKind(wanted))
        return await super().take(ctx, flow, draft, state, given)


@dataclass
class Places(PickMany[MeetingForm]):
    """The places ticked; a sticker, photo or voice note gets "this step cannot use that"."""

    async def take(
        self,
        ctx: Ctx,
        flow: Flow[MeetingForm],
        draft: MeetingForm,
        state: dict[str, Any],
        given: Input,
    ) -> Outcome[MeetingForm]:
        """As `PickMany`, with anything but words or a press answered politely."""
        if given.kind not in (Kind.PRESS, Kind.TEXT):
            return Stay(reply(screen(text(NOT_HERE), replace=False)))
        return await super().take(ctx, flow, draft, state, given)


async def places(ctx: Ctx, form: MeetingForm) -> list[Choice]:
    """The places of the chosen kind the organiser may invite."""
    assert form.scope is not None  # the step applies only once a kind is chosen
    return await ctx.services.broadcasts.options(ctx.user, form.scope)


def ask_places(form: MeetingForm, choices: list[Choice]) -> list[Text]:
    assert form.scope is not None
    return [text(f"bc.pick_{form.scope.value}")]


async def picked(ctx: Ctx, form: MeetingForm, ticks: list[int]) -> Outcome[MeetingForm]:
    return advance(form.model_copy(update={"ids": tuple(ticks)}))


@dataclass
class Roles(Step[MeetingForm]):
    """Tick the roles invited too (none is fine), then Done."""

    name: str = "roles"

    async def ask(
        self, ctx: Ctx, flow: Flow[MeetingForm], draft: MeetingForm, state: dict[str, Any]
    ) -> Screen:
        """A toggle per role (✅ ticked), Done with the count, « Back / ✖ Cancel."""
        rows: list[tuple[Option, ...]] = [
            (
                Option(
                    payload=self.press(flow, Act.TOGGLE, role.value),
                    key="meeting.role_toggle",
                    params={"mark": "✅" if role in draft.roles else "▫️"},
                    labels={"role": f"meeting.role_{role.value}"},
                ),
            )
            for role in INVITED_ROLES
        ]
        rows.append((option(self.press(flow, Act.DONE), "vote.done", count=len(draft.roles)),))
        rows.append(flow.nav())
        return screen(text("meeting.ask_new_roles"), options=tuple(rows))

    async def take(
        self,
        ctx: Ctx,
        flow: Flow[MeetingForm],
        draft: MeetingForm,
        state: dict[str, Any],
        given: Input,
    ) -> Outcome[MeetingForm]:
        """A toggle (the step again), Done (on), or words where buttons are expected."""
        pressed = given.payload
        if given.kind is Kind.TEXT:
            return Stay(reply(screen(text("reg.use_buttons"), replace=False)))
        if given.kind is not Kind.PRESS or pressed is None:
            return Stay(reply(screen(text(NOT_HERE), replace=False)))
        if pressed.action == Act.DONE:
            return advance(draft)
        if pressed.action != Act.TOGGLE:
            raise StaleButton(f"{pressed.action} on the roles")
        try:
            return Redo(draft.toggled(Role(pressed.arg(1))))
        except ValueError:
            raise StaleButton("not an invited role") from None


async def contacts_prompt(ctx: Ctx, form: MeetingForm, state: dict[str, Any]) -> list[Text]:
    return [text("meeting.ask_new_contacts", count=len(form.contacts), max=MAX_CONTACTS)]


async def contacts_done(ctx: Ctx, form: MeetingForm) -> Rows:
    return [[answer(DONE, "vote.done", count=len(form.contacts))]]


async def chose_contacts(ctx: Ctx, form: MeetingForm, value: str) -> Outcome[MeetingForm]:
    return advance(form)


async def typed_contacts(ctx: Ctx, form: MeetingForm, words: str) -> Outcome[MeetingForm]:
    return Redo(form.with_contacts(words))


# ---------------------------------------------------------------------------- deadline


async def deadlines(ctx: Ctx, form: MeetingForm) -> Rows:
    """Only the choices still ahead, in one row."""
    choices = [answer(key, f"meeting.deadline_{key}") for key in form.deadlines(ctx.now)]
    return [choices] if choices else []


async def chose_deadline(ctx: Ctx, form: MeetingForm, value: str) -> Outcome[MeetingForm]:
    return advance(form.deadline(value, ctx.now))


async def typed_deadline(ctx: Ctx, form: MeetingForm, words: str) -> Outcome[MeetingForm]:
    return advance(form.typed_deadline(words, ctx.now, zone(ctx)))


@dataclass
class Deadline(Asking[MeetingForm]):
    """The deadline's step: a choice no longer offered (already past), pressed anyway, is
    refused with the reason (DeadlinePassed) and the step stays."""

    async def take(
        self,
        ctx: Ctx,
        flow: Flow[MeetingForm],
        draft: MeetingForm,
        state: dict[str, Any],
        given: Input,
    ) -> Outcome[MeetingForm]:
        """A deadline's button, offered or not (DeadlinePassed); else as `Ask`."""
        pressed = given.payload if given.kind is Kind.PRESS else None
        if pressed is not None and pressed.action == Act.PICK and pressed.arg(1) in DEADLINES:
            return await chose_deadline(ctx, draft, pressed.arg(1))
        return await super().take(ctx, flow, draft, state, given)


# ---------------------------------------------------------------------------- preview


def joined(texts: Sequence[Text]) -> Text | str:
    """Catalog words joined by "、" ("—" when none)."""
    if not texts:
        return "—"
    said: Text = texts[0]
    for more in texts[1:]:
        said = text("meeting.joined", first=said, second=more)
    return said


async def preview(ctx: Ctx, form: MeetingForm, state: dict[str, Any]) -> list[Text]:
    """Everything at once with how many are invited (or why it does not hold)."""
    services = ctx.services
    try:
        meeting = form.draft()
        await services.meetings.check_scope(ctx.user, meeting.scope)
    except ValueError:
        return [text("meeting.bad_draft")]
    except DomainError as error:
        return [refusal(error)]
    people = 0
    if meeting.scope is not None:
        people = (await services.broadcasts.reach(ctx.user, meeting.scope)).people
    return [
        text(
            "meeting.preview",
            kind=text(f"meeting.kind_{meeting.kind.value}"),
            title=meeting.title,
            when=time_words(meeting.starts_at, zone(ctx)),
            place=meeting.place,
            agenda=meeting.agenda or "—",
            people=people,
            roles=joined([text(f"meeting.role_{role.value}") for role in meeting.roles]),
            contacts="、".join(contact.name for contact in meeting.contacts) or "—",
            rsvp_by=time_words(meeting.rsvp_by, zone(ctx)),
        )
    ]


async def confirm(ctx: Ctx, form: MeetingForm) -> Rows:
    """Confirm, when the draft holds."""
    try:
        form.draft()
    except ValueError:
        return []
    return [[answer(CONFIRM, "meeting.confirm")]]


async def confirmed(ctx: Ctx, form: MeetingForm, value: str) -> Outcome[MeetingForm]:
    """Create it (a rule's no, such as a deadline passed meanwhile: an alert, the preview
    stays)."""
    try:
        draft = form.draft()
    except ValueError:
        return Stay(Reply(notice=text("vote.bad_draft_short"), alert=True))
    meeting = await ctx.services.meetings.create(ctx.user, draft)
    return End(reply(screen(text("meeting.created", title=meeting.title))))


class MeetingCreation(Flow[MeetingForm]):
    """The organiser's meeting flow."""

    feature = Feature.MEETING_CREATE
    draft_type = MeetingForm
    cancelled = "meeting.cancelled_draft"
    counted = True  # "第 2/7 步" on each step before the preview (the engine)
    sub_steps = frozenset({"places"})  # asked as part of the step before
    unnumbered = frozenset({"preview"})
    steps: Sequence[Step[MeetingForm]] = (
        Asking(
            name="kind",
            prompt=asks("meeting.ask_new_kind"),
            answers=kinds,
            chose=chose_kind,
            back=lambda form: False,
        ),
        Asking(name="title", prompt=asks("meeting.ask_new_title"), typed=typed_title),
        Asking(name="time", prompt=asks("meeting.ask_new_time"), typed=typed_time),
        Asking(name="place", prompt=asks("meeting.ask_new_place"), typed=typed_place),
        Asking(
            name="agenda",
            prompt=asks("meeting.ask_new_agenda"),
            answers=skip_agenda,
            chose=skipped_agenda,
            typed=typed_agenda,
        ),
        Households(
            name="scope", prompt=asks("meeting.ask_new_scope"), answers=scopes, chose=chose_scope
        ),
        Places(
            name="places",
            options=places,
            prompt=ask_places,
            chose=picked,
            ticked=lambda form: form.ids,
            when=lambda form: form.picks_places,
        ),
        Roles(),
        Asking(
            name="contacts",
            prompt=contacts_prompt,
            answers=contacts_done,
            chose=chose_contacts,
            typed=typed_contacts,
        ),
        Deadline(
            name="deadline",
            prompt=asks("meeting.ask_new_deadline"),
            answers=deadlines,
            chose=chose_deadline,
            typed=typed_deadline,
        ),
        Asking(name="preview", prompt=preview, answers=confirm, chose=confirmed),
    )

    async def finish(self, ctx: Ctx, draft: MeetingForm) -> Reply:
        """Not reached: Confirm on the preview creates the meeting (and ends the flow)."""
        meeting = await ctx.services.meetings.create(ctx.user, draft.draft())
        return reply(screen(text("meeting.created", title=meeting.title)))
