"""Meetings through the real Application, the parts that keep answers and calendars right:
answer deadlines that are never already past, a moved meeting taking its deadline along, and
the .ics of every notice (time zone, METHOD, SEQUENCE, the cancelling file)."""

from __future__ import annotations

from datetime import datetime

from bot.clock import ManualClock
from bot.domain.meetings import MeetingDraft, MeetingKind
from bot.domain.scope import Scope, ScopeKind
from emulator.driver import UserClient
from emulator.harness import BotHarness
from emulator.records import Message
from tests.calendar_checks import CalendarFile, read_calendar
from tests.conftest import STAFF_ID
from tests.e2e.catalog import pack, shown
from tests.e2e.delivery.community import Community
from tests.e2e.delivery.test_meetings import (
    A2,
    SHANGHAI,
    ZH,
    A,
    B,
    account_of,
    alert,
    at,
    clients,
    label,
    local,
    organise,
)


def changes_of(user: UserClient) -> list[Message]:
    """The change notices a person got, oldest first."""
    return [m for m in user.bot_messages if "会议有变动" in m.text]


def calendar_in(message: Message) -> CalendarFile:
    """The .ics a notice carries, read back and checked."""
    assert message.kind == "document", message.kind
    assert (message.files[-1].file_name or "").endswith(".ics")
    return read_calendar(message.files[-1].content)


async def rsvp_by(harness: BotHarness, meeting_id: int) -> str:
    """The stored answer deadline in community time."""
    stored = await harness.runtime.db.fetch_value(
        "SELECT rsvp_by FROM meeting WHERE id = ?", (meeting_id,)
    )
    return f"{datetime.fromisoformat(stored).astimezone(SHANGHAI):%m-%d %H:%M}"


async def start_new_meeting(staff: UserClient, when: str) -> None:
    """Staff fill in a meeting for 1号楼 up to the answer deadline."""
    await staff.send("/start")
    await staff.press(label("menu.meetings"))
    await staff.click(label("meeting.new_button"))
    await staff.click(label("meeting.kind_consultation"))
    await staff.send("1号楼议事会")
    await staff.send(when)
    await staff.send("社区活动室")
    await staff.click(label("notice.skip"))
    await staff.click(label("bc.kind_buildings"))
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    await staff.click(label("vote.done", count=0))
    await staff.click(label("vote.done", count=0))


# ---------------------------------------------------------------------------- answer deadlines


