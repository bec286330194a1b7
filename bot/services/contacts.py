"""Who looks after a building: its grid workers, building leads and duty hours, from the
grids in the database and the contacts in the configuration."""

from __future__ import annotations

from typing import Protocol

from bot.domain.contacts import BuildingContacts, Directory, Lines, Person
from bot.domain.models import MembershipStatus, User
from bot.ports import MembershipRepository, UserRepository


class BuildingLookup(Protocol):
    """Where a household is, and who works a building's grid."""

    async def building_of_household(self, household_id: int) -> int | None: ...
    async def workers_of_building(self, building_id: int) -> list[tuple[str, str]]: ...
    async def building_label(self, building_id: int) -> tuple[str, str] | None: ...


class WorkerLookup(Protocol):
    """The grid worker a "contact your grid worker" message names (what other services need)."""

    async def grid_worker(self, building_id: int) -> Person | None: ...


async def worker_of(contacts: WorkerLookup | None, building_id: int | None) -> Person | None:
    """The building's grid worker, when there is a lookup and a building."""
    if contacts is None or building_id is None:
        return None
    return await contacts.grid_worker(building_id)


class ContactService:
    """The contacts of a building, a household or a resident's current home."""

    def __init__(
        self,
        *,
        directory: Directory,
        places: BuildingLookup,
        users: UserRepository,
        memberships: MembershipRepository,
        timezone: str,
    ) -> None:
        self._directory = directory
        self._places = places
        self._users = users
        self._memberships = memberships
        self.timezone = timezone

    @property
    def lines(self) -> Lines:
        """The community's office, property and emergency lines."""
        return self._directory.lines

    async def _shown(self, who: tuple[str, str]) -> Person | None:
        user = await self._users.get_by_external(*who)
        return self._directory.person(who, user.first_name if user else None)

    async def for_building(self, building_id: int) -> BuildingContacts | None:
        """The grid workers, leads and duty hours of a building (None: no such building)."""
        label = await self._places.building_label(building_id)
        if label is None:
            return None
        path = "/".join(label)
        workers = [
            await self._shown(w) for w in await self._places.workers_of_building(building_id)
        ]
        leads = [await self._shown(lead) for lead in self._directory.leads.get(path, ())]
        return BuildingContacts(
            building=path,
            workers=tuple(p for p in workers if p is not None),
            leads=tuple(p for p in leads if p is not None),
            duty=self._directory.duty_of(path),
        )

    async def for_household(self, household_id: int) -> BuildingContacts | None:
        """The contacts of a household's building."""
        building_id = await self._places.building_of_household(household_id)
        return None if building_id is None else await self.for_building(building_id)

    async def for_user(self, user: User) -> BuildingContacts | None:
        """The contacts of the person's current approved home (None: not registered)."""
        approved = [
            m
            for m in await self._memberships.list_for_user(user.id)
            if m.status is MembershipStatus.APPROVED
        ]
        if not approved:
            return None
        home = next((m for m in approved if m.is_current), approved[0])
        return await self.for_household(home.household_id)

    async def grid_worker(self, building_id: int) -> Person | None:
        """The grid worker to name in "contact your grid worker", if known."""
        contacts = await self.for_building(building_id)
        return contacts.worker if contacts else None

    async def grid_worker_of_household(self, household_id: int) -> Person | None:
        """The same, for a household."""
        contacts = await self.for_household(household_id)
        return contacts.worker if contacts else None
