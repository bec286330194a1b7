"""`shangliang export tickets`: the XLSX and CSV an operator opens, row by row."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from bot.__main__ import main
from bot.app.runtime import runtime_for
from bot.clock import ManualClock
from bot.domain.models import ChannelUser
from bot.domain.reports import (
    PlaceKind,
    Rating,
    ReportCategory,
    ReportDraft,
    ReportPlace,
    TicketStatus,
    Urgency,
)
from tests.e2e.delivery.community import GRID, delivery_settings, seed

CONFIG = """
[storage]
database = "{database}"

[community]
name = "幸福里社区"

[[grids]]
name = "第一网格"
buildings = ["幸福里小区/1号楼", "幸福里小区/2号楼"]
workers = [{grid}]
"""


async def file_tickets(database: Path) -> None:
    """Three tickets: resolved in time and rated, rejected, and one still open."""
    settings = delivery_settings(str(database))
    clock = ManualClock(datetime(2026, 11, 22, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai
    await seed(settings, clock)
    async with runtime_for(settings, clock) as runtime:
        services = runtime.services
        users = services.users
        resident = await users.identify(ChannelUser(channel="telegram", external_id="800101"))
        other = await users.identify(ChannelUser(channel="telegram", external_id="800201"))
        worker = await users.identify(
            ChannelUser(channel="telegram", external_id=str(GRID), first_name="李网格员")
        )
        reports = services.reports
        drain = await reports.submit(
            resident,
            ReportDraft(
                category=ReportCategory.WATER,
                description="下水道堵了",
                place=ReportPlace(kind=PlaceKind.HOME),
                urgency=Urgency.NORMAL,
            ),
        )
        clock.advance(timedelta(hours=3))
        await reports.claim(worker, drain.id)
        await reports.change_status(worker, drain.id, TicketStatus.ACCEPTED, "")
        clock.advance(timedelta(hours=27))
        await reports.change_status(worker, drain.id, TicketStatus.RESOLVED, "已疏通")
        await reports.rate(resident, drain.id, Rating.VERY_SATISFIED)
        noise = await reports.submit(
            other,
            ReportDraft(
                category=ReportCategory.DISPUTE,
                description="楼上装修太吵",
                place=ReportPlace(kind=PlaceKind.OTHER, note="2号楼楼上"),
                urgency=Urgency.LOW,
            ),
        )
        await reports.change_status(worker, noise.id, TicketStatus.REJECTED, "转调解")
        clock.set(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
        await reports.submit(
            resident,
            ReportDraft(
                category=ReportCategory.LIGHTING,
                place=ReportPlace(kind=PlaceKind.BUILDING, spot="stairwell"),
                urgency=Urgency.HIGH,
            ),
        )


def test_export_writes_one_row_per_ticket_with_times_deadlines_and_rating(
    tmp_path: Path, capsys: object
) -> None:
    database = tmp_path / "bot.db"
    asyncio.run(file_tickets(database))
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(database=database, grid=GRID), encoding="utf-8")
    out = tmp_path / "exports" / "tickets"

    code = main(
        ["--config", str(config), "export", "tickets", "--from", "2026-11-22", "--to",
         "2026-11-23", "--out", str(out)]
    )  # fmt: skip
    assert code == 0

    with (out.with_suffix(".csv")).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["工单号"] for row in rows] == ["R-2026-0001", "R-2026-0002"]  # not the 24th's
    drain, noise = rows
    assert drain == drain | {
        "提交时间": "2026-11-22 09:00",
        "类别": "💧 给排水/下水道",
        "紧急程度": "一般",
        "状态": "已办结",
        "网格": "第一网格",
        "地点": "家中 幸福里小区 1号楼 1单元 101",
        "情况": "下水道堵了",
        "负责人": "李网格员",
        "受理截止": "2026-11-23 09:00",
        "受理时间": "2026-11-22 12:00",
        "受理用时(小时)": "3.0",
        "按时受理": "是",
        "解决截止": "2026-11-25 09:00",
        "解决时间": "2026-11-23 15:00",
        "解决用时(小时)": "30.0",
        "按时解决": "是",
        "评价": "😀 非常满意",
    }
    assert noise == noise | {
        "状态": "不予受理",
        "地点": "其他地点 幸福里小区: 2号楼楼上",
        "解决时间": "",
        "按时解决": "",
        "原因": "转调解",
        "评价": "",
    }
    assert "1390000" not in out.with_suffix(".csv").read_text(encoding="utf-8-sig")

    sheet = load_workbook(out.with_suffix(".xlsx")).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "工单号"
    assert [row[0] for row in values[1:]] == ["R-2026-0001", "R-2026-0002"]
    assert values[1][13] == 3.0  # hours to accept, a number the sheet can sum


def test_export_refuses_a_period_that_ends_before_it_starts(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(database=tmp_path / "bot.db", grid=GRID), encoding="utf-8")
    code = main(
        ["--config", str(config), "export", "tickets", "--from", "2026-11-23", "--to",
         "2026-11-22", "--out", str(tmp_path / "t")]
    )  # fmt: skip
    assert code == 2
    assert not (tmp_path / "t.csv").exists()
