"""What residents and grid workers see of households and registrations."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, TypeVar

from bot.domain.models import Frozen, MembershipStatus, Place


class Home(Frozen):
    """One of a user's households, as its member sees it (no phones, areas or flags)."""

    household_id: int
    place: Place
    status: MembershipStatus
    is_current: bool
    members: tuple[str, ...] = ()  # first names of the other approved members


class PendingRequest(Frozen):
    """A resident waiting for a grid worker to approve their link to a household."""

    user_id: int
    first_name: str
    household_id: int
    place: Place
    requested_at: datetime


class BuildingCoverage(Frozen):
    """How many households of a building have at least one registered member."""

    building_id: int
    compound: str
    building: str
    households: int
    registered: int
    unregistered: tuple[str, ...]  # "1单元 302", for the door-to-door round

    @property
    def share(self) -> float:
        """The registered fraction (0 when the building has no households)."""
        return self.registered / self.households if self.households else 0.0


class Choice(Frozen):
    """One option of a picker step: an id and what the button says."""

    id: int
    label: str


def sort_key(label: str) -> tuple[int, str]:
    """Natural order for names such as "2号楼" < "10号楼" and rooms "302" < "1002"."""
    digits = "".join(ch for ch in label if ch.isdecimal())
    return (int(digits) if digits else 0, label)


def place_text(place: Place) -> str:
    """ "幸福里小区 3号楼 1单元 302": the same words in every language (they are names)."""
    return f"{place.compound} {place.building} {place.unit} {place.room}"


T = TypeVar("T")


def paginate(items: list[T], page: int, size: int) -> tuple[list[T], int, int]:
    """The items of `page` (clamped to the valid range), the page, and the number of pages."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


class RegistrationDraft(Frozen):
    """The household a person is picking, level by level (each level clears those below it),
    and whether they came from a building's QR code."""

    compound: int | None = None
    building: int | None = None
    unit: int | None = None
    room: int | None = None
    phone: str | None = None  # shared at the last step (None: skipped)
    invited: bool = False

    LEVELS: ClassVar[tuple[str, ...]] = ("compound", "building", "unit", "room")

    def choose(self, level: str, value: int) -> RegistrationDraft:
        """`level` set to `value`, every level below it cleared."""
        below = self.LEVELS[self.LEVELS.index(level) + 1 :]
        return self.model_copy(update={level: value, **dict.fromkeys(below)})
