"""Reports through the real Application: a resident reports with a voice note and photos, the
grid worker handles the ticket from the inbox, the household follows and rates it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.models import Language
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import at_step, shown
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community

ZH = Language.ZH
EN = Language.EN
SHANGHAI = ZoneInfo("Asia/Shanghai")
A, A2, B, C = 800101, 800102, 800103, 800104  # A, A2: 1号楼 1单元 101; B: 102; C: 2单元 101
FAR = 800301  # 光明新村 3号楼, the other grid


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


async def start_report(resident: UserClient, category: str = "water") -> None:
    await resident.send("/start")
    await resident.press(label("menu.report"))
    await resident.click(label(f"report.cat_{category}"))


async def report(
    resident: UserClient,
    *,
    category: str = "water",
    text: str = "厨房下水道堵了，水漫出来",
    place: tuple[str, ...] = ("home",),
    urgency: str = "normal",
    room: str = "1号楼 1单元 101",
) -> None:
    """The whole flow with the buttons a resident presses; the summary is left open."""
    await start_report(resident, category)
    await resident.send(text)
    await resident.click(label("report.photos_done", count=0))
    if place[0] == "home":
        await resident.click(label("report.place_home", place=room))
    else:
        await resident.click(label(f"report.spot_{place[1]}"))
    await resident.click(label(f"report.urgency_{urgency}_long"))


async def tickets(harness: BotHarness) -> list[dict[str, object]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT id, year, seq, category, urgency, status, description, household_id,"
        " place_kind, spot, assignee_id, rating, reason FROM ticket ORDER BY id"
    )
    return [dict(row) for row in rows]


async def history(harness: BotHarness, ticket_id: int = 1) -> list[tuple[str, str | None]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT kind, to_status FROM ticket_event WHERE ticket_id = ? ORDER BY id", (ticket_id,)
    )
    return [(row["kind"], row["to_status"]) for row in rows]


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


# ---------------------------------------------------------------------------- the report flow


async def test_a_resident_reports_with_a_voice_note_and_photos_and_the_grid_worker_is_told(
    harness: BotHarness, emulator: BotApiEmulator
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    other = harness.user("王网格员", user_id=OTHER_GRID)
    await worker.send("/start")
    await other.send("/start")
    await start_report(resident)
    assert resident.last().text == at_step(ZH, 2, 5, "report.ask_description", limit=1000)
    await resident.send_voice(b"OggS leak", duration=7)
    assert shown(ZH, "report.voice_received") in [m.text for m in resident.bot_messages]
    await resident.send_photo(b"\x89PNG one")
    await resident.send_photo(b"\x89PNG two")
    assert resident.last().text == at_step(ZH, 3, 5, "report.photo_received", count=2, limit=10)
    await resident.click(label("report.photos_done", count=2))
    await resident.click(label("report.place_home", place="1号楼 1单元 101"))
    await resident.click(label("report.urgency_high_long"))
    summary = resident.last().text
    assert "💧 给排水/下水道" in summary
    assert "照片：2 张" in summary
    assert "我家：1号楼 1单元 101" in summary
    assert "🔴 紧急" in summary
    await resident.click(label("report.submit"))

    assert "R-2026-0001" in resident.last().text
    assert "11月22日（周日）上午11:00" in resident.last().text  # accepted within 2 h when urgent
    [ticket] = await tickets(harness)
    assert ticket | {"id": 0} == {
        "id": 0,
        "year": 2026,
        "seq": 1,
        "category": "water",
        "urgency": "high",
        "status": "submitted",
        "description": "",
        "household_id": ticket["household_id"],
        "place_kind": "home",
        "spot": None,
        "assignee_id": None,
        "rating": None,
        "reason": "",
    }
    media = await harness.runtime.db.fetch_all("SELECT kind FROM ticket_media ORDER BY id")
    assert [row["kind"] for row in media] == ["photo", "photo", "voice"]
    assert await history(harness) == [("created", "submitted")]
    assert [kind for kind, _, _ in await jobs(harness)] == [
        "ticket.accept_remind",
        "ticket.accept_due",
        "ticket.resolve_remind",
        "ticket.resolve_due",
    ]

    push = worker.last()
    assert "新报事 R-2026-0001" in push.text
    assert "1号楼 1单元 101" in push.text
    assert label("report.open_button") in push.labels
    assert all("R-2026" not in m.text for m in other.bot_messages)

    # The grid worker hears and sees what was sent.
    await worker.click(label("report.open_button"))
    card = worker.last()
    assert "📷 2 · 🎤 1" in card.text
    await worker.click(label("report.media_button", photos=2, voices=1), message=card)
    album = [m for m in worker.bot_messages if m.kind in ("photo", "voice")]
    assert [m.kind for m in album] == ["photo", "photo", "voice"]
    assert [m.files[0].content for m in album] == [b"\x89PNG one", b"\x89PNG two", b"OggS leak"]


async def test_bad_input_at_each_step_gets_a_polite_retry_and_nothing_is_filed(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    await start_report(resident)
    await resident.send_sticker()
    assert resident.last().text == shown(ZH, "report.text_or_voice")
    await resident.send_photo()
    assert resident.last().text == shown(ZH, "report.text_or_voice")
    await resident.send("漏" * 1001)
    assert resident.last().text == shown(ZH, "error.too_long", limit=1000)
    await resident.send(" \n \n\u3000 ")  # only spaces and newlines
    assert resident.last().text == shown(ZH, "error.blank")
    await resident.send("楼上漏水到我家")

    await resident.send_document(b"%PDF", "plan.pdf", "application/pdf")
    assert resident.last().text == shown(ZH, "report.photos_only")
    await resident.send("这是文字")
    assert resident.last().text == shown(ZH, "report.photos_only")
    for number in range(10):
        await resident.send_photo(f"photo {number}".encode())
    await resident.send_photo(b"one too many")
    assert resident.last().text == at_step(ZH, 3, 5, "report.too_many_photos", limit=10)
    await resident.click(label("report.photos_done", count=10))

    await resident.send("家里")
    assert resident.last().text == shown(ZH, "reg.use_buttons")
    await resident.click(label("report.place_other"))
    await resident.send_sticker()
    assert resident.last().text == shown(ZH, "report.text_only")
    await resident.send("地" * 201)
    assert resident.last().text == shown(ZH, "error.too_long", limit=200)
    await resident.send("\n\n")
    assert resident.last().text == shown(ZH, "error.blank")
    await resident.send("3号楼和4号楼之间的路灯")
    await resident.click(label("report.urgency_low_long"))
    assert "地点：3号楼和4号楼之间的路灯" in resident.last().text
    assert "照片：10 张" in resident.last().text
    await resident.click(label("reg.cancel"))
    assert resident.last().text == shown(ZH, "report.cancelled")
    assert await tickets(harness) == []


async def test_back_goes_one_step_back_at_every_step_and_edit_returns_to_the_summary(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    await report(resident)
    assert "紧急程度" in resident.last().text
    await resident.click(label("reg.back"))
    assert resident.last().text == at_step(ZH, 5, 5, "report.ask_urgency")
    await resident.click(label("reg.back"))
    assert "问题在哪里" in resident.last().text
    await resident.click(label("report.place_other"))
    await resident.click(label("reg.back"))
    assert "问题在哪里" in resident.last().text
    await resident.click(label("reg.back"))
    assert "可以拍照片发过来" in resident.last().text
    await resident.click(label("reg.back"))
    assert resident.last().text == at_step(ZH, 2, 5, "report.ask_description", limit=1000)
    await resident.click(label("reg.back"))
    assert "是什么问题" in resident.last().text

    # Forward again, then change the urgency from the summary.
    await resident.click(label("report.cat_lighting"))
    await resident.send("楼道灯不亮")
    await resident.click(label("report.photos_done", count=0))
    await resident.click(label("report.spot_stairwell"))
    await resident.click(label("report.urgency_low_long"))
    assert "🟢 不急" in resident.last().text
    await resident.click(label("report.edit"))
    await resident.click(label("report.edit_urgency"))
    await resident.click(label("report.urgency_normal_long"))
    summary = resident.last().text
    assert "🟡 一般" in summary
    assert "1号楼 楼道" in summary
    await resident.click(label("report.submit"))
    [ticket] = await tickets(harness)
    assert (ticket["category"], ticket["urgency"], ticket["place_kind"], ticket["spot"]) == (
        "lighting",
        "normal",
        "building",
        "stairwell",
    )


async def test_an_edit_press_before_the_summary_is_a_stale_button(harness: BotHarness) -> None:
    resident = harness.user("居民", user_id=A)
    await start_report(resident, "lighting")
    asked = resident.last().text
    session = await harness.runtime.db.fetch_one("SELECT step, draft FROM dialog_session")

    # Edit buttons live on the summary: pressed (forged) at the description, nothing moves.
    await resident.click_data("v1:rf:ed:urgency")

    assert resident.last_answer.answer_text == label("error.stale_button")
    assert resident.last().text == asked
    after = await harness.runtime.db.fetch_one("SELECT step, draft FROM dialog_session")
    assert tuple(after) == tuple(session)
    await resident.send("楼道灯不亮")
    assert "可以拍照片发过来" in resident.last().text


async def test_the_draft_survives_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    resident = first.user("居民", user_id=A)
    await start_report(resident, "roof")
    await resident.send("顶楼漏雨")
    await resident.send_photo(b"wet ceiling")
    await first.stop()

    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        resident = second.user("居民", user_id=A)
        await resident.send_photo(b"wet wall")
        assert resident.last().text == at_step(
            ZH, 3, 5, "report.photo_received", count=2, limit=10
        )
        await resident.click(label("report.photos_done", count=2))
        await resident.click(label("report.spot_roof"))
        await resident.click(label("report.urgency_normal_long"))
        assert "顶楼漏雨" in resident.last().text
        await resident.click(label("report.submit"))
        [ticket] = await tickets(second)
        assert ticket["description"] == "顶楼漏雨"
        assert ticket["category"] == "roof"
        assert await second.runtime.db.fetch_value("SELECT count(*) FROM ticket_media") == 2
        assert not second.errors
    finally:
        await second.stop()


async def test_someone_without_a_registered_home_is_asked_to_register(
    harness: BotHarness,
) -> None:
    visitor = harness.user("访客")
    await visitor.send("/start")
    await visitor.press(label("menu.report"))
    assert visitor.last().text == shown(ZH, "report.no_home")
    await visitor.press(label("menu.my_reports"))
    assert visitor.last().text == shown(ZH, "report.none_mine")


# ---------------------------------------------------------------------------- "+1"


async def test_a_neighbour_joins_the_open_ticket_instead_of_filing_a_duplicate(
    harness: BotHarness,
) -> None:
    first, neighbour = harness.user("居民", user_id=A), harness.user("居民", user_id=C)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(first, category="lighting", place=("spot", "stairwell"), text="楼道灯坏了")
    await first.click(label("report.submit"))

    await report(
        neighbour,
        category="lighting",
        place=("home",),
        room="1号楼 2单元 101",
        text="一楼到三楼灯都不亮",
    )
    offer = neighbour.last()
    assert "R-2026-0001" in offer.text
    assert "已有 0 户附议" in offer.text
    assert "1单元 101" not in offer.text  # the other household's room is not shown
    await neighbour.click(label("report.plus_one", number="R-2026-0001"))
    assert neighbour.last().text == shown(ZH, "report.joined", number="R-2026-0001", count=1)
    assert len(await tickets(harness)) == 1
    assert await history(harness) == [("created", "submitted"), ("join", None)]

    # A second "+1" from the same household is refused; a different category is not offered.
    await report(
        neighbour, category="lighting", place=("home",), room="1号楼 2单元 101", text="再报"
    )
    await neighbour.click(label("report.plus_one", number="R-2026-0001"))
    assert neighbour.last_answer.answer_text == label(
        "report.already_joined", number="R-2026-0001"
    )
    await neighbour.click(label("reg.cancel"))
    await report(neighbour, category="elevator", room="1号楼 2单元 101")
    assert "R-2026-0001" not in neighbour.last().text

    # The grid worker sees the count; the neighbour hears of the ticket's progress.
    await worker.press(label("menu.inbox"))
    await worker.click(worker.last().labels[0])
    assert "👍 附议 1 户" in worker.last().text
    await worker.click(label("report.set_accepted"))
    await worker.click(label("report.no_note"))
    assert "状态更新为：已受理" in neighbour.last().text
    assert "状态更新为：已受理" in first.last().text
    mine = neighbour
    await mine.press(label("menu.my_reports"))
    assert (
        label(
            "report.list_button",
            number="R-2026-0001",
            category=label("report.cat_lighting"),
            status=label("report.status_accepted"),
        )
        in mine.last().labels
    )


async def test_a_household_that_joined_sees_the_public_card_not_the_reporters_home(
    harness: BotHarness,
) -> None:
    reporter, neighbour = harness.user("居民", user_id=A), harness.user("居民", user_id=B)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await start_report(reporter, "water")
    await reporter.send("我家厨房下水道堵了，钥匙在门口地垫下")
    await reporter.send_photo(b"\x89PNG inside the flat")
    await reporter.click(label("report.photos_done", count=1))
    await reporter.click(label("report.place_home", place="1号楼 1单元 101"))
    await reporter.click(label("report.urgency_normal_long"))
    await reporter.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.ask"))
    await worker.send("请问明天上午家里有人吗？")

    await start_report(neighbour, "water")
    await neighbour.send("我家也返水")
    await neighbour.send_photo(b"\x89PNG our own floor")
    await neighbour.click(label("report.photos_done", count=1))
    await neighbour.click(label("report.place_home", place="1号楼 1单元 102"))
    await neighbour.click(label("report.urgency_normal_long"))
    await neighbour.click(label("report.plus_one", number="R-2026-0001"))
    assert neighbour.last().text == shown(ZH, "report.joined", number="R-2026-0001", count=1)

    await neighbour.press(label("menu.my_reports"))
    await neighbour.click(neighbour.last().labels[0])
    card = neighbour.last()
    assert "R-2026-0001" in card.text
    assert "101" not in card.text  # the reporter's room
    assert "钥匙" not in card.text  # the reporter's description
    assert "明天上午" not in card.text  # the grid worker's question to the reporter
    assert "我家也返水" in card.text  # their own "+1" note
    # Only their own photo is forwarded, not the one taken inside the reporter's flat.
    await neighbour.click(label("report.media_button", photos=1, voices=0), message=card)
    photos = [m for m in neighbour.bot_messages if m.kind == "photo"]
    assert [m.files[0].content for m in photos] == [b"\x89PNG our own floor"]

    # The reporting household sees its own report whole, and of the neighbour only that one
    # more household joined: not their note nor their photo.
    await reporter.press(label("menu.my_reports"))
    await reporter.click(reporter.last().labels[0])
    own = reporter.last()
    assert "1号楼 1单元 101" in own.text
    assert "钥匙在门口地垫下" in own.text
    assert "明天上午" in own.text
    assert "又有一户附议" in own.text
    assert "我家也返水" not in own.text
    assert label("report.media_button", photos=1, voices=0) in own.labels
    # The grid worker sees all of it.
    await worker.press(label("menu.inbox"))
    await worker.click(worker.last().labels[0])
    assert "📷 2 · 🎤 0" in worker.last().text


# ---------------------------------------------------------------------------- handling


async def test_the_grid_worker_claims_accepts_resolves_and_the_household_rates_it(
    harness: BotHarness, clock: ManualClock
) -> None:
    resident, member = harness.user("居民", user_id=A), harness.user("居民", user_id=A2)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await member.send("/start")
    await report(resident)
    await resident.click(label("report.submit"))
    await report(
        harness.user("居民", user_id=B), category="roof", urgency="high", room="1号楼 1单元 102"
    )
    await harness.user("居民", user_id=B).click(label("report.submit"))

    await worker.press(label("menu.inbox"))
    inbox = worker.last()
    assert "待办工单 2 张" in inbox.text
    # The urgent roof leak (accept by 11:00) comes before the drain (accept by tomorrow 09:00).
    assert inbox.labels[0].startswith("⏳ R-2026-0002")
    assert inbox.labels[1].startswith("⏳ R-2026-0001")
    await worker.click(inbox.labels[1])
    await worker.click(label("report.claim"))
    assert worker.last_answer.answer_text == label("report.claimed", number="R-2026-0001")
    assert "负责人：李网格员" in worker.last().text
    await worker.click(label("report.set_accepted"))
    await worker.send("明天上午师傅上门疏通")
    assert shown(
        ZH, "report.status_done", number="R-2026-0001", status=label("report.status_accepted")
    ) in [m.text for m in worker.bot_messages]
    for household_member in (resident, member):
        assert "状态更新为：已受理" in household_member.last().text
        assert "明天上午师傅上门疏通" in household_member.last().text

    clock.set(local(23, 10))
    await worker.click(label("report.set_in_progress"))
    await worker.click(label("report.no_note"))
    await worker.click(label("report.set_resolved"))
    await worker.send("已疏通")
    push = resident.last()
    assert "已解决" in push.text
    assert push.labels == [
        label(f"report.rating_{r}") for r in ("very_satisfied", "satisfied", "fair", "unsatisfied")
    ]
    await resident.click(label("report.rating_satisfied"), message=push)
    assert resident.last().text == shown(ZH, "report.thanks_rating", number="R-2026-0001")
    # The other member's buttons are now refused politely.
    await member.click(label("report.rating_very_satisfied"))
    assert member.last_answer.answer_text == label("report.not_rateable")

    [drain, _] = await tickets(harness)
    assert drain["status"] == "closed"
    assert drain["rating"] == "satisfied"
    assert await history(harness) == [
        ("created", "submitted"),
        ("assign", None),
        ("status", "accepted"),
        ("status", "in_progress"),
        ("status", "resolved"),
        ("rating", None),
        ("status", "closed"),
    ]
    statuses = await harness.runtime.db.fetch_all(
        "SELECT kind, status FROM job WHERE ref_id = 1 ORDER BY id"
    )
    assert [(row["kind"], row["status"]) for row in statuses] == [
        ("ticket.accept_remind", "cancelled"),
        ("ticket.accept_due", "cancelled"),
        ("ticket.resolve_remind", "cancelled"),
        ("ticket.resolve_due", "cancelled"),
        ("ticket.autoclose", "cancelled"),
    ]

    # My reports shows the history in the resident's language.
    await resident.press(label("menu.my_reports"))
    await resident.click(resident.last().labels[0])
    view = resident.last().text
    assert "处理记录" in view
    assert "已受理 明天上午师傅上门疏通" in view
    assert "评价：🙂 满意" in view


async def test_reject_needs_a_reason_and_the_resident_reads_it(harness: BotHarness) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident, category="dispute", text="邻居晚上太吵")
    await resident.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.set_rejected"))
    assert label("report.no_note") not in worker.last().labels
    await worker.send_photo()
    assert worker.last().text == shown(ZH, "report.text_only")
    await worker.send("属于邻里纠纷，已转人民调解委员会")
    # An older card's Accept button, pressed after the rejection, is refused politely.
    await worker.click(label("report.set_accepted"))
    assert worker.last_answer.answer_text == label("report.bad_transition")
    assert "不予受理" in resident.last().text
    assert "已转人民调解委员会" in resident.last().text
    [ticket] = await tickets(harness)
    assert (ticket["status"], ticket["reason"]) == ("rejected", "属于邻里纠纷，已转人民调解委员会")
    # No more deadlines for a rejected ticket.
    assert {status for _, _, status in await jobs(harness)} == {"cancelled"}


async def test_the_grid_worker_asks_and_the_resident_answers_by_voice(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident)
    await resident.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.ask"))
    await worker.send("请问明天上午家里有人吗？")
    assert worker.last().text == shown(ZH, "report.question_sent")

    question = resident.last()
    assert "请问明天上午家里有人吗？" in question.text
    await resident.click(label("report.answer_button"), message=question)
    await resident.send_sticker()
    assert resident.last().text == shown(ZH, "report.text_or_voice")
    await resident.send_voice(b"OggS yes after nine")
    assert resident.last().text == shown(ZH, "report.answer_sent", number="R-2026-0001")

    answer = worker.last()
    assert answer.kind == "voice"
    assert answer.files[0].content == b"OggS yes after nine"
    assert "请问明天上午家里有人吗？" in answer.text
    assert [kind for kind, _ in await history(harness)] == ["created", "question", "answer"]
    assert (
        await harness.runtime.db.fetch_value(
            "SELECT count(*) FROM ticket_media WHERE event_id IS NOT NULL"
        )
        == 1
    )


async def test_unsatisfied_reopens_with_a_reason_and_the_deadline_starts_again(
    harness: BotHarness, clock: ManualClock
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident)
    await resident.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.set_resolved"))
    await worker.click(label("report.no_note"))
    await resident.click(label("report.rating_unsatisfied"))
    assert resident.last().text == shown(ZH, "report.ask_reopen", number="R-2026-0001")
    await resident.click(label("report.reopen_button"))
    await resident.send("还是堵，水下不去")
    assert resident.last().text == shown(ZH, "report.reopened_ok", number="R-2026-0001")
    assert "被居民重新打开" in worker.last().text
    assert "还是堵，水下不去" in worker.last().text

    [ticket] = await tickets(harness)
    assert ticket["status"] == "reopened"
    assert ticket["rating"] is None
    pending = [(kind, due) for kind, due, status in await jobs(harness) if status == "pending"]
    assert pending == [
        ("ticket.resolve_remind", "11-24 15:00"),
        ("ticket.resolve_due", "11-25 09:00"),
    ]

    # Resolved again: no rating in 3 days closes it by itself.
    await worker.click(
        label("report.set_resolved"),
        message=worker.find_button_message(label("report.set_resolved")),
    )
    await worker.click(label("report.no_note"))
    await at(harness, clock, local(25, 8, 59))
    assert (await tickets(harness))[0]["status"] == "resolved"
    await at(harness, clock, local(25, 9, 1))
    assert (await tickets(harness))[0]["status"] == "closed"
    assert "已办结" in resident.last().text


# ---------------------------------------------------------------------------- service levels


async def test_reminder_before_the_deadline_and_one_red_light_after_it_across_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    resident = first.user("居民", user_id=A)
    worker = first.user("李网格员", user_id=GRID)
    staff = first.user("社区张主任", user_id=STAFF_ID)
    await worker.send("/start")
    await staff.send("/start")
    await report(resident)  # normal: accept within 24 h, reminded with 6 h left
    await resident.click(label("report.submit"))
    assert await jobs(first) == [
        ("ticket.accept_remind", "11-23 03:00", "pending"),
        ("ticket.accept_due", "11-23 09:00", "pending"),
        ("ticket.resolve_remind", "11-24 15:00", "pending"),
        ("ticket.resolve_due", "11-25 09:00", "pending"),
    ]
    await first.stop()

    # Down over the reminder's time; back at 05:00, inside quiet hours.
    clock.set(local(23, 5))
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await second.settle()
        worker = second.user("李网格员", user_id=GRID)
        staff = second.user("社区张主任", user_id=STAFF_ID)
        reminders = lambda: [m for m in worker.bot_messages if "还没有受理" in m.text]  # noqa: E731
        assert reminders() == []  # not a grid worker's night: held back until 07:00
        await at(second, clock, local(23, 7, 0))
        await second.runtime.services.sender.settle()
        assert len(reminders()) == 1
        await at(second, clock, local(23, 8, 59))
        assert not [m for m in staff.bot_messages if "超时未受理" in m.text]
        await at(second, clock, local(23, 9, 0))
        red = [m for m in staff.bot_messages if "超时未受理" in m.text]
        assert len(red) == 1
        assert "R-2026-0001" in red[0].text
        await at(second, clock, local(23, 12, 0))
        await second.runtime.services.scheduler.restore()
        await second.settle()
        assert len([m for m in staff.bot_messages if "超时未受理" in m.text]) == 1
        assert len(reminders()) == 1
        assert ("escalation", None) in await history(second)
        # The inbox marks it red.
        await worker.press(label("menu.inbox"))
        assert worker.last().labels[0].startswith("🔴 R-2026-0001")
    finally:
        await second.stop()


async def test_an_accepted_ticket_gets_no_acceptance_reminder_or_red_light(
    harness: BotHarness, clock: ManualClock
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await worker.send("/start")
    await staff.send("/start")
    await report(resident, urgency="high")  # accept within 2 h, resolve within 24 h
    await resident.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.set_accepted"))
    await worker.click(label("report.no_note"))
    await at(harness, clock, local(22, 12))
    assert not [m for m in worker.bot_messages if "还没有受理" in m.text]
    assert not [m for m in staff.bot_messages if "超时" in m.text]
    # Urgent: the resolution reminder comes through at night (03:00 = 18 h after 09:00).
    await at(harness, clock, local(23, 3))
    assert "需在 11月23日（周一）上午9:00 前解决" in worker.last().text
    await at(harness, clock, local(23, 9))
    assert "超时未解决" in staff.last().text


# ---------------------------------------------------------------------------- who may see what


async def test_forged_presses_for_someone_elses_ticket_are_refused_and_change_nothing(
    harness: BotHarness,
) -> None:
    owner, stranger = harness.user("居民", user_id=A), harness.user("居民", user_id=C)
    far_worker = harness.user("王网格员", user_id=OTHER_GRID)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(owner, category="pipes", text="电线老化冒火花")
    await owner.click(label("report.submit"))
    await stranger.send("/start")
    await far_worker.send("/start")
    await worker.click(label("report.open_button"))
    await worker.click(label("report.set_resolved"))
    await worker.click(label("report.no_note"))

    for data in ("v1:rp:view:1", "v1:rp:rate:1:satisfied", "v1:rp:med:1", "v1:rp:keep:1"):
        await stranger.click_data(data)
        assert stranger.last_answer.answer_text == label("error.not_found"), data
    await stranger.click_data("v1:rp:ro:1")
    assert stranger.last_answer.answer_text == label("error.not_found")
    for data in ("v1:tk:open:1", "v1:tk:claim:1", "v1:tk:st:1:accepted", "v1:tk:to:1:1"):
        await stranger.click_data(data)
        assert stranger.last_answer.answer_text == label("error.not_allowed"), data
        await far_worker.click_data(data)
        assert far_worker.last_answer.answer_text == label("error.not_allowed"), data
    await worker.click_data("v1:tk:st:1:closed")
    assert worker.last_answer.answer_text == label("error.stale_button")
    await worker.click_data("v1:tk:open:99")
    assert worker.last_answer.answer_text == label("error.not_found")
    await worker.click_data("v1:rp:rate:1:bogus")
    assert worker.last_answer.answer_text == label("error.stale_button")
    await stranger.press(label("menu.my_reports"))
    assert stranger.last().text == shown(ZH, "report.none_mine")
    await stranger.send("/stats")
    assert stranger.last().text == shown(ZH, "error.not_allowed")

    [ticket] = await tickets(harness)
    worker_id = await harness.runtime.db.fetch_value(
        "SELECT id FROM user WHERE external_id = ?", (str(GRID),)
    )
    # Resolving took the ticket; the stranger's presses changed nothing.
    assert (ticket["status"], ticket["rating"], ticket["assignee_id"]) == (
        "resolved",
        None,
        worker_id,
    )


async def test_a_building_lead_sees_the_open_problems_without_rooms_or_names(
    harness: BotHarness,
) -> None:
    lead = harness.user("楼道长", user_id=C)
    resident = harness.user("居民", user_id=A)
    await report(resident, text="我家302漏水，电话13900001111")
    await resident.click(label("report.submit"))
    await lead.send("/start")
    await lead.press(label("menu.building"))
    text = lead.last().text
    assert "R-2026-0001" in text
    assert "给排水" in text
    assert "101" not in text
    assert "13900001111" not in text
    assert "居民" not in text


async def test_stats_and_an_english_grid_worker(harness: BotHarness, clock: ManualClock) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("Li", user_id=GRID, language_code="en")
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await worker.send("/start")
    await worker.press(label("menu.language"))
    await worker.click("English")
    await report(resident)
    await resident.click(label("report.submit"))
    assert "New report R-2026-0001" in worker.last().text
    assert "Water and drains" in worker.last().text
    await worker.click(plain(EN, "report.open_button"))
    clock.set(local(22, 11))
    await worker.click(plain(EN, "report.set_accepted"))
    await worker.click(plain(EN, "report.no_note"))
    clock.set(local(22, 15))
    await worker.click(plain(EN, "report.set_resolved"))
    await worker.send("Cleared the drain")
    assert "状态" not in worker.last().text
    await resident.click(label("report.rating_very_satisfied"))

    await staff.send("/start")
    await staff.press(label("menu.stats"))
    text = staff.last().text
    assert "现在未办结：0 张" in text
    assert "近 30 天提交 1 张" in text
    assert "受理用时（中位数）：2.0 小时" in text
    assert "解决用时（中位数）：6.0 小时" in text
    assert "已解决 1 张，按时解决 100%" in text
    assert "满意率：100%" in text
    await staff.send("/stats soon")
    assert staff.last().text == shown(ZH, "report.stats_usage")


async def test_staff_see_every_grid_and_a_grid_worker_assigns_to_a_colleague(
    harness: BotHarness,
) -> None:
    near, far = harness.user("居民", user_id=A), harness.user("居民", user_id=FAR)
    worker = harness.user("李网格员", user_id=GRID)
    far_worker = harness.user("王网格员", user_id=OTHER_GRID)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    for person in (worker, far_worker, staff):
        await person.send("/start")
    await report(near)
    await near.click(label("report.submit"))
    await report(far, category="roads", place=("spot", "road"), room="3号楼 1单元 101")
    await far.click(label("report.submit"))

    await worker.press(label("menu.inbox"))
    assert [text.split()[1] for text in worker.last().labels] == ["R-2026-0001"]
    await far_worker.press(label("menu.inbox"))
    assert [text.split()[1] for text in far_worker.last().labels] == ["R-2026-0002"]
    await staff.press(label("menu.inbox"))
    assert sorted(text.split()[1] for text in staff.last().labels) == [
        "R-2026-0001",
        "R-2026-0002",
    ]

    await worker.click(worker.find_button_message(label("report.open_button")).labels[0])
    await worker.click(label("report.assign"))
    choices = worker.last().labels
    assert label("report.assign_to", name="社区张主任") in choices
    assert label("report.assign_to", name="王网格员") not in choices  # not this building's
    await worker.click(label("report.assign_to", name="社区张主任"))
    assert "负责人：社区张主任" in worker.last().text
    assigned = staff.last()
    assert "李网格员 把工单 R-2026-0001" in assigned.text
    assert label("report.open_button") in assigned.labels
    [first, _] = await tickets(harness)
    staff_id = await harness.runtime.db.fetch_value(
        "SELECT id FROM user WHERE external_id = ?", (str(STAFF_ID),)
    )
    assert first["assignee_id"] == staff_id
    # Someone who is not on the list cannot be given the ticket.
    await worker.click_data(f"v1:tk:to:1:{staff_id + 1000}")
    assert worker.last_answer.answer_text == label("error.not_allowed")


async def test_leaving_the_household_mid_report_ends_the_report_politely(
    harness: BotHarness, community: Community
) -> None:
    resident = harness.user("居民", user_id=A)
    await start_report(resident)
    await resident.send("水管漏水")
    services = harness.runtime.services
    account = await services.users.get(
        await harness.runtime.db.fetch_value(
            "SELECT id FROM user WHERE external_id = ?", (str(A),)
        )
    )
    assert account is not None
    await services.registration.leave(account, community.households["1号楼 1单元 101"])
    await resident.click(label("report.photos_done", count=0))
    assert resident.last().text == shown(ZH, "report.no_home")
    await resident.click_data("v1:rf:home")  # the old place button
    assert resident.last_answer.answer_text == label("error.stale_button")
    assert await tickets(harness) == []
