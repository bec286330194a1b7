"""Who looks after a building and the numbers to call (the "红色网格公示图"), pure.

The configuration gives the community's lines (office, property company, emergencies), the
duty hours (a default and per grid), and optional display names and phones of grid workers
and building leads; the database gives which grid workers and leads a building has. Phones
shown here are only those written in the configuration: a number a resident shared when
registering is for community staff only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import Field

from bot.domain.duty import DutyHours
from bot.domain.models import Frozen

# Fire, police, ambulance: the same everywhere in mainland China.
PUBLIC_EMERGENCY = (("fire", "119"), ("police", "110"), ("ambulance", "120"))

_PHONE = re.compile(r"^\+?[0-9][0-9 \-()（）]{1,30}$")


def valid_phone(raw: str) -> str:
    """A phone as it is shown (trimmed); ValueError unless it is digits, spaces, dashes,
    brackets and an optional leading +, with at least 3 digits."""
    shown = raw.strip()
    if not _PHONE.match(shown) or sum(c.isdigit() for c in shown) < 3:
        raise ValueError(f"{raw!r} is not a phone number (digits, spaces, -, an optional +)")
    return shown


def dial(phone: str) -> str:
    """What a `tel:` link dials: the digits, with the leading + if there is one."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"+{digits}" if phone.strip().startswith("+") else digits


class Person(Frozen):
    """Someone to reach: a display name, and a phone when the configuration gives one."""

    name: str
    phone: str | None = Field(default=None, repr=False)


class Lines(Frozen):
    """The community's numbers and office, each optional."""

    office_phone: str | None = Field(default=None, repr=False)
    office_address: str | None = None
    office_hours: str | None = None
    property_company: str | None = None
    repair_line: str | None = Field(default=None, repr=False)
    property_emergency: str | None = Field(default=None, repr=False)
    gas_emergency: str | None = Field(default=None, repr=False)


class Directory(Frozen):
    """What the configuration says about contacts.

    Workers and leads are keyed by (channel, external id); a building by "<compound>/<building>".
    """

    lines: Lines = Lines()
    duty: DutyHours = DutyHours()
    grid_of_building: Mapping[str, str] = Field(default_factory=dict)
    grid_duty: Mapping[str, DutyHours] = Field(default_factory=dict)
    people: Mapping[tuple[str, str], Person] = Field(default_factory=dict)  # names given
    phones: Mapping[tuple[str, str], str] = Field(default_factory=dict, repr=False)
    leads: Mapping[str, tuple[tuple[str, str], ...]] = Field(default_factory=dict)

    def duty_of(self, building: str | None) -> DutyHours:
        """The duty hours of the building's grid (the default when it has none of its own)."""
        grid = self.grid_of_building.get(building or "")
        return self.grid_duty.get(grid or "", self.duty)

    def person(self, who: tuple[str, str], fallback_name: str | None) -> Person | None:
        """A worker or lead as shown: the configured name, else their own name; the
        configured phone. None when there is no name at all."""
        given = self.people.get(who)
        name = given.name if given else fallback_name
        if not name:
            return None
        return Person(name=name, phone=self.phones.get(who))


class BuildingContacts(Frozen):
    """Who looks after one building, and the community's lines."""

    building: str  # "<compound>/<building>"
    workers: tuple[Person, ...] = ()
    leads: tuple[Person, ...] = ()
    duty: DutyHours = DutyHours()

    @property
    def worker(self) -> Person | None:
        """The grid worker to name in "contact your grid worker" (the first)."""
        return self.workers[0] if self.workers else None


def with_contact(key: str, person: Person | None) -> tuple[str, dict[str, str]]:
    """A message that says "contact your grid worker", carrying the contact when known:
    `key` as it is (nobody known), `key_named` (a name, no phone: {worker}) or
    `key_contact` (name and phone: {worker}, {phone}, {dial} for the tel: link)."""
    if person is None:
        return key, {}
    if person.phone is None:
        return f"{key}_named", {"worker": person.name}
    return f"{key}_contact", {
        "worker": person.name,
        "phone": person.phone,
        "dial": dial(person.phone),
    }
