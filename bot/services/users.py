"""Who is talking: users by channel identity, their language and role."""

from __future__ import annotations

from typing import Protocol

from bot.domain.models import ChannelUser, Language, Role, User
from bot.ports import Clock, UnitOfWork, UserRepository

MAX_NAME = 64


class DeclaredRoles(Protocol):
    """Roles given by the grids and building leads of the configuration."""

    async def declared_role(self, channel: str, external_id: str) -> Role | None: ...


class UserService:
    """Knows users across channels; the only place a user row is created."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        users: UserRepository,
        clock: Clock,
        roles: DeclaredRoles,
        staff: frozenset[tuple[str, str]],
        default_language: Language,
    ) -> None:
        self._uow = uow
        self._users = users
        self._clock = clock
        self._roles = roles
        self._staff = staff  # (channel, external id) of the configured staff
        self.default_language = default_language

    async def _configured_role(self, who: ChannelUser) -> Role:
        """Roles follow the configuration: staff ids, then grids and building leads."""
        if (who.channel, who.external_id) in self._staff:
            return Role.STAFF
        return await self._roles.declared_role(who.channel, who.external_id) or Role.RESIDENT

    async def identify(self, who: ChannelUser) -> User:
        """The user behind a channel identity, created on first contact, kept up to date."""
        name = who.first_name.strip()[:MAX_NAME]
        role = await self._configured_role(who)
        user = self._users.cached(who.channel, who.external_id)
        if user is None:
            # Not in memory: most likely a first contact, so try to add the row first (one
            # statement); if the identity already has one, read it.
            added = await self._users.add(
                who.channel, who.external_id, name, role, self._clock.now()
            )
            if added is not None:
                return added
            user = await self._users.get_by_external(who.channel, who.external_id)
        if (
            user is not None
            and user.first_name == name
            and user.role is role
            and user.unreachable_at is None
        ):
            return user
        async with self._uow.transaction():
            user = await self._users.get_by_external(who.channel, who.external_id)
            if user is None:
                raise RuntimeError("a user row vanished while it was being identified")
            if user.first_name != name:
                await self._users.set_first_name(user.id, name)
            if user.role is not role:
                await self._users.set_role(user.id, role)
            if user.unreachable_at is not None:
                # They talk to us again, so they unblocked the bot.
                await self._users.set_unreachable(user.id, None)
        return user.model_copy(update={"first_name": name, "role": role, "unreachable_at": None})

    def language_of(self, user: User | None) -> Language:
        """The language to speak to `user` in."""
        return user.language if user and user.language else self.default_language

    async def set_language(self, user: User, language: Language | str) -> User:
        """Switch a user's language."""
        chosen = Language(language)
        async with self._uow.transaction():
            await self._users.set_language(user.id, chosen)
        return user.model_copy(update={"language": chosen})

    async def find(self, channel: str, external_id: str) -> User | None:
        """The user behind a channel identity, if they are known (nothing is created)."""
        return await self._users.get_by_external(channel, external_id)

    async def get(self, user_id: int) -> User | None:
        """A user by our id."""
        return await self._users.get(user_id)
