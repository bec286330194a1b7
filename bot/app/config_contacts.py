"""The [contacts] section of config.toml and the directory of contacts it makes: the
community's lines, duty hours, and how grid workers and building leads are shown."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.domain.contacts import Directory, Lines, Person, valid_phone
from bot.domain.duty import EVERY_DAY, DutyHours

if TYPE_CHECKING:
    from bot.app.config import Settings


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def phone_field(value: str | None) -> str | None:
    return None if value is None or not value.strip() else valid_phone(value)


class DutySection(_Section):
    """When grid workers answer (community time): `start`-`end` on ISO `weekdays`
    (1 = Monday … 7 = Sunday). An end before the start runs past midnight; equal, all day."""

    start: time = time(8, 30)
    end: time = time(17, 30)
    weekdays: list[int] = Field(default_factory=lambda: sorted(EVERY_DAY))

    @field_validator("weekdays")
    @classmethod
    def _iso_days(cls, value: list[int]) -> list[int]:
        if not value or any(day not in EVERY_DAY for day in value):
            raise ValueError("weekdays are 1 (Monday) to 7 (Sunday), at least one")
        return value


class ContactsSection(_Section):
    """Who residents call: the community office, the property company, emergency lines, and
    the grid workers' duty hours (a grid may have its own, in [[grids]])."""

    office_phone: str | None = None
    office_address: str | None = Field(default=None, max_length=200)
    office_hours: str | None = Field(default=None, max_length=100)
    property_company: str | None = Field(default=None, max_length=100)
    property_repair_line: str | None = None
    property_emergency_line: str | None = None
    gas_emergency_line: str | None = None
    duty_hours: DutySection = DutySection()

    @field_validator(
        "office_phone", "property_repair_line", "property_emergency_line", "gas_emergency_line"
    )
    @classmethod
    def _phones(cls, value: str | None) -> str | None:
        return phone_field(value)


class PersonSection(_Section):
    """How a grid worker is shown to residents: a display name and a phone, both optional."""

    telegram_id: int = Field(gt=0)
    name: str | None = Field(default=None, min_length=1, max_length=30)
    phone: str | None = None

    @field_validator("phone")
    @classmethod
    def _phone_shape(cls, value: str | None) -> str | None:
        return phone_field(value)


def _hours(section: DutySection) -> DutyHours:
    return DutyHours(start=section.start, end=section.end, weekdays=frozenset(section.weekdays))


def contact_directory(settings: Settings, channel: str) -> Directory:
    """The contacts the configuration gives (ids in it are of `channel`)."""
    section = settings.contacts
    lines = Lines(
        office_phone=section.office_phone,
        office_address=section.office_address,
        office_hours=section.office_hours,
        property_company=section.property_company,
        repair_line=section.property_repair_line,
        property_emergency=section.property_emergency_line,
        gas_emergency=section.gas_emergency_line,
    )
    people: dict[tuple[str, str], Person] = {}
    phones: dict[tuple[str, str], str] = {}

    def given(telegram_id: int, name: str | None, phone: str | None) -> None:
        who = (channel, str(telegram_id))
        if name:
            people[who] = Person(name=name)
        if phone:
            phones[who] = phone

    leads: dict[str, tuple[tuple[str, str], ...]] = {}
    for lead in settings.building_leads:
        given(lead.telegram_id, lead.name, lead.phone)
        leads[lead.building] = (*leads.get(lead.building, ()), (channel, str(lead.telegram_id)))
    for grid in settings.grids:
        for person in grid.contacts:
            given(person.telegram_id, person.name, person.phone)
    return Directory(
        lines=lines,
        duty=_hours(section.duty_hours),
        grid_of_building={b: grid.name for grid in settings.grids for b in grid.buildings},
        grid_duty={g.name: _hours(g.duty_hours) for g in settings.grids if g.duty_hours},
        people=people,
        phones=phones,
        leads=leads,
    )
