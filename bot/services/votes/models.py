"""The vote service's store (a protocol storage/votes.py implements) and the views it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.consent import Answer, Result
from bot.domain.errors import DomainError
from bot.domain.scope import Scope
from bot.domain.votes import (
    AnswerRecord,
    Menu,
    MenuDraft,
    MenuResult,
    Phase,
    Proposal,
    ProposalDraft,
    RosterRow,
)


class VoteStore(Protocol):
    """Menu and proposal rows (see storage.votes)."""

    async def add_menu(self, draft: MenuDraft, author_id: int, now: datetime) -> int: ...
    async def get_menu(self, menu_id: int) -> Menu | None: ...
    async def menus(self) -> list[Menu]: ...
    async def update_menu(self, menu_id: int, **fields: object) -> None: ...
    async def freeze_menu(self, menu_id: int, result: MenuResult) -> bool: ...
    async def cast(
        self, menu_id: int, household_id: int, user_id: int, picks: Sequence[int], now: datetime
    ) -> None: ...
    async def ballot(
        self, menu_id: int, household_id: int
    ) -> tuple[tuple[int, ...], int, int] | None: ...
    async def ballots(self, menu_id: int) -> dict[int, frozenset[int]]: ...
    async def add_proposal(self, draft: ProposalDraft, author_id: int, now: datetime) -> int: ...
    async def get_proposal(self, proposal_id: int) -> Proposal | None: ...
    async def proposals(self) -> list[Proposal]: ...
    async def cancel_proposal(self, proposal_id: int) -> None: ...
    async def freeze_proposal(self, proposal_id: int, result_json: str) -> bool: ...
    async def answer(
        self,
        proposal_id: int,
        household_id: int,
        answer: Answer,
        now: datetime,
        *,
        user_id: int | None,
        recorded_by: int | None,
    ) -> Answer | None: ...
    async def answers(self, proposal_id: int) -> list[AnswerRecord]: ...
    async def answer_of(self, proposal_id: int, household_id: int) -> AnswerRecord | None: ...
    async def audit(self, proposal_id: int) -> list[AnswerRecord]: ...
    async def roster(self, scope: Scope) -> list[RosterRow]: ...
    async def current_household(self, user_id: int) -> int | None: ...
    async def in_scope(self, scope: Scope, household_id: int) -> bool: ...
    async def eligible(self, scope: Scope) -> list[int]: ...
    async def members(self, household_ids: Sequence[int]) -> list[int]: ...


class Vote(Protocol):
    """What menus and proposals share: a scope and a phase."""

    @property
    def scope(self) -> Scope: ...
    def phase(self, now: datetime) -> Phase: ...


@dataclass(frozen=True)
class Ballot:
    """What a member sees of their household's ballot."""

    menu: Menu
    phase: Phase
    household_id: int
    picks: tuple[int, ...]  # as cast (empty if not voted)
    voted: bool
    cast_by: str  # first name of who cast it ("" if not voted)
    version: int = 0  # times it was cast or changed: a Submit names the version it changes


class BallotChanged(DomainError):
    """Another member of the household changed the ballot after these buttons were made."""

    key = "vote.ballot_changed"

    def __init__(self, ballot: Ballot) -> None:
        super().__init__()
        self.ballot = ballot


class ShareChanged(DomainError):
    """An answer to a proposal with a cost to share that does not name the household's share
    as it is now (never shown it, or the share changed since): nothing is recorded."""

    key = "vote.share_changed"


@dataclass(frozen=True)
class Standing:
    """A proposal as one household sees it."""

    proposal: Proposal
    phase: Phase
    household_id: int
    answer: AnswerRecord | None
    share_fen: int | None  # the household's part of the cost, if the proposal has one
    answered_by: str


@dataclass(frozen=True)
class Progress:
    """A proposal's count now (or frozen), with its roster and answers."""

    proposal: Proposal
    result: Result
    roster: list[RosterRow]
    answers: dict[int, AnswerRecord]

    def disagreeing(self, buildings: set[int] | None = None) -> list[RosterRow]:
        """Households whose answer now is "disagree", by place; only those in `buildings`
        when given."""
        return [
            row
            for row in self.roster
            if (record := self.answers.get(row.household_id)) is not None
            and record.answer is Answer.DISAGREE
            and (buildings is None or row.building_id in buildings)
        ]

    def unanswered(self, buildings: set[int] | None = None) -> list[RosterRow]:
        """Households that have not answered (the door-to-door list), by place; only those
        in `buildings` when given."""
        return [
            row
            for row in self.roster
            if row.household_id not in self.answers
            and (buildings is None or row.building_id in buildings)
        ]
