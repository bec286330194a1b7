"""📞 Contact us (and the card under 🏠 My home): who looks after the resident's building (grid
worker with duty hours, building lead), the property company's repair line, the community
office, and the emergency numbers; outside the grid worker's duty hours, when to expect an
answer. Phones are `tel:` links."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.dialogs.engine import Ctx
from bot.domain.contacts import PUBLIC_EMERGENCY, BuildingContacts, Lines, Person, dial
from bot.domain.duty import EVERY_DAY, DutyHours, next_on_duty, on_duty
from bot.domain.wording import hour_words, time_words
from bot.interaction.payload import Feature, payload
from bot.interaction.screen import Keyboard, Option, Reply, Text, option, reply, screen, text


def tel(phone: str) -> Text:
    """A phone number as a tappable `tel:` link."""
    return text("contacts.tel", dial=dial(phone), phone=phone)


def _person(kind: str, person: Person) -> Text:
    if person.phone is None:
        return text(f"contacts.{kind}", name=person.name)
    return text(f"contacts.{kind}_phone", name=person.name, phone=tel(person.phone))


def clock(at: time) -> str:
    """上午8:30, 下午5:05 / 8:30 am, 5:05 pm (bot.domain.wording)."""
    return hour_words(at)


def days_text(weekdays: frozenset[int]) -> Text:
    """每天 / 周一至周五 / 周一、周三 (runs of days as ranges)."""
    if weekdays == EVERY_DAY:
        return text("contacts.every_day")
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[Text] = []
    for run in runs:
        if len(run) > 2:
            first, last = text(f"contacts.day_{run[0]}"), text(f"contacts.day_{run[-1]}")
            parts.append(text("contacts.day_range", first=first, last=last))
        else:
            parts += [text(f"contacts.day_{day}") for day in run]
    joined = parts[0]
    for part in parts[1:]:
        joined = text("contacts.days_and", first=joined, second=part)
    return joined


def duty_text(hours: DutyHours) -> Text:
    """🕘 值班时间：周一至周五 8:30–17:30."""
    return text(
        "contacts.duty",
        days=days_text(hours.weekdays),
        start=clock(hours.start),
        end=clock(hours.end),
    )


def when_text(at: datetime, now: datetime) -> str:
    """A local time soon after `now` (local), as every date reads: 今天 / 明天 / the day, and
    the time ("明天上午8:30")."""
    zone = at.tzinfo
    name = zone.key if isinstance(zone, ZoneInfo) else "UTC"
    return time_words(at, name, today=now.date())


def emergency_texts(lines: Lines, title: str = "contacts.emergency_title") -> list[Text]:
    """119 / 110 / 120, then the gas and property emergency lines when configured."""
    numbers = {name: tel(number) for name, number in PUBLIC_EMERGENCY}
    texts = [text(title), text("contacts.public", **numbers)]
    if lines.gas_emergency:
        texts.append(text("contacts.gas", phone=tel(lines.gas_emergency)))
    if lines.property_emergency:
        texts.append(text("contacts.property_emergency", phone=tel(lines.property_emergency)))
    return texts


def community_texts(lines: Lines) -> list[Text]:
    """The property company's repair line and the community office, as configured."""
    texts: list[Text] = []
    if lines.repair_line:
        phone = tel(lines.repair_line)
        if lines.property_company:
            texts.append(text("contacts.repair", company=lines.property_company, phone=phone))
        else:
            texts.append(text("contacts.repair_plain", phone=phone))
    if lines.office_phone:
        texts.append(text("contacts.office", phone=tel(lines.office_phone)))
    if lines.office_address:
        texts.append(text("contacts.office_address", address=lines.office_address))
    if lines.office_hours:
        texts.append(text("contacts.office_hours", hours=lines.office_hours))
    return [text("contacts.community"), *texts] if texts else []


def building_texts(contacts: BuildingContacts, now: datetime, timezone: str) -> list[Text]:
    """The building's grid worker(s) with duty hours, its lead(s); off duty: when to expect
    an answer."""
    building = contacts.building.replace("/", " ")
    texts = [text("contacts.for_building", building=building)]
    if contacts.workers:
        texts += [_person("worker", worker) for worker in contacts.workers]
        texts.append(duty_text(contacts.duty))
    else:
        texts.append(text("contacts.no_worker"))
    texts += [_person("lead", lead) for lead in contacts.leads]
    if contacts.workers:
        texts.append(duty_now(contacts.duty, now, timezone))
    return texts


def duty_now(hours: DutyHours, now: datetime, timezone: str) -> Text:
    """🟢 on duty now, or 🌙 off duty: answered after <when>."""
    if on_duty(hours, now, timezone):
        return text("contacts.on_duty")
    local_now = now.astimezone(ZoneInfo(timezone))
    return text("contacts.off_duty", when=when_text(next_on_duty(hours, now, timezone), local_now))


def card(
    contacts: BuildingContacts | None, lines: Lines, now: datetime, timezone: str
) -> list[Text]:
    """The whole card: the building's people, the community's lines, the emergency numbers
    (first when the grid worker is off duty)."""
    off_duty = (
        contacts is not None
        and bool(contacts.workers)
        and not on_duty(contacts.duty, now, timezone)
    )
    people = (
        building_texts(contacts, now, timezone)
        if contacts is not None
        else [text("contacts.unregistered")]
    )
    paragraphs = [people, community_texts(lines), emergency_texts(lines)]
    if off_duty:  # right after "off duty: call the numbers below"
        paragraphs = [people, emergency_texts(lines), community_texts(lines)]
    texts: list[Text] = []
    for paragraph in paragraphs:
        if paragraph:
            first, *rest = paragraph
            texts += [text("dialog.paragraph", words=first) if texts else first, *rest]
    return texts


async def home_card(ctx: Ctx) -> list[Text]:
    """The card under 🏠 My home: only for a registered resident (the register offer says the
    rest)."""
    service = ctx.services.contacts
    contacts = await service.for_user(ctx.user)
    return [] if contacts is None else card(contacts, service.lines, ctx.now, service.timezone)


async def show(ctx: Ctx) -> Reply:
    """📞 联系我们 or /contact; a resident of a building with a grid worker may also write to
    them or read what they wrote (bot.features.thread)."""
    service = ctx.services.contacts
    contacts = await service.for_user(ctx.user)
    texts = card(contacts, service.lines, ctx.now, service.timezone)
    options: tuple[tuple[Option, ...], ...] = ()
    if contacts is not None and contacts.workers:
        options = (
            (option(payload(Feature.THREAD, "w"), "thread.write"),),
            (option(payload(Feature.THREAD, "m"), "thread.mine"),),
        )
    return reply(
        screen(
            text("contacts.title"),
            *texts,
            options=options,
            keyboard=Keyboard.MAIN_MENU,
            replace=False,
        )
    )
