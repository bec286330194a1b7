"""A renovation menu as staff compose it, step by step, before it is a `MenuDraft`: its items
(typed "title | cost | description", or a photo with one as caption), how many each household
may pick, the budget in whole yuan, how a budget selects, and whether results show live."""

from __future__ import annotations

from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.domain.vote_form import VoteForm
from bot.domain.votes import (
    MAX_ITEMS,
    MenuDraft,
    MenuItemDraft,
    SelectionRule,
    parse_item,
    parse_yuan,
)

MAX_K_BUTTONS = 6  # k is offered as buttons 1…6 (at most the number of items); more is typed


class PhotoCaption(DomainError):
    """An item's photo came with no caption, or with more than one item in it."""

    key = "vote.photo_caption"


class TooManyItems(DomainError):
    """More than MAX_ITEMS items in all."""

    key = "vote.too_many_items"


class TooFewItems(DomainError):
    """A menu offers at least two items."""

    key = "vote.two_items"


class KOutOfRange(DomainError):
    """How many a household may pick: from 1 to the number of items."""

    key = "vote.k_range"


class BadBudget(DomainError):
    """A budget is a whole number of yuan above zero."""

    key = "vote.bad_budget"


class MenuForm(VoteForm):
    """What the menu flow has gathered so far (`max_picks` None: not answered yet; `budget`
    None: no budget, or not answered yet)."""

    items: tuple[MenuItemDraft, ...] = ()
    max_picks: int | None = None
    budget: int | None = None  # yuan
    rule: SelectionRule = SelectionRule.GREEDY
    live: bool = True

    def with_items(self, typed: str, photo: Attachment | None = None) -> MenuForm:
        """Items typed one a line, or one item as a photo's caption, added to the others;
        BadVoteSpec for a line that is not an item (nothing is added then)."""
        lines = [line for line in typed.splitlines() if line.strip()]
        if photo is not None and len(lines) != 1:
            raise PhotoCaption()
        added = [parse_item(line, photo) for line in lines]
        if len(self.items) + len(added) > MAX_ITEMS:
            raise TooManyItems(max=MAX_ITEMS)
        return self.model_copy(update={"items": (*self.items, *added)})

    def items_done(self) -> MenuForm:
        """The items are complete: at least two."""
        if len(self.items) < 2:
            raise TooFewItems()
        return self

    @property
    def k_offered(self) -> range:
        """The k buttons: 1 to the number of items, at most MAX_K_BUTTONS."""
        return range(1, min(MAX_K_BUTTONS, len(self.items)) + 1)

    def picking(self, k: int) -> MenuForm:
        """How many items each household may pick: 1 to the number of items."""
        if not 1 <= k <= len(self.items):
            raise KOutOfRange()
        return self.model_copy(update={"max_picks": k})

    def picking_typed(self, typed: str) -> MenuForm:
        """k typed as a number."""
        cleaned = typed.strip()
        return self.picking(int(cleaned) if cleaned.isdecimal() else 0)

    def with_budget(self, typed: str) -> MenuForm:
        """The budget typed in yuan: a whole number above zero (BadVoteSpec when it is not an
        amount at all)."""
        fen = parse_yuan(typed)
        if fen <= 0 or fen % 100:
            raise BadBudget()
        return self.model_copy(update={"budget": fen // 100})

    def without_budget(self) -> MenuForm:
        """No budget: every item's approvals are shown, none is selected."""
        return self.model_copy(update={"budget": None})

    @property
    def has_budget(self) -> bool:
        """Whether a budget is set (then a selection rule is asked)."""
        return self.budget is not None

    def selecting(self, rule: SelectionRule) -> MenuForm:
        """How a budget selects the items built."""
        return self.model_copy(update={"rule": rule})

    def showing_live(self, live: bool) -> MenuForm:
        """Whether residents see results while the menu is open."""
        return self.model_copy(update={"live": live})

    def draft(self) -> MenuDraft:
        """The menu as the service creates it (ValueError while it is incomplete or does not
        hold together: closing before opening, k above the items…)."""
        if self.max_picks is None:
            raise ValueError("k is not answered yet")
        return MenuDraft.model_validate(
            {
                **self._window(),
                "items": self.items,
                "max_picks": self.max_picks,
                "budget": self.budget,
                "rule": self.rule,
                "live": self.live,
            }
        )
