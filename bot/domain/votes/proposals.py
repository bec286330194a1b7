"""Votes: resolutions needing owners' consent (表决): drafts, answers, typed rules, roster rows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from pydantic import Field, model_validator

from bot.domain.consent import Answer, Rule, RuleKind, Threshold, rule_for
from bot.domain.messages import Attachment
from bot.domain.models import Frozen
from bot.domain.votes.common import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    BadVoteSpec,
    Phase,
    _Window,
    phase,
)

# ---------------------------------------------------------------------------- proposals


class ProposalDraft(_Window):
    """What staff fill in for a resolution."""

    body: str = Field(min_length=1, max_length=MAX_BODY)
    rule: Rule
    attachments: tuple[Attachment, ...] = Field(default=(), max_length=MAX_ATTACHMENTS)
    total_cost_fen: int | None = Field(default=None, ge=0)
    coefficients: dict[int, Decimal] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _costs(self) -> ProposalDraft:
        if any(value < 0 for value in self.coefficients.values()):
            raise ValueError("floor coefficients are not negative")
        if self.total_cost_fen is not None and not any(self.coefficients.values()):
            raise ValueError("a cost needs floor coefficients")
        return self


class Proposal(ProposalDraft):
    """A proposal as stored; `result` is the frozen count once closed."""

    id: int
    author_id: int
    cancelled: bool = False
    result: str | None = None  # JSON of consent.Result, frozen at closing

    def phase(self, now: datetime) -> Phase:
        """Where the proposal is at `now`."""
        return phase(self.opens_at, self.closes_at, now, cancelled=self.cancelled)


class AnswerRecord(Frozen):
    """A household's current answer, or one entry of the audit log."""

    proposal_id: int
    household_id: int
    answer: Answer
    at: datetime
    user_id: int | None = None  # who answered in the chat
    recorded_by: int | None = None  # the grid worker who entered a paper answer
    previous: Answer | None = None

    @property
    def on_paper(self) -> bool:
        """Entered by a grid worker from a paper form."""
        return self.recorded_by is not None


_SHARE = re.compile(r"^(>)?\s*(\d+)\s*(?:/\s*(\d+))?\s*(%)?$")


def parse_share(text: str) -> Threshold:
    """ "2/3", "3/4", ">1/2", "60%" as a threshold; BadVoteSpec otherwise."""
    match = _SHARE.match(text.strip())
    if not match:
        raise BadVoteSpec(text, what="threshold")
    strict, top, bottom, pct = match.groups()
    if bottom and pct:
        raise BadVoteSpec(text, what="threshold")
    share = Fraction(int(top), 100) if pct else Fraction(int(top), int(bottom or 1))
    if not 0 < share <= 1:
        raise BadVoteSpec(text, what="threshold")
    return Threshold(share=share, strict=bool(strict))


_AREA_WORDS = {"area", "面积"}
_OWNER_WORDS = {"owners", "owner", "人数", "业主"}


def parse_custom_rule(text: str) -> Rule:
    """A custom rule typed as "<participation> <approval> [area|owners]", e.g. "2/3 >1/2" or
    "- 3/4 面积" ("-" for no participation threshold); both dimensions when none is named."""
    words = text.replace("，", " ").replace(",", " ").split()
    if len(words) not in (2, 3):
        raise BadVoteSpec(text, what="threshold")
    participation = None if words[0] in ("-", "—", "无", "none") else parse_share(words[0])
    approval = parse_share(words[1])
    by_area = by_owners = True
    if len(words) == 3:
        word = words[2].lower()
        if word in _AREA_WORDS:
            by_owners = False
        elif word in _OWNER_WORDS:
            by_area = False
        else:
            raise BadVoteSpec(text, what="threshold")
    return Rule(
        kind=RuleKind.CUSTOM,
        participation=participation,
        approval=approval,
        by_area=by_area,
        by_owners=by_owners,
    )


def rule_named(kind: RuleKind, custom: str = "") -> Rule:
    """The fixed rule of `kind`, or the custom one typed as `custom`."""
    return parse_custom_rule(custom) if kind is RuleKind.CUSTOM else rule_for(kind)


def parse_coefficients(text: str) -> dict[int, Decimal]:
    """Floor coefficients typed as "1:0 2:0.5 3-6:1" (floor or floor range : coefficient)."""
    result: dict[int, Decimal] = {}
    for part in text.replace("，", " ").replace(",", " ").replace("：", ":").split():
        floors, _, value = part.partition(":")
        low, _, high = floors.partition("-")
        try:
            first, last = int(low), int(high or low)
            coefficient = Decimal(value)
        except (ValueError, InvalidOperation):
            raise BadVoteSpec(part, what="coefficients") from None
        if not coefficient.is_finite() or coefficient < 0 or not -5 <= first <= last <= 200:
            raise BadVoteSpec(part, what="coefficients")
        for floor in range(first, last + 1):
            result[floor] = coefficient
    if not result:
        raise BadVoteSpec(text, what="coefficients")
    return result


def answers_of(records: Sequence[AnswerRecord]) -> Mapping[int, Answer]:
    """The current answer of each household."""
    return {record.household_id: record.answer for record in records}


class RosterRow(Frozen):
    """A household in a vote's scope, as counting, cost sharing and door-to-door lists need it."""

    household_id: int
    building_id: int
    compound: str
    building: str
    unit: str
    room: str
    floor: int | None
    area: Decimal
    owner_key: str
    registered: bool
    lives_alone: bool
    elderly: bool
    disabled: bool
