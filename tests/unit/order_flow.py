"""A small flow for the dialog engine's unit tests, independent of any real feature.

An order: a size (Pick, paged), toppings (PickMany, paged), delivery or not (Ask with buttons,
one of which ends the flow), an address only for delivery (Ask, typed within a limit), a note
(Ask, typed or a photo with its caption), more photos unless the note came with one (Ask with
media: Redo per photo), the phone (Phone), and a review with Edit buttons. The services are a
`Kitchen`; tests/unit/dialog_chat.py drives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel, ConfigDict

from bot.dialogs.engine import (
    Act,
    Ctx,
    End,
    Flow,
    Outcome,
    Redo,
    Stay,
    Step,
)
from bot.dialogs.steps import Answer, Ask, AskPrompt, Phone, Pick, PickMany, advance, answer
from bot.domain.errors import DomainError
from bot.domain.homes import Choice
from bot.domain.messages import Attachment
from bot.domain.models import Language, Role, User
from bot.domain.text import words
from bot.interaction.inputs import Input
from bot.interaction.payload import Feature, StaleButton, payload
from bot.interaction.screen import Option, Reply, Screen, Text, option, reply, screen, text

if TYPE_CHECKING:
    pass

ORDER = Feature.NOTICE  # any feature code will do: the flows here are the tests' own
OTHER = Feature.VOTE_CREATE
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
USER = User(
    id=7,
    channel="telegram",
    external_id="7",
    first_name="王阿姨",
    language=Language.ZH,
    role=Role.RESIDENT,
    created_at=NOW,
)
ADDRESS_LIMIT = 10
NOTE_LIMIT = 20
EDITABLE = ("size", "tops", "deliv", "note")


class SoldOut(DomainError):
    key = "t.sold_out"


class CaptionMissing(DomainError):
    key = "t.caption_missing"


class Closed(DomainError):
    key = "t.closed"


class Order(BaseModel):
    """The draft."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    size: int | None = None
    toppings: tuple[int, ...] = ()
    delivery: bool | None = None
    address: str | None = None
    note: str | None = None
    photo: Attachment | None = None
    pics: tuple[str, ...] = ()
    pics_done: bool = False
    phone: str | None = None
    phone_asked: bool = False


class Other(BaseModel):
    """The other flow's draft."""

    said: str | None = None


@dataclass
class Kitchen:
    """The fake services: what may be chosen, and the orders placed."""

    sizes: list[Choice] = field(
        default_factory=lambda: (
            [Choice(id=1, label="小份"), Choice(id=2, label="中份"), Choice(id=3, label="大份")]
        )
    )
    toppings: list[Choice] = field(
        default_factory=lambda: [Choice(id=10 + i, label=f"料{i}") for i in range(5)]
    )
    closed: bool = False
    orders: list[Order] = field(default_factory=list)


def kitchen(ctx: Ctx) -> Kitchen:
    return cast(Kitchen, ctx.services)


def asks(key: str) -> AskPrompt[Any]:
    async def prompt(ctx: Ctx, draft: Any, state: dict[str, Any]) -> list[Text]:
        return [text(key)]

    return prompt


def set_(order: Order, **changes: object) -> Order:
    return order.model_copy(update=changes)


# ---------------------------------------------------------------------------- size


async def sizes(ctx: Ctx, order: Order) -> list[Choice]:
    if not kitchen(ctx).sizes:
        raise Closed()
    return kitchen(ctx).sizes


async def chose_size(ctx: Ctx, order: Order, choice: Choice) -> Outcome[Order]:
    if choice.id == 3:
        raise SoldOut(size=choice.label)
    return advance(set_(order, size=choice.id), screen(text("t.chosen", size=choice.label)))


# ---------------------------------------------------------------------------- toppings


async def toppings(ctx: Ctx, order: Order) -> list[Choice]:
    return kitchen(ctx).toppings


async def chose_toppings(ctx: Ctx, order: Order, ticks: list[int]) -> Outcome[Order]:
    return advance(set_(order, toppings=tuple(ticks)))


# ---------------------------------------------------------------------------- delivery


async def yes_no_later(ctx: Ctx, order: Order) -> Sequence[Sequence[Answer]]:
    return [[answer("yes", "t.yes"), answer("no", "t.no")], [answer("later", "t.later")]]


async def chose_delivery(ctx: Ctx, order: Order, value: str) -> Outcome[Order]:
    if value == "later":
        return End(reply(screen(text("t.see_you"))))
    return advance(set_(order, delivery=value == "yes"))


async def typed_address(ctx: Ctx, order: Order, typed: str) -> Outcome[Order]:
    return advance(set_(order, address=typed))


# ---------------------------------------------------------------------------- note, photos


async def typed_note(ctx: Ctx, order: Order, typed: str) -> Outcome[Order]:
    return advance(set_(order, note=typed, photo=None))


async def captioned_note(ctx: Ctx, order: Order, file: Attachment, caption: str) -> Outcome[Order]:
    if not caption.strip():
        raise CaptionMissing()
    return advance(set_(order, note=words(caption, NOTE_LIMIT), photo=file))


