"""The same flows through a channel without buttons: numbered options, answered with the
number or the option's words (tests/e2e/text_channel.py). The Telegram bot runs beside it, so
the grid worker on Telegram gets what a text-channel resident asks for."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import plain
from emulator.harness import BotHarness
from tests.e2e.delivery.community import GRID, Community
from tests.e2e.delivery.test_votes import ballots, items, publish_menu
from tests.e2e.text_channel import TextChannel

ZH = Language.ZH


def said(key: str, **params: object) -> str:
    """A catalog text as the text channel shows it (no HTML)."""
    return plain(ZH, key, **params).replace("<b>", "").replace("</b>", "")


async def memberships(harness: BotHarness, external_id: str) -> list[tuple[int, str]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT m.household_id, m.status FROM membership m JOIN user u ON u.id = m.user_id"
        " WHERE u.channel = 'text' AND u.external_id = ?",
        (external_id,),
    )
    return [(row["household_id"], row["status"]) for row in rows]


async def test_a_resident_registers_by_numbers_and_words_and_the_grid_worker_approves(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    channel = TextChannel(harness.runtime.services)
    resident = channel.person("wx-001")

    [compounds] = await resident.command("register")
    assert said("reg.ask_compound") in compounds
    assert "1. 光明新村" in compounds.splitlines()
    assert "2. 幸福里小区" in compounds.splitlines()
    [buildings] = await resident.send("幸福里小区")  # the option's words
    assert said("reg.ask_building") in buildings
    [units] = await resident.send("1")  # its number: 1号楼
    assert said("reg.ask_unit") in units
    assert await resident.send("第一单元") == [said("reg.use_buttons")]  # neither: words
    await resident.send("1")
    rooms = resident.last
    assert "3. 201" in rooms.splitlines()
    chosen, phone = await resident.send("201")
    assert chosen == said("reg.chosen", place="幸福里小区 1号楼 1单元 201")
    assert said("reg.ask_phone") in phone
    assert f"1. {plain(ZH, 'reg.skip_phone')}" in phone.splitlines()
    [pending] = await resident.send("1")
    assert pending == said("reg.pending", place="幸福里小区 1号楼 1单元 201")
    household = community.households["1号楼 1单元 201"]
    assert await memberships(harness, "wx-001") == [(household, "pending")]

    # The grid worker, on Telegram, approves; the resident hears of it on their channel.
    await harness.settle()
    await harness.runtime.services.sender.settle()
    await worker.click(plain(ZH, "reg.approve"))
    await harness.runtime.services.sender.settle()
    assert await memberships(harness, "wx-001") == [(household, "approved")]
    assert channel.pushed["wx-001"] == [
        said("reg.approved_push", place="幸福里小区 1号楼 1单元 201")
    ]


async def test_back_by_words_and_cancel_by_number_on_the_text_channel(
    harness: BotHarness, community: Community
) -> None:
    channel = TextChannel(harness.runtime.services)
    resident = channel.person("wx-002")
    await resident.command("register")
    await resident.send("幸福里小区")
    [buildings] = await resident.send(plain(ZH, "reg.back"))
    assert said("reg.ask_compound") in buildings
    await resident.send("幸福里小区")
    cancel_line = next(
        line for line in resident.last.splitlines() if line.endswith(plain(ZH, "reg.cancel"))
    )
    cancelled, menu = await resident.send(cancel_line.partition(".")[0])
    assert (cancelled, menu) == (said("reg.cancelled"), said("reg.back_to_menu"))
    assert await memberships(harness, "wx-002") == []


async def test_a_resident_reports_by_numbers_and_words_and_the_grid_worker_is_told(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    channel = TextChannel(harness.runtime.services)
    resident = channel.person("wx-003")
    account = await resident.account()
    household = community.households["1号楼 1单元 201"]
    await harness.runtime.services.registration.request(account, household, "13900000002")

    [categories] = await resident.send(plain(ZH, "menu.report"))  # the menu item's words
    assert said("report.ask_category") in categories
    [describe] = await resident.send(plain(ZH, "report.cat_roof"))
    assert describe.startswith(said("report.ask_description", limit=1000))
    [photos] = await resident.send("顶楼漏雨，天花板在滴水")
    assert photos.startswith(said("report.ask_photos", count=0, limit=10))
    [places] = await resident.send("1")  # ✅ 完成（0 张照片）
    assert said("report.place_home", place="1号楼 1单元 201") in places
    [urgency] = await resident.send(plain(ZH, "report.place_home", place="1号楼 1单元 201"))
    [summary] = await resident.send(plain(ZH, "report.urgency_high_long"))
    assert "顶楼漏雨，天花板在滴水" in summary
    assert "🔴 紧急" in summary
    [done] = await resident.send("1")  # ✅ 提交
    assert done.startswith("✅ 已提交，工单号 R-2026-0001")

    row = await harness.runtime.db.fetch_one("SELECT category, urgency, description FROM ticket")
    assert row is not None
    assert (row["category"], row["urgency"], row["description"]) == (
        "roof", "high", "顶楼漏雨，天花板在滴水"
    )  # fmt: skip
    await harness.runtime.services.sender.settle()
    assert any("新报事 R-2026-0001" in m.text for m in worker.bot_messages)
    assert urgency.startswith(said("report.ask_urgency"))


async def test_a_household_orders_from_the_menu_by_numbers(
    harness: BotHarness, community: Community
) -> None:
    channel = TextChannel(harness.runtime.services)
    resident = channel.person("wx-004")
    account = await resident.account()
    household = community.households["1号楼 1单元 201"]
    await harness.runtime.services.registration.request(account, household, "13900000002")
    menu_id = await publish_menu(harness, community)
    await harness.runtime.services.sender.settle()
    [announced] = channel.pushed["wx-004"]
    assert "幸福里改造点单" in announced
    assert f"1. {plain(ZH, 'vote.vote_button')}" in announced.splitlines()

    [ballot] = await resident.send("1")
    lines = ballot.splitlines()
    assert "1. 楼道声控灯" in lines
    assert "2. 单元门禁" in lines
    assert f"4. {plain(ZH, 'vote.submit', n=0, k=2)}" in lines
    notice, ticked = await resident.send("楼道声控灯")  # by its words
    assert notice == plain(ZH, "vote.counter_short", n=1, k=2)
    assert "1. ✅ 楼道声控灯" in ticked.splitlines()
    await resident.send("3")  # 休闲座椅, by its number
    too_many = await resident.send("2")  # a third pick: refused
    assert too_many == [plain(ZH, "vote.too_many", k=2)]
    notice, submitted = await resident.send(plain(ZH, "vote.submit", n=2, k=2))
    assert notice == plain(ZH, "vote.submitted_short")
    assert said("vote.submitted") in submitted
    light, _gate, bench = await items(harness, menu_id)
    assert await ballots(harness, menu_id) == {household: sorted([light, bench])}
