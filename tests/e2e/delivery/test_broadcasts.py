"""Broadcasts through the real Application: grid workers and staff compose, residents receive.

The community (tests/e2e/delivery/community.py): 幸福里小区 1号楼 and 2号楼 in 第一网格
(grid worker GRID), 光明新村 3号楼 and 4号楼 in 第二网格; some households vulnerable, some
unregistered.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.models import ChannelUser, Language
from bot.domain.scope import Scope, ScopeKind
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import at_step, shown
from tests.e2e.delivery.community import GRID, LEAD, OTHER_GRID, Community, residents

ZH = Language.ZH
SHANGHAI = ZoneInfo("Asia/Shanghai")
IN_1 = (800101, 800102, 800103, 800104)  # registered in 1号楼
IN_2 = (800201, 800202)  # registered in 2号楼


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


async def to_everyone_in(worker: UserClient, kind: str, place: str) -> None:
    """Pick one place of a kind, all its households, not urgent (after the text)."""
    await worker.click(label(f"bc.kind_{kind}"))
    await worker.click(place)
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))


async def compose(worker: UserClient, text: str = "明天上午9点至12点停水，请提前储水。") -> None:
    """Open 📢 and send the text."""
    await worker.send("/start")
    await worker.press(label("menu.broadcast"))
    await worker.send(text)


async def broadcast_rows(harness: BotHarness) -> list[dict[str, object]]:
    rows = await harness.runtime.db.fetch_all("SELECT id, status, urgent FROM broadcast")
    return [dict(row) for row in rows]


async def test_grid_worker_broadcasts_to_a_building_and_gets_progress_and_report(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    one, two = residents(harness, IN_1), residents(harness, IN_2)
    await compose(worker)
    assert worker.last().text == at_step(ZH, 2, 4, "bc.ask_kind")
    # A grid worker is offered their grid, buildings and units, nothing wider.
    assert [b.text for b in worker.last().buttons][:3] == [
        label("bc.kind_grids"),
        label("bc.kind_buildings"),
        label("bc.kind_units"),
    ]
    await worker.click(label("bc.kind_buildings"))
    assert [b.text for b in worker.last().buttons][:2] == ["幸福里小区 1号楼", "幸福里小区 2号楼"]
    await worker.click("幸福里小区 1号楼")
    assert worker.last().buttons[0].text == "✅ 幸福里小区 1号楼"
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))
    await worker.click(label("bc.now"))

    preview = worker.last().text
    assert "明天上午9点至12点停水" in preview
    assert "4 户中已登记的 3 户，共 4 人；未登记 1 户" in preview
    await worker.click(label("bc.confirm"))

    for resident in one:
        assert "明天上午9点至12点停水" in resident.last().text
        assert resident.last().text.startswith("📢 社区通知")
    assert all(resident.bot_messages == [] for resident in two)
    texts = [message.text for message in worker.bot_messages]
    assert shown(ZH, "bc.started", id=1) in texts
    assert shown(ZH, "bc.progress", id=1, sent="4", total="4") in texts  # edited to the end
    report = worker.last().text
    assert "已送达 4 / 4 人，范围内共 4 户" in report
    assert "幸福里小区 1号楼 1单元 201" in report  # nobody registered there: visit it
    assert await broadcast_rows(harness) == [{"id": 1, "status": "done", "urgent": 0}]
    assert (
        await harness.runtime.db.fetch_value(
            "SELECT count(*) FROM outbox WHERE broadcast_id = 1 AND status = 'sent'"
        )
        == 4
    )


async def test_staff_sends_an_urgent_photo_to_vulnerable_households_at_night(
    harness: BotHarness, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 22, 23, 30, tzinfo=SHANGHAI))
    staff = harness.user("社区", user_id=STAFF_ID)
    everyone = residents(harness, (*IN_1, *IN_2, 800301))
    await staff.send("/start")
    await staff.press(label("menu.broadcast"))
    await staff.send_photo(caption="寒潮预警：今晚气温骤降，请注意保暖。")
    await staff.click(label("bc.kind_community"))
    await staff.click(label("bc.vulnerable_only"))
    await staff.click(label("bc.urgent"))
    await staff.click(label("bc.now"))
    assert "共 2 人" in staff.last().text
    assert shown(ZH, "bc.with_photo") in staff.last().text
    await staff.click(label("bc.confirm"))

    got = {client.user_id: client.bot_messages for client in everyone}
    assert {uid for uid, messages in got.items() if messages} == {800103, 800202}
    photo = got[800103][-1]
    assert photo.kind == "photo"
    assert "寒潮预警" in photo.text


async def test_a_non_urgent_broadcast_at_night_waits_for_the_morning(
    harness: BotHarness, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 22, 22, 30, tzinfo=SHANGHAI))
    worker = harness.user("李网格员", user_id=GRID)
    resident = residents(harness, (*IN_1, *IN_2))[-2]
    await compose(worker, "周六上午大扫除")
    await worker.click(label("bc.kind_grids"))
    await worker.click("第一网格")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))
    await worker.click(label("bc.now"))
    await worker.click(label("bc.confirm"))
    assert resident.bot_messages == []
    assert shown(ZH, "bc.progress", id=1, sent="0", total="6") in worker.texts()

    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=SHANGHAI))
    await harness.settle()
    assert "周六上午大扫除" in resident.last().text
    assert "已送达 6 / 6 人" in worker.last().text


async def test_a_normal_broadcast_confirmed_in_quiet_hours_says_it_waits_until_morning(
    harness: BotHarness, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 22, 23, 30, tzinfo=SHANGHAI))
    worker = harness.user("李网格员", user_id=GRID)
    got = residents(harness, IN_2)
    await compose(worker, "明天上午清理楼道杂物")
    await to_everyone_in(worker, "buildings", "幸福里小区 2号楼")
    await worker.click(label("bc.now"))
    preview = worker.last()
    assert label("bc.held", when="11月23日（周一）上午7:00") in preview.text
    assert label("bc.now") not in preview.text
    await worker.click(label("bc.confirm"))
    assert preview.text == shown(ZH, "bc.started_held", id=1, when="11月23日（周一）上午7:00")
    assert all(client.bot_messages == [] for client in got)  # nobody woken up

    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=SHANGHAI))
    harness.runtime.services.sender.wake()
    await harness.settle()
    await harness.runtime.services.sender.settle()
    assert all("明天上午清理楼道杂物" in client.last().text for client in got)


async def test_a_scheduled_broadcast_survives_a_restart_and_goes_out_once(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    worker = first.user("李网格员", user_id=GRID)
    got = residents(first, IN_2)
    await compose(worker, "今晚八点楼下开会")
    await to_everyone_in(worker, "units", "幸福里小区 2号楼 1单元")
    await worker.click(label("bc.type_time"))
    await worker.send("20:00")
    assert "11月22日（周日）晚上8:00" in worker.last().text
    await worker.click(label("bc.confirm"))
    assert worker.last().text == shown(ZH, "bc.scheduled", id=1, when="11月22日（周日）晚上8:00")
    await first.stop()

    clock.set(datetime(2026, 11, 22, 20, 5, tzinfo=SHANGHAI))  # the bot was down at 20:00
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await second.settle()
        assert all("今晚八点楼下开会" in client.last().text for client in got)
        await second.runtime.services.scheduler.tick()
        await second.settle()
        assert [len(client.bot_messages) for client in got] == [1, 1]
    finally:
        await second.stop()
    third = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await third.settle()
        assert [len(client.bot_messages) for client in got] == [1, 1]
        assert await third.runtime.db.fetch_value("SELECT status FROM job") == "fired"
    finally:
        await third.stop()


async def test_a_scheduled_broadcast_can_be_cancelled(
    harness: BotHarness, clock: ManualClock
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await compose(worker, "取消测试")
    await worker.click(label("bc.kind_buildings"))
    await worker.click("幸福里小区 2号楼")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))
    await worker.click(label("bc.morning"))
    await worker.click(label("bc.confirm"))
    await worker.click(label("bc.cancel_scheduled"))
    assert worker.last().text == shown(ZH, "bc.cancelled_scheduled", id=1)

    clock.advance(timedelta(days=1))
    await harness.runtime.services.scheduler.tick()
    await harness.settle()
    assert all(client.bot_messages == [] for client in residents(harness, IN_2))
    assert await broadcast_rows(harness) == [{"id": 1, "status": "cancelled", "urgent": 0}]


async def test_a_resident_cannot_broadcast_by_menu_command_or_forged_button(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=800101)
    await resident.send("/start")
    assert label("menu.broadcast") not in resident.keyboard
    await resident.send("/broadcast")
    assert resident.last().text == shown(ZH, "error.not_allowed")
    await resident.send(label("menu.broadcast"))
    assert resident.last().text == shown(ZH, "error.not_allowed")
    await resident.click_data("v1:bc:pick:kind:community")
    assert resident.last_answer.answer_text == label("error.stale_button")
    await resident.click_data("v1:bc:stop:1")
    assert resident.last_answer.answer_text == label("error.not_allowed")
    assert await broadcast_rows(harness) == []


async def test_a_grid_worker_cannot_reach_outside_their_grid(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await compose(worker)
    await worker.click(label("bc.kind_buildings"))
    # A forged press naming 光明新村 3号楼 (another grid) is refused and chooses nothing.
    await worker.click_data(f"v1:bc:tog:places:{community.buildings['3号楼']}")
    assert worker.last_answer.answer_text == label("error.stale_button")
    await worker.click_data("v1:bc:pick:kind:community")  # not offered to a grid worker
    assert worker.last_answer.answer_text == label("error.stale_button")
    await worker.click_data("v1:bc:tog:places:9999")  # a building that does not exist
    assert worker.last_answer.answer_text == label("error.stale_button")

    user = await harness.runtime.services.users.identify(
        ChannelUser(channel="telegram", external_id=str(GRID), first_name="李")
    )
    broadcasts = harness.runtime.services.broadcasts
    with pytest.raises(NotAllowed):
        await broadcasts.reach(
            user, Scope(kind=ScopeKind.BUILDINGS, ids=(community.buildings["3号楼"],))
        )
    with pytest.raises(NotAllowed):
        await broadcasts.reach(user, Scope(kind=ScopeKind.COMMUNITY))
    with pytest.raises(NotFound):
        await broadcasts.reach(user, Scope(kind=ScopeKind.UNITS, ids=(9999,)))  # no such unit


async def test_a_grid_worker_pressing_a_kind_they_are_not_offered_is_refused(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await compose(worker)
    assert worker.last().text == at_step(ZH, 2, 4, "bc.ask_kind")  # the press is at this step
    await worker.click_data("v1:bc:pick:kind:community")
    assert worker.last_answer.answer_text == label("error.stale_button")
    await worker.click_data("v1:bc:pick:kind:role")
    assert worker.last_answer.answer_text == label("error.stale_button")
    assert await broadcast_rows(harness) == []


async def test_staff_sends_to_everyone_with_a_role_and_back_returns_to_the_role(
    harness: BotHarness,
) -> None:
    lead, other = residents(harness, (LEAD, 800101))
    await lead.send("/start")
    staff = harness.user("社区", user_id=STAFF_ID)
    await compose(staff, "楼道长请今晚检查消防通道。")
    await staff.click(label("bc.kind_role"))
    assert staff.last().text == at_step(ZH, 2, 4, "bc.ask_role")  # part of the kind
    await staff.click(label("bc.role_building_lead"))
    assert staff.last().text == at_step(ZH, 3, 4, "bc.ask_urgent")  # no "vulnerable only"
    await staff.click(label("reg.back"))
    assert staff.last().text == at_step(ZH, 2, 4, "bc.ask_role")  # part of the kind
    await staff.click(label("bc.role_building_lead"))
    await staff.click(label("bc.urgent"))
    await staff.click(label("bc.now"))
    assert f"{label('bc.kind_role')}: {label('bc.role_building_lead')}" in staff.last().text
    await staff.click(label("bc.confirm"))
    assert "楼道长请今晚检查消防通道" in lead.last().text
    assert other.bot_messages == []
    assert await broadcast_rows(harness) == [{"id": 1, "status": "done", "urgent": 1}]


async def test_a_building_with_nobody_registered_reports_the_households_to_visit(
    harness: BotHarness,
) -> None:
    worker = harness.user("赵网格员", user_id=OTHER_GRID)
    await compose(worker, "4号楼电梯检修")
    await worker.click(label("bc.kind_buildings"))
    await worker.click("光明新村 4号楼")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))
    await worker.click(label("bc.now"))
    assert shown(ZH, "bc.nobody_registered") in worker.last().text
    await worker.click(label("bc.confirm"))
    report = worker.last().text
    assert "已送达 0 / 0 人" in report
    assert "光明新村 4号楼 1单元 101" in report


async def test_a_resident_who_blocked_the_bot_is_listed_to_visit(harness: BotHarness) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    (blocker,) = residents(harness, (800104,))
    blocker.block_bot()
    await compose(worker, "电梯停运")
    await worker.click(label("bc.kind_units"))
    await worker.click("幸福里小区 1号楼 2单元")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.urgent"))
    await worker.click(label("bc.now"))
    await worker.click(label("bc.confirm"))
    report = worker.last().text
    assert "已送达 0 / 1 人" in report
    assert "无法送达：1 人" in report
    assert "幸福里小区 1号楼 2单元 101" in report


async def test_wrong_input_gets_a_polite_retry_and_back_works(harness: BotHarness) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await worker.press(label("menu.broadcast"))
    await worker.send_sticker()
    assert worker.last().text == shown(ZH, "bc.text_only")
    await worker.send_photo()  # no caption
    assert worker.last().text == shown(ZH, "bc.need_caption")
    await worker.send("长" * 3001)
    assert worker.last().text == shown(ZH, "error.too_long", limit=3000)
    await worker.send("  \n\n  \n")  # only spaces and newlines
    assert worker.last().text == shown(ZH, "error.blank")
    await worker.send_photo(caption=" \n ")  # a caption of nothing
    assert worker.last().text == shown(ZH, "bc.need_caption")
    await worker.send("正文")
    await worker.click(label("bc.kind_buildings"))
    await worker.click(label("bc.done", count=0))
    assert worker.last_answer.answer_text == label("bc.pick_one")
    await worker.click("幸福里小区 2号楼")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("reg.back"))  # back to the picker, the choice kept
    assert worker.last().buttons[1].text == "✅ 幸福里小区 2号楼"
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))
    await worker.click(label("bc.type_time"))
    await worker.send("昨天")
    assert worker.last().text == shown(ZH, "bc.bad_time")
    await worker.send("11-21 08:00")  # the past (this year): next year is too far
    assert worker.last().text == shown(ZH, "bc.past_time", when="11月21日（周六）上午8:00")
    await worker.send("typing while buttons are expected is fine here: a time is expected")
    worker.mark_read()
    await worker.click(label("reg.cancel"))
    assert worker.texts() == [shown(ZH, "bc.cancelled")]  # the step's message, edited
    assert await broadcast_rows(harness) == []


async def test_the_draft_survives_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    worker = first.user("李网格员", user_id=GRID)
    got = residents(first, IN_2)
    await compose(worker, "重启前写的通知")
    await worker.click(label("bc.kind_buildings"))
    await worker.click("幸福里小区 2号楼")
    await first.stop()

    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        worker = second.user("李网格员", user_id=GRID)
        await worker.click(label("bc.done", count=1))
        await worker.click(label("bc.all_households"))
        await worker.click(label("bc.normal"))
        await worker.click(label("bc.now"))
        assert "重启前写的通知" in worker.last().text
        await worker.click(label("bc.confirm"))
        assert all("重启前写的通知" in c.last().text for c in got)
    finally:
        await second.stop()


async def test_a_resident_mutes_announcements_but_urgent_ones_still_come(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=800201)
    await resident.send("/notifications")
    await resident.click("🔔 " + label("mute.notice"))
    assert resident.last_answer.answer_text == label("mute.muted")
    assert "🔕 " + label("mute.notice") in [b.text for b in resident.last().buttons]
    await resident.click("🔕 " + label("mute.notice"))  # and back: the row now says unmuted
    assert resident.last_answer.answer_text == label("mute.unmuted")
    await resident.click("🔔 " + label("mute.notice"))
    assert resident.last_answer.answer_text == label("mute.muted")
    rows = await harness.runtime.db.fetch_all("SELECT category, muted FROM mute")
    assert [tuple(row) for row in rows] == [("notice", 1)]
    await resident.click_data("v1:mute:tog:account")  # cannot be muted: refused, not stored
    assert resident.last_answer.answer_text == label("error.stale_button")

    worker = harness.user("李网格员", user_id=GRID)
    for urgency, text in ((label("bc.normal"), "普通通知"), (label("bc.urgent"), "紧急通知")):
        await compose(worker, text)
        await worker.click(label("bc.kind_units"))
        await worker.click("幸福里小区 2号楼 1单元")
        await worker.click(label("bc.done", count=1))
        await worker.click(label("bc.all_households"))
        await worker.click(urgency)
        await worker.click(label("bc.now"))
        await worker.click(label("bc.confirm"))
    texts = [m.text for m in resident.bot_messages]
    assert not any("普通通知" in text for text in texts)
    assert any("紧急通知" in text for text in texts)
    assert "已屏蔽此类消息：1 人" in next(
        m.text for m in worker.bot_messages if "通知 #1 送达报告" in m.text
    )


async def test_a_document_goes_out_with_its_caption(harness: BotHarness) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    got = residents(harness, IN_2)
    await worker.send("/start")
    await worker.press(label("menu.broadcast"))
    await worker.send_document(b"%PDF-1.4 plan", "改造方案.pdf", "application/pdf")
    assert worker.last().text == shown(ZH, "bc.need_caption")  # a file needs its words
    await worker.send_document(
        b"%PDF-1.4 plan", "改造方案.pdf", "application/pdf", caption="2号楼改造方案，请查阅。"
    )
    await worker.click(label("bc.kind_buildings"))
    await worker.click("幸福里小区 2号楼")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("bc.all_households"))
    await worker.click(label("bc.normal"))
    await worker.click(label("bc.now"))
    assert shown(ZH, "bc.with_document") in worker.last().text
    await worker.click(label("bc.confirm"))
    for resident in got:
        document = resident.last()
        assert document.kind == "document"
        assert "2号楼改造方案" in document.text
