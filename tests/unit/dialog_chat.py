"""Talking to the dialog engine in the unit tests: sessions kept in memory (as JSON, the way
the `dialog_session` table keeps them), inputs, and one person's chat with a restart."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, cast

from pydantic import BaseModel

from bot.dialogs.engine import Act, Ctx, Dialogs
from bot.dialogs.session import Session
from bot.domain.messages import Attachment
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, Payload, decode, payload
from bot.interaction.screen import Option, Reply, Screen
from tests.unit.order_flow import FLOWS, NOW, ORDER, USER, Kitchen, Order

if TYPE_CHECKING:
    from bot.services import Services


@dataclass
class Memory:
    """The SessionStore port in memory, keeping JSON as the `dialog_session` table does."""

    rows: dict[int, str] = field(default_factory=dict)
    times: dict[int, datetime] = field(default_factory=dict)

    async def get(self, user_id: int) -> Session | None:
        raw = self.rows.get(user_id)
        return None if raw is None else Session.model_validate_json(raw)

    async def put(self, user_id: int, session: Session, now: datetime) -> None:
        self.rows[user_id] = session.model_dump_json()
        self.times[user_id] = now

    async def drop(self, user_id: int) -> None:
        self.rows.pop(user_id, None)


def press(step: str, act: Act = Act.PICK, *args: object, feature: Feature = ORDER) -> Input:
    """A press of one of `step`'s buttons (its name is the first argument)."""
    return Input(kind=Kind.PRESS, payload=payload(feature, act, step, *args))


def nav(act: Act, feature: Feature = ORDER) -> Input:
    """A press of Back or Cancel (or any act without a step)."""
    return Input(kind=Kind.PRESS, payload=payload(feature, act))


def edit(step: str) -> Input:
    return Input(kind=Kind.PRESS, payload=payload(ORDER, Act.EDIT, step))


def typed(words: str) -> Input:
    return Input(kind=Kind.TEXT, text=words)


def photo(ref: str = "p1", caption: str = "") -> Input:
    return Input(kind=Kind.PHOTO, text=caption, media=Attachment(kind="photo", ref=ref))


def keys(answer: Reply | None) -> list[str]:
    """The catalog keys of every paragraph of a reply, screen after screen."""
    assert answer is not None
    return [part.key for shown in answer.screens for part in shown.texts]


def options(shown: Screen) -> list[Option]:
    return [choice for row in shown.options for choice in row]


def pressed(shown: Screen) -> list[Payload]:
    return [choice.payload for choice in options(shown)]


@dataclass
class Chat:
    """One person talking to the engine, with a way to restart it."""

    store: Memory = field(default_factory=Memory)
    kitchen: Kitchen = field(default_factory=Kitchen)
    dialogs: Dialogs = field(init=False)

    def __post_init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """A new engine over the same sessions (the bot restarted)."""
        self.dialogs = Dialogs(store=self.store, flows=FLOWS)

    @property
    def ctx(self) -> Ctx:
        return Ctx(user=USER, services=cast("Services", self.kitchen), now=NOW)

    async def begin(self, draft: BaseModel | None = None, feature: Feature = ORDER) -> Reply:
        return checked(await self.dialogs.begin(self.ctx, feature, draft))

    async def send(self, given: Input) -> Reply | None:
        answer = await self.dialogs.handle(self.ctx, given)
        return None if answer is None else checked(answer)

    @property
    def raw(self) -> str | None:
        """The stored session, as stored."""
        return self.store.rows.get(USER.id)

    @property
    def session(self) -> Session:
        stored = self.store.rows.get(USER.id)
        assert stored is not None, "no open flow"
        return Session.model_validate_json(stored)

    @property
    def step(self) -> str:
        return self.session.step

    @property
    def draft(self) -> Order:
        return Order.model_validate(self.session.draft)


def checked(answer: Reply) -> Reply:
    """Every button a reply shows fits on the wire and decodes to itself."""
    for shown in answer.screens:
        for sent in pressed(shown):
            assert decode(sent.encode()) == sent
    return answer
