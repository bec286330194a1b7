"""Issue 20: a resident who never reads the help just sends words, a voice note or a photo from
the main menu; it is kept and offered as a report that begins with it in the draft. A feature's
name opens it, a greeting gets the welcome, someone not registered registers first, and plain
words answer the grid worker's question. Through the real Application and the emulator."""

from __future__ import annotations

from datetime import timedelta

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.models import Language
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.e2e.catalog import at_step, shown
from tests.e2e.delivery.community import GRID, Community
from tests.e2e.delivery.test_reports import history, report, tickets

ZH = Language.ZH
A = 800101  # 1号楼 1单元 101
ROOM = "1号楼 1单元 101"


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


async def media(harness: BotHarness) -> list[tuple[str, bool]]:
    """The ticket's files: kind, and whether it came with an event (an answer)."""
    rows = await harness.runtime.db.fetch_all(
        "SELECT kind, event_id FROM ticket_media ORDER BY id"
    )
    return [(row["kind"], row["event_id"] is not None) for row in rows]


async def kept(harness: BotHarness) -> int:
    """How many people have free input kept."""
    return int(await harness.runtime.db.fetch_value("SELECT count(*) FROM pending_input"))


async def place_urgency_submit(resident: UserClient) -> None:
    await resident.click(label("report.place_home", place=ROOM))
    await resident.click(label("report.urgency_normal_long"))
    await resident.click(label("report.submit"))
    assert "R-2026-0001" in resident.last().text


async def test_free_words_from_the_main_menu_become_a_report(harness: BotHarness) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.send("楼道灯坏了，好几天了")

    offer = resident.last()
    assert offer.text.startswith(shown(ZH, "free.offer"))
    assert "“楼道灯坏了，好几天了”" in offer.text
    assert offer.labels == [
        label("free.yes_report"),
        label("thread.send_kept"),
        label("free.no_menu"),
    ]
    assert await kept(harness) == 1
    await resident.click(label("free.yes_report"))
    assert resident.last().text.endswith(shown(ZH, "report.ask_category"))
    await resident.click(label("report.cat_lighting"))
    # The description is not asked again: the photos come next.
    assert shown(ZH, "report.ask_photos", count=0, limit=10) in resident.last().text
    await resident.click(label("report.photos_done", count=0))
    await place_urgency_submit(resident)

    [ticket] = await tickets(harness)
    assert (ticket["category"], ticket["description"]) == ("lighting", "楼道灯坏了，好几天了")
    assert await kept(harness) == 0


async def test_a_voice_note_from_the_main_menu_becomes_a_report(harness: BotHarness) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.send_voice(b"OggS the stairwell light")
    assert resident.last().text.startswith(shown(ZH, "free.offer"))
    assert shown(ZH, "free.kept_voice") in resident.last().text
    await resident.click(label("free.yes_report"))
    await resident.click(label("report.cat_lighting"))
    await resident.click(label("report.photos_done", count=0))
    await resident.click(label("report.place_home", place=ROOM))
    await resident.click(label("report.urgency_normal_long"))
    assert "🎤" in resident.last().text  # the summary: described by voice
    await resident.click(label("report.submit"))

    [ticket] = await tickets(harness)
    assert ticket["description"] == ""
    assert await media(harness) == [("voice", False)]


