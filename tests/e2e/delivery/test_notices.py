"""Construction notices through the real Application: published by a grid worker, received
by residents at once, the evening before and an hour before; changed, cancelled, restarted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.models import Language
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.e2e.catalog import at_step, shown
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community, residents

ZH = Language.ZH
SHANGHAI = ZoneInfo("Asia/Shanghai")
IN_1 = (800101, 800102, 800103, 800104)
IN_2 = (800201, 800202)


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


async def publish(
    worker: UserClient, start: str = "11-24 09:00", end: str = "12:00", *, confirm: bool = True
) -> None:
    """A water outage in 幸福里小区 1号楼, through the 📣 menu (left at the preview unless
    `confirm`)."""
    await worker.send("/start")
    await worker.press(label("menu.notices"))
    await worker.click(label("notice.new_button"))
    await worker.click(label("notice.kind_water"))
    await worker.click(label("bc.kind_buildings"))
    await worker.click("幸福里小区 1号楼")
    await worker.click(label("bc.done", count=1))
    await worker.send(start)
    await worker.send(end)
    await worker.send("更换供水主管")
    await worker.send("东门有送水车")
    if confirm:
        await worker.click(label("bc.confirm"))


async def jobs(harness: BotHarness) -> list[tuple[str, str, str]]:
    rows = await harness.runtime.db.fetch_all("SELECT kind, due_at, status FROM job ORDER BY id")
    return [
        (
            row["kind"],
            datetime.fromisoformat(row["due_at"]).astimezone(SHANGHAI).strftime("%m-%d %H:%M"),
            row["status"],
        )
        for row in rows
    ]


async def at(harness: BotHarness, clock: ManualClock, moment: datetime) -> None:
    """Move the clock; let the scheduler and the sender catch up."""
    clock.set(moment)
    await harness.runtime.services.scheduler.tick()
    await harness.settle()


@pytest.mark.parametrize(
    ("start", "reminders", "jobs_set"),
    [
        (
            "13:00",
            ("notice.reminders_hour", {"hour": "11月22日（周日）中午12:00"}),
            ["notice.hour"],
        ),
        ("09:30", ("notice.reminders_none", {}), []),
    ],
    ids=["later-today", "in-half-an-hour"],
)
async def test_a_notice_starting_today_promises_only_the_reminders_that_will_come(
    harness: BotHarness,
    start: str,
    reminders: tuple[str, dict[str, str]],
    jobs_set: list[str],
) -> None:
    worker = harness.user("李网格员", user_id=GRID)  # the clock says 11-22 09:00
    await publish(worker, start=f"11-22 {start}", end="18:00", confirm=False)
    key, params = reminders
    preview = worker.last()
    assert preview.text.endswith(shown(ZH, key, **params))
    assert "前一天" not in preview.text
    await worker.click(label("bc.confirm"))
    assert preview.text.startswith(shown(ZH, "notice.created", id=1))  # the preview, edited
    assert preview.text.endswith(shown(ZH, key, **params))
    assert [kind for kind, _, _ in await jobs(harness)] == jobs_set


async def test_residents_are_told_at_once_the_evening_before_and_an_hour_before(
    harness: BotHarness, clock: ManualClock
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    one, two = residents(harness, IN_1), residents(harness, IN_2)
    await publish(worker)
    created = shown(ZH, "notice.created", id=1) + "\n"
    created += shown(
        ZH,
        "notice.reminders_both",
        evening="11月23日（周一）晚上8:00",
        hour="11月24日（周二）上午8:00",
    )
    assert any(m.text == created for m in worker.bot_messages)
    for resident in one:
        text = resident.last().text
        assert "停水通知 #1" in text
        assert "11月24日（周二）上午9:00–中午12:00" in text
        assert "东门有送水车" in text
    assert all(client.bot_messages == [] for client in two)
    vulnerable = next(m.text for m in worker.bot_messages if "重点户" in m.text)
    lines = vulnerable.splitlines()
    # Where, why the visit, who and how to phone them — registered in the bot or not.
    assert "• 幸福里小区 1号楼 1单元 102　老人　— 13900000001" in lines
    assert "• 幸福里小区 1号楼 1单元 201　老人　— 13900000002" in lines
    assert "1单元 101" not in vulnerable
    assert await jobs(harness) == [
        ("notice.evening", "11-23 20:00", "pending"),
        ("notice.hour", "11-24 08:00", "pending"),
    ]

    await at(harness, clock, local(23, 19, 59))
    assert [len(r.bot_messages) for r in one] == [1, 1, 1, 1]
    await at(harness, clock, local(23, 20, 0))
    assert all("明天💧 停水提醒" in r.last().text for r in one)
    await at(harness, clock, local(24, 8, 0))
    assert all("停水一小时后开始" in r.last().text for r in one)
    await at(harness, clock, local(24, 8, 30))
    assert [len(r.bot_messages) for r in one] == [3, 3, 3, 3]
    assert [status for _, _, status in await jobs(harness)] == ["fired", "fired"]

    # Residents see the notice from the menu while it lasts, and not after.
    await one[0].send(label("menu.notices"))
    assert "#1" in one[0].last().text
    await at(harness, clock, local(24, 12, 1))
    await one[0].send(label("menu.notices"))
    assert one[0].last().text == shown(ZH, "notice.none")


async def test_a_restart_keeps_reminders_fires_missed_useful_ones_drops_useless_ones(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    worker = first.user("李网格员", user_id=GRID)
    one = residents(first, IN_1)
    await publish(worker)
    await first.stop()

    clock.set(local(23, 21, 0))  # down over the 20:00 reminder; the outage is tomorrow
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await second.settle()
        assert all("提醒" in r.last().text for r in one)  # sent late: still useful
        assert [status for _, _, status in await jobs(second)] == ["fired", "pending"]
    finally:
        await second.stop()

    clock.set(local(24, 9, 30))  # down over the 08:00 reminder; the water is already off
    third = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await third.settle()
        assert [len(r.bot_messages) for r in one] == [2, 2, 2, 2]  # nothing late, nothing twice
        assert [status for _, _, status in await jobs(third)] == ["fired", "dropped"]
    finally:
        await third.stop()


async def test_a_change_of_time_and_a_cancellation_reach_everyone(
    harness: BotHarness, clock: ManualClock
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    one = residents(harness, IN_1)
    await publish(worker)
    await worker.press(label("menu.notices"))
    await worker.click(label("notice.change"))
    await worker.send("11-25 14:00")
    await worker.send("16:00")
    assert worker.last().text == shown(
        ZH, "notice.changed_ok", id=1, window="11月25日（周三）下午2:00–下午4:00"
    )
    for resident in one:
        text = resident.last().text
        assert "时间有变" in text
        assert "原时间：11月24日（周二）上午9:00–中午12:00" in text
        assert "新时间：11月25日（周三）下午2:00–下午4:00" in text
    assert await jobs(harness) == [
        ("notice.evening", "11-23 20:00", "cancelled"),
        ("notice.hour", "11-24 08:00", "cancelled"),
        ("notice.evening", "11-24 20:00", "pending"),
        ("notice.hour", "11-25 13:00", "pending"),
    ]

    await worker.press(label("menu.notices"))
    await worker.click(label("notice.cancel"))
    await worker.click(label("notice.yes_cancel"))
    assert any(m.text == shown(ZH, "notice.cancelled_ok", id=1) for m in worker.bot_messages)
    cancelled = (
        "✅ 💧 停水通知 #1 已取消（原定 11月25日（周三）下午2:00–下午4:00）。到时照常供水。"
    )
    assert all(r.last().text == cancelled for r in one), one[0].last().text
    assert [status for _, _, status in await jobs(harness)][2:] == ["cancelled", "cancelled"]
    await at(harness, clock, local(25, 13, 0))
    assert [len(r.bot_messages) for r in one] == [3, 3, 3, 3]  # new, changed, cancelled


async def test_residents_and_other_grid_workers_cannot_manage_a_notice(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await publish(worker)
    resident = harness.user("居民", user_id=800101)
    await resident.send("/notice")
    assert resident.last().text == shown(ZH, "error.not_allowed")
    for forged in ("v1:nt:chg:1", "v1:nt:cx:1", "v1:nt:cxok:1", "v1:nt:new"):
        await resident.click_data(forged)
        assert resident.last_answer.answer_text == label("error.not_allowed")
    other = harness.user("赵网格员", user_id=OTHER_GRID)
    await other.send("/start")
    await other.click_data("v1:nt:cxok:1")
    assert other.last_answer.answer_text == label("error.not_allowed")
    await other.click_data("v1:nt:cxok:999")
    assert other.last_answer.answer_text == label("error.not_found")
    status = await harness.runtime.db.fetch_value("SELECT status FROM notice WHERE id = 1")
    assert status == "active"


async def test_wrong_input_while_publishing_gets_a_polite_retry(harness: BotHarness) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/notice")
    await worker.send("停水")  # typing where a button is expected
    assert worker.last().text == shown(ZH, "reg.use_buttons")
    await worker.click(label("notice.kind_works"))
    await worker.click(label("bc.kind_units"))
    await worker.click("幸福里小区 2号楼 1单元")
    await worker.click(label("bc.done", count=1))
    await worker.send("昨天")
    assert worker.last().text == shown(ZH, "bc.bad_time")
    await worker.send("11-24 09:00")
    await worker.send("11-23 09:00")  # before the start
    assert worker.last().text == shown(ZH, "notice.bad_end")
    await worker.send_sticker()
    assert worker.last().text == shown(ZH, "notice.text_only")
    await worker.send("11-24 17:00")
    await worker.send_photo()
    assert worker.last().text == shown(ZH, "notice.text_only")
    await worker.send("说" * 1001)
    assert worker.last().text == shown(ZH, "error.too_long", limit=1000)
    worker.mark_read()
    await worker.click(label("notice.skip"))
    await worker.click(label("notice.skip"))
    assert (
        "11月24日（周二）上午9:00–下午5:00" in worker.texts()[-1]
    )  # the step message, now the preview
    await worker.click(label("reg.back"))  # back to the arrangements
    assert worker.texts() == [at_step(ZH, 6, 6, "notice.ask_arrangements")]
    await worker.click(label("reg.cancel"))
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM notice") == 0


async def notice_rows(harness: BotHarness) -> list[tuple[object, ...]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT id, kind, status, starts_at, ends_at, scope, details, arrangements FROM notice"
    )
    return [tuple(row) for row in rows]


async def session_of(harness: BotHarness) -> tuple[str, str, str] | None:
    """The worker's open dialog: its flow, step and draft."""
    row = await harness.runtime.db.fetch_one(
        "SELECT s.flow, s.step, s.draft FROM dialog_session s JOIN user u ON u.id = s.user_id"
        " WHERE u.channel = 'telegram' AND u.external_id = ?",
        (str(GRID),),
    )
    return None if row is None else (row["flow"], row["step"], row["draft"])


