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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.dialogs.flow import (
    ACTS,
    EDITING,
    STALE,
    Act,
    Advance,
    Back,
    Cancel,
    Ctx,
    D,
    End,
    Flow,
    Outcome,
    Redo,
    Stay,
    Step,
    refusal,
)
from bot.dialogs.session import Session, SessionStore
from bot.domain.errors import DomainError
from bot.domain.models import User
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, Payload, StaleButton
from bot.interaction.screen import Keyboard, Reply, Screen, reply, screen

logger = logging.getLogger(__name__)

__all__ = [
    "ACTS",
    "EDITING",
    "STALE",
    "Act",
    "Advance",
    "Back",
    "Cancel",
    "Ctx",
    "D",
    "Dialogs",
    "End",
    "Flow",
    "Outcome",
    "Redo",
    "Stay",
    "Step",
    "refusal",
]

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
