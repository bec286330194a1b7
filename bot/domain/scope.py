"""Who a broadcast or notice is for: a part of the community, a role, the vulnerable (pure)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import model_validator

from bot.domain.models import Frozen, Role


class ScopeKind(StrEnum):
    """The ways to choose an audience."""

    COMMUNITY = "community"
    COMPOUNDS = "compounds"
    BUILDINGS = "buildings"
    UNITS = "units"
    GRIDS = "grids"
    ROLE = "role"


class Scope(Frozen):
    """An audience: households (by place or grid) or users (by role), maybe vulnerable only."""

    kind: ScopeKind
    ids: tuple[int, ...] = ()
    role: Role | None = None
    vulnerable_only: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Scope:
        if self.kind is ScopeKind.ROLE:
            if self.role is None or self.ids or self.vulnerable_only:
                raise ValueError("a role scope names one role and nothing else")
        elif self.role is not None:
            raise ValueError("only a role scope names a role")
        if self.kind in (ScopeKind.COMMUNITY, ScopeKind.ROLE):
            if self.ids:
                raise ValueError(f"a {self.kind} scope takes no ids")
        elif not self.ids:
            raise ValueError(f"a {self.kind} scope needs at least one id")
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("ids repeat")
        return self

    @property
    def by_household(self) -> bool:
        """Whether the audience is households (everything but a role)."""
        return self.kind is not ScopeKind.ROLE


class Reach(Frozen):
    """How many a scope reaches now: households in it, those with someone registered, people."""

    households: int
    registered_households: int
    people: int

    @property
    def unregistered_households(self) -> int:
        """Households in scope nobody has registered for: to be reached on foot."""
        return self.households - self.registered_households
