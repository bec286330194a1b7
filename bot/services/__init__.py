"""Use cases, one service per capability; they take and return domain models."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ports import Clock, SessionStore
from bot.services.community import CommunityService
from bot.services.users import UserService


@dataclass(frozen=True)
class Services:
    """Everything a channel adapter may call."""

    clock: Clock
    users: UserService
    community: CommunityService
    sessions: SessionStore
