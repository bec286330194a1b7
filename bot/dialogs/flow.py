"""The parts of a guided conversation: a flow of typed steps over a pydantic draft, what a
step may return (go on, stay, redo, back, cancel, end), the buttons' acts, and what a step
may use (Ctx). The engine that runs them is bot.dialogs.engine."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from bot.dialogs.counting import step_number
from bot.domain.errors import DomainError
from bot.domain.models import User
from bot.interaction.inputs import Input
from bot.interaction.payload import Feature, Payload, payload
from bot.interaction.screen import Keyboard, Reply, Screen, Text, option, reply, screen, text

if TYPE_CHECKING:
    from bot.services import Services

D = TypeVar("D", bound=BaseModel)


class Act(StrEnum):
    """What a dialog's buttons ask for (its step, where one is needed, is the first argument)."""

    PICK = "pick"
    PAGE = "page"
    TOGGLE = "tog"
    DONE = "done"
    SKIP = "skip"
    CONFIRM = "cf"
    EDIT = "ed"  # change one answer from the review: its step is the argument
    BACK = "bk"
    CANCEL = "x"


ACTS = frozenset(act.value for act in Act)
EDITING = "_editing"  # in a session's state: this step was chosen from the review


@dataclass
class Ctx:
    """What a step may use: who is talking, the services, and the time."""

    user: User
    services: Services
    now: datetime


# ---------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Advance(Generic[D]):
    """The answer is taken: on to the next step, after these screens (e.g. "you chose …")."""

    draft: D
    said: tuple[Screen, ...] = ()


@dataclass(frozen=True)
class Stay:
    """Stay on the step: show `reply` (a retry, another page); keep `state` if given."""

    reply: Reply
    state: dict[str, Any] | None = None


@dataclass(frozen=True)
class Redo(Generic[D]):
    """Keep the changed draft and ask the same step again, with `state` (one more photo)."""

    draft: D
    state: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Back:
    """Go back one step (a typed "Back", say)."""


@dataclass(frozen=True)
class Cancel:
    """Give up the flow (a typed "Cancel", say)."""


@dataclass(frozen=True)
class End:
    """The flow is over, with this reply (its result, or why it cannot go on)."""

    reply: Reply


Outcome = Advance[D] | Redo[D] | Stay | Back | Cancel | End


class Step(ABC, Generic[D]):
    """One question of a flow. `name` is short: it travels on the step's buttons."""

    name: str

    def applies(self, draft: D) -> bool:
        """Whether the step is asked for this draft (all are, unless a step says otherwise)."""
        return True

    def answered(self, draft: D) -> bool:
        """Whether the draft already holds this step's answer (a flow opened with some
        answers known starts at the first step without one)."""
        return False

    @abstractmethod
    async def ask(self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any]) -> Screen | None:
        """The screen that asks it; None when there is nothing to ask (the flow goes on)."""

    @abstractmethod
    async def take(
        self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any], given: Input
    ) -> Outcome[D]:
        """Parse and check what was sent."""

    def press(self, flow: Flow[D], action: Act, *args: object) -> Payload:
        """The payload of one of this step's buttons."""
        return payload(flow.feature, action, self.name, *args)


class Flow(ABC, Generic[D]):
    """A guided conversation: a feature, a draft model and its steps in order."""

    feature: Feature
    draft_type: type[D]
    steps: Sequence[Step[D]]
    cancelled: str  # catalog key said when the person cancels
    review: str | None = None  # the step that shows every answer; editing one returns there
    counted: bool = False  # each step's screen starts "第 2/5 步" (a long flow)
    sub_steps: frozenset[str] = frozenset()  # asked as part of the step before: same number
    unnumbered: frozenset[str] = frozenset()  # no counter, not counted (a preview)

    def nav(self, *, back: bool = True) -> tuple[Any, ...]:
        """The « Back / ✖ Cancel row of a step's buttons."""
        row = [option(payload(self.feature, Act.CANCEL), "reg.cancel")]
        if back:
            row.insert(0, option(payload(self.feature, Act.BACK), "reg.back"))
        return tuple(row)

    def after_cancel(self, *, pressed: bool) -> Reply:
        """What cancelling says: in place of the pressed screen, or with the main menu."""
        if pressed:
            return reply(screen(text(self.cancelled)))
        return reply(screen(text(self.cancelled), keyboard=Keyboard.MAIN_MENU, replace=False))

    def to_edit(self, draft: D, step: str) -> D:
        """The draft as it goes back to `step` from the review (a flow may clear what that
        step collects anew)."""
        return draft

    @abstractmethod
    async def finish(self, ctx: Ctx, draft: D) -> Reply:
        """Do what the flow is for, once every step is answered."""

    def position(self, draft: D, name: str) -> tuple[int, int] | None:
        """Where step `name` is for this draft (bot.dialogs.counting); None when the flow is
        not counted."""
        if not self.counted:
            return None
        applying = {step.name for step in self.steps if step.applies(draft)}
        names = [step.name for step in self.steps]
        return step_number(
            names, applying.__contains__, name, review=self.review,
            sub_steps=self.sub_steps, unnumbered=self.unnumbered,
        )  # fmt: skip

    def counter(self, draft: D, name: str, shown: Screen) -> Screen:
        """`shown` (a screen of step `name`) with "第 2/5 步" on top, when the flow counts."""
        where = self.position(draft, name)
        if where is None:
            return shown
        number, total = where
        return shown.model_copy(
            update={"texts": (text("dialog.step", number=number, total=total), *shown.texts)}
        )

    def step(self, name: str) -> Step[D]:
        """The step called `name` (KeyError if none)."""
        return next(step for step in self.steps if step.name == name)

    def following(self, draft: D, current: str | None) -> Step[D] | None:
        """The step after `current` (the first when None) that applies; None after the last."""
        names = [step.name for step in self.steps]
        start = 0 if current is None else names.index(current) + 1
        return next((s for s in self.steps[start:] if s.applies(draft)), None)

    def previous(self, draft: D, current: str) -> Step[D] | None:
        """The step before `current` that applies; None at the first."""
        names = [step.name for step in self.steps]
        earlier = self.steps[: names.index(current)]
        return next((s for s in reversed(earlier) if s.applies(draft)), None)


def refusal(error: DomainError) -> Text:
    """The catalog text that explains a rule's no."""
    return Text(key=error.key, params={k: str(v) for k, v in error.params.items()})


STALE = Reply(notice=text("error.stale_button"), alert=True, unbutton=True)
