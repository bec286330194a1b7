"""Talk to my grid worker (issue 20, point 2): a resident writes (words, a voice note, a
photo), the grid worker gets it with the household and replies from the bot, every member gets
the reply, both open the thread; "📝 转成工单" makes a ticket of it; off duty the resident is told
when to expect an answer; another grid's worker is refused; a half-typed reply survives a
restart. Through the Application and the emulator, at times the test sets."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app.config import Settings, settings_from_mapping
from bot.clock import ManualClock
from bot.domain.models import Language
from bot.domain.thread import Written
from bot.i18n import plain, t
from bot.interaction.plain import to_plain
from emulator import BotApiEmulator
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import shown
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community, delivery_settings
from tests.e2e.delivery.test_meetings import organise
from tests.e2e.text_channel import TextChannel

ZH = Language.ZH
SHANGHAI = ZoneInfo("Asia/Shanghai")
A, A2 = 800101, 800102  # 幸福里小区 1号楼 1单元 101 (grid 1)
FAR = 800301  # 光明新村 3号楼 (grid 2)
PLACE = "幸福里小区 1号楼 1单元 101"
WORKER_PHONE = "138 0471 0001"


@pytest.fixture
def settings(database_path: Path) -> Settings:
    """The seeded community with the grid worker's name, phone and duty hours."""
    data: dict[str, Any] = delivery_settings(str(database_path)).model_dump(
        mode="json", exclude_none=True
    )
    data["contacts"] = {
        "gas_emergency_line": "96777",
        "duty_hours": {"start": "08:30", "end": "17:30"},
    }
    data["grids"][0]["contacts"] = [{"telegram_id": GRID, "name": "王芳", "phone": WORKER_PHONE}]
    return settings_from_mapping(data)


def local(hour: int) -> datetime:
    """Sunday 22 Nov 2026 at `hour` in Shanghai."""
    return datetime(2026, 11, 22, hour, tzinfo=SHANGHAI)


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


async def messages(harness: BotHarness) -> list[dict[str, Any]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT household_id, author_id, direction, text, voice_ref, photo_ref, read_at,"
        " ticket_id FROM thread_message ORDER BY id"
    )
    return [dict(row) for row in rows]