async def test_answer_deadlines_already_past_are_not_offered_and_refused_with_a_reason(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await start_new_meeting(staff, "11-22 20:00")  # 11 hours from now (09:00)

    # "A day before" would be yesterday: not offered; forged, refused with the reason.
    deadline_step = staff.last()
    assert label("meeting.deadline_d1") not in deadline_step.labels
    assert label("meeting.deadline_h3") in deadline_step.labels
    assert label("meeting.deadline_h0") in deadline_step.labels
    press = await staff.click_data(pack("mc", "pick", "deadline", "d1"), message=deadline_step)
    assert press.answer_text == label("meeting.deadline_past")
    assert staff.last().labels == deadline_step.labels  # the step is still there
    await staff.send("2026-11-22 08:00")  # typed, and already past
    assert staff.last().text == shown(ZH, "bc.past_time", when="11月22日（周日）上午8:00")

    await staff.click(label("meeting.deadline_h3"))
    assert (
        "回复截止：11月22日（周日）下午5:00"
        in staff.find_button_message(label("meeting.confirm")).text
    )
    # The preview waited too long: 17:00 has passed when Confirm is pressed.
    await at(harness, clock, local(22, 17, 30))
    await staff.click(label("meeting.confirm"))
    assert alert(staff) == label("meeting.deadline_past")
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM meeting") == 0

    await staff.click(label("reg.back"))
    deadline_step = staff.find_button_message(label("meeting.deadline_h0"))
    assert label("meeting.deadline_h3") not in deadline_step.labels
    await staff.click(label("meeting.deadline_h0"))
    assert (
        "回复截止：11月22日（周日）晚上8:00"
        in staff.find_button_message(label("meeting.confirm")).text
    )
    await staff.click(label("meeting.confirm"))
    assert await harness.runtime.db.fetch_value("SELECT title FROM meeting") == "1号楼议事会"
    assert await rsvp_by(harness, 1) == "11-22 20:00"
    await harness.runtime.services.sender.settle()

    a = people[A]
    await a.click(label("meeting.rsvp_attend"))
    assert alert(a) == label("meeting.rsvp_done", answer=label("meeting.rsvp_attend"))


async def test_moving_a_meeting_moves_its_answer_deadline_and_the_notice_says_so(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)  # 11-25 19:30, answers until 11-24 19:30
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.click_data(pack("mg", "ct", meeting_id), message=staff.last())
    await staff.send("11-27 19:30")
    assert staff.last().text == shown(
        ZH,
        "meeting.changed_ok",
        when="11月27日（周五）晚上7:30",
        rsvp_by="11月26日（周四）晚上7:30",
    )
    assert await rsvp_by(harness, meeting_id) == "11-26 19:30"
    await harness.runtime.services.sender.settle()
    b = people[B]
    notice = changes_of(b)[-1]
    assert "11月25日（周三）晚上7:30 → 11月27日（周五）晚上7:30" in notice.text
    assert "回复截止：11月26日（周四）晚上7:30" in notice.text

    # After the old deadline the resident can still answer, from the change notice.
    await at(harness, clock, local(25, 10))
    await b.click(label("meeting.rsvp_cannot"), message=notice)
    assert alert(b) == label("meeting.rsvp_done", answer=label("meeting.rsvp_cannot"))

    # "Until it starts" stays so when the meeting moves.
    services = harness.runtime.services
    staff_account = await account_of(harness, STAFF_ID)
    open_until_start = await services.meetings.create(
        staff_account,
        MeetingDraft(
            kind=MeetingKind.HEARING,
            title="2单元听证会",
            starts_at=local(28, 9),
            place="2单元门口",
            scope=Scope(kind=ScopeKind.UNITS, ids=(community.units["1号楼 2单元"],)),
            rsvp_by=local(28, 9),
        ),
    )
    await services.meetings.change(staff_account, open_until_start.id, starts_at=local(29, 15))
    assert await rsvp_by(harness, open_until_start.id) == "11-29 15:00"


# ---------------------------------------------------------------------------- calendar files


async def test_calendar_files_follow_every_change_and_the_cancellation(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    a2 = people[A2]
    invitation = calendar_in(a2.last())
    assert (invitation.method, invitation.sequence) == ("REQUEST", 0)
    assert invitation.uid == f"meeting-{meeting_id}@shangliang"
    assert invitation.stamp == clock.now()

    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.click_data(pack("mg", "ct", meeting_id), message=staff.last())
    await staff.send("11-26 19:00")
    await harness.runtime.services.sender.settle()
    await staff.click_data(pack("mg", "cp", meeting_id), message=staff.last())
    await staff.send("3号楼架空层")
    await harness.runtime.services.sender.settle()
    moved, placed = (calendar_in(m) for m in changes_of(a2))
    assert (moved.method, moved.sequence, moved.uid) == ("REQUEST", 1, invitation.uid)
    assert moved.start == local(26, 19)
    assert (placed.sequence, placed.location) == (2, "3号楼架空层")

    # 📅 on the first notice now gives the meeting as it is.
    first_notice = next(m for m in a2.bot_messages if "会议通知" in m.text)
    await a2.click(label("meeting.ics_button"), message=first_notice)
    assert calendar_in(a2.last()).sequence == 2

    await staff.click_data(pack("mg", "cx", meeting_id), message=staff.last())
    await staff.click(label("meeting.yes_cancel"))
    await harness.runtime.services.sender.settle()
    for uid in (A, A2, B):
        cancellation = next(m for m in people[uid].bot_messages if "会议取消" in m.text)
        cancelled = calendar_in(cancellation)
        assert (cancelled.method, cancelled.status) == ("CANCEL", "CANCELLED")
        assert (cancelled.uid, cancelled.sequence) == (invitation.uid, 3)


async def test_change_notices_held_overnight_carry_the_meeting_as_it_is_when_sent(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    clock.set(local(22, 22, 30))  # quiet hours: the notices wait for the morning
    await staff.click_data(pack("mg", "ct", meeting_id), message=staff.last())
    await staff.send("11-26 19:00")
    clock.set(local(22, 22, 40))
    await staff.click_data(pack("mg", "cp", meeting_id), message=staff.last())
    await staff.send("3号楼架空层")
    await harness.runtime.services.sender.settle()
    a = people[A]
    assert changes_of(a) == []

    await at(harness, clock, local(23, 7))
    first, second = changes_of(a)
    assert "11月25日（周三）晚上7:30 → 11月26日（周四）晚上7:00" in first.text
    assert "社区活动室 → 3号楼架空层" in second.text
    # Both files are the meeting after the second change: a calendar never goes back.
    for notice in (first, second):
        sent = calendar_in(notice)
        assert (sent.sequence, sent.start, sent.location) == (2, local(26, 19), "3号楼架空层")


async def test_a_change_notice_held_overnight_past_a_cancellation_carries_the_cancelling_file(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    clock.set(local(22, 22, 30))
    await staff.click_data(pack("mg", "ct", meeting_id), message=staff.last())
    await staff.send("11-26 19:00")
    await staff.click_data(pack("mg", "cx", meeting_id), message=staff.last())
    await staff.click(label("meeting.yes_cancel"))

    await at(harness, clock, local(23, 7))
    a = people[A]
    (moved,) = changes_of(a)
    cancellation = next(m for m in a.bot_messages if "会议取消" in m.text)
    # The calendar must not bring back a meeting that is off: both files cancel it.
    for notice in (moved, cancellation):
        sent = calendar_in(notice)
        assert (sent.method, sent.sequence) == ("CANCEL", 2)
    await a.click(label("meeting.rsvp_attend"), message=moved)
    assert alert(a) == label("meeting.rsvp_closed")
