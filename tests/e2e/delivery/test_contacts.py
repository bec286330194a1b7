"""Who is responsible for my building (issue 20, point 3): 📞 联系我们 and 🏠 My home show the
building's grid worker (name, tappable phone, duty hours), the building lead, the property
repair line and the community office; an unregistered person sees the community's lines; an
urgent report shows the emergency numbers first; "contact your grid worker" names them; outside
the duty hours the card says when to expect an answer. Through the Application and the emulator
on the seeded community, at times the test sets."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import RedactPhones
from bot.app.config import Settings, settings_from_mapping
from bot.clock import ManualClock
from bot.domain.models import Language
from bot.i18n import plain
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.e2e.catalog import shown
from tests.e2e.delivery.community import GRID, Community, delivery_settings
from tests.e2e.text_channel import TextChannel

ZH, EN = Language.ZH, Language.EN
SHANGHAI = ZoneInfo("Asia/Shanghai")
A, A2 = 800101, 800102  # residents of 幸福里小区 1号楼 1单元 101 (grid 1, lead 李大爷)
FAR = 800301  # a resident of 光明新村 3号楼 (grid 2)
NEWCOMER = 800999  # nobody's household yet

WORKER_PHONE = "138 0471 0001"  # 王芳, grid worker of 幸福里小区 1号楼 and 2号楼
LEAD_PHONE = "139 0471 0002"
OFFICE, REPAIR, GAS, PROPERTY_EMERGENCY = "0471-6912345", "0471-6900000", "96777", "0471-6900119"


@pytest.fixture
def settings(database_path: Path) -> Settings:
    """The seeded community's settings with its contacts (the 红色网格公示图)."""
    data: dict[str, Any] = delivery_settings(str(database_path)).model_dump(
        mode="json", exclude_none=True
    )
    data["contacts"] = {
        "office_phone": OFFICE,
        "office_address": "幸福路 18 号一楼",
        "office_hours": "周一至周五 8:30–17:30",
        "property_company": "安居物业",
        "property_repair_line": REPAIR,
        "property_emergency_line": PROPERTY_EMERGENCY,
        "gas_emergency_line": GAS,
        "duty_hours": {"start": "08:30", "end": "17:30"},
    }
    data["grids"][0]["contacts"] = [{"telegram_id": GRID, "name": "王芳", "phone": WORKER_PHONE}]
    data["grids"][1]["contacts"] = [{"telegram_id": 700002, "name": "赵强"}]  # no phone
    data["building_leads"][0] |= {"name": "李大爷", "phone": LEAD_PHONE}
    return settings_from_mapping(data)


def local(hour: int, minute: int = 0) -> datetime:
    """Sunday 22 Nov 2026 (the seeded day) at hour:minute in Shanghai."""
    return datetime(2026, 11, 22, hour, minute, tzinfo=SHANGHAI)


def tel(phone: str) -> str:
    """The tappable link of a phone, as the bot sends it."""
    digits = "".join(c for c in phone if c.isdigit())
    return f'<a href="tel:{digits}">{phone}</a>'


def lines_of(language: Language) -> list[str]:
    """The community's lines, as configured, in the reader's language."""
    return [
        shown(language, "contacts.repair", company="安居物业", phone=REPAIR),
        shown(language, "contacts.office", phone=OFFICE),
        shown(language, "contacts.office_address", address="幸福路 18 号一楼"),
        shown(language, "contacts.office_hours", hours="周一至周五 8:30–17:30"),
    ]


async def contact_us(person: UserClient, language: Language = ZH) -> str:
    """Press 📞 and return the card's words (its HTML is checked for the tel: links)."""
    await person.press(plain(language, "menu.contact"))
    card = person.last()
    assert card.html is not None
    for phone in (OFFICE, REPAIR, GAS, PROPERTY_EMERGENCY, "119", "110", "120"):
        assert tel(phone) in card.html, phone
    return card.text


