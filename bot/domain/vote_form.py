"""What a menu and a proposal have in common while staff compose them, step by step: the
title, the scope (a kind of place and the places ticked) and when the vote opens and closes.
See `menu_form` and `proposal_form` for the rest."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Self

from bot.domain.errors import DomainError
from bot.domain.models import Frozen
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import words
from bot.domain.votes import MAX_TITLE, VOTE_SCOPES, BadVoteSpec
from bot.domain.when import read_time

DURATIONS = (3, 7, 14)  # days: the closing-time buttons


class NoPlaces(DomainError):
    """The places were asked for and none was ticked."""

    key = "bc.pick_one"


class DraftIncomplete(DomainError):
    """Confirm was pressed on a draft that does not hold together (a step left unanswered)."""

    key = "vote.bad_draft_short"


class VoteForm(Frozen):
    """The common answers. `kind` None: no scope chosen yet; `ids`: the places ticked;
    `opens_at`/`closes_at` None: not answered yet."""

    title: str = ""
    kind: ScopeKind | None = None
    ids: tuple[int, ...] = ()
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    def titled(self, typed: str) -> Self:
        """The title: trimmed, not blank, at most MAX_TITLE characters."""
        return self.model_copy(update={"title": words(typed, MAX_TITLE)})

    def of_kind(self, kind: ScopeKind) -> Self:
        """The kind of places chosen (a compound, buildings or units); none ticked yet."""
        if kind not in VOTE_SCOPES:
            raise BadVoteSpec(kind, what="scope")
        return self.model_copy(update={"kind": kind, "ids": ()})

    def with_places(self, ids: tuple[int, ...] | list[int]) -> Self:
        """The places ticked: at least one, each once (the order they were ticked in)."""
        if not ids:
            raise NoPlaces()
        return self.model_copy(update={"ids": tuple(dict.fromkeys(ids))})

    def opening_now(self, now: datetime) -> Self:
        """It opens at once."""
        return self.model_copy(update={"opens_at": now})

    def opening_at(self, typed: str, now: datetime, timezone: str) -> Self:
        """It opens at a typed time ("明天上午8点", community time, in the future; BadTime:
        UnreadableTime, PastTime, TooFarAhead otherwise)."""
        return self.model_copy(update={"opens_at": read_time(typed, now, timezone)})

    def closing_in(self, days: int) -> Self:
        """It closes this many days after opening (one of DURATIONS)."""
        if days not in DURATIONS:
            raise BadVoteSpec(days, what="days")
        return self.model_copy(update={"closes_at": self._opening() + timedelta(days=days)})

    def closing_at(self, typed: str, now: datetime, timezone: str) -> Self:
        """It closes at a typed time after it opens (a bare "20:00" is the first after the
        opening); BadTime otherwise (NotAfter before the opening)."""
        closes = read_time(typed, now, timezone, after=self._opening())
        return self.model_copy(update={"closes_at": closes})

    def _opening(self) -> datetime:
        if self.opens_at is None:
            raise ValueError("the opening is not answered yet")
        return self.opens_at

    def scope(self) -> Scope:
        """The scope as the domain sees it (ValueError while it is incomplete)."""
        if self.kind is None:
            raise ValueError("no scope chosen")
        return Scope(kind=self.kind, ids=self.ids)

    def _window(self) -> dict[str, object]:
        """The title, scope and times of the draft (ValueError while one is missing)."""
        if self.opens_at is None or self.closes_at is None:
            raise ValueError("the opening or closing is not answered yet")
        return {
            "title": self.title,
            "scope": self.scope(),
            "opens_at": self.opens_at,
            "closes_at": self.closes_at,
        }
