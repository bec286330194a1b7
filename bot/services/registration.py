"""Linking users to households: pick a room, match a phone or ask the grid worker; my home."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.domain.contacts import with_contact
from bot.domain.errors import AlreadyDecided, AlreadyMember, AlreadyPending, NotFound, NotMember
from bot.domain.homes import (
    BuildingCoverage,
    Choice,
    Home,
    PendingRequest,
    place_text,
    sort_key,
)
from bot.domain.messages import Action, Outgoing
from bot.domain.models import (
    Membership,
    MembershipStatus,
    MembershipVia,
    Place,
    Role,
    User,
)
from bot.domain.phones import normalize_phone, phones_match
from bot.domain.vocabulary import Feature
from bot.ports import (
    Clock,
    CommunityRepository,
    MembershipRepository,
    Notifier,
    PlaceLookup,
    UnitOfWork,
    UserRepository,
)
from bot.services.access import AccessService
from bot.services.contacts import WorkerLookup, worker_of

logger = logging.getLogger(__name__)

FEATURE = Feature.REGISTRATION


@dataclass(frozen=True)
class Registration:
    """The outcome of a request to join a household."""

    household_id: int
    place: Place
    status: MembershipStatus  # approved (phone matched) or pending (a grid worker decides)
    via: MembershipVia


@dataclass(frozen=True)
class Decision:
    """A grid worker's decision, as shown back to them."""

    resident: str
    place: Place
    status: MembershipStatus


