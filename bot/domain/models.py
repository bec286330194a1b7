"""The community and its people, as frozen pydantic models."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for domain values: immutable, no stray fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Language(StrEnum):
    """The languages every user-facing string exists in."""

    ZH = "zh-CN"
    EN = "en"


class Role(StrEnum):
    """What a user may do; later roles include the earlier ones' rights."""

    RESIDENT = "resident"
    BUILDING_LEAD = "building_lead"
    GRID_WORKER = "grid_worker"
    STAFF = "staff"


ROLE_RANK = {Role.RESIDENT: 0, Role.BUILDING_LEAD: 1, Role.GRID_WORKER: 2, Role.STAFF: 3}


class ChannelUser(Frozen):
    """A person as a channel presents them, before we know them."""

    channel: str
    external_id: str
    first_name: str = ""
    language_hint: str | None = None


class User(Frozen):
    """A known person on one channel."""

    id: int
    channel: str
    external_id: str
    first_name: str
    language: Language | None
    role: Role
    phone: str | None = Field(default=None, repr=False)
    unreachable_at: datetime | None = None
    created_at: datetime

    def has_role(self, needed: Role) -> bool:
        """Whether this user's role is at least `needed`."""
        return ROLE_RANK[self.role] >= ROLE_RANK[needed]


class Community(Frozen):
    """A 社区: the unit a deployment serves."""

    id: int
    name: str
    timezone: str


class Compound(Frozen):
    """A 小区 within the community."""

    id: int
    community_id: int
    name: str


class Building(Frozen):
    """A 楼栋, e.g. "3号楼"."""

    id: int
    compound_id: int
    name: str


class Unit(Frozen):
    """A 单元 (entrance) of a building."""

    id: int
    building_id: int
    name: str


class HouseholdFlags(Frozen):
    """Staff-only facts used to prioritise outreach; never shown to other residents."""

    lives_alone: bool = False
    elderly: bool = False
    disabled: bool = False

    @property
    def any(self) -> bool:
        """Whether the household is vulnerable in any way."""
        return self.lives_alone or self.elderly or self.disabled


class NewHousehold(Frozen):
    """A household as the roster describes it."""

    unit_id: int
    room: str
    floor: int | None = None
    area: Decimal = Field(default=Decimal(0), ge=0, decimal_places=2)
    owner_name: str = Field(default="", repr=False)
    owner_key: str = Field(default="", repr=False)
    phone: str | None = Field(default=None, repr=False)
    flags: HouseholdFlags = HouseholdFlags()


class Household(NewHousehold):
    """A 户: one flat, with its exclusive area for legal votes."""

    id: int


class MembershipStatus(StrEnum):
    """Where a user's link to a household stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    LEFT = "left"


class MembershipVia(StrEnum):
    """How a membership came about."""

    REQUEST = "request"  # asked in the chat, decided by a grid worker or staff
    PHONE = "phone"  # approved at once: the shared phone matched the roster
    IMPORT = "import"


class Membership(Frozen):
    """A user's link to a household."""

    user_id: int
    household_id: int
    status: MembershipStatus
    is_current: bool
    created_at: datetime
    decided_by: int | None = None
    decided_at: datetime | None = None
    via: MembershipVia = MembershipVia.REQUEST


class Grid(Frozen):
    """A 网格: a set of buildings looked after by its grid worker(s)."""

    id: int
    name: str


class Invitation(Frozen):
    """The opaque deep-link payload printed as a building's QR code."""

    payload: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    building_id: int
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        """Whether the code no longer registers anyone."""
        return self.revoked_at is not None


class Place(Frozen):
    """Where a household is, by name, for showing to its own members and to staff."""

    compound: str
    building: str
    unit: str
    room: str
