"""The dialog engine: a guided conversation is a flow of typed steps over a pydantic draft.

A flow names its feature, its draft model and its steps; each step shows a screen (`ask`) and
takes what the person sends (`take`), returning what happens next: go on, stay (a polite retry,
another page), go back, cancel, or end. The engine keeps the current step, the draft and the
step's own state (a page, the ticks of a picker) in the `dialog_session` row of the person, so
a conversation survives a restart. Back goes to the previous step that applies to the draft;
Cancel drops the session. Presses name their step: a press for another step is a stale button.
No channel is known here: steps return screens, and channels render them.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from bot.dialogs.counting import step_number
from bot.dialogs.session import Session, SessionStore
from bot.domain.errors import DomainError
from bot.domain.models import User
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import Keyboard, Reply, Screen, Text, option, reply, screen, text

if TYPE_CHECKING:
    from bot.services import Services

D = TypeVar("D", bound=BaseModel)
logger = logging.getLogger(__name__)


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


# ---------------------------------------------------------------------------- the engine


@dataclass
class Dialogs:
    """Starts flows, routes what a person sends to their open flow, keeps the sessions."""

    store: SessionStore
    flows: Mapping[Feature, Flow[Any]]
    _open: dict[int, Session | None] = field(default_factory=dict)

    async def session(self, user: User) -> Session | None:
        """The person's open flow, if any (remembered; every change goes through here)."""
        if user.id not in self._open:
            try:
                stored = await self.store.get(user.id)
            except ValidationError:  # a flow code no version knows any more
                stored = Session(flow=Feature.REGISTRATION, step="", draft={})
            if stored is not None and not self._readable(stored):
                # Left by an older version (a flow, step or draft field since changed): the
                # conversation cannot go on; the person starts it again.
                logger.warning("dropped an unreadable %s dialog session", stored.flow)
                await self.store.drop(user.id)
                stored = None
            self._open[user.id] = stored
        return self._open[user.id]

    def _readable(self, session: Session) -> bool:
        flow = self.flows.get(session.flow)
        if flow is None or not any(step.name == session.step for step in flow.steps):
            return False
        try:
            flow.draft_type.model_validate(session.draft)
        except ValidationError:
            return False
        return True

    async def _save(self, ctx: Ctx, session: Session | None) -> None:
        if session is None:
            await self.store.drop(ctx.user.id)
        else:
            await self.store.put(ctx.user.id, session, ctx.now)
        self._open[ctx.user.id] = session

    async def begin(self, ctx: Ctx, feature: Feature, draft: BaseModel | None = None) -> Reply:
        """Open a flow (replacing any open one), at its first step that is not answered yet
        for `draft`, and ask it."""
        flow = self.flows[feature]
        start = draft if draft is not None else flow.draft_type()
        first = next(
            (s for s in flow.steps if s.applies(start) and not s.answered(start)), flow.steps[-1]
        )
        return await self._go(ctx, flow, start, first)

    async def cancel(self, ctx: Ctx, *, pressed: bool) -> Reply | None:
        """Give up the open flow; None when there is none."""
        session = await self.session(ctx.user)
        if session is None:
            return None
        await self._save(ctx, None)
        return self.flows[session.flow].after_cancel(pressed=pressed)

    async def handle(self, ctx: Ctx, given: Input) -> Reply | None:
        """Take an input for the open flow; None when it is not for a flow."""
        session = await self.session(ctx.user)
        pressed = given.payload if given.kind is Kind.PRESS else None
        if pressed is not None and (
            pressed.feature not in self.flows or pressed.action not in ACTS
        ):
            return None  # a button of the feature that is not a step's (e.g. a decision)
        if session is None:
            return STALE if pressed is not None else None
        flow = self.flows[session.flow]
        if pressed is not None and pressed.feature is not session.flow:
            return STALE
        draft = flow.draft_type.model_validate(session.draft)
        editing = bool(session.state.get(EDITING))
        if pressed is not None and pressed.action == Act.CANCEL:
            return await self.cancel(ctx, pressed=True)
        if pressed is not None and pressed.action == Act.BACK:
            return await self._back(ctx, flow, draft, session.step, editing=editing)
        if pressed is not None and pressed.action == Act.EDIT:
            return await self._edit(ctx, flow, draft, session, pressed)
        step = flow.step(session.step)
        if pressed is not None and (not pressed.args or pressed.args[0] != step.name):
            return STALE
        state = {k: v for k, v in session.state.items() if k != EDITING}
        try:
            outcome = await step.take(ctx, flow, draft, state, given)
        except StaleButton:
            return STALE
        except DomainError as error:  # the step's own checks said no: ask again
            retry = screen(refusal(error), replace=False)
            return reply(retry) if pressed is None else Reply(notice=refusal(error), alert=True)
        return await self._after(ctx, flow, draft, step, session, outcome, editing=editing)

    async def _after(
        self,
        ctx: Ctx,
        flow: Flow[Any],
        draft: BaseModel,
        step: Step[Any],
        session: Session,
        outcome: Outcome[Any],
        *,
        editing: bool,
    ) -> Reply:
        if isinstance(outcome, Stay):
            if outcome.state is not None:
                kept = {**outcome.state, EDITING: True} if editing else outcome.state
                await self._save(ctx, session.model_copy(update={"state": kept}))
            # the step's question shown again in its place (another page, a tick) keeps
            # its counter
            screens = tuple(
                flow.counter(draft, step.name, shown) if shown.options and shown.replace else shown
                for shown in outcome.reply.screens
            )
            return outcome.reply.model_copy(update={"screens": screens})
        if isinstance(outcome, Back):
            return await self._back(ctx, flow, draft, step.name, editing=editing)
        if isinstance(outcome, Cancel):
            return await self.cancel(ctx, pressed=False) or Reply()
        if isinstance(outcome, End):
            await self._save(ctx, None)
            return outcome.reply
        if isinstance(outcome, Redo):
            again = {**outcome.state, EDITING: True} if editing else outcome.state
            return await self._go(ctx, flow, outcome.draft, step, state=again)
        if editing and flow.review is not None and step.name != flow.review:
            # an answer changed from the review: on through what it left unanswered, then
            # back to the review
            following = self._unanswered_after(flow, outcome.draft, step.name)
            chain = {EDITING: True} if following.name != flow.review else None
            return await self._go(
                ctx, flow, outcome.draft, following, said=outcome.said, state=chain
            )
        after = flow.following(outcome.draft, step.name)
        return await self._go(ctx, flow, outcome.draft, after, said=outcome.said)

    @staticmethod
    def _unanswered_after(flow: Flow[Any], draft: BaseModel, current: str) -> Step[Any]:
        names = [step.name for step in flow.steps]
        for step in flow.steps[names.index(current) + 1 :]:
            if step.name == flow.review or (step.applies(draft) and not step.answered(draft)):
                return step
        assert flow.review is not None
        return flow.step(flow.review)

    async def _go(
        self,
        ctx: Ctx,
        flow: Flow[Any],
        draft: BaseModel,
        following: Step[Any] | None,
        *,
        said: tuple[Screen, ...] = (),
        state: dict[str, Any] | None = None,
    ) -> Reply:
        """Ask `following`, or the first step after it with something to ask; finish after
        the last."""
        while following is not None:
            try:
                asked = await following.ask(ctx, flow, draft, dict(state or {}))
            except DomainError as error:  # the flow cannot go on (no home to report for…)
                await self._save(ctx, None)
                return reply(*said, screen(refusal(error)))
            if asked is not None:
                await self._save(
                    ctx,
                    Session(
                        flow=flow.feature,
                        step=following.name,
                        draft=draft.model_dump(mode="json"),
                        state=state or {},
                    ),
                )
                asked = flow.counter(draft, following.name, asked)
                if said:  # something was said in place of the pressed screen: ask below it
                    asked = asked.model_copy(update={"replace": False})
                return Reply(screens=(*said, asked))
            if state and state.get(EDITING) and flow.review not in (None, following.name):
                # an edit goes on only through what is unanswered, then to the review
                following = self._unanswered_after(flow, draft, following.name)
                state = {EDITING: True} if following.name != flow.review else None
            else:
                following, state = flow.following(draft, following.name), None
        await self._save(ctx, None)
        try:
            done = await flow.finish(ctx, draft)
        except DomainError as error:
            done = reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))
        return Reply(screens=(*said, *done.screens), notice=done.notice)

    async def _back(
        self, ctx: Ctx, flow: Flow[Any], draft: BaseModel, current: str, *, editing: bool
    ) -> Reply:
        if editing and flow.review is not None:
            return await self._go(ctx, flow, draft, flow.step(flow.review))
        step: Step[Any] | None = flow.previous(draft, current)
        while step is not None:  # the nearest earlier step with something to ask
            asked = await step.ask(ctx, flow, draft, {})
            if asked is not None:
                return await self._go(ctx, flow, draft, step)
            step = flow.previous(draft, step.name)
        return await self._go(ctx, flow, draft, flow.step(current))

    async def _edit(
        self, ctx: Ctx, flow: Flow[Any], draft: BaseModel, session: Session, pressed: Payload
    ) -> Reply:
        """From the review (or a step after it), change one answer: its step, then back to
        the review. An Edit press anywhere else, or for a step that is not asked, is stale."""
        names = [step.name for step in flow.steps]
        name = pressed.args[0] if pressed.args else ""
        if (
            flow.review is None
            or name not in names
            or name == flow.review
            or session.step not in names
            or names.index(session.step) < names.index(flow.review)
        ):
            return STALE  # Edit buttons come with the review (a flow without one has none)
        changed = flow.to_edit(draft, name)
        if not flow.step(name).applies(changed):
            return STALE
        return await self._go(ctx, flow, changed, flow.step(name), state={EDITING: True})