class RegistrationService:
    """Registration requests, their decision, and a resident's view of their homes."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        community: CommunityRepository,
        places: PlaceLookup,
        memberships: MembershipRepository,
        users: UserRepository,
        access: AccessService,
        notifier: Notifier,
        clock: Clock,
        contacts: WorkerLookup | None = None,
    ) -> None:
        self._uow = uow
        self._contacts = contacts
        self._community = community
        self._places = places
        self._memberships = memberships
        self._users = users
        self._access = access
        self._notifier = notifier
        self._clock = clock

    # ------------------------------------------------------------------ picking a room

    async def compounds(self) -> list[Choice]:
        """The compounds to choose from."""
        found = await self._community.list_compounds()
        return [Choice(id=c.id, label=c.name) for c in found]

    async def buildings(self, compound_id: int) -> list[Choice]:
        """The buildings of a compound, in natural order."""
        if await self._community.get_compound(compound_id) is None:
            raise NotFound("compound")
        found = await self._community.list_buildings(compound_id)
        return sorted((Choice(id=b.id, label=b.name) for b in found), key=_by_label)

    async def units(self, building_id: int) -> list[Choice]:
        """The units of a building, in natural order."""
        if await self._community.get_building(building_id) is None:
            raise NotFound("building")
        found = await self._community.list_units(building_id)
        return sorted((Choice(id=u.id, label=u.name) for u in found), key=_by_label)

    async def rooms(self, unit_id: int) -> list[Choice]:
        """The rooms of a unit (numbers only: nothing else of a household is shown)."""
        if await self._community.get_unit(unit_id) is None:
            raise NotFound("unit")
        found = await self._community.list_households(unit_id)
        return sorted((Choice(id=h.id, label=h.room) for h in found), key=_by_label)

    async def compound_of_building(self, building_id: int) -> int:
        """The compound a building belongs to."""
        building = await self._community.get_building(building_id)
        if building is None:
            raise NotFound("building")
        return building.compound_id

    async def building_of_unit(self, unit_id: int) -> int:
        """The building a unit belongs to."""
        unit = await self._community.get_unit(unit_id)
        if unit is None:
            raise NotFound("unit")
        return unit.building_id

    async def unit_of_household(self, household_id: int) -> int:
        """The unit a household belongs to."""
        household = await self._community.get_household(household_id)
        if household is None:
            raise NotFound("household")
        return household.unit_id

    async def place(self, household_id: int) -> Place:
        """Where a household is."""
        place = await self._places.place(household_id)
        if place is None:
            raise NotFound("household")
        return place

    # ------------------------------------------------------------------ requests

    async def request(self, user: User, household_id: int, phone: str | None) -> Registration:
        """Ask to join a household; approved at once when `phone` matches the roster's."""
        now = self._clock.now()
        async with self._uow.transaction():
            household = await self._community.get_household(household_id)
            place = await self._places.place(household_id)
            if household is None or place is None:
                raise NotFound("household")
            existing = await self._memberships.get(user.id, household_id)
            if existing is not None and existing.status is MembershipStatus.APPROVED:
                raise AlreadyMember(place=place_text(place))
            if existing is not None and existing.status is MembershipStatus.PENDING:
                raise AlreadyPending(place=place_text(place))
            shared = normalize_phone(phone)
            if shared is not None:
                await self._users.set_phone(user.id, shared)
            matched = phones_match(shared, household.phone)
            status = MembershipStatus.APPROVED if matched else MembershipStatus.PENDING
            via = MembershipVia.PHONE if matched else MembershipVia.REQUEST
            await self._memberships.add(
                Membership(
                    user_id=user.id,
                    household_id=household_id,
                    status=status,
                    is_current=False,
                    created_at=now,
                    decided_at=now if matched else None,
                    via=via,
                )
            )
            if matched:
                await self._make_current_if_none(user.id, household_id)
            else:
                await self._ask_grid_workers(user, household_id, place)
        return Registration(household_id=household_id, place=place, status=status, via=via)

    async def _make_current_if_none(self, user_id: int, household_id: int) -> None:
        mine = await self._memberships.list_for_user(user_id)
        if not any(m.is_current and m.status is MembershipStatus.APPROVED for m in mine):
            await self._memberships.set_current(user_id, household_id)

    async def _deciders(self, household_id: int) -> list[User]:
        """The grid workers of the household's building who use the bot; else the staff."""
        building_id = await self._places.building_of_household(household_id)
        found = []
        if building_id is not None:
            for channel, external_id in await self._places.workers_of_building(building_id):
                user = await self._users.get_by_external(channel, external_id)
                if user is not None:
                    found.append(user)
        return found or await self._users.with_role(Role.STAFF)

    async def _ask_grid_workers(self, resident: User, household_id: int, place: Place) -> None:
        args = (str(resident.id), str(household_id))
        message = Outgoing(
            key="reg.ask_decision",
            params={"name": resident.first_name or "?", "place": place_text(place)},
            actions=(
                (
                    Action(label_key="reg.approve", feature=FEATURE, action="ok", args=args),
                    Action(label_key="reg.reject", feature=FEATURE, action="no", args=args),
                ),
            ),
        )
        deciders = await self._deciders(household_id)
        if not deciders:
            logger.warning("registration request %s has nobody to decide it", household_id)
        for decider in deciders:
            await self._notifier.push(decider, message)

    async def decide(
        self, actor: User | None, user_id: int, household_id: int, *, approve: bool
    ) -> Decision:
        """Approve or reject a pending request; the resident is told in their language."""
        building_id = await self._places.building_of_household(household_id)
        if building_id is None:
            raise NotFound("household")
        actor = await self._access.require_building(actor, building_id)
        now = self._clock.now()
        status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
        async with self._uow.transaction():
            membership = await self._memberships.get(user_id, household_id)
            resident = await self._users.get(user_id)
            place = await self._places.place(household_id)
            if membership is None or resident is None or place is None:
                raise NotFound("request")
            if membership.status is not MembershipStatus.PENDING:
                raise AlreadyDecided(status=membership.status.value)
            await self._memberships.decide(user_id, household_id, status, actor.id, now)
            if approve:
                await self._make_current_if_none(user_id, household_id)
            key, params = "reg.approved_push", dict[str, str | int]()
            if not approve:  # "contact your grid worker": with their name and phone if known
                worker = await worker_of(self._contacts, building_id)
                key, given = with_contact("reg.rejected_push", worker)
                params.update(given)
            params["place"] = place_text(place)
            await self._notifier.push(resident, Outgoing(key=key, params=params))
        return Decision(resident=resident.first_name, place=place, status=status)

    # ------------------------------------------------------------------ my home

    async def homes(self, user: User) -> list[Home]:
        """The user's households (approved and pending), current first."""
        result = []
        for membership in await self._memberships.list_for_user(user.id):
            if membership.status not in (MembershipStatus.APPROVED, MembershipStatus.PENDING):
                continue
            place = await self._places.place(membership.household_id)
            if place is None:
                continue
            members: tuple[str, ...] = ()
            if membership.status is MembershipStatus.APPROVED:
                names = await self._memberships.member_names(membership.household_id)
                members = tuple(name for uid, name in names if uid != user.id)
            result.append(
                Home(
                    household_id=membership.household_id,
                    place=place,
                    status=membership.status,
                    is_current=membership.is_current,
                    members=members,
                )
            )
        result.sort(
            key=lambda home: (
                not home.is_current,
                home.status is not MembershipStatus.APPROVED,
                place_text(home.place),
            )
        )
        return result

    async def current_home(self, user: User) -> Home | None:
        """The household the user acts for now (reports, ballots), if any."""
        homes = await self.homes(user)
        return next((home for home in homes if home.is_current), None)

    async def set_current(self, user: User, household_id: int) -> Place:
        """Choose which of the user's households is current."""
        async with self._uow.transaction():
            membership = await self._memberships.get(user.id, household_id)
            if membership is None or membership.status is not MembershipStatus.APPROVED:
                raise NotMember()
            await self._memberships.set_current(user.id, household_id)
        return await self.place(household_id)

    async def leave(self, user: User, household_id: int) -> Place:
        """Leave a household (or withdraw a pending request); another one becomes current."""
        now = self._clock.now()
        async with self._uow.transaction():
            membership = await self._memberships.get(user.id, household_id)
            if membership is None or membership.status not in (
                MembershipStatus.APPROVED,
                MembershipStatus.PENDING,
            ):
                raise NotMember()
            await self._memberships.decide(
                user.id, household_id, MembershipStatus.LEFT, user.id, now
            )
            if membership.is_current:
                remaining = [
                    m
                    for m in await self._memberships.list_for_user(user.id)
                    if m.status is MembershipStatus.APPROVED
                ]
                await self._memberships.set_current(
                    user.id, remaining[0].household_id if remaining else None
                )
        return await self.place(household_id)

    # ------------------------------------------------------------------ staff view

    async def pending(self, actor: User | None) -> list[PendingRequest]:
        """Requests waiting in the buildings this grid worker (or staff) looks after."""
        return await self._memberships.pending_in(await self._access.managed_buildings(actor))

    async def coverage(self, actor: User | None) -> list[BuildingCoverage]:
        """Per building of the actor's grid: registered households and those to visit."""
        return await self._memberships.coverage(await self._access.managed_buildings(actor))


def _by_label(choice: Choice) -> tuple[int, str]:
    return sort_key(choice.label)
