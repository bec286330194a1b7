"""The same flows through a channel without buttons: numbered options, answered with the
number or the option's words (tests/e2e/text_channel.py). The Telegram bot runs beside it, so
the grid worker on Telegram gets what a text-channel resident asks for."""

from __future__ import annotations

from bot.domain.models import Language, Role
from bot.domain.scope import Scope, ScopeKind
from bot.i18n import plain, t
from bot.interaction.plain import to_plain
from emulator.harness import BotHarness
from tests.e2e.catalog import below_counter
from tests.e2e.delivery.community import GRID, Community, residents
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
    assert describe.startswith(said("dialog.step", number=2, total=5))
    assert said("report.ask_description", limit=1000) in describe
    [photos] = await resident.send("顶楼漏雨，天花板在滴水")
    assert photos.startswith(said("dialog.step", number=3, total=5))
    assert said("report.ask_photos", count=0, limit=10) in photos
    [places] = await resident.send("1")  # ✅ 完成（0 张照片）
    assert said("report.place_home", place="1号楼 1单元 201") in places
    [urgency] = await resident.send(plain(ZH, "report.place_home", place="1号楼 1单元 201"))
    # Urgent: the emergency numbers first, then the summary.
    [emergency, summary] = await resident.send(plain(ZH, "report.urgency_high_long"))
    assert emergency.startswith(said("contacts.urgent_first"))
    assert "119" in emergency
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
    assert urgency.startswith(said("dialog.step", number=5, total=5))
    assert said("report.ask_urgency") in urgency


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


async def test_a_grid_worker_broadcasts_by_numbers_and_words_and_residents_get_it(
    harness: BotHarness, community: Community
) -> None:
    # 第一网格's worker on the text channel, declared before anyone talks (roles are read at
    # the first contact).
    grid = await harness.runtime.db.fetch_value("SELECT id FROM grid WHERE name = '第一网格'")
    await harness.runtime.db.execute(
        "INSERT INTO grid_worker (grid_id, channel, external_id) VALUES (?, 'text', 'wx-grid')",
        (grid,),
    )
    channel = TextChannel(harness.runtime.services)
    worker = channel.person("wx-grid", "李网格员")
    assert (await worker.account()).role is Role.GRID_WORKER
    got = residents(harness, (800201, 800202))  # registered in 幸福里小区 2号楼

    def read(key: str, **params: object) -> str:
        return to_plain(t(ZH, key, **params))

    [ask_text] = await worker.send(plain(ZH, "menu.broadcast"))
    assert below_counter(ask_text).startswith(read("bc.ask_text"))
    [kinds] = await worker.send("2号楼楼道粉刷，请把杂物搬回家。")
    assert below_counter(kinds).splitlines()[:4] == [
        read("bc.ask_kind"),
        f"1. {plain(ZH, 'bc.kind_grids')}",
        f"2. {plain(ZH, 'bc.kind_buildings')}",
        f"3. {plain(ZH, 'bc.kind_units')}",
    ]
    [buildings] = await worker.send("2")
    assert "2. 幸福里小区 2号楼" in buildings.splitlines()
    [ticked] = await worker.send("幸福里小区 2号楼")  # by its words
    assert "2. ✅ 幸福里小区 2号楼" in ticked.splitlines()
    await worker.send(plain(ZH, "bc.done", count=1))
    await worker.send(plain(ZH, "bc.all_households"))
    await worker.send(plain(ZH, "bc.normal"))
    [ask_time] = await worker.send(plain(ZH, "bc.type_time"))
    assert below_counter(ask_time).startswith(read("bc.ask_time"))
    assert await worker.send("昨天") == [read("bc.bad_time")]
    [when] = await worker.send(plain(ZH, "reg.back"))  # back by its words: when, again
    assert below_counter(when).startswith(read("bc.ask_when"))
    [preview] = await worker.send(plain(ZH, "bc.now"))
    assert "2号楼楼道粉刷" in preview
    assert f"{plain(ZH, 'bc.kind_buildings')}: 幸福里小区 2号楼" in preview
    assert "2 户中已登记的 2 户，共 2 人；未登记 0 户" in preview
    confirm = next(line for line in preview.splitlines() if plain(ZH, "bc.confirm") in line)
    [started] = await worker.send(confirm.partition(".")[0])  # by its number
    assert started == read("bc.started", id=1)

    await harness.settle()
    await harness.runtime.services.sender.settle()
    assert all("2号楼楼道粉刷" in resident.last().text for resident in got)
    row = await harness.runtime.db.fetch_one("SELECT status, urgent, scope FROM broadcast")
    assert row is not None
    assert (row["status"], row["urgent"]) == ("done", 0)
    audience = Scope(kind=ScopeKind.BUILDINGS, ids=(community.buildings["2号楼"],))
    assert Scope.model_validate_json(row["scope"]) == audience
    report = channel.pushed["wx-grid"][-1]  # the report reaches the worker's own channel
    counts = {"sent": 2, "people": 2, "households": 2, "unreachable": 0, "muted": 0}
    assert report == read("bc.report", id=1, unregistered=0, unreached=0, visit="—", **counts)


