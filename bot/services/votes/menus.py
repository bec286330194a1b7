"""Votes: renovation menus (点单): staff publish and change them; households tick a ballot."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.messages import Outgoing
from bot.domain.models import Role, User
from bot.domain.votes import (
    Menu,
    MenuDraft,
    MenuResult,
    Phase,
    ResultsHidden,
    RulesFrozen,
    VoteClosed,
    check_picks,
    toggle_pick,
)
from bot.services.votes.lookups import (
    MENU_KINDS,
    logger,
)
from bot.services.votes.models import Ballot, BallotChanged
from bot.services.votes.timers import VoteTimers


class MenuVoting(VoteTimers):
    """Menus and their ballots."""

    async def create_menu(self, actor: User | None, draft: MenuDraft) -> Menu:
        """Publish a menu; it opens at its time (at once if that has passed)."""
        actor = self._access.require(actor, Role.STAFF)
        now = self.now()
        if draft.opens_at < now:
            draft = draft.model_copy(update={"opens_at": now})
            MenuDraft.model_validate(draft.model_dump())
        async with self._uow.transaction():
            menu_id = await self._votes.add_menu(draft, actor.id, now)
            opening = await self._schedule(MENU_KINDS, menu_id, draft.opens_at, draft.closes_at)
        logger.info("menu %s created with %s items", menu_id, len(draft.items))
        if opening.due_at <= now:
            await self._scheduler.fire(opening.id)
        return await self.menu(menu_id)

    async def change_menu(self, actor: User | None, menu_id: int, **rules: object) -> Menu:
        """Change k, live results, the rule or the budget — only before voting opens."""
        self._access.require(actor, Role.STAFF)
        async with self._uow.transaction():
            menu = await self.menu(menu_id)
            if menu.phase(self.now()) is not Phase.SCHEDULED:
                raise RulesFrozen()
            changed = menu.model_copy(update=rules)
            MenuDraft(
                title=changed.title,
                scope=changed.scope,
                opens_at=changed.opens_at,
                closes_at=changed.closes_at,
                items=tuple(changed.items),
                max_picks=changed.max_picks,
                budget=changed.budget,
                rule=changed.rule,
                live=changed.live,
            )
            await self._votes.update_menu(menu_id, **rules)
        return await self.menu(menu_id)

    async def cancel_menu(self, actor: User | None, menu_id: int) -> Menu:
        """Withdraw a menu that has not opened."""
        self._access.require(actor, Role.STAFF)
        async with self._uow.transaction():
            menu = await self.menu(menu_id)
            if menu.phase(self.now()) is not Phase.SCHEDULED:
                raise RulesFrozen()
            await self._votes.update_menu(menu_id, cancelled=True)
            await self._scheduler.cancel(MENU_KINDS, menu_id)
        return await self.menu(menu_id)

    async def results(self, actor: User | None, menu_id: int) -> tuple[Menu, MenuResult]:
        """The frozen result of a closed menu, or the live count: staff always; a household
        of the scope when results are live (or once closed)."""
        menu = await self.menu(menu_id)
        if actor is None or not actor.has_role(Role.STAFF):
            await self._voter(actor, menu.scope)
            if not menu.live and menu.phase(self.now()) is not Phase.CLOSED:
                raise ResultsHidden()
        if menu.result is not None:
            return menu, menu.result
        return menu, await self._count_menu(menu)

    async def staff_results(self, actor: User | None, menu_id: int) -> tuple[Menu, MenuResult]:
        """The results for the staff's chart, whatever the menu shows residents."""
        self._access.require(actor, Role.STAFF)
        return await self.results(actor, menu_id)

    async def ballot(self, user: User | None, menu_id: int) -> Ballot:
        """The household's ballot on this menu."""
        menu = await self.menu(menu_id)
        household, phase = await self._opened_for(user, menu)
        return await self._ballot(menu, phase, household)

    async def _ballot(self, menu: Menu, phase: Phase, household: int) -> Ballot:
        cast = await self._votes.ballot(menu.id, household)
        if cast is None:
            return Ballot(menu, phase, household, (), False, "")
        picks, user_id, version = cast
        name = await self.user_name(user_id)
        return Ballot(menu, phase, household, picks, True, name, version)

    async def toggle(
        self, user: User | None, menu: Menu, picks: Sequence[int], item_id: int
    ) -> tuple[Ballot, tuple[int, ...]]:
        """Tick or untick an item on an unsent ballot (nothing is stored until Submit); the
        household's ballot as cast, and the ticks now."""
        household = await self._voter(user, menu.scope)
        phase = menu.phase(self.now())
        if phase is not Phase.OPEN:
            raise VoteClosed()
        ticks = toggle_pick(menu, picks, item_id)
        return await self._ballot(menu, phase, household), ticks

    async def submit(
        self, user: User | None, menu: Menu, picks: Sequence[int], version: int
    ) -> Ballot:
        """Cast (or change) the household's ballot, as it stood at `version` (the ballot the
        member's buttons were built on); the other members are told. BallotChanged, with the
        ballot as it is now, when another member changed it since."""
        household = await self._voter(user, menu.scope)
        assert user is not None
        chosen = check_picks(menu, picks)
        async with self._uow.transaction():
            phase = menu.phase(self.now())
            if phase is not Phase.OPEN:
                raise VoteClosed()
            current = await self._ballot(menu, phase, household)
            if current.version != version:
                raise BallotChanged(current)
            await self._votes.cast(menu.id, household, user.id, sorted(chosen), self.now())
            titles = "、".join(item.title for item in menu.items if item.id in chosen)
            await self._tell_members(
                household,
                user,
                Outgoing(
                    key="vote.household_voted",
                    params={"name": user.first_name or "—", "title": menu.title, "picks": titles},
                ),
            )
        cast = tuple(item.id for item in menu.items if item.id in chosen)
        return Ballot(menu, Phase.OPEN, household, cast, True, user.first_name, version + 1)
