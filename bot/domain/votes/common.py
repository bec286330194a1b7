"""Votes: limits, kinds, the errors, phases, the window every vote has, and money."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import Field, model_validator

from bot.domain.errors import DomainError
from bot.domain.models import Frozen
from bot.domain.scope import Scope, ScopeKind

MAX_TITLE = 100
MAX_ITEM_TITLE = 60
MAX_ITEM_TEXT = 500
MAX_ITEMS = 20
MAX_BODY = 3000
MAX_ATTACHMENTS = 5
MAX_COST = 100_000_000  # yuan
REMIND_BEFORE = timedelta(hours=24)
VOTE_SCOPES = (ScopeKind.COMPOUNDS, ScopeKind.BUILDINGS, ScopeKind.UNITS)
BAR_WIDTH = 10


class VoteKind(StrEnum):
    """A menu (pick items) or a proposal (agree / disagree / abstain)."""

    MENU = "menu"
    PROPOSAL = "proposal"


class Phase(StrEnum):
    """Where a vote is in its life; derived from its times (and a cancellation)."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class SelectionRule(StrEnum):
    """How a menu with a budget chooses what is built."""

    GREEDY = "greedy"  # by approvals, while the money lasts
    MES = "mes"  # the Method of Equal Shares (proportional), completed


# ---------------------------------------------------------------------------- errors


class VoteClosed(DomainError):
    """The vote is not open (not yet, or any more)."""

    key = "vote.closed"


class NotEligible(DomainError):
    """The user's household is not one of the vote's households (or has no household)."""

    key = "vote.not_eligible"


class TooManyPicks(DomainError):
    """More items ticked than the menu allows."""

    key = "vote.too_many"


class NoPicks(DomainError):
    """Submit with nothing ticked."""

    key = "vote.no_picks"


class ResultsHidden(DomainError):
    """The menu shows its results only after closing."""

    key = "vote.results_hidden"


class RulesFrozen(DomainError):
    """Voting has opened: what it asks and how it counts can no longer change."""

    key = "vote.rules_frozen"


class BadVoteSpec(DomainError):
    """A typed value or a file entry a vote cannot take; `params["what"]` says which."""

    key = "vote.bad_spec"


# ---------------------------------------------------------------------------- phases


def phase(opens_at: datetime, closes_at: datetime, now: datetime, *, cancelled: bool) -> Phase:
    """The phase at `now`: scheduled before opening, open until closing (exclusive)."""
    if cancelled:
        return Phase.CANCELLED
    if now < opens_at:
        return Phase.SCHEDULED
    if now < closes_at:
        return Phase.OPEN
    return Phase.CLOSED


def reminder_at(opens_at: datetime, closes_at: datetime) -> datetime:
    """When those who have not voted are reminded: a day before closing, or half-way through
    a vote shorter than two days."""
    length = closes_at - opens_at
    return closes_at - (REMIND_BEFORE if length >= 2 * REMIND_BEFORE else length / 2)


class _Window(Frozen):
    """Opening and closing, and the scope (a compound, buildings or units)."""

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    scope: Scope
    opens_at: datetime
    closes_at: datetime

    @model_validator(mode="after")
    def _window(self) -> _Window:
        if self.closes_at <= self.opens_at:
            raise ValueError("a vote closes after it opens")
        if self.scope.kind not in VOTE_SCOPES or self.scope.vulnerable_only:
            raise ValueError("a vote is for compounds, buildings or units")
        return self


def parse_yuan(text: str) -> int:
    """A typed amount of yuan as fen: "120000", "1,234.5", "¥3000" ; BadVoteSpec otherwise."""
    cleaned = text.strip().lstrip("¥￥").replace(",", "").replace("，", "").removesuffix("元")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise BadVoteSpec(text, what="amount") from None
    fen = amount * 100
    if not amount.is_finite() or fen != fen.to_integral_value() or not 0 <= amount <= MAX_COST:
        raise BadVoteSpec(text, what="amount")
    return int(fen)


def yuan(fen: int) -> str:
    """Fen shown as yuan with two decimals."""
    return f"{fen // 100:,}.{fen % 100:02d}"