async def test_a_resident_writes_the_worker_replies_and_both_see_the_thread(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    worker = harness.user("王芳", user_id=GRID)
    await worker.send("/start")
    resident, other_member = harness.user("居民", user_id=A), harness.user("居民", user_id=A2)
    await resident.send("/start")
    await other_member.send("/start")

    await resident.press(label("menu.contact"))
    await resident.click(label("thread.write"))
    assert resident.last().text.startswith(shown(ZH, "thread.ask_message"))
    await resident.send("楼下有人一直停车堵住单元门")
    assert resident.last().text == shown(ZH, "thread.sent")  # on duty: nothing more

    pushed = worker.last()
    assert pushed.text == shown(
        ZH, "thread.push", place=PLACE, members="居民、居民", words="楼下有人一直停车堵住单元门"
    )
    assert WORKER_PHONE not in pushed.text
    assert "1380471" not in pushed.text
    assert pushed.labels == [
        label("thread.reply"),
        label("thread.to_ticket"),
        label("thread.open"),
    ]

    await worker.press(label("menu.threads"))
    assert worker.last().labels == [label("thread.list_line_unread", place=PLACE, unread=1)]
    await worker.click(label("thread.reply"), message=pushed)
    assert worker.last().text.startswith(shown(ZH, "thread.ask_reply", place=PLACE))
    await worker.send("好的，我下午去看看")
    assert worker.last().text == shown(ZH, "thread.reply_sent", place=PLACE)
    for member in (resident, other_member):
        told = member.last()
        assert told.text == shown(
            ZH, "thread.reply_push", worker="王芳", words="好的，我下午去看看"
        )

    # The resident opens the thread from the reply; the worker from 💬 留言.
    await resident.click(label("thread.open"))
    thread = resident.last().text
    assert thread.startswith(shown(ZH, "thread.title", place=PLACE, page=1, pages=1))
    assert thread.index("楼下有人一直停车堵住单元门") < thread.index("好的，我下午去看看")
    assert resident.last().labels == [label("thread.write")]

    # …and from the contact card.
    await resident.press(label("menu.contact"))
    await resident.click(label("thread.mine"))
    assert resident.last().text == thread

    await worker.press(label("menu.threads"))
    assert worker.last().labels == [label("thread.list_line", place=PLACE)]  # read: replied
    await worker.click(label("thread.list_line", place=PLACE))
    assert "好的，我下午去看看" in worker.last().text
    assert worker.last().labels == [label("thread.reply"), label("thread.to_ticket")]
    rows = await messages(harness)
    assert [(r["direction"], r["text"]) for r in rows] == [
        ("in", "楼下有人一直停车堵住单元门"),
        ("out", "好的，我下午去看看"),
    ]
    assert all(r["read_at"] is not None for r in rows)


async def test_a_voice_note_and_a_photo_then_a_ticket(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    worker = harness.user("王芳", user_id=GRID)
    await worker.send("/start")
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")

    # Sent from the main menu, kept, then "💬 发给网格员" instead of a report.
    await resident.send_voice(b"OggS the door is broken")
    await resident.click(label("thread.send_kept"))
    assert resident.last().text == shown(ZH, "thread.sent")
    voice = worker.last()
    assert voice.kind == "voice"
    assert shown(ZH, "thread.push", place=PLACE, members="居民、居民", words="🎤") == voice.text
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM pending_input") == 0

    await resident.press(label("menu.contact"))
    await resident.click(label("thread.write"))
    await resident.send_photo(b"\x89PNG broken door", caption="单元门坏了关不上")
    photo = worker.last()
    assert photo.kind == "photo"
    assert "单元门坏了关不上" in photo.text

    await worker.click(label("thread.to_ticket"), message=photo)
    assert shown(ZH, "thread.ticket_done", number="R-2026-0001") in worker.texts()
    assert resident.last().text == shown(ZH, "thread.ticket_push", number="R-2026-0001")
    ticket = await harness.runtime.db.fetch_one(
        "SELECT id, category, description, reporter_id, household_id FROM ticket"
    )
    assert ticket is not None
    assert (ticket["category"], ticket["description"]) == ("other", "单元门坏了关不上")
    assert ticket["household_id"] == community.households["1号楼 1单元 101"]
    media = await harness.runtime.db.fetch_all("SELECT kind FROM ticket_media ORDER BY id")
    assert sorted(row["kind"] for row in media) == ["photo", "voice"]
    assert {r["ticket_id"] for r in await messages(harness)} == {ticket["id"]}
    # Once more: nothing left to turn, nothing more made.
    await worker.click(label("thread.to_ticket"), message=photo)
    assert worker.last_answer.answer_text == label("thread.nothing_to_turn")
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM ticket") == 1
    # The resident follows it from the push.
    await resident.click(label("thread.see_ticket"))
    assert "R-2026-0001" in resident.last().text


async def test_off_duty_the_resident_is_told_when_and_the_emergency_numbers(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(22))
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.send("楼道灯不亮了")
    await resident.click(label("thread.send_kept"))
    answer = resident.last().text
    assert answer.startswith(shown(ZH, "thread.sent"))
    assert shown(ZH, "contacts.off_duty", when="明天上午8:30") in answer
    assert shown(ZH, "contacts.public", fire="119", police="110", ambulance="120") in answer
    assert shown(ZH, "contacts.gas", phone="96777") in answer
    assert [r["text"] for r in await messages(harness)] == ["楼道灯不亮了"]


async def test_another_grids_worker_is_refused_and_nothing_changes(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.press(label("menu.contact"))
    await resident.click(label("thread.write"))
    await resident.send("水管漏水")
    household = community.households["1号楼 1单元 101"]

    far_worker = harness.user("赵强", user_id=OTHER_GRID)
    await far_worker.send("/start")
    for action in ("o", "r", "t"):
        data = f"v1:th:{action}:{household}" + (":0" if action == "o" else "")
        await far_worker.click_data(data, message=far_worker.last())
        assert far_worker.last_answer.answer_text == label("error.not_allowed")
    # A resident of another household may not open this one either.
    far = harness.user("居民", user_id=FAR)
    await far.send("/start")
    await far.click_data(f"v1:th:o:{household}:0", message=far.last())
    assert far.last_answer.answer_text == label("error.not_allowed")
    for forged in ("v1:th:zz", "v1:th:o:x:0", "v1:th:r", "v1:th:w:5"):
        await far.click_data(forged, message=far.last())
        assert far.last_answer.answer_text == label("error.stale_button")

    rows = await messages(harness)
    assert [(r["direction"], r["read_at"], r["ticket_id"]) for r in rows] == [("in", None, None)]
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM ticket") == 0
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM dialog_session") == 0


async def test_a_half_typed_reply_survives_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    clock.set(local(10))
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        worker = first.user("王芳", user_id=GRID)
        await worker.send("/start")
        resident = first.user("居民", user_id=A)
        await resident.send("/start")
        await resident.press(label("menu.contact"))
        await resident.click(label("thread.write"))
        await resident.send("电梯又停了")
        await worker.click(label("thread.reply"))
        assert worker.last().text.startswith(shown(ZH, "thread.ask_reply", place=PLACE))
    finally:
        await first.stop()

    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        worker = second.user("王芳", user_id=GRID)
        resident = second.user("居民", user_id=A)
        await worker.send("已经通知物业了")
        assert worker.last().text == shown(ZH, "thread.reply_sent", place=PLACE)
        assert resident.last().text == shown(
            ZH, "thread.reply_push", worker="王芳", words="已经通知物业了"
        )
    finally:
        await second.stop()


async def test_the_text_channel_sends_kept_words_to_the_grid_worker(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    channel = TextChannel(harness.runtime.services)
    worker = harness.user("王芳", user_id=GRID)
    await worker.send("/start")
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.press(label("menu.contact"))
    await resident.click(label("thread.write"))
    await resident.send("楼顶漏水")
    await worker.click(label("thread.reply"))
    await worker.send("明天上午来看")

    # A resident on the text channel: words, "2" (send to the grid worker), the thread.
    person = channel.person("wx-thread")
    account = await person.account()
    await harness.runtime.services.registration.request(
        account, community.households["1号楼 1单元 201"], "13900000002"
    )
    [offer] = await person.send("窗户玻璃裂了")
    assert f"2. {label('thread.send_kept')}" in offer.splitlines()
    [sent] = await person.send("2")
    assert sent.startswith(to_plain(t(ZH, "thread.sent")))
    rows = await messages(harness)
    assert rows[-1]["text"] == "窗户玻璃裂了"
    assert rows[-1]["household_id"] == community.households["1号楼 1单元 201"]
    assert "窗户玻璃裂了" in worker.last().text


async def test_the_organiser_replies_to_a_question_sent_before_a_meeting(
    harness: BotHarness, community: Community
) -> None:
    resident = harness.user("居民", user_id=A)
    meeting_id = await organise(harness, community)
    await resident.click(label("meeting.ask_button"))
    await resident.send("电梯的电费以后谁出？")
    question_id = await harness.runtime.db.fetch_value("SELECT id FROM meeting_question")

    # Not the organiser: refused, even by a forged press; nothing begun.
    worker = harness.user("网格员", user_id=GRID)
    await worker.click_data(f"v1:th:q:{meeting_id}:{question_id}", message=worker.last())
    assert worker.last_answer.answer_text == label("error.not_allowed")
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM dialog_session") == 0

    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.press(label("menu.meetings"))
    await staff.click(
        label("meeting.list_line", mark="🟢", when="11月25日（周三）", title="1号楼加装电梯协调会")
    )
    await staff.click(label("meeting.questions_button"))
    await staff.click(label("thread.answer_n", n=1))
    assert staff.last().text.startswith(
        shown(ZH, "thread.ask_meeting_answer", question="电梯的电费以后谁出？")
    )
    await staff.send("按户分摊，具体在会上说明")
    assert staff.last().text == shown(ZH, "thread.reply_sent", place="居民")
    assert resident.last().text == shown(
        ZH,
        "thread.meeting_answer_push",
        title="1号楼加装电梯协调会",
        question="电梯的电费以后谁出？",
        worker="社区张主任",
        words="按户分摊，具体在会上说明",
    )


async def test_a_long_thread_is_paged_from_the_latest(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    clock.set(local(10))
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    services = harness.runtime.services
    account = await services.users.get(
        await harness.runtime.db.fetch_value(
            "SELECT id FROM user WHERE external_id = ?", (str(A),)
        )
    )
    assert account is not None
    for n in range(1, 8):
        await services.threads.write(account, Written(text=f"第{n}条留言"))

    worker = harness.user("王芳", user_id=GRID)
    await worker.send("/start")
    await worker.press(label("menu.threads"))
    await worker.click(label("thread.list_line_unread", place=PLACE, unread=7))
    latest = worker.last().text
    assert latest.startswith(shown(ZH, "thread.title", place=PLACE, page=1, pages=2))
    assert "第7条留言" in latest
    assert "第2条留言" not in latest
    assert label("thread.newer") not in worker.last().labels
    await worker.click(label("thread.older"))
    older = worker.last().text
    assert older.startswith(shown(ZH, "thread.title", place=PLACE, page=2, pages=2))
    assert "第1条留言" in older
    assert "第3条留言" not in older
    assert label("thread.older") not in worker.last().labels
