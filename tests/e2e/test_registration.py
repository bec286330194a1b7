"""Registration to a household, decided by phone or by the grid worker; my home; staff views.

Each test acts as residents and grid workers through the real Application and the emulator,
then checks what they were told and what the database holds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

from bot.__main__ import RedactPhones
from bot.app.config import Settings, settings_from_mapping
from bot.app.runtime import runtime_for
from bot.clock import ManualClock
from bot.domain.models import Language, NewHousehold
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import at_step, shown

ZH, EN = Language.ZH, Language.EN
GRID = 700001  # grid worker of 幸福里小区 1号楼 and 2号楼
OTHER_GRID = 700002  # grid worker of 光明新村 3号楼
PHONE_302 = "13900000302"  # the roster's phone of 幸福里小区 1号楼 1单元 302


@dataclass
class Tree:
    """Ids of what the test community holds."""

    households: dict[str, int]  # "1号楼 1单元 302" → id


@pytest.fixture
def settings(database_path) -> Settings:  # type: ignore[no-untyped-def]
    """A community with two grids and one staff member."""
    return settings_from_mapping(
        {
            "storage": {"database": str(database_path)},
            "community": {"name": "幸福里社区"},
            "roles": {"staff": [STAFF_ID]},
            "grids": [
                {
                    "name": "第一网格",
                    "buildings": ["幸福里小区/1号楼", "幸福里小区/2号楼"],
                    "workers": [GRID],
                },
                {"name": "第二网格", "buildings": ["光明新村/3号楼"], "workers": [OTHER_GRID]},
            ],
        }
    )


@pytest.fixture
async def tree(settings: Settings, clock: ManualClock) -> Tree:
    """幸福里小区: 1号楼 (1单元 with 14 flats, 2单元 with 2), 2号楼; 光明新村: 3号楼."""
    layout = {
        ("幸福里小区", "1号楼", "1单元"): [
            f"{floor}0{flat}" for floor in range(1, 8) for flat in (1, 2)
        ],
        ("幸福里小区", "1号楼", "2单元"): ["101", "102"],
        ("幸福里小区", "2号楼", "1单元"): ["101", "102"],
        ("光明新村", "3号楼", "1单元"): ["101"],
    }
    households = {}
    async with runtime_for(settings, clock) as runtime:
        community = runtime.services.community
        compounds: dict[str, int] = {}
        buildings: dict[tuple[str, str], int] = {}
        for (compound, building, unit), rooms in layout.items():
            if compound not in compounds:
                compounds[compound] = (await community.add_compound(compound)).id
            if (compound, building) not in buildings:
                added = await community.add_building(compounds[compound], building)
                buildings[(compound, building)] = added.id
            unit_id = (await community.add_unit(buildings[(compound, building)], unit)).id
            for room in rooms:
                phone = PHONE_302 if (building, unit, room) == ("1号楼", "1单元", "302") else None
                added = await community.add_household(
                    NewHousehold(unit_id=unit_id, room=room, area=Decimal("60.5"), phone=phone),
                    clock.now(),
                )
                households[f"{building} {unit} {room}"] = added.id
    return Tree(households=households)


@pytest.fixture
async def harness(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, tree: Tree
) -> AsyncIterator[BotHarness]:
    """The bot on the seeded community (grids synced at start-up)."""
    running = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        yield running
    finally:
        errors = list(running.errors)
        await running.stop()
    assert not errors, f"the bot's error handler saw: {errors!r}"


async def membership(harness: BotHarness, user_id: int) -> list[dict[str, object]]:
    """The memberships of a Telegram user, as rows."""
    rows = await harness.runtime.db.fetch_all(
        "SELECT m.household_id, m.status, m.is_current, m.via, d.external_id AS decided_by"
        " FROM membership m JOIN user u ON u.id = m.user_id"
        " LEFT JOIN user d ON d.id = m.decided_by WHERE u.external_id = ?"
        " ORDER BY m.household_id",
        (str(user_id),),
    )
    return [dict(row) for row in rows]


async def pick_room(resident, building: str, unit: str, room: str) -> None:  # type: ignore[no-untyped-def]
    """Go through the picker: compound 幸福里小区, then building, unit, room."""
    await resident.command("register")
    await resident.click("幸福里小区")
    await resident.click(building)
    await resident.click(unit)
    await resident.click(room)


async def test_phone_matching_the_roster_registers_at_once(
    harness: BotHarness, tree: Tree
) -> None:
    resident = harness.user("王阿姨")
    await pick_room(resident, "1号楼", "1单元", "302")
    assert resident.last().text == at_step(ZH, 5, 5, "reg.ask_phone")
    assert plain(ZH, "reg.share_phone") in resident.keyboard

    await resident.share_contact("+86 139 0000 0302")

    assert resident.last().text == shown(ZH, "reg.approved", place="幸福里小区 1号楼 1单元 302")
    assert plain(ZH, "menu.home") in resident.keyboard  # back to the main menu
    assert await membership(harness, resident.user_id) == [
        {
            "household_id": tree.households["1号楼 1单元 302"],
            "status": "approved",
            "is_current": 1,
            "via": "phone",
            "decided_by": None,
        }
    ]
    stored = await harness.runtime.db.fetch_value(
        "SELECT phone FROM user WHERE external_id = ?", (str(resident.user_id),)
    )
    assert stored == PHONE_302


async def test_without_phone_the_grid_worker_approves_with_one_button(
    harness: BotHarness, tree: Tree
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.command("start")
    worker.mark_read()
    resident = harness.user("Tom", language_code="en")
    await resident.command("language")
    await resident.click("English")
    await pick_room(resident, "1号楼", "2单元", "101")
    await resident.press(plain(EN, "reg.skip_phone"))

    assert resident.last().text == shown(EN, "reg.pending", place="幸福里小区 1号楼 2单元 101")
    [request] = worker.replies()
    assert request.text == shown(
        ZH, "reg.ask_decision", name="Tom", place="幸福里小区 1号楼 2单元 101"
    )
    assert request.labels == [plain(ZH, "reg.approve"), plain(ZH, "reg.reject")]
    assert (await membership(harness, resident.user_id))[0]["status"] == "pending"

    resident.mark_read()
    await worker.click(plain(ZH, "reg.approve"))

    assert worker.last().text == shown(
        ZH, "staff.approved", name="Tom", place="幸福里小区 1号楼 2单元 101", by="李网格员"
    )
    assert worker.last().labels == []
    [told] = resident.replies()
    assert told.text == shown(EN, "reg.approved_push", place="幸福里小区 1号楼 2单元 101")
    [row] = await membership(harness, resident.user_id)
    assert (row["status"], row["is_current"], row["decided_by"]) == ("approved", 1, str(GRID))


async def test_a_rejected_resident_is_told_and_a_second_press_changes_nothing(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.command("start")
    resident = harness.user("张三")
    await pick_room(resident, "2号楼", "1单元", "102")
    await resident.press(plain(ZH, "reg.skip_phone"))
    request = worker.find_button_message(plain(ZH, "reg.reject"))
    approve = request.button(plain(ZH, "reg.approve")).callback_data
    resident.mark_read()

    await worker.click(plain(ZH, "reg.reject"), message=request)
    # "contact your grid worker" names them (their Telegram name: no display name configured)
    assert resident.last().text == shown(
        ZH, "reg.rejected_push_named", place="幸福里小区 2号楼 1单元 102", worker="李网格员"
    )

    # The same (now stale) request pressed again, e.g. from a second device: refused.
    await worker.click_data(approve, message=request)
    assert worker.last_answer.answer_text == plain(ZH, "reg.already_decided")
    assert (await membership(harness, resident.user_id))[0]["status"] == "rejected"


async def test_only_that_buildings_grid_worker_or_staff_may_decide(
    harness: BotHarness, tree: Tree
) -> None:
    grid = harness.user("李网格员", user_id=GRID)
    await grid.command("start")
    other = harness.user("赵网格员", user_id=OTHER_GRID)
    await other.command("start")
    resident = harness.user("王阿姨")
    await pick_room(resident, "1号楼", "1单元", "101")
    await resident.press(plain(ZH, "reg.skip_phone"))
    data = (
        grid.find_button_message(plain(ZH, "reg.approve"))
        .button(plain(ZH, "reg.approve"))
        .callback_data
    )
    assert all(plain(ZH, "reg.approve") not in m.labels for m in other.bot_messages)

    await other.click_data(data, message=other.last())  # the other grid's worker, forged
    assert other.last_answer.answer_text == plain(ZH, "error.not_allowed")
    intruder = harness.user("邻居")
    await intruder.command("start")
    await intruder.click_data(data, message=intruder.last())  # a resident, forged
    assert intruder.last_answer.answer_text == plain(ZH, "error.not_allowed")
    assert (await membership(harness, resident.user_id))[0]["status"] == "pending"

    staff = harness.user("社区书记", user_id=STAFF_ID)
    await staff.command("start")
    await staff.click_data(data, message=staff.last())
    row = (await membership(harness, resident.user_id))[0]
    assert (row["status"], row["decided_by"]) == ("approved", str(STAFF_ID))


async def test_a_double_registration_is_refused_without_a_second_row(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await pick_room(resident, "1号楼", "1单元", "302")
    await resident.share_contact(PHONE_302)

    await pick_room(resident, "1号楼", "1单元", "302")

    assert resident.last().text == shown(
        ZH, "reg.already_member", place="幸福里小区 1号楼 1单元 302"
    )
    assert len(await membership(harness, resident.user_id)) == 1


async def test_back_and_cancel_work_at_every_step(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("register")
    await resident.click("幸福里小区")
    await resident.click("1号楼")
    assert shown(ZH, "reg.ask_unit") in resident.last().text
    await resident.click(plain(ZH, "reg.back"))
    assert shown(ZH, "reg.ask_building") in resident.last().text
    await resident.click(plain(ZH, "reg.back"))
    assert shown(ZH, "reg.ask_compound") in resident.last().text
    assert plain(ZH, "reg.back") not in resident.last().labels  # nothing before the first step

    await resident.click("幸福里小区")
    await resident.click("2号楼")
    await resident.click("1单元")
    await resident.click("101")
    await resident.press(plain(ZH, "reg.back"))  # from the phone step to the rooms
    assert shown(ZH, "reg.ask_room") in resident.last().text
    await resident.click(plain(ZH, "reg.cancel"))

    assert shown(ZH, "reg.cancelled") in resident.texts()
    assert plain(ZH, "menu.home") in resident.keyboard
    assert await membership(harness, resident.user_id) == []
    await resident.send("hello")  # the conversation is over: a greeting gets the welcome
    assert resident.last().text == shown(ZH, "start.welcome", name="王阿姨")


async def test_cancel_command_and_phone_step_cancel(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("register")
    await resident.command("cancel")
    assert resident.last().text == shown(ZH, "reg.cancelled")

    await pick_room(resident, "2号楼", "1单元", "101")
    await resident.press(plain(ZH, "reg.cancel"))
    assert resident.last().text == shown(ZH, "reg.cancelled")
    assert await membership(harness, resident.user_id) == []


async def test_long_room_lists_are_paged(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("register")
    await resident.click("幸福里小区")
    await resident.click("1号楼")
    await resident.click("1单元")
    first = resident.last()
    assert "101" in first.labels
    assert "702" not in first.labels
    assert "1/2" in first.labels

    await resident.click(plain(ZH, "reg.next"))
    assert "702" in resident.last().labels
    assert "2/2" in resident.last().labels
    await resident.click("702")
    assert resident.last().text == at_step(ZH, 5, 5, "reg.ask_phone")


async def test_wrong_input_gets_a_polite_retry(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("register")
    picker = resident.last()
    await resident.send_photo()
    assert resident.last().text == shown(ZH, "reg.use_buttons")
    await resident.send("幸福里小区")  # typed instead of pressed
    assert resident.last().text == shown(ZH, "reg.use_buttons")

    await resident.click("幸福里小区", message=picker)
    await resident.click("1号楼")
    await resident.click("1单元")
    await resident.click("302")
    await resident.share_contact(PHONE_302, own=False)  # someone else's card
    assert resident.last().text == shown(ZH, "reg.own_phone_only")
    await resident.send("13900000302")  # typed, not shared
    assert resident.last().text == shown(ZH, "reg.phone_buttons")
    assert await membership(harness, resident.user_id) == []


async def test_forged_or_stale_picks_are_refused(harness: BotHarness, tree: Tree) -> None:
    resident = harness.user("王阿姨")
    await resident.command("register")
    await resident.click("幸福里小区")
    # A building id that is not in 幸福里小区 (光明新村's), or garbage.
    other_building = await harness.runtime.db.fetch_value(
        "SELECT id FROM building WHERE name = '3号楼'"
    )
    await resident.click_data(f"v1:reg:pick:b:{other_building}")
    assert resident.last_answer.answer_text == plain(ZH, "error.stale_button")
    await resident.click_data("v1:reg:pick:b:not-a-number")
    assert resident.last_answer.answer_text == plain(ZH, "error.stale_button")
    # A compound pick replayed while the user is choosing a building.
    await resident.click_data("v1:reg:pick:c:1")
    assert resident.last_answer.answer_text == plain(ZH, "error.stale_button")
    assert await membership(harness, resident.user_id) == []


async def test_registration_survives_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, tree: Tree
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    resident = first.user("王阿姨")
    await resident.command("register")
    await resident.click("幸福里小区")
    await resident.click("1号楼")
    await first.stop()

    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        resident = second.user("王阿姨", user_id=resident.user_id)
        await resident.click("1单元")  # the picker from before the restart still works
        await resident.click("302")
        await resident.share_contact(PHONE_302)
        assert resident.last().text == shown(
            ZH, "reg.approved", place="幸福里小区 1号楼 1单元 302"
        )
        assert not second.errors
    finally:
        await second.stop()


async def test_my_home_members_current_and_leaving(harness: BotHarness, tree: Tree) -> None:
    grid = harness.user("李网格员", user_id=GRID)
    await grid.command("start")
    mother = harness.user("王阿姨")
    await pick_room(mother, "1号楼", "1单元", "302")
    await mother.share_contact(PHONE_302)
    son = harness.user("小明")
    await pick_room(son, "1号楼", "1单元", "302")
    await son.press(plain(ZH, "reg.skip_phone"))
    await grid.click(plain(ZH, "reg.approve"))
    # The mother also owns a flat in 2号楼.
    await pick_room(mother, "2号楼", "1单元", "101")
    await mother.press(plain(ZH, "reg.skip_phone"))
    await grid.click(plain(ZH, "reg.approve"))

    await mother.press(plain(ZH, "menu.home"))
    home = mother.last()
    assert shown(ZH, "home.current", place="幸福里小区 1号楼 1单元 302") in home.text
    assert shown(ZH, "home.members", names="小明") in home.text
    assert "13900000302" not in home.text
    assert "60.5" not in home.text

    await mother.click(plain(ZH, "home.make_current", room="101"))
    assert mother.last_answer.answer_text == plain(
        ZH, "home.now_current", place="幸福里小区 2号楼 1单元 101"
    )
    assert shown(ZH, "home.current", place="幸福里小区 2号楼 1单元 101") in mother.last().text

    await mother.click(plain(ZH, "home.leave", room="101"))
    assert mother.last().text == shown(ZH, "home.leave_ask", place="幸福里小区 2号楼 1单元 101")
    await mother.click(plain(ZH, "home.leave_yes"))
    rows = {row["household_id"]: row for row in await membership(harness, mother.user_id)}
    assert rows[tree.households["2号楼 1单元 101"]]["status"] == "left"
    assert rows[tree.households["1号楼 1单元 302"]]["is_current"] == 1  # the other one again
    # Pressing "leave" on the old message again: no longer a member.
    await mother.click_data(f"v1:home:sure:{tree.households['2号楼 1单元 101']}")
    assert mother.last_answer.answer_text == plain(ZH, "home.not_member")


async def test_someone_without_a_home_is_offered_registration(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("start")
    await resident.press(plain(ZH, "menu.home"))
    assert resident.last().text == shown(ZH, "home.none")

    await resident.click(plain(ZH, "home.register"))
    assert shown(ZH, "reg.ask_compound") in resident.last().text


async def test_grid_worker_sees_pending_requests_and_coverage(
    harness: BotHarness, tree: Tree
) -> None:
    grid = harness.user("李网格员", user_id=GRID)
    await grid.command("start")
    assert plain(ZH, "menu.pending") in grid.keyboard
    assert plain(ZH, "menu.coverage") in grid.keyboard
    first = harness.user("王阿姨")
    await pick_room(first, "1号楼", "1单元", "302")
    await first.share_contact(PHONE_302)
    second = harness.user("张三")
    await pick_room(second, "2号楼", "1单元", "101")
    await second.press(plain(ZH, "reg.skip_phone"))
    grid.mark_read()

    await grid.press(plain(ZH, "menu.pending"))
    title, request = grid.replies()
    assert title.text == shown(ZH, "staff.pending_title", count=1)
    assert request.text == shown(
        ZH, "reg.ask_decision", name="张三", place="幸福里小区 2号楼 1单元 101"
    )

    await grid.press(plain(ZH, "menu.coverage"))
    texts = grid.texts()
    assert texts[0] == shown(ZH, "staff.coverage_title")
    one = next(text for text in texts if "1号楼" in text)
    assert "1/16" in one  # only 302 of 1号楼's 16 flats is registered
    assert "1单元 301" in one
    assert "1单元 302" not in one
    assert not [text for text in texts if "3号楼" in text]  # not this grid's building


async def test_residents_are_refused_staff_views(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("start")
    assert plain(ZH, "menu.pending") not in resident.keyboard

    await resident.command("pending")
    assert resident.last().text == shown(ZH, "error.not_allowed")
    await resident.send(plain(ZH, "menu.coverage"))  # the label typed by hand
    assert resident.last().text == shown(ZH, "error.not_allowed")


async def test_phones_never_reach_the_log(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # even PTB's debug lines, which quote whole updates
    caplog.handler.addFilter(RedactPhones())  # as `shangliang run` installs it
    resident = harness.user("王阿姨")
    await pick_room(resident, "1号楼", "1单元", "302")
    await resident.share_contact(PHONE_302)
    assert PHONE_302 not in caplog.text
    # Nor its last digits on their own ("139****0302"); inside a longer number (a timestamp
    # the emulator stamps from the wall clock) they are not the phone.
    assert re.search(r"(?<!\d)0302(?!\d)", caplog.text) is None


async def test_qr_code_starts_at_the_unit_of_its_building(harness: BotHarness) -> None:
    building = await harness.runtime.db.fetch_value("SELECT id FROM building WHERE name = '2号楼'")
    invitation = await harness.runtime.services.invitations.code_for(building)
    resident = harness.user("王阿姨")

    await resident.command("start", invitation.payload)

    picker = resident.last()
    assert shown(ZH, "reg.ask_unit") in picker.text
    assert picker.labels[0] == "1单元"
    await resident.click("1单元")
    await resident.click("102")
    await resident.press(plain(ZH, "reg.skip_phone"))
    assert resident.last().text == shown(ZH, "reg.pending", place="幸福里小区 2号楼 1单元 102")


async def test_unknown_and_revoked_qr_codes_get_a_clear_message(harness: BotHarness) -> None:
    building = await harness.runtime.db.fetch_value("SELECT id FROM building WHERE name = '2号楼'")
    invitations = harness.runtime.services.invitations
    old = await invitations.code_for(building)
    await invitations.rotate(building)
    resident = harness.user("王阿姨")

    await resident.command("start", old.payload)
    assert resident.last().text == shown(ZH, "invite.revoked")
    await resident.command("start", "made-up-code")
    assert resident.last().text == shown(ZH, "invite.unknown")
    assert plain(ZH, "menu.home") in resident.keyboard  # and the menu, to pick by hand
    assert await membership(harness, resident.user_id) == []


async def test_each_registration_step_shows_its_number(harness: BotHarness, tree: Tree) -> None:
    """第 1/5 步 … 第 5/5 步: compound, building, unit, room, phone; back keeps them right."""
    resident = harness.user("王阿姨")
    await resident.command("register")
    assert resident.last().text == at_step(ZH, 1, 5, "reg.ask_compound")
    await resident.click("幸福里小区")
    assert resident.last().text == at_step(ZH, 2, 5, "reg.ask_building")
    await resident.click("1号楼")
    assert resident.last().text == at_step(ZH, 3, 5, "reg.ask_unit")
    await resident.click(plain(ZH, "reg.back"))
    assert resident.last().text == at_step(ZH, 2, 5, "reg.ask_building")
    await resident.click("1号楼")
    await resident.click("1单元")
    assert resident.last().text == at_step(ZH, 4, 5, "reg.ask_room")
    await resident.click("302")
    assert resident.last().text == at_step(ZH, 5, 5, "reg.ask_phone")
