"""Forged and stale presses of the meeting buttons ("mg", "mc"): each gets the polite "this
button is old" answer and changes nothing — no meeting, answer, attendance, question or
minutes, and the open flow stays where it was."""

from __future__ import annotations

from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import at_step, pack, shown
from tests.e2e.delivery.community import Community
from tests.e2e.delivery.test_meetings import ZH, A, account_of, alert, clients, label, organise

STALE = label("error.stale_button")


async def state(harness: BotHarness) -> dict[str, object]:
    """Everything a meeting press could change."""
    db = harness.runtime.db

    async def rows(sql: str) -> list[tuple[object, ...]]:
        return [tuple(row) for row in await db.fetch_all(sql)]

    return {
        "meetings": await rows(
            "SELECT id, status, starts_at, place, rsvp_by, minutes, minutes_at FROM meeting"
        ),
        "invitees": await rows(
            "SELECT meeting_id, user_id, rsvp, attended FROM meeting_invitee ORDER BY user_id"
        ),
        "contacts": await rows("SELECT id, attended FROM meeting_contact ORDER BY id"),
        "questions": await rows("SELECT id FROM meeting_question"),
    }


async def session(harness: BotHarness, telegram_id: int) -> tuple[object, ...] | None:
    """The person's open dialog (flow, step, draft), if any."""
    user = await account_of(harness, telegram_id)
    row = await harness.runtime.db.fetch_one(
        "SELECT flow, step, draft FROM dialog_session WHERE user_id = ?", (user.id,)
    )
    return tuple(row) if row is not None else None


async def test_forged_and_stale_meeting_presses_are_refused_politely_and_change_nothing(
    harness: BotHarness, community: Community
) -> None:
    people = clients(harness)
    meeting_id = await organise(harness, community)
    resident = people[A]
    await resident.send("/start")
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    before = await state(harness)

    # Without an open flow: the flows' own buttons, unknown actions, broken arguments.
    presses = [
        pack("mc", "pick", "kind", "hearing"),
        pack("mc", "tog", community.buildings["1号楼"]),  # the legacy picker's form
        pack("mc", "ok"),
        pack("mc", "nonsense"),
        pack("mg", "x"),
        pack("mg", "pick", "decisions", "skip"),
        pack("mg", "pick", "question", "1"),
        pack("mg", "nonsense", meeting_id),
        pack("mg", "rs", meeting_id, "never"),
        pack("mg", "rs", "abc", "attend"),
        pack("mg", "view", str(2**63)),
        pack("mg", "card", "-1"),
        pack("mg", "atu", meeting_id, 1, 2),
        pack("mg", "atc", meeting_id),
    ]
    for person in (resident, staff):
        pressed = person.last()  # the reply to /start (the notice keeps its buttons)
        for data in presses:
            await person.click_data(data, message=pressed)
            assert alert(person) == STALE, data
        assert await session(harness, person.user_id) is None
    assert await state(harness) == before

    # Mid-flow: a button of another step, of the other flow, or a forged value of this
    # step is stale; the flow stays at its step with its draft.
    await staff.press(label("menu.meetings"))
    await staff.click(label("meeting.new_button"))
    await staff.click(label("meeting.kind_hearing"))
    at_title = await session(harness, STAFF_ID)
    assert at_title is not None
    assert at_title[1] == "title"
    for data in (
        pack("mc", "pick", "kind", "consultation"),  # the kind step's, pressed again
        pack("mc", "pick", "title", "x"),  # this step offers no buttons
        pack("mc", "tog", "roles", "resident"),
        pack("mg", "x"),  # the other flow's Cancel
        pack("mg", "pick", "decisions", "skip"),
    ):
        await staff.click_data(data, message=staff.last())
        assert alert(staff) == STALE, data
        assert await session(harness, STAFF_ID) == at_title, data
    await staff.send("1号楼听证会")
    assert staff.last().text == at_step(ZH, 3, 9, "meeting.ask_new_time")

    # A flow that has ended: its last buttons are stale.
    await staff.click(label("reg.cancel"))
    assert staff.last().text == shown(ZH, "meeting.cancelled_draft")
    await staff.click_data(pack("mc", "pick", "time", "1"), message=staff.last())
    assert alert(staff) == STALE
    await resident.click(label("meeting.ask_button"))
    question_prompt = resident.last()
    await resident.send("电梯的电费以后谁出？")
    await resident.click(label("reg.cancel"), message=question_prompt)
    assert alert(resident) == STALE
    assert await session(harness, A) is None
    after = await state(harness)
    assert len(after["questions"]) == 1  # type: ignore[arg-type]
    assert {k: v for k, v in after.items() if k != "questions"} == {
        k: v for k, v in before.items() if k != "questions"
    }


async def test_words_or_files_a_button_step_cannot_take_are_answered_and_change_nothing(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    await staff.press(label("menu.meetings"))
    await staff.click(label("meeting.new_button"))
    await staff.send("听证会")  # words where a kind is to be chosen
    assert staff.last().text == shown(ZH, "reg.use_buttons")
    await staff.click(label("meeting.kind_hearing"))
    await staff.send("1号楼听证会")
    await staff.send("11-27 19:00")
    await staff.send("社区活动室")
    await staff.click(label("notice.skip"))
    await staff.click(label("bc.kind_buildings"))
    at_places = await session(harness, STAFF_ID)
    await staff.send_photo(b"\x89PNG")
    assert staff.last().text == shown(ZH, "meeting.not_here")
    await staff.send("1号楼")
    assert staff.last().text == shown(ZH, "reg.use_buttons")
    assert await session(harness, STAFF_ID) == at_places
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    at_roles = await session(harness, STAFF_ID)
    await staff.send_sticker()
    assert staff.last().text == shown(ZH, "meeting.not_here")
    await staff.send("网格员")
    assert staff.last().text == shown(ZH, "reg.use_buttons")
    assert await session(harness, STAFF_ID) == at_roles
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM meeting") == 0
