"""The [contacts] section, the contact keys of [[grids]] and [[building_leads]], and the
directory of contacts the configuration makes."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.app.config import ConfigError, load_settings
from bot.app.config_contacts import contact_directory
from bot.domain.contacts import Person
from bot.domain.duty import EVERY_DAY, WORKDAYS, DutyHours

HOHHOT = """
[community]
timezone = "Asia/Shanghai"

[contacts]
office_phone = "0471-6912345"
office_address = "西茶坊社区居委会"
office_hours = "周一至周五 8:30–17:30"
property_company = "安居物业"
property_repair_line = "0471-6900000"
property_emergency_line = "0471-6900119"
gas_emergency_line = "96777"
duty_hours = { start = "08:30", end = "17:30", weekdays = [1, 2, 3, 4, 5] }

[[grids]]
name = "第一网格"
buildings = ["吉利小区/1号楼"]
workers = [700001, 700003]
contacts = [{ telegram_id = 700001, name = "王芳", phone = "138 0471 0001" }]

[[grids]]
name = "第二网格"
buildings = ["吉利小区/2号楼"]
workers = [700002]
duty_hours = { start = "09:00", end = "21:00" }

[[building_leads]]
building = "吉利小区/1号楼"
telegram_id = 800104
name = "李大爷"
"""


def test_the_contacts_make_a_directory(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HOHHOT, encoding="utf-8")
    settings = load_settings(path)
    directory = contact_directory(settings, "telegram")

    lines = directory.lines
    assert (lines.office_phone, lines.repair_line, lines.gas_emergency) == (
        "0471-6912345",
        "0471-6900000",
        "96777",
    )
    assert (lines.property_company, lines.property_emergency) == ("安居物业", "0471-6900119")
    assert directory.duty == DutyHours(start=time(8, 30), end=time(17, 30), weekdays=WORKDAYS)
    assert directory.duty_of("吉利小区/1号楼") == directory.duty
    assert directory.duty_of("吉利小区/2号楼") == DutyHours(
        start=time(9, 0), end=time(21, 0), weekdays=EVERY_DAY
    )
    assert directory.person(("telegram", "700001"), "tg name") == Person(
        name="王芳", phone="138 0471 0001"
    )
    assert directory.person(("telegram", "700003"), "赵网格员") == Person(name="赵网格员")
    assert directory.leads == {"吉利小区/1号楼": (("telegram", "800104"),)}
    assert directory.person(("telegram", "800104"), None) == Person(name="李大爷")


def test_nothing_configured_shows_nothing_but_default_hours(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    directory = contact_directory(load_settings(path), "telegram")
    assert directory.lines.office_phone is None
    assert directory.lines.repair_line is None
    assert directory.duty == DutyHours()
    assert directory.people == {}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[contacts]\noffice_phone = "call the office"\n', "contacts.office_phone"),
        ("[contacts]\nduty_hours = { weekdays = [0, 1] }\n", "contacts.duty_hours.weekdays"),
        ("[contacts]\nduty_hours = { weekdays = [] }\n", "contacts.duty_hours.weekdays"),
        ('[contacts]\nduty_hours = { start = "25:00" }\n', "contacts.duty_hours.start"),
        ('[contacts]\nhotline = "12345"\n', "contacts.hotline"),
        (
            '[[grids]]\nname = "一"\ncontacts = [{ telegram_id = 1, phone = "x" }]\n',
            "grids.0.contacts.0.phone",
        ),
        (
            '[[building_leads]]\nbuilding = "a/b"\ntelegram_id = 1\nphone = "12"\n',
            "building_leads.0.phone",
        ),
    ],
)
def test_wrong_contacts_name_the_key(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert any(f": {where}: " in line for line in raised.value.lines), raised.value.lines
