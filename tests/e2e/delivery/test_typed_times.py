"""Times as staff type them, through the real Application (issue 20, point 5): "明天上午9点",
"周六晚上7点半", "tomorrow 9am" land where they were meant; an unreadable time and a past one
get two different answers, each with an example. Now is Sunday 2026-11-22 09:00 in Shanghai."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.models import Language
from bot.i18n import plain
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import shown
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community

ZH, EN = Language.ZH, Language.EN
SHANGHAI = ZoneInfo("Asia/Shanghai")


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


async def stored(harness: BotHarness, sql: str) -> list[datetime]:
    """The times of the first row `sql` selects, as stored."""
    row = await harness.runtime.db.fetch_one(sql)
    assert row is not None
    return [datetime.fromisoformat(value) for value in tuple(row)]


async def to_typed_time(worker: UserClient, language: Language = ZH) -> None:
    """A broadcast to 幸福里小区 2号楼, up to "type a time"."""
    await worker.send("/start")
    await worker.press(plain(language, "menu.broadcast"))
    await worker.send("楼道粉刷，请把杂物搬回家。")
    await worker.click(plain(language, "bc.kind_buildings"))
    await worker.click("幸福里小区 2号楼")
    await worker.click(plain(language, "bc.done", count=1))
    await worker.click(plain(language, "bc.all_households"))
    await worker.click(plain(language, "bc.normal"))
    await worker.click(plain(language, "bc.type_time"))


async def test_a_notice_typed_tomorrow_9am_to_5pm_is_stored_at_those_times(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await worker.press(label("menu.notices"))
    await worker.click(label("notice.new_button"))
    await worker.click(label("notice.kind_water"))
    await worker.click(label("bc.kind_buildings"))
    await worker.click("幸福里小区 1号楼")
    await worker.click(label("bc.done", count=1))
    await worker.send("明天上午9点")
    await worker.send("下午5点")  # the first 17:00 after the start
    await worker.send("更换供水主管")
    await worker.send("东门有送水车")
    await worker.click(label("bc.confirm"))
    assert await stored(harness, "SELECT starts_at, ends_at FROM notice") == [
        local(11, 23, 9),
        local(11, 23, 17),
    ]


async def test_a_meeting_typed_in_words_is_stored_and_moved_in_words(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    for uid in (GRID, OTHER_GRID):
        await harness.user("网格员", user_id=uid).send("/start")
    await staff.send("/start")
    await staff.press(label("menu.meetings"))
    await staff.click(label("meeting.new_button"))
    await staff.click(label("meeting.kind_coordination"))
    await staff.send("1号楼加装电梯协调会")
    await staff.send("周六晚上7点半")  # the next Saturday
    await staff.send("社区活动室")
    await staff.send("方案介绍；费用分摊")
    await staff.click(label("bc.kind_buildings"))
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    await staff.click(label("vote.done", count=0))
    await staff.click(label("vote.done", count=0))
    await staff.send("周六中午")  # answers due by Saturday noon
    assert "回复截止：11月28日（周六）中午12:00" in staff.last().text
    await staff.click(label("meeting.confirm"))
    assert staff.last().text == shown(ZH, "meeting.created", title="1号楼加装电梯协调会")
    assert await stored(harness, "SELECT starts_at, rsvp_by FROM meeting") == [
        local(11, 28, 19, 30),
        local(11, 28, 12),
    ]

    await staff.press(label("menu.meetings"))
    await staff.click(
        label("meeting.list_line", mark="🟢", when="11月28日（周六）", title="1号楼加装电梯协调会")
    )
    await staff.click(label("meeting.change_time"))
    await staff.send("12月4日晚上7点半")
    [starts_at] = await stored(harness, "SELECT starts_at FROM meeting")
    assert starts_at == local(12, 4, 19, 30)


async def test_an_unreadable_time_and_a_past_one_get_different_answers_with_examples(
    harness: BotHarness,
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await to_typed_time(worker)
    await worker.send("下周吧")
    unreadable = worker.last().text
    assert unreadable == shown(ZH, "bc.bad_time")
    await worker.send("今天上午8点")  # an hour ago
    past = worker.last().text
    assert past == shown(ZH, "bc.past_time", when="11月22日（周日）上午8:00")
    assert unreadable != past
    assert "明天上午9点" in unreadable  # each shows what to type
    assert "明天上午9点" in past
    await worker.send("明天上午9点")  # still the same step: the time is taken
    assert "11月23日（周一）上午9:00" in worker.last().text
    await worker.click(label("bc.confirm"))
    assert await stored(harness, "SELECT send_at FROM broadcast") == [local(11, 23, 9)]


async def test_english_times_and_answers_for_english_staff(harness: BotHarness) -> None:
    worker = harness.user("Li", user_id=GRID, language_code="en")
    await worker.send("/start")
    await worker.press(label("menu.language"))
    await worker.click("English")
    await to_typed_time(worker, EN)
    await worker.send("sometime next week")
    assert worker.last().text == shown(EN, "bc.bad_time")
    await worker.send("8am")
    assert worker.last().text == shown(EN, "bc.past_time", when="Sun 22 Nov, 8:00 am")
    await worker.send("Sat 7:30 pm")
    assert "Sat 28 Nov, 7:30 pm" in worker.last().text
    await worker.click(plain(EN, "bc.confirm"))
    assert await stored(harness, "SELECT send_at FROM broadcast") == [local(11, 28, 19, 30)]
