"""A scripted walkthrough of `shangliang demo`, as README tells a newcomer to try it."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import main
from bot.app.config import Settings
from bot.app.demo import GRID_WORKER_ID, RESIDENT_ID, run_demo
from bot.clock import ManualClock
from storage.database import Database

WALKTHROUGH = """\
/help
/language
#2
/as grid
/start
5
/as nobody
hello
/quit
this line is never read
"""


async def test_scripted_walkthrough_switches_users_and_presses_buttons(
    settings: Settings, database_path: Path, caplog: pytest.LogCaptureFixture, clock: ManualClock
) -> None:
    out = io.StringIO()
    with caplog.at_level(logging.WARNING):
        await run_demo(settings, source=io.StringIO(WALKTHROUGH), out=out, clock=clock)
    transcript = out.getvalue()

    assert caplog.records == []  # the demo sets itself up without warnings

    assert "2 compounds, 60 households" in transcript
    assert "您好，王阿姨" in transcript
    assert "[#1] 简体中文  [#2] English" in transcript
    assert "✅ Language set to English." in transcript  # button 2 pressed, picker edited
    assert (
        "menu: 📝 Report a problem | 📋 My reports | 🏠 My home | 📣 Outage notices" in transcript
    )
    assert "now talking as grid (李网格员)" in transcript
    assert "您好，李网格员" in transcript  # the grid worker still speaks Chinese
    assert "no button 5" not in transcript  # no numbered buttons in the grid chat: "5" is text
    assert "/as takes one of: resident, grid, staff" in transcript
    assert "this line is never read" not in transcript
    assert "error(s)" not in transcript

    db = await Database.open(database_path)
    try:
        households = await db.fetch_value("SELECT count(*) FROM household")
        roles = {
            row["external_id"]: (row["role"], row["language"])
            for row in await db.fetch_all("SELECT external_id, role, language FROM user")
        }
    finally:
        await db.close()
    assert households == 60
    assert roles[str(RESIDENT_ID)] == ("resident", "en")
    assert roles[str(GRID_WORKER_ID)] == ("grid_worker", None)


def test_demo_command_runs_from_piped_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no config.toml here: the demo needs none
    monkeypatch.setattr("sys.stdin", io.StringIO("/help\n"))
    database = tmp_path / "demo" / "demo.db"

    assert main(["demo", "--database", str(database)]) == 0

    printed = capsys.readouterr().out
    assert "> /help" in printed
    assert "怎么用商量" in printed
    assert database.exists()


STAFF_WALKTHROUGH = """\
/notifications
#1
/as staff
/start
🗳 点单和表决
#1
楼道改造点单
#1
#2
#3
楼道声控灯 | 12000
单元门禁 | 60000
#1
#1
#1
#2
700000
#2
#1
#1
/quit
"""


async def test_a_typed_number_is_words_and_pop_ups_are_shown(
    settings: Settings, clock: ManualClock
) -> None:
    out = io.StringIO()
    await run_demo(settings, source=io.StringIO(STAFF_WALKTHROUGH), out=out, clock=clock)
    transcript = out.getvalue()

    assert "王阿姨 lives in 幸福里小区 1号楼 2单元 302" in transcript
    assert "💬 已关闭这类消息" in transcript  # the pop-up over the chat after pressing 🔔
    assert "no button" not in transcript
    assert "预算 ¥700,000" in transcript  # 700000 typed as the budget, not a button press
    assert "点单 #1“楼道改造点单”已发布" in transcript
    assert "error(s)" not in transcript


@pytest.mark.parametrize("hour", [10, 23], ids=["day", "night"])
async def test_a_request_for_a_compound_without_a_grid_reaches_staff_without_warnings(
    settings: Settings, caplog: pytest.LogCaptureFixture, hour: int
) -> None:
    clock = ManualClock(datetime(2026, 11, 22, hour, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    script = "🏠 我的家\n#1\n#1\n#1\n#1\n#1\n跳过，不分享\n/as staff\n/quit\n"
    out = io.StringIO()
    with caplog.at_level(logging.WARNING):
        await run_demo(settings, source=io.StringIO(script), out=out, clock=clock)
    transcript = out.getvalue()
    assert "您选择了：光明新村 5号楼 1单元 101" in transcript  # 光明新村 has no grid worker
    assert "王阿姨 申请登记为 光明新村 5号楼 1单元 101 的住户" in transcript  # staff decide
    assert caplog.records == []