async def test_forged_and_stale_notice_presses_are_stale_and_change_nothing(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    one = residents(harness, IN_1)
    await publish(worker)
    before = (await notice_rows(harness), await jobs(harness), [len(r.bot_messages) for r in one])
    stale = label("error.stale_button")

    async def pressed_stale(data: str) -> None:  # on an old message: it loses its buttons
        query = await worker.click_data(data, message=worker.bot_messages[0])
        assert (query.answer_text, query.show_alert) == (stale, True), data

    # No flow open: the old handler's step buttons, the flow's buttons, malformed arguments.
    for data in (
        "v1:nt:kind:water",  # a step button the legacy handler sent
        "v1:nt:sk:buildings",
        "v1:nt:ok",
        "v1:nt:pick:preview:ok",  # Confirm of a preview already confirmed
        "v1:nt:pick:kind:water",
        f"v1:nt:tog:places:{community.buildings['1号楼']}",
        "v1:nt:bk",
        "v1:nt:x",
        "v1:nt:chg",  # no notice named
        "v1:nt:chg:one",
        "v1:nt:cx:-1",
        "v1:nt:cxok:1.0",
        "v1:nt:nonsense:1",
        "v1:nt:ed:preview",
    ):
        await pressed_stale(data)
    assert await session_of(harness) is None

    # A flow open at the start: presses of other steps, or not offered, are stale.
    await worker.send("/notice")
    await worker.click(label("notice.kind_power"))
    await pressed_stale("v1:nt:pick:scope:compounds")  # not offered: buildings or units only
    await worker.click(label("bc.kind_buildings"))
    await pressed_stale(f"v1:nt:tog:places:{community.buildings['3号楼']}")  # another grid
    await pressed_stale("v1:nt:tog:places:99999")
    await pressed_stale("v1:nt:page:places:x")
    await worker.click("幸福里小区 2号楼")
    await worker.click(label("bc.done", count=1))
    at_start = await session_of(harness)
    assert at_start is not None
    assert at_start[:2] == ("nt", "start")
    for data in (
        "v1:nt:pick:kind:water",  # the kind step's button, pressed again
        "v1:nt:done:places",
        "v1:nt:pick:preview:ok",  # a Confirm before there is a preview
        "v1:nt:pick:details:skip",
        "v1:nt:ed:kind",  # no review to edit from
        "v1:nt:ed:preview",
        "v1:bc:pick:kind:buildings",  # another flow's button
    ):
        await pressed_stale(data)
    assert await session_of(harness) == at_start
    await worker.send("11-25 09:00")  # the flow goes on from where it was
    assert worker.last().text == at_step(ZH, 4, 6, "notice.ask_end")

    after = (await notice_rows(harness), await jobs(harness), [len(r.bot_messages) for r in one])
    assert after == before


async def test_a_change_refused_asks_the_end_again_and_cancel_leaves_the_notice_as_it_is(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await publish(worker)
    await worker.press(label("menu.notices"))
    await worker.click(label("notice.change"))
    assert worker.last().text == at_step(ZH, 1, 2, "notice.ask_new_start", id=1)  # and the end
    assert worker.last().labels == [label("reg.cancel")]  # no Back when changing a time
    await worker.send("11-25 14:00")
    assert worker.last().text == at_step(ZH, 2, 2, "notice.ask_end")
    assert worker.last().labels == [label("reg.cancel")]
    # Meanwhile the notice is cancelled (from the list, still on screen).
    await worker.click(label("notice.cancel"))
    await worker.click(label("notice.yes_cancel"))
    await worker.send("16:00")
    assert worker.last().text == shown(ZH, "error.not_editable")
    step = await session_of(harness)
    assert step is not None
    assert step[:2] == ("nt", "end")
    await worker.send("/cancel")
    assert worker.last().text == shown(ZH, "notice.cancelled_draft")
    assert await session_of(harness) is None
    row = await harness.runtime.db.fetch_one("SELECT status, starts_at FROM notice")
    assert row is not None
    assert row["status"] == "cancelled"
    assert datetime.fromisoformat(row["starts_at"]) == local(24, 9)
