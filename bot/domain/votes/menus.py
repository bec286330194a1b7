"""Votes: the renovation menu (点单): its drafts, picks and result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction

from pydantic import Field, model_validator

from bot.domain.equal_shares import MenuItemCost, equal_shares, greedy
from bot.domain.messages import Attachment
from bot.domain.models import Frozen
from bot.domain.scope import Scope
from bot.domain.votes.common import (
    BAR_WIDTH,
    MAX_COST,
    MAX_ITEM_TEXT,
    MAX_ITEM_TITLE,
    MAX_ITEMS,
    BadVoteSpec,
    NoPicks,
    Phase,
    SelectionRule,
    TooManyPicks,
    _Window,
    parse_yuan,
    phase,
)

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
    eligible: int  # households with someone registered: those who can vote
    selected: tuple[int, ...] | None = None
    spent: int | None = None
    households: int | None = None  # every household of the scope (None in older results)

    def count(self, item_id: int) -> int:
        """The approvals of one item."""
        return dict(self.approvals).get(item_id, 0)

    @property
    def turnout(self) -> Fraction:
        """Households that voted / eligible households."""
        return Fraction(self.voted, self.eligible) if self.eligible else Fraction(0)


def menu_result(
    menu: Menu,
    ballots: Sequence[frozenset[int]],
    eligible: int,
    households: int | None = None,
) -> MenuResult:
    """Count the ballots; with a budget, select by the menu's rule. `eligible`: households
    that can vote (someone registered); `households`: all of the scope's."""
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
        households=households,
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


# Resolve the forward reference of Menu.result.
Menu.model_rebuild()
