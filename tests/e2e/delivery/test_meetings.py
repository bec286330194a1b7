"""Meetings through the real Application: staff organise one in the chat; residents answer,
send questions and take the calendar file; reminders across a restart; changes, cancellation,
minutes, attendance and the export."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.errors import NotAllowed
from bot.domain.meetings import Contact, MeetingDraft, MeetingKind, Party
from bot.domain.models import Language, Role, User
from bot.domain.scope import Scope, ScopeKind
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import pack, shown
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community

ZH = Language.ZH
SHANGHAI = ZoneInfo("Asia/Shanghai")
A, A2, B, C = 800101, 800102, 800103, 800104  # 幸福里小区 1号楼
D, FAR = 800201, 800301  # 2号楼; 光明新村


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def alert(user: UserClient) -> str:
    return user.last_answer.answer_text or ""


async def at(harness: BotHarness, clock: ManualClock, moment: datetime) -> None:
    clock.set(moment)
    await harness.runtime.services.scheduler.tick()
    await harness.settle()
    await harness.runtime.services.sender.settle()


async def account_of(harness: BotHarness, telegram_id: int) -> User:
    user_id = await harness.runtime.db.fetch_value(
        "SELECT id FROM user WHERE external_id = ?", (str(telegram_id),)
    )
    user = await harness.runtime.services.users.get(user_id)
    assert user is not None
    return user


async def rsvps(harness: BotHarness) -> dict[str, str | None]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT u.external_id, i.rsvp FROM meeting_invitee i JOIN user u ON u.id = i.user_id"
    )
    return {row["external_id"]: row["rsvp"] for row in rows}


def clients(harness: BotHarness) -> dict[int, UserClient]:
    return {uid: harness.user("居民", user_id=uid) for uid in (A, A2, B, C, D, FAR)}


async def organise(harness: BotHarness, community: Community) -> int:
    """Staff invite 1号楼 and the grid workers to a meeting on 11-25 19:30 (service)."""
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    for uid in (GRID, OTHER_GRID):
        await harness.user("网格员", user_id=uid).send("/start")
    meeting = await harness.runtime.services.meetings.create(
        await account_of(harness, STAFF_ID),
        MeetingDraft(
            kind=MeetingKind.COORDINATION,
            title="1号楼加装电梯协调会",
            starts_at=local(25, 19, 30),
            place="社区活动室",
            agenda="方案介绍；费用分摊",
            scope=Scope(kind=ScopeKind.BUILDINGS, ids=(community.buildings["1号楼"],)),
            roles=(Role.GRID_WORKER,),
            contacts=(Contact(name="王经理", party=Party.PROPERTY, phone="13900000000"),),
            rsvp_by=local(24, 19, 30),
        ),
    )
    await harness.settle()
    await harness.runtime.services.sender.settle()
    return meeting.id


# ---------------------------------------------------------------------------- creating, answering


async def test_staff_organise_a_meeting_and_invitees_answer_ask_and_take_the_calendar(
    harness: BotHarness, community: Community
) -> None:
    people = clients(harness)
    for user in people.values():
        await user.send("/start")
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    for uid in (GRID, OTHER_GRID):
        await harness.user("网格员", user_id=uid).send("/start")
    await staff.send("/start")
    await staff.press(label("menu.meetings"))
    await staff.click(label("meeting.new_button"))
    await staff.click(label("meeting.kind_coordination"))
    await staff.send("1号楼加装电梯协调会")
    await staff.send("明晚")  # not a time
    assert staff.last().text == shown(ZH, "bc.bad_time")
    await staff.send("11-25 19:30")
    await staff.send("社区活动室")
    await staff.send("方案介绍；费用分摊")
    await staff.click(label("bc.kind_buildings"))
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    await staff.click(
        label("meeting.role_toggle", mark="▫️", role=label("meeting.role_grid_worker"))
    )
    await staff.click(label("vote.done", count=1))
    await staff.send("王经理 | 物业 | 13900000000\n赵工 | 施工单位")
    await staff.click(label("vote.done", count=2))
    await staff.click(label("meeting.deadline_d1"))
    preview = staff.last().text
    assert "1号楼加装电梯协调会（协调会）" in preview
    assert "邀请住户：4 人；角色：网格员；联系人：王经理、赵工" in preview
    assert "回复截止：11月24日（周二）晚上7:30" in preview
    await staff.click(label("meeting.confirm"))
    assert staff.last().text == shown(ZH, "meeting.created", title="1号楼加装电梯协调会")
    await harness.runtime.services.sender.settle()

    # Everyone in 1号楼 and the grid workers; not 2号楼, not 光明新村.
    invited = await rsvps(harness)
    assert set(invited) == {str(A), str(A2), str(B), str(C), str(GRID), str(OTHER_GRID)}
    notice = people[A].last()
    assert "会议通知：1号楼加装电梯协调会" in notice.text
    assert "时间：11月25日（周三）晚上7:30" in notice.text
    # The notice carries the calendar file itself.
    assert notice.kind == "document"
    assert notice.files[-1].file_name == "meeting-1.ics"
    assert b"DTSTART;TZID=Asia/Shanghai:20261125T193000" in notice.files[-1].content
    assert not any("会议通知" in m.text for m in people[D].bot_messages)

    a, a2, b = people[A], people[A2], people[B]
    await a.click(label("meeting.rsvp_attend"))
    assert alert(a) == label("meeting.rsvp_done", answer=label("meeting.rsvp_attend"))
    # The card below the notice (a file, whose caption stays) shows the answer, marked ✅.
    chosen = label("meeting.rsvp_chosen", answer=label("meeting.rsvp_attend"))
    assert chosen in a.last().labels
    assert label("meeting.rsvp_cannot") in a.last().labels
    assert shown(ZH, "meeting.your_answer", answer=label("meeting.rsvp_attend")) in a.last().text
    await a2.click(label("meeting.rsvp_maybe"))
    await b.click(label("meeting.rsvp_cannot"))
    await b.click(label("meeting.rsvp_attend"))  # changed their mind
    assert (await rsvps(harness))[str(B)] == "attend"
    assert chosen in b.last().labels
    assert label("meeting.rsvp_chosen", answer=label("meeting.rsvp_cannot")) not in b.last().labels
    await b.click_data(pack("mg", "rs", 1, "never"))
    assert alert(b) == label("error.stale_button")

    # A question in writing and one by voice reach the organiser.
    await a.click(label("meeting.ask_button"))
    await a.send("电梯的电费以后谁出？")
    assert a.last().text == shown(ZH, "meeting.question_sent")
    await a2.click(label("meeting.ask_button"))
    await a2.send_sticker()
    assert a2.last().text == shown(ZH, "meeting.not_here")
    await a2.send_voice(b"OggS question", duration=5)
    await harness.runtime.services.sender.settle()
    asked = [m for m in staff.bot_messages if "提了问题" in m.text]
    assert len(asked) == 2
    assert "电梯的电费以后谁出？" in asked[0].text
    assert asked[1].kind == "voice"

    # The calendar file.
    await a.click(label("meeting.ics_button"))
    ics = a.last()
    assert ics.kind == "document"
    content = ics.files[-1].content.decode()
    assert "BEGIN:VCALENDAR" in content
    assert "SUMMARY:1号楼加装电梯协调会" in content
    assert "DTSTART;TZID=Asia/Shanghai:20261125T193000" in content
    assert "LOCATION:社区活动室" in content

    # Someone not invited cannot answer, ask or take the file, even by forging the press.
    far = people[FAR]
    for data in (pack("mg", "rs", 1, "attend"), pack("mg", "q", 1), pack("mg", "ics", 1)):
        await far.click_data(data)
        assert alert(far) == label("meeting.not_invited")
    await far.click_data(pack("mg", "rs", 99, "attend"))
    assert alert(far) == label("error.not_found")
    await people[D].click_data(pack("mg", "card", 1))
    assert alert(people[D]) == label("error.not_allowed")

    # The organiser's card: counts, the phone list and the questions.
    await staff.press(label("menu.meetings"))
    await staff.click(
        label("meeting.list_line", mark="🟢", when="11月25日（周三）", title="1号楼加装电梯协调会")
    )
    assert "参加 2，不能参加 0，待定 1，未回复 3；问题 2 个；联系人 2 位" in staff.last().text
    await staff.click(label("meeting.unanswered_button"))
    phone_list = staff.last().text
    assert "未回复 3 人" in phone_list
    assert "幸福里小区 1号楼 2单元 101" in phone_list
    assert "王经理（物业公司）13900000000" in phone_list
    await staff.click(label("meeting.questions_button"))
    assert any("电梯的电费以后谁出？" in m.text for m in staff.bot_messages[-3:])


async def test_reminders_before_the_meeting_across_a_restart_and_answers_after_the_deadline(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        people = clients(first)
        meeting_id = await organise(first, community)
        await people[A].click(label("meeting.rsvp_attend"))
        await people[B].click(label("meeting.rsvp_cannot"))
    finally:
        await first.stop()
    clock.set(local(24, 20))  # down over the 24 h reminder (19:30); its time has come
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await second.settle()
        await second.runtime.services.sender.settle()
        people = clients(second)

        def reminded(uid: int) -> int:
            return len([m for m in people[uid].bot_messages if "会议提醒" in m.text])

        assert (reminded(A), reminded(A2), reminded(B), reminded(C)) == (1, 1, 0, 1)
        reminder = next(m for m in people[A].bot_messages if "会议提醒" in m.text)
        assert "时间：11月25日（周三）晚上7:30" in reminder.text
        assert "地点：社区活动室" in reminder.text
        # The deadline (11-24 19:30) has passed.
        await people[C].click_data(pack("mg", "rs", meeting_id, "attend"))
        assert alert(people[C]) == label("meeting.rsvp_closed")
        assert (await rsvps(second))[str(C)] is None
        await at(second, clock, local(25, 18, 30))
        assert (reminded(A), reminded(B)) == (2, 0)
        await second.runtime.services.scheduler.restore()
        await at(second, clock, local(25, 19))
        assert reminded(A) == 2
    finally:
        await second.stop()


async def test_a_change_of_time_and_place_and_a_cancellation_reach_every_invitee(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.press(label("menu.meetings"))
    await staff.click(
        label("meeting.list_line", mark="🟢", when="11月25日（周三）", title="1号楼加装电梯协调会")
    )
    await staff.click(label("meeting.change_time"))
    await staff.send("11-20 19:30")  # in the past
    assert staff.last().text == shown(ZH, "bc.past_time", when="11月20日（周五）晚上7:30")
    await staff.send("11-26 19:00")
    assert staff.last().text == shown(
        ZH,
        "meeting.changed_ok",
        when="11月26日（周四）晚上7:00",
        rsvp_by="11月25日（周三）晚上7:00",
    )
    await staff.click(label("meeting.change_place"))
    await staff.send("3号楼架空层")
    await harness.runtime.services.sender.settle()
    changes = [m.text for m in people[A2].bot_messages if "会议有变动" in m.text]
    assert len(changes) == 2
    assert "11月25日（周三）晚上7:30 → 11月26日（周四）晚上7:00" in changes[0]
    moved = next(m for m in people[A2].bot_messages if "会议有变动" in m.text)
    assert b"DTSTART;TZID=Asia/Shanghai:20261126T190000" in moved.files[-1].content
    assert "社区活动室 → 3号楼架空层" in changes[1]
    jobs = await harness.runtime.db.fetch_all(
        "SELECT due_at, status FROM job WHERE kind = 'meeting.remind' ORDER BY id"
    )
    pending = [
        datetime.fromisoformat(r["due_at"]).astimezone(SHANGHAI).strftime("%m-%d %H:%M")
        for r in jobs
        if r["status"] == "pending"
    ]
    assert pending == ["11-25 19:00", "11-26 18:00"]

    # A resident cannot change it.
    await people[A].click_data(pack("mg", "ct", meeting_id))
    assert alert(people[A]) == label("error.not_allowed")

    await staff.click(label("meeting.cancel_button"))
    await staff.click(label("meeting.yes_cancel"))
    await harness.runtime.services.sender.settle()
    for uid in (A, A2, B, C):
        assert any("会议取消" in m.text for m in people[uid].bot_messages), uid
    await people[A].click_data(pack("mg", "rs", meeting_id, "attend"))
    assert alert(people[A]) == label("meeting.rsvp_closed")
    await staff.click_data(pack("mg", "ct", meeting_id))
    assert alert(staff) == label("meeting.over")
    cancelled = await harness.runtime.db.fetch_value(
        "SELECT count(*) FROM job WHERE kind = 'meeting.remind' AND status = 'pending'"
    )
    assert cancelled == 0


async def test_minutes_attendance_export_and_past_meetings_from_the_menu(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await people[A].click(label("meeting.rsvp_attend"))
    await staff.click_data(pack("mg", "mn", meeting_id))
    assert alert(staff) == label("meeting.not_yet")
    await staff.click_data(pack("mg", "at", meeting_id))
    assert alert(staff) == label("meeting.not_yet")

    await at(harness, clock, local(25, 21))
    await staff.press(label("menu.meetings"))
    await staff.click(
        label("meeting.list_line", mark="⚪", when="11月25日（周三）", title="1号楼加装电梯协调会")
    )
    await staff.click(label("meeting.minutes_button"))
    await staff.send("到会 12 人。施工方介绍了方案，居民提出电费分摊问题。")
    await staff.send("1. 同意按方案施工；2. 电费由受益户分摊。")
    assert staff.last().text == shown(ZH, "meeting.minutes_sent", title="1号楼加装电梯协调会")
    await harness.runtime.services.sender.settle()
    for uid in (A, A2, B, C):
        minutes = [m for m in people[uid].bot_messages if "会议纪要" in m.text]
        assert len(minutes) == 1, uid
        assert "电费由受益户分摊" in minutes[0].text

    # Attendance: A came, so did the property manager.
    await staff.click(label("meeting.attendance_button"))
    await staff.click(
        next(lbl for lbl in staff.last().labels if "1单元 101" in lbl and "▫️" in lbl)
    )
    await staff.click("▫️ 王经理")
    await staff.click_data(pack("mg", "atc", meeting_id, 999, 1))  # not this meeting's contact
    assert alert(staff) == label("error.not_found")
    attended = await harness.runtime.db.fetch_value(
        "SELECT count(*) FROM meeting_invitee WHERE attended = 1"
    )
    assert attended == 1

    # The export.
    await staff.click_data(
        pack("mg", "ex", meeting_id),
        message=staff.find_button_message(label("meeting.export_button")),
    )
    xlsx, csv_file = [m for m in staff.bot_messages if m.kind == "document"][-2:]
    table = [
        [c.value for c in row]
        for row in load_workbook(io.BytesIO(xlsx.files[-1].content)).active.iter_rows()
    ]
    assert table[0] == ["姓名", "住址", "单位", "回复", "回复时间", "是否到会"]
    by_name = {row[1] or row[0]: row for row in table[1:]}
    assert by_name["王经理"][2] == "物业公司"
    assert by_name["王经理"][5] == "是"
    came = [row for row in table[1:] if row[5] == "是"]
    assert len(came) == 2
    assert csv_file.files[-1].content.startswith(b"\xef\xbb\xbf")

    # A resident finds it under 📅 with its minutes.
    a = people[A]
    await a.send("/start")
    await a.press(label("menu.meetings"))
    await a.click(
        label("meeting.list_line", mark="📝", when="11月25日（周三）", title="1号楼加装电梯协调会")
    )
    assert "议定事项" in a.last().text
    assert "您的回复：🙋 参加" in a.last().text
    # D (2号楼, same compound) was not invited but reads the minutes too; 光明新村 does not.
    d = people[D]
    await d.send("/start")
    await d.press(label("menu.meetings"))
    await d.click(
        label("meeting.list_line", mark="📝", when="11月25日（周三）", title="1号楼加装电梯协调会")
    )
    assert "电费由受益户分摊" in d.last().text
    assert "您的回复" not in d.last().text
    far = people[FAR]
    await far.send("/start")
    await far.click_data(pack("mg", "view", meeting_id))
    assert alert(far) == label("meeting.not_invited")


async def test_a_grid_worker_organises_for_their_own_grid_only(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("王网格员", user_id=OTHER_GRID)
    await worker.send("/start")
    await worker.press(label("menu.meetings"))
    await worker.click(label("meeting.new_button"))
    await worker.click(label("meeting.kind_consultation"))
    await worker.send("光明新村议事会")
    await worker.send("11-27 19:00")
    await worker.send("光明新村活动室")
    await worker.click(label("notice.skip"))
    await worker.click(label("bc.kind_buildings"))
    assert "幸福里小区 1号楼" not in worker.last().labels
    await worker.click_data(pack("mc", "tog", community.buildings["1号楼"]))
    assert alert(worker) == label("error.stale_button")
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.click_data(pack("mc", "new"))
    assert alert(resident) == label("error.not_allowed")


async def test_minutes_as_a_long_document_arrive_as_the_file_then_the_text(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await at(harness, clock, local(25, 21))
    await staff.click_data(pack("mg", "mn", meeting_id))
    long_minutes = "会议记录。" * 200  # 1,000 characters: with the heading over Telegram's 1,024
    await staff.send_document(b"%PDF minutes", "纪要.pdf", "application/pdf", caption=long_minutes)
    await staff.click(label("notice.skip"))
    await harness.runtime.services.sender.settle()
    a = people[A]
    file, text = a.bot_messages[-2:]
    assert file.kind == "document"
    assert file.files[-1].content == b"%PDF minutes"
    assert text.kind == "text"
    assert text.text.startswith("📝 会议纪要：1号楼加装电梯协调会")
    row = await harness.runtime.db.fetch_one("SELECT minutes, minutes_doc FROM meeting")
    assert row["minutes"] == long_minutes
    assert row["minutes_doc"]


async def test_over_long_words_and_the_wrong_kind_of_message_are_refused_politely(
    harness: BotHarness, community: Community
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    a = people[A]
    await a.click(label("meeting.ask_button"))
    await a.send("问" * 1001)
    assert a.last().text == shown(ZH, "error.too_long", limit=1000)
    await a.send_photo(b"\x89PNG")
    assert a.last().text == shown(ZH, "meeting.not_here")
    await a.click(label("reg.cancel"))
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM meeting_question") == 0
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.click_data(pack("mg", "cp", meeting_id), message=staff.last())
    await staff.send("地" * 201)
    assert staff.last().text == shown(ZH, "error.too_long", limit=200)
    await staff.send(" \n ")
    assert staff.last().text == shown(ZH, "error.blank")
    await staff.send("/cancel")
    row = await harness.runtime.db.fetch_one("SELECT place FROM meeting")
    assert row["place"] == "社区活动室"
    await staff.press(label("menu.meetings"))
    await staff.click(label("meeting.new_button"))
    await staff.click(label("meeting.kind_hearing"))
    await staff.send("题" * 101)
    assert staff.last().text == shown(ZH, "error.too_long", limit=100)
    await staff.send("\u3000\n")
    assert staff.last().text == shown(ZH, "error.blank")
    await staff.send_voice(b"OggS")
    assert staff.last().text == shown(ZH, "meeting.not_here")
    await staff.send("/cancel")
    assert staff.last().text == shown(ZH, "meeting.cancelled_draft")
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM meeting") == 1


async def test_a_grid_worker_is_offered_only_the_scopes_of_their_grid_and_a_forged_one_refused(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await worker.press(label("menu.meetings"))
    await worker.click(label("meeting.new_button"))
    await worker.click(label("meeting.kind_consultation"))
    await worker.send("1号楼议事会")
    await worker.send("11-27 19:00")
    await worker.send("1号楼门口")
    await worker.click(label("notice.skip"))
    scopes = worker.last()
    assert label("bc.kind_compounds") not in scopes.labels
    assert label("bc.kind_buildings") in scopes.labels

    # The compound button's data sent anyway: one polite answer, and the step stays.
    press = await worker.click_data(pack("mc", "pick", "scope", "compounds"), message=scopes)
    assert press.answer_text == label("error.not_allowed")
    assert worker.last().labels == scopes.labels
    await worker.click(label("bc.kind_buildings"))
    await worker.click("幸福里小区 1号楼")
    await worker.click(label("bc.done", count=1))
    await worker.click(label("vote.done", count=0))
    await worker.click(label("vote.done", count=0))
    await worker.click(label("meeting.deadline_d1"))
    await worker.click(label("meeting.confirm"))
    assert worker.last().text == shown(ZH, "meeting.created", title="1号楼议事会")
    stored = await harness.runtime.db.fetch_value("SELECT scope FROM meeting")
    assert Scope.model_validate_json(stored).kind is ScopeKind.BUILDINGS

    # Nor does the service take a whole compound from a grid worker, even their own.
    whole = Scope(kind=ScopeKind.COMPOUNDS, ids=(community.compounds["幸福里小区"],))
    with pytest.raises(NotAllowed):
        await harness.runtime.services.meetings.check_scope(await account_of(harness, GRID), whole)