async def ask_pics(ctx: Ctx, order: Order, state: dict[str, Any]) -> list[Text] | None:
    if order.photo is not None:  # the note came with its photo: nothing more to ask
        return None
    return [text("t.ask_pics", received=int(state.get("received", 0)))]


async def enough(ctx: Ctx, order: Order) -> Sequence[Sequence[Answer]]:
    return [[answer("enough", "t.enough")]]


async def no_more_pics(ctx: Ctx, order: Order, value: str) -> Outcome[Order]:
    return advance(set_(order, pics_done=True))


async def pic(ctx: Ctx, order: Order, sent: Attachment, state: dict[str, Any]) -> Outcome[Order]:
    more = set_(order, pics=(*order.pics, sent.ref))
    return Redo(more, {"received": len(more.pics)})


# ---------------------------------------------------------------------------- phone


async def phone_given(ctx: Ctx, order: Order, phone: str | None) -> Outcome[Order]:
    return advance(set_(order, phone=phone, phone_asked=True))


# ---------------------------------------------------------------------------- review


class Review(Step[Order]):
    """Every answer, Confirm, and one Edit button an editable step."""

    name = "review"

    async def ask(
        self, ctx: Ctx, flow: Flow[Order], draft: Order, state: dict[str, Any]
    ) -> Screen:
        rows: list[tuple[Option, ...]] = [(option(self.press(flow, Act.PICK, "ok"), "t.confirm"),)]
        rows += [
            (option(payload(flow.feature, Act.EDIT, name), "t.edit", part=name),)
            for name in EDITABLE
        ]
        return screen(text("t.review"), options=(*rows, flow.nav()))

    async def take(
        self, ctx: Ctx, flow: Flow[Order], draft: Order, state: dict[str, Any], given: Input
    ) -> Outcome[Order]:
        if given.payload is not None:
            if given.payload.action != Act.PICK or given.payload.arg(1) != "ok":
                raise StaleButton("not Confirm")
            return advance(draft)
        return Stay(reply(screen(text("reg.use_buttons"), replace=False)))


class OrderFlow(Flow[Order]):
    feature = ORDER
    draft_type = Order
    cancelled = "t.cancelled"
    review = "review"
    steps: Sequence[Step[Order]] = (
        Pick(
            name="size",
            options=sizes,
            prompt=lambda order, choices: [text("t.ask_size")],
            chosen=chose_size,
            done=lambda order: order.size is not None,
            columns=1,
            page_size=2,
            back=False,
        ),
        PickMany(
            name="tops",
            options=toppings,
            prompt=lambda order, choices: [text("t.ask_toppings")],
            chose=chose_toppings,
            ticked=lambda order: order.toppings,
            done=lambda order: bool(order.toppings),
            page_size=2,
        ),
        Ask(
            name="deliv",
            prompt=asks("t.ask_delivery"),
            answers=yes_no_later,
            chose=chose_delivery,
            done=lambda order: order.delivery is not None,
        ),
        Ask(
            name="addr",
            prompt=asks("t.ask_address"),
            typed=typed_address,
            limit=ADDRESS_LIMIT,
            wrong="t.text_only",
            when=lambda order: order.delivery is True,
            done=lambda order: order.address is not None,
        ),
        Ask(
            name="note",
            prompt=asks("t.ask_note"),
            typed=typed_note,
            limit=NOTE_LIMIT,
            captioned=captioned_note,
            media_kinds=frozenset({"photo"}),
            wrong="t.note_wrong",
            done=lambda order: order.note is not None,
        ),
        Ask(
            name="pics",
            prompt=ask_pics,
            answers=enough,
            chose=no_more_pics,
            media=pic,
            media_kinds=frozenset({"photo"}),
            wrong="t.photos_only",
            done=lambda order: order.pics_done,
        ),
        Phone(
            name="phone",
            prompt="t.ask_phone",
            given=phone_given,
            done=lambda order: order.phone_asked,
        ),
        Review(),
    )

    def to_edit(self, draft: Order, step: str) -> Order:
        """A new answer to delivery asks the address anew."""
        return set_(draft, address=None) if step == "deliv" else draft

    async def finish(self, ctx: Ctx, draft: Order) -> Reply:
        if kitchen(ctx).closed:
            raise Closed()
        kitchen(ctx).orders.append(draft)
        return reply(
            screen(text("t.ordered", number=len(kitchen(ctx).orders))), notice=text("t.ok")
        )


async def typed_other(ctx: Ctx, draft: Other, typed: str) -> Outcome[Other]:
    return advance(draft.model_copy(update={"said": typed}))


class OtherFlow(Flow[Other]):
    feature = OTHER
    draft_type = Other
    cancelled = "t.other_cancelled"
    steps: Sequence[Step[Other]] = (Ask(name="say", prompt=asks("t.say"), typed=typed_other),)

    async def finish(self, ctx: Ctx, draft: Other) -> Reply:
        return reply(screen(text("t.other_done")))


FLOWS: dict[Feature, Flow[Any]] = {ORDER: OrderFlow(), OTHER: OtherFlow()}

# A draft with every answer (no delivery, a typed note): the flow is at its review.
COMPLETE = Order(
    size=1, toppings=(10,), delivery=False, note="少放辣", pics_done=True, phone_asked=True
)