async def test_a_grid_worker_publishes_a_notice_by_numbers_and_words(
    harness: BotHarness, community: Community
) -> None:
    grid = await harness.runtime.db.fetch_value("SELECT id FROM grid WHERE name = '第一网格'")
    await harness.runtime.db.execute(
        "INSERT INTO grid_worker (grid_id, channel, external_id) VALUES (?, 'text', 'wx-nt')",
        (grid,),
    )
    channel = TextChannel(harness.runtime.services)
    worker = channel.person("wx-nt", "李网格员")
    assert (await worker.account()).role is Role.GRID_WORKER
    got = residents(harness, (800201, 800202))  # registered in 幸福里小区 2号楼
    elsewhere = residents(harness, (800101,))

    def read(key: str, **params: object) -> str:
        return to_plain(t(ZH, key, **params))

    [manage] = await worker.send(plain(ZH, "menu.notices"))  # the menu item's words
    assert manage.splitlines() == [
        read("notice.manage", count=0),
        f"1. {plain(ZH, 'notice.new_button')}",
    ]
    [kinds] = await worker.send("1")
    offered = ("notice.kind_water", "notice.kind_power", "notice.kind_gas", "notice.kind_works")
    assert below_counter(kinds).splitlines() == [
        read("notice.ask_kind"),
        *(f"{n}. {plain(ZH, key)}" for n, key in enumerate(offered, start=1)),
        f"5. {plain(ZH, 'reg.cancel')}",  # no Back at the first step
    ]
    [where] = await worker.send(plain(ZH, "notice.kind_water"))  # by its words
    assert below_counter(where).startswith(read("notice.ask_scope"))
    [buildings] = await worker.send("1")  # 选楼栋, by its number
    assert "2. 幸福里小区 2号楼" in buildings.splitlines()
    [ticked] = await worker.send("幸福里小区 2号楼")
    assert "2. ✅ 幸福里小区 2号楼" in ticked.splitlines()
    [ask_start] = await worker.send(plain(ZH, "bc.done", count=1))
    assert below_counter(ask_start).startswith(read("notice.ask_start"))
    assert await worker.send("昨天") == [read("bc.bad_time")]
    [ask_end] = await worker.send("11-24 08:00")
    assert below_counter(ask_end).startswith(read("notice.ask_end"))
    [again] = await worker.send(plain(ZH, "reg.back"))  # back by its words: the start again
    assert below_counter(again).startswith(read("notice.ask_start"))
    await worker.send("11-24 09:00")
    [details] = await worker.send("12:00")
    assert below_counter(details).startswith(read("notice.ask_details"))
    assert f"1. {plain(ZH, 'notice.skip')}" in details.splitlines()
    [arrangements] = await worker.send("更换供水主管")
    assert below_counter(arrangements).startswith(read("notice.ask_arrangements"))
    [preview] = await worker.send("1")  # skipped, by its number
    lines = preview.splitlines()
    assert "时间：11月24日（周二）上午9:00–中午12:00" in lines
    assert "说明：更换供水主管" in lines
    assert "临时安排：—" in lines
    assert "将通知 2 户中已登记的 2 人。" in lines
    reminders = read(
        "notice.reminders_both",
        evening="11月23日（周一）晚上8:00",
        hour="11月24日（周二）上午8:00",
    )
    assert reminders in lines
    confirm = next(line for line in lines if plain(ZH, "bc.confirm") in line)
    [created] = await worker.send(confirm.partition(".")[0])  # by its number
    assert created == read("notice.created", id=1) + "\n" + reminders

    await harness.settle()
    await harness.runtime.services.sender.settle()
    for resident in got:
        assert "停水通知 #1" in resident.last().text
        assert "11月24日（周二）上午9:00–中午12:00" in resident.last().text
    assert elsewhere[0].bot_messages == []
    row = await harness.runtime.db.fetch_one("SELECT kind, status, scope, details FROM notice")
    assert row is not None
    assert (row["kind"], row["status"], row["details"]) == ("water", "active", "更换供水主管")
    audience = Scope(kind=ScopeKind.BUILDINGS, ids=(community.buildings["2号楼"],))
    assert Scope.model_validate_json(row["scope"]) == audience
    # The delivery report and the vulnerable household to check on reach the worker's own
    # channel.
    pushed = channel.pushed["wx-nt"]
    assert any(m.startswith("📋 通知 #1") and "已送达 2 / 2 人" in m for m in pushed)
    visit = pushed[-1]
    assert visit.startswith(
        "🧓 💧 停水通知 #1（11月24日（周二）上午9:00–中午12:00）影响 1 户重点户"
    )
    assert "• 幸福里小区 2号楼 1单元 102　老人　— 13900000005" in visit.splitlines()