async def test_a_registered_resident_sees_who_looks_after_the_building(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")

    card = await contact_us(resident)
    assert card.startswith(shown(ZH, "contacts.title"))
    assert shown(ZH, "contacts.for_building", building="幸福里小区 1号楼") in card
    assert shown(ZH, "contacts.worker_phone", name="王芳", phone=WORKER_PHONE) in card
    assert shown(ZH, "contacts.duty", days="每天", start="上午8:30", end="下午5:30") in card
    assert shown(ZH, "contacts.lead_phone", name="李大爷", phone=LEAD_PHONE) in card
    assert shown(ZH, "contacts.on_duty") in card
    for line in lines_of(ZH):
        assert line in card
    html = resident.last().html or ""
    assert tel(WORKER_PHONE) in html
    assert tel(LEAD_PHONE) in html

    # /contact says the same; 🏠 My home shows the card under the households.
    await resident.send("/contact")
    assert resident.last().text == card
    await resident.press(plain(ZH, "menu.home"))
    home = resident.last().text
    assert home.startswith(shown(ZH, "home.title"))
    assert shown(ZH, "contacts.worker_phone", name="王芳", phone=WORKER_PHONE) in home
    assert shown(ZH, "contacts.lead_phone", name="李大爷", phone=LEAD_PHONE) in home
    assert shown(ZH, "contacts.repair", company="安居物业", phone=REPAIR) in home


async def test_in_english_and_for_the_other_grid(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    resident = harness.user("Resident", user_id=A2, language_code="en")
    await resident.send("/start")
    await resident.press(plain(ZH, "menu.language"))
    await resident.click("English")

    card = await contact_us(resident, EN)
    assert card.startswith(shown(EN, "contacts.title"))
    assert shown(EN, "contacts.worker_phone", name="王芳", phone=WORKER_PHONE) in card
    assert shown(EN, "contacts.duty", days="every day", start="8:30 am", end="5:30 pm") in card
    assert shown(EN, "contacts.lead_phone", name="李大爷", phone=LEAD_PHONE) in card
    for line in lines_of(EN):
        assert line in card

    # 光明新村 3号楼: its own grid worker (no phone configured), no building lead.
    far = harness.user("居民", user_id=FAR)
    await far.send("/start")
    card = await contact_us(far)
    assert shown(ZH, "contacts.worker", name="赵强") in card
    assert "王芳" not in card
    assert "李大爷" not in card


async def test_an_unregistered_person_sees_the_office_and_property_lines(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    newcomer = harness.user("新居民", user_id=NEWCOMER)
    await newcomer.send("/start")

    card = await contact_us(newcomer)
    assert shown(ZH, "contacts.unregistered") in card
    for line in lines_of(ZH):
        assert line in card
    assert shown(ZH, "contacts.gas", phone=GAS) in card
    assert "王芳" not in card
    assert WORKER_PHONE not in card
    assert "李大爷" not in card


async def test_off_duty_the_card_says_when_and_gives_the_emergency_numbers_first(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")

    clock.set(local(10))
    at_ten = await contact_us(resident)
    assert shown(ZH, "contacts.on_duty") in at_ten
    assert "🌙" not in at_ten

    clock.set(local(22))
    at_night = await contact_us(resident)
    off = shown(ZH, "contacts.off_duty", when="明天上午8:30")
    assert off in at_night
    assert shown(ZH, "contacts.on_duty") not in at_night
    # Right after "call the numbers below": the emergency numbers, before the office's lines.
    after = at_night[at_night.index(off) :]
    emergency = shown(ZH, "contacts.public", fire="119", police="110", ambulance="120")
    assert after.index(shown(ZH, "contacts.emergency_title")) < after.index(emergency)
    assert after.index(emergency) < after.index(shown(ZH, "contacts.office", phone=OFFICE))
    assert shown(ZH, "contacts.property_emergency", phone=PROPERTY_EMERGENCY) in after


async def test_an_urgent_report_shows_the_emergency_numbers_first(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.press(plain(ZH, "menu.report"))
    await resident.click(plain(ZH, "report.cat_hazard"))
    await resident.send("楼道里有很大的煤气味")
    await resident.click(plain(ZH, "report.photos_done", count=0))
    await resident.click(plain(ZH, "report.place_home", place="1号楼 1单元 101"))
    resident.mark_read()
    await resident.click(plain(ZH, "report.urgency_high_long"))

    emergency = resident.replies()[0]
    assert emergency.text.startswith(shown(ZH, "contacts.urgent_first"))
    assert (
        shown(ZH, "contacts.public", fire="119", police="110", ambulance="120") in emergency.text
    )
    assert shown(ZH, "contacts.gas", phone=GAS) in emergency.text
    assert shown(ZH, "contacts.property_emergency", phone=PROPERTY_EMERGENCY) in emergency.text
    for phone in ("119", "110", "120", GAS, PROPERTY_EMERGENCY):
        assert tel(phone) in (emergency.html or "")
    # Then the rest of the flow: the summary, with Submit.
    summary = resident.last()
    assert summary is not emergency
    assert "🔴" in summary.text
    await resident.click(plain(ZH, "report.submit"))
    assert "R-2026-0001" in resident.last().text

    # Not urgent: no emergency numbers.
    await resident.press(plain(ZH, "menu.report"))
    await resident.click(plain(ZH, "report.cat_lighting"))
    await resident.send("楼道灯坏了")
    await resident.click(plain(ZH, "report.photos_done", count=0))
    await resident.click(plain(ZH, "report.place_home", place="1号楼 1单元 101"))
    resident.mark_read()
    await resident.click(plain(ZH, "report.urgency_normal_long"))
    assert all("119" not in reply.text for reply in resident.replies())


async def test_contact_your_grid_worker_names_them_and_no_phone_is_logged(
    harness: BotHarness, community: Community, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RedactPhones())  # as `shangliang run` installs it
    worker = harness.user("Fang", user_id=GRID)
    await worker.send("/start")
    newcomer = harness.user("新居民", user_id=NEWCOMER)
    await newcomer.command("register")
    for place in ("幸福里小区", "1号楼", "1单元", "201"):
        await newcomer.click(place)
    await newcomer.press(plain(ZH, "reg.skip_phone"))
    newcomer.mark_read()

    await worker.click(plain(ZH, "reg.reject"))
    told = newcomer.last()
    assert told.text == shown(
        ZH,
        "reg.rejected_push_contact",
        place="幸福里小区 1号楼 1单元 201",
        worker="王芳",  # the configured name, not the Telegram one
        phone=WORKER_PHONE,
        dial="13804710001",
    )
    assert tel(WORKER_PHONE) in (told.html or "")
    assert "13804710001" not in caplog.text
    assert WORKER_PHONE not in caplog.text
    assert re.search(r"(?<!\d)0001(?!\d)", caplog.text) is None


async def test_a_unit_with_no_flats_names_the_grid_worker(
    harness: BotHarness, community: Community
) -> None:
    services = harness.runtime.services
    await services.community.add_unit(community.buildings["1号楼"], "3单元")  # no flats yet
    newcomer = harness.user("新居民", user_id=NEWCOMER)
    await newcomer.command("register")
    for place in ("幸福里小区", "1号楼", "3单元"):
        await newcomer.click(place)
    picker = newcomer.last()
    assert picker.text.endswith(
        shown(ZH, "reg.none_room_contact", worker="王芳", phone=WORKER_PHONE, dial="13804710001")
    )
    assert tel(WORKER_PHONE) in (picker.html or "")


async def test_the_text_channel_shows_the_same_card(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    channel = TextChannel(harness.runtime.services)
    person = channel.person("wx-contacts")
    [card] = await person.send(plain(ZH, "menu.contact"))  # the menu item's words
    assert shown(ZH, "contacts.unregistered") in card
    assert shown(ZH, "contacts.repair", company="安居物业", phone=REPAIR) in card
    assert "<a" not in card
