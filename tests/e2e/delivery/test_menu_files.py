"""`shangliang menu create FILE`: a menu from TOML or XLSX, and files it refuses."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from bot.__main__ import main
from bot.app.runtime import runtime_for
from bot.clock import ManualClock
from bot.documents.menu_files import MenuFileError, read_menu_file
from storage.database import Database
from tests.conftest import STAFF_ID
from tests.e2e.delivery.community import delivery_settings, seed

CONFIG = """
[storage]
database = "{database}"

[community]
name = "幸福里社区"

[roles]
staff = [{staff}]
"""
EXAMPLE = Path(__file__).parents[3] / "examples" / "menu.toml"
START = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def local(moment: datetime) -> str:
    """A time as a menu file writes it: community time, to the minute."""
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def setup(tmp_path: Path, clock: ManualClock | None = None) -> tuple[Path, Path]:
    database = tmp_path / "bot.db"
    asyncio.run(seed(delivery_settings(str(database)), clock or ManualClock(START)))
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(database=database, staff=STAFF_ID), encoding="utf-8")
    return database, config


async def menus(database: Path) -> list[tuple[str, int, str, int, list[str]]]:
    db = await Database.open(database)
    try:
        rows = await db.fetch_all("SELECT id, title, max_picks, rule, budget FROM menu")
        result = []
        for row in rows:
            items = await db.fetch_all(
                "SELECT title FROM menu_item WHERE menu_id = ? ORDER BY position", (row["id"],)
            )
            result.append(
                (row["title"], row["max_picks"], row["rule"], row["budget"],
                 [item["title"] for item in items])
            )  # fmt: skip
        return result
    finally:
        await db.close()


@pytest.mark.parametrize(
    "today",
    [START, datetime(2031, 2, 28, 16, 5, tzinfo=UTC), datetime(2029, 12, 31, 15, 59, tzinfo=UTC)],
    ids=["now", "years-later", "last-minute-of-a-year"],
)
def test_the_example_toml_becomes_a_menu_that_opens_at_once_whatever_the_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today: datetime
) -> None:
    clock = ManualClock(today)
    database, config = setup(tmp_path, clock)
    menu = tmp_path / "menu.toml"
    shutil.copy(EXAMPLE, menu)

    assert main(["--config", str(config), "menu", "create", str(menu)], clock=clock) == 0

    assert "menu #1 '幸福里小区改造点单': 5 items" in capsys.readouterr().out
    [(title, k, rule, budget, items)] = asyncio.run(menus(database))
    assert (title, k, rule, budget) == ("幸福里小区改造点单", 3, "mes", 300000)
    assert items[0] == "楼道声控灯"

    async def window() -> tuple[int, str, str]:
        settings = delivery_settings(str(database))
        async with runtime_for(settings, clock) as runtime:
            fired = await runtime.db.fetch_value(
                "SELECT count(*) FROM job WHERE kind = 'vote.menu_open' AND status = 'fired'"
            )
            row = await runtime.db.fetch_one("SELECT opens_at, closes_at FROM menu")
            assert row is not None
            return fired, row["opens_at"], row["closes_at"]

    fired, opens_at, closes_at = asyncio.run(window())
    assert fired == 1
    assert datetime.fromisoformat(opens_at) == today
    assert datetime.fromisoformat(closes_at) == today + timedelta(days=14)


def test_an_xlsx_menu_for_two_buildings(tmp_path: Path) -> None:
    database, config = setup(tmp_path)
    book = Workbook()
    sheet = book.active
    sheet.title = "menu"
    for row in (
        ("title", "1、2号楼点单"),
        ("buildings", "幸福里小区/1号楼、幸福里小区/2号楼"),
        ("opens", local(START + timedelta(days=3))),
        ("closes", local(START + timedelta(days=9, hours=11))),
        ("max_picks", 2),
    ):
        sheet.append(row)
    items = book.create_sheet("items")
    items.append(("标题", "费用", "说明"))
    items.append(("加装扶手", 18000, "楼梯两侧"))
    items.append(("楼道粉刷", 25000, None))
    path = tmp_path / "menu.xlsx"
    book.save(path)

    assert (
        main(["--config", str(config), "menu", "create", str(path)], clock=ManualClock(START)) == 0
    )

    [(title, k, rule, budget, titles)] = asyncio.run(menus(database))
    assert (title, k, rule, budget, titles) == (
        "1、2号楼点单", 2, "greedy", None, ["加装扶手", "楼道粉刷"]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('title = "x"\ncompounds = ["幸福里小区"]\n', "closes: missing"),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\ncloses = "2026-11-21 20:00"\n',
            "closes 2026-11-21 20:00, which is already past",
        ),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\nopens = "2026-11-30 08:00"\n'
            'closes = "2026-11-29 20:00"\n',
            "closes 2026-11-29 20:00, which is not after it opens (2026-11-30 08:00)",
        ),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\nopens = "2026-11-01 08:00"\n'
            'duration = "7 days"\n',
            "closes 2026-11-08 08:00, which is already past",
        ),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\nduration = "two weeks"\n',
            "is not a duration like",
        ),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\nduration = "3天"\n'
            'closes = "2026-12-01 20:00"\n',
            "name closes or duration, not both",
        ),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\ncloses = "2026-12-01 20:00"\n'
            '[[items]]\ntitle = "a"\ncost = 0\n[[items]]\ntitle = "b"\ncost = 5\n',
            "item 1: bad cost",
        ),
        (
            'title = "x"\ncompounds = ["幸福里小区"]\nbuildings = ["幸福里小区/1号楼"]\n'
            'closes = "2026-12-01 20:00"\n',
            "name exactly one of compounds, buildings or units",
        ),
        ('title = "x"\ncompounds = ["a"]\ncloses = "tomorrow"\n', "is not a time"),
        ("title = = 1\n", "not valid TOML"),
        ('title = "x"\ncolour = "red"\n', "unknown keys: colour"),
    ],
)
def test_a_bad_file_says_where_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    database, config = setup(tmp_path)
    path = tmp_path / "menu.toml"
    path.write_text(content, encoding="utf-8")

    assert (
        main(["--config", str(config), "menu", "create", str(path)], clock=ManualClock(START)) == 1
    )

    assert problem in capsys.readouterr().err
    assert asyncio.run(menus(database)) == []


def test_places_not_in_the_roster_and_rules_that_do_not_hold_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, config = setup(tmp_path)
    text = EXAMPLE.read_text(encoding="utf-8")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(text.replace('["幸福里小区"]', '["不存在小区"]'), encoding="utf-8")
    too_many = tmp_path / "k.toml"
    too_many.write_text(text.replace("max_picks = 3", "max_picks = 9"), encoding="utf-8")

    clock = ManualClock(START)
    assert main(["--config", str(config), "menu", "create", str(unknown)], clock=clock) == 1
    assert "places not in the roster: 不存在小区" in capsys.readouterr().err
    assert main(["--config", str(config), "menu", "create", str(too_many)], clock=clock) == 1
    assert "k is at most the number of items" in capsys.readouterr().err
    assert asyncio.run(menus(database)) == []


def test_unreadable_files(tmp_path: Path) -> None:
    broken = tmp_path / "menu.xlsx"
    broken.write_bytes(b"not a zip")
    csv_file = tmp_path / "menu.csv"
    csv_file.write_text("title,cost\n", encoding="utf-8")
    with pytest.raises(MenuFileError, match="not a readable XLSX"):
        read_menu_file(broken, "Asia/Shanghai", START)
    with pytest.raises(MenuFileError, match="unsupported file type"):
        read_menu_file(csv_file, "Asia/Shanghai", START)
    with pytest.raises(MenuFileError, match="file not found"):
        read_menu_file(tmp_path / "missing.toml", "Asia/Shanghai", START)