async def test_a_photo_from_the_main_menu_becomes_a_report_that_asks_the_words(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.send_photo(b"\x89PNG crack")
    assert shown(ZH, "free.kept_photos", count=1) in resident.last().text
    await resident.click(label("free.yes_report"))
    await resident.click(label("report.cat_hazard"))
    # The description is missing, so it is asked; the photo is not asked again (four steps).
    assert resident.last().text == at_step(ZH, 2, 4, "report.ask_description", limit=1000)
    await resident.send("外墙裂了一条缝")
    assert shown(ZH, "report.ask_place", building="1号楼", compound="幸福里小区") in (
        resident.last().text
    )
    await place_urgency_submit(resident)

    [ticket] = await tickets(harness)
    assert ticket["description"] == "外墙裂了一条缝"
    assert await media(harness) == [("photo", False)]


async def test_no_keeps_nothing_and_an_old_offer_is_stale(harness: BotHarness) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.send("好几天没人打扫了")
    offer = resident.last()
    for forged in ("v1:fi:zap", "v1:fi:rep:7", "v1:fi:no:x"):
        await resident.click_data(forged, message=offer)
        assert resident.last_answer.answer_text == label("error.stale_button")
    assert await kept(harness) == 1
    await resident.send("门口也很脏")  # the offer again (the forged presses took its buttons)
    await resident.click(label("free.no_menu"))
    assert resident.last().text == shown(ZH, "free.dropped")
    assert await kept(harness) == 0
    await resident.click_data("v1:fi:rep", message=offer)
    assert resident.last_answer.answer_text == label("error.stale_button")
    assert await tickets(harness) == []
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM dialog_session") == 0


async def test_a_feature_word_opens_the_feature_and_a_greeting_gets_the_welcome(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.press(label("menu.votes"))
    votes = resident.last().text
    await resident.press(label("menu.meetings"))
    meetings = resident.last().text
    assert votes != meetings

    await resident.send("投票")
    assert resident.last().text == votes
    await resident.send("表决")
    assert resident.last().text == votes
    await resident.send("会议")
    assert resident.last().text == meetings
    await resident.send("你好")
    assert resident.last().text == shown(ZH, "start.welcome", name="居民")
    assert label("menu.report") in resident.keyboard
    assert await kept(harness) == 0


async def test_the_offer_survives_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    resident = first.user("居民", user_id=A)
    await resident.send("/start")
    await resident.send_photo(b"\x89PNG leak")
    await resident.send("厨房水管漏水")
    await first.stop()

    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        resident = second.user("居民", user_id=A)
        await resident.click(label("free.yes_report"))
        await resident.click(label("report.cat_water"))
        # Words and photo were kept: neither is asked.
        assert shown(ZH, "report.ask_place", building="1号楼", compound="幸福里小区") in (
            resident.last().text
        )
        await place_urgency_submit(resident)
        [ticket] = await tickets(second)
        assert ticket["description"] == "厨房水管漏水"
        assert await media(second) == [("photo", False)]
        assert not second.errors
    finally:
        await second.stop()


async def test_someone_not_registered_registers_first_and_their_words_are_kept(
    harness: BotHarness,
) -> None:
    newcomer = harness.user("张三")
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await newcomer.send("楼道灯坏了")
    assert shown(ZH, "free.register_first") in newcomer.texts()
    assert newcomer.last().text.endswith(shown(ZH, "reg.ask_compound"))
    for place in ("幸福里小区", "1号楼", "1单元", "201"):
        await newcomer.click(place)
    await newcomer.press(label("reg.skip_phone"))
    await newcomer.send("还是不亮")  # waiting for approval: kept, with what came before
    assert newcomer.last().text == shown(ZH, "free.kept_until_approved")
    await worker.click(label("reg.approve"))

    await newcomer.send("晚上看不见路")
    offer = newcomer.last().text
    assert all(f"“{words}”" in offer for words in ("楼道灯坏了", "还是不亮", "晚上看不见路"))
    await newcomer.click(label("free.yes_report"))
    await newcomer.click(label("report.cat_lighting"))
    await newcomer.click(label("report.photos_done", count=0))
    await newcomer.click(label("report.place_home", place="1号楼 1单元 201"))
    await newcomer.click(label("report.urgency_normal_long"))
    await newcomer.click(label("report.submit"))
    [ticket] = await tickets(harness)
    assert ticket["description"] == "楼道灯坏了\n还是不亮\n晚上看不见路"


async def test_typed_words_answer_the_grid_workers_question(harness: BotHarness) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident)
    await resident.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.ask"))
    await worker.send("哪里在漏水？")

    await resident.send("天花板，还在滴水")  # no 💬 button pressed
    assert resident.last().text == shown(
        ZH, "free.answer_sent", number="R-2026-0001", question="哪里在漏水？"
    )
    assert "天花板，还在滴水" in worker.last().text
    assert "哪里在漏水？" in worker.last().text
    assert [kind for kind, _ in await history(harness)] == ["created", "question", "answer"]
    note = await harness.runtime.db.fetch_value(
        "SELECT note FROM ticket_event WHERE kind = 'answer'"
    )
    assert note == "天花板，还在滴水"

    # Answered: the next words are a new problem, offered as a report.
    await resident.send("楼道也有水")
    assert resident.last().text.startswith(shown(ZH, "free.offer"))
    assert len(await history(harness)) == 3


async def test_a_voice_note_answers_the_question_but_an_old_question_is_not_answered(
    harness: BotHarness, clock: ManualClock
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident)
    await resident.click(label("report.submit"))
    await worker.click(label("report.open_button"))
    await worker.click(label("report.ask"))
    await worker.send("明天上午家里有人吗？")
    await resident.send_voice(b"OggS yes")
    assert resident.last().text == shown(
        ZH, "free.answer_sent", number="R-2026-0001", question="明天上午家里有人吗？"
    )
    assert await media(harness) == [("voice", True)]

    await worker.click(label("report.ask"))
    await worker.send("几点方便？")
    clock.advance(timedelta(hours=73))  # too long ago: words are no answer any more
    await resident.send("下午都行")
    assert resident.last().text.startswith(shown(ZH, "free.offer"))
    assert [kind for kind, _ in await history(harness)][-1] == "question"


async def test_a_grid_worker_with_no_home_gets_the_menu_not_a_report(harness: BotHarness) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await worker.send("明天去2号楼看看")
    assert worker.last().text == shown(ZH, "fallback.use_menu")
    assert await kept(harness) == 0
