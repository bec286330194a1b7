"""Votes: the renovation menu (点单) and resolutions that need owners' consent (表决) — their
drafts, phases, ballots and results (pure). Counting is in `consent`, selection in
`equal_shares`; this module says what is asked, when, of whom, and what came out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from pydantic import Field, model_validator

from bot.domain.consent import Answer, Rule, RuleKind, Threshold, rule_for
from bot.domain.equal_shares import MenuItemCost, equal_shares, greedy
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
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


# ---------------------------------------------------------------------------- the menu


class MenuItemDraft(Frozen):
    """One thing residents can order."""

    title: str = Field(min_length=1, max_length=MAX_ITEM_TITLE)
    description: str = Field(default="", max_length=MAX_ITEM_TEXT)
    cost: int = Field(gt=0, le=MAX_COST)  # estimated, yuan
    photo: Attachment | None = None


class MenuDraft(_Window):
    """What staff fill in for a menu."""

    items: tuple[MenuItemDraft, ...] = Field(min_length=2, max_length=MAX_ITEMS)
    max_picks: int = Field(ge=1)
    budget: int | None = Field(default=None, gt=0, le=MAX_COST * MAX_ITEMS)
    rule: SelectionRule = SelectionRule.GREEDY
    live: bool = True

    @model_validator(mode="after")
    def _picks(self) -> MenuDraft:
        if self.max_picks > len(self.items):
            raise ValueError("k is at most the number of items")
        return self


class MenuItem(MenuItemDraft):
    """An item as stored."""

    id: int
    position: int


class Menu(Frozen):
    """A menu as stored; `items` in menu order."""

    id: int
    title: str
    scope: Scope
    opens_at: datetime
    closes_at: datetime
    items: tuple[MenuItem, ...]
    max_picks: int
    budget: int | None
    rule: SelectionRule
    live: bool
    author_id: int
    cancelled: bool = False
    result: MenuResult | None = None  # frozen at closing

    def phase(self, now: datetime) -> Phase:
        """Where the menu is at `now`."""
        return phase(self.opens_at, self.closes_at, now, cancelled=self.cancelled)

    def item(self, item_id: int) -> MenuItem | None:
        """The item with this id, if it is on this menu."""
        return next((item for item in self.items if item.id == item_id), None)


def parse_item(text: str, photo: Attachment | None = None) -> MenuItemDraft:
    """An item typed as "title | cost | description" (description optional; "｜" too)."""
    parts = [part.strip() for part in text.replace("｜", "|").split("|")]
    if len(parts) not in (2, 3) or not parts[0]:
        raise BadVoteSpec(text, what="item")
    try:
        fen = parse_yuan(parts[1])
        if fen % 100:
            raise BadVoteSpec(text, what="item")
        cost = fen // 100
        return MenuItemDraft(
            title=parts[0],
            cost=cost,
            description=parts[2] if len(parts) == 3 else "",
            photo=photo,
        )
    except ValueError:  # pydantic: empty, too long, zero cost
        raise BadVoteSpec(text, what="item") from None


def check_picks(menu: Menu, picks: Sequence[int]) -> frozenset[int]:
    """A ballot's picks: items of this menu, at least one, at most k; else a DomainError."""
    chosen = frozenset(picks)
    if not chosen:
        raise NoPicks()
    if any(menu.item(item) is None for item in chosen):
        raise BadVoteSpec("unknown item", what="item")
    if len(chosen) > menu.max_picks:
        raise TooManyPicks(k=menu.max_picks)
    return chosen


def toggle_pick(menu: Menu, picks: Sequence[int], item_id: int) -> tuple[int, ...]:
    """Tick or untick an item (in menu order); ticking one more than k is refused."""
    if menu.item(item_id) is None:
        raise BadVoteSpec("unknown item", what="item")
    chosen = set(picks)
    if item_id in chosen:
        chosen.discard(item_id)
    elif len(chosen) >= menu.max_picks:
        raise TooManyPicks(k=menu.max_picks)
    else:
        chosen.add(item_id)
    return tuple(item.id for item in menu.items if item.id in chosen)


def encode_picks(menu: Menu, picks: Sequence[int]) -> str:
    """The picks as a hex bitmask over menu positions (short enough for callback data)."""
    chosen = set(picks)
    mask = sum(1 << index for index, item in enumerate(menu.items) if item.id in chosen)
    return format(mask, "x")


def decode_picks(menu: Menu, mask: str) -> tuple[int, ...]:
    """The picks a bitmask names; BadVoteSpec if it names positions the menu lacks."""
    try:
        bits = int(mask, 16)
    except ValueError:
        raise BadVoteSpec("bad mask", what="item") from None
    if bits < 0 or bits >> len(menu.items):
        raise BadVoteSpec("bad mask", what="item")
    return tuple(item.id for index, item in enumerate(menu.items) if bits >> index & 1)


class MenuResult(Frozen):
    """Approvals per item (menu order), turnout, and with a budget what is selected."""

    approvals: tuple[tuple[int, int], ...]
    voted: int
    eligible: int
    selected: tuple[int, ...] | None = None
    spent: int | None = None

    def count(self, item_id: int) -> int:
        """The approvals of one item."""
        return dict(self.approvals).get(item_id, 0)

    @property
    def turnout(self) -> Fraction:
        """Households that voted / eligible households."""
        return Fraction(self.voted, self.eligible) if self.eligible else Fraction(0)


def menu_result(menu: Menu, ballots: Sequence[frozenset[int]], eligible: int) -> MenuResult:
    """Count the ballots; with a budget, select by the menu's rule."""
    counts = {item.id: 0 for item in menu.items}
    for ballot in ballots:
        for item in ballot:
            if item in counts:
                counts[item] += 1
    selected: tuple[int, ...] | None = None
    spent: int | None = None
    if menu.budget is not None:
        costs = [MenuItemCost(id=item.id, cost=item.cost) for item in menu.items]
        choose = equal_shares if menu.rule is SelectionRule.MES else greedy
        selection = choose(costs, list(ballots), menu.budget)
        selected, spent = selection.items, selection.cost
    return MenuResult(
        approvals=tuple(counts.items()),
        voted=len(ballots),
        eligible=eligible,
        selected=selected,
        spent=spent,
    )


def bar(count: int, most: int, width: int = BAR_WIDTH) -> str:
    """A text bar: full blocks in proportion to the largest count (at least one if any)."""
    if most <= 0 or count <= 0:
        return "░" * width
    full = max(1, round(width * count / most))
    return "█" * full + "░" * (width - full)


def percent(part: Fraction) -> str:
    """A share as a percentage with one decimal, for people (never for counting)."""
    return f"{float(part) * 100:.1f}%"


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


def yuan(fen: int) -> str:
    """Fen shown as yuan with two decimals."""
    return f"{fen // 100:,}.{fen % 100:02d}"


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


# Resolve the forward reference of Menu.result.
Menu.model_rebuild()
