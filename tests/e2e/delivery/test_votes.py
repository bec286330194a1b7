"""Votes through the real Application: staff publish a renovation menu and a proposal in the
chat; households order and answer (two members of one household included); a grid worker
enters a paper answer; results, reminders, closing, the chart and the export."""

from __future__ import annotations

import io
import json
import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.consent import RuleKind, rule_for
from bot.domain.models import Language, User
from bot.domain.scope import Scope, ScopeKind
from bot.domain.votes import MenuDraft, MenuItemDraft, ProposalDraft, SelectionRule
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import at_step, pack, shown
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community

ZH = Language.ZH
EN = Language.EN
SHANGHAI = ZoneInfo("Asia/Shanghai")
A, A2, B, C = 800101, 800102, 800103, 800104  # A, A2: 1号楼 1单元 101; B: 102; C: 2单元 101
D, E = 800201, 800202  # 2号楼 1单元 101, 102
FAR = 800301  # 光明新村 3号楼: not in 幸福里小区


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


async def at(harness: BotHarness, clock: ManualClock, moment: datetime) -> None:
    """Move the clock; let the scheduler and the sender catch up."""
    clock.set(moment)
    await harness.runtime.services.scheduler.tick()
    await harness.settle()
    await harness.runtime.services.sender.settle()


def alert(user: UserClient) -> str:
    return user.last_answer.answer_text or ""


async def menu_rows(harness: BotHarness) -> list[dict[str, object]]:
    rows = await harness.runtime.db.fetch_all("SELECT * FROM menu ORDER BY id")
    return [dict(row) for row in rows]


async def ballots(harness: BotHarness, menu_id: int = 1) -> dict[int, list[int]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT household_id, picks FROM menu_ballot WHERE menu_id = ?", (menu_id,)
    )
    return {row["household_id"]: json.loads(row["picks"]) for row in rows}


async def items(harness: BotHarness, menu_id: int = 1) -> list[int]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT id FROM menu_item WHERE menu_id = ? ORDER BY position", (menu_id,)
    )
    return [row["id"] for row in rows]


async def answers(harness: BotHarness, proposal_id: int = 1) -> dict[int, tuple[str, object]]:
    rows = await harness.runtime.db.fetch_all(
        "SELECT household_id, answer, recorded_by FROM proposal_answer WHERE proposal_id = ?",
        (proposal_id,),
    )
    return {row["household_id"]: (row["answer"], row["recorded_by"]) for row in rows}


async def account_of(harness: BotHarness, telegram_id: int) -> User:
    """The bot's user record of someone who has already talked to it."""
    user_id = await harness.runtime.db.fetch_value(
        "SELECT id FROM user WHERE external_id = ?", (str(telegram_id),)
    )
    user = await harness.runtime.services.users.get(user_id)
    assert user is not None
    return user


def menu_draft(community: Community, **changes: object) -> MenuDraft:
    base = {
        "title": "幸福里改造点单",
        "scope": Scope(kind=ScopeKind.COMPOUNDS, ids=(community.compounds["幸福里小区"],)),
        "opens_at": local(22, 9),
        "closes_at": local(25, 20),
        "items": (
            MenuItemDraft(title="楼道声控灯", cost=12000, description="每层一盏"),
            MenuItemDraft(title="单元门禁", cost=30000),
            MenuItemDraft(title="休闲座椅", cost=8000),
        ),
        "max_picks": 2,
        "budget": 40000,
        "rule": SelectionRule.MES,
    }
    return MenuDraft(**{**base, **changes})


def pipes_proposal(community: Community) -> ProposalDraft:
    """A unanimous proposal for 2号楼, open three days from 11-22 09:00."""
    return ProposalDraft(
        title="2号楼更换上下水主管",
        body="需要每户同意入户施工。",
        scope=Scope(kind=ScopeKind.BUILDINGS, ids=(community.buildings["2号楼"],)),
        rule=rule_for(RuleKind.UNANIMOUS),
        opens_at=local(22, 9),
        closes_at=local(25, 9),
    )


async def publish_menu(harness: BotHarness, community: Community, **changes: object) -> int:
    """Staff publish a menu through the service (the chat flow has its own test)."""
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    account = await account_of(harness, STAFF_ID)
    menu = await harness.runtime.services.votes.create_menu(
        account, menu_draft(community, **changes)
    )
    await harness.settle()
    await harness.runtime.services.sender.settle()
    return menu.id


# ---------------------------------------------------------------------------- the menu


async def test_staff_publish_a_menu_in_the_chat_and_households_order_from_it(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    residents = {uid: harness.user("居民", user_id=uid) for uid in (A, A2, B, C, D, E, FAR)}
    for user in residents.values():
        await user.send("/start")
    await staff.send("/start")
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.new_menu"))
    assert staff.last().text == at_step(ZH, 1, 8, "vote.ask_menu_title")
    await staff.send("幸福里改造点单")
    await staff.click(label("bc.kind_compounds"))
    await staff.click("幸福里小区")
    await staff.click(label("bc.done", count=1))
    await staff.send("楼道声控灯 | 12000 | 每层一盏\n单元门禁 | 30000 | 刷卡进出")
    await staff.send_photo(b"\x89PNG bench", caption="休闲座椅 | 8000 | 小花园里")
    assert staff.last().text == at_step(ZH, 3, 8, "vote.ask_menu_items", count=3, max=20)
    await staff.send("坏行没有费用")
    assert staff.last().text == shown(ZH, "vote.bad_spec")
    await staff.click(label("vote.done", count=3))
    await staff.click(label("vote.open_now"))
    await staff.click(label("vote.days", days=3))
    await staff.send("5")  # more than the 3 items
    assert staff.last().text == shown(ZH, "vote.k_range")
    await staff.click(label("vote.k_button", k=2))
    await staff.send("40000")
    await staff.click(label("vote.sel_mes"))
    await staff.click(label("vote.live_yes"))
    preview = staff.last().text
    assert "幸福里改造点单" in preview
    assert "3. 休闲座椅 — 约8000元 📷" in preview
    assert "可投票的已登记住户：5 户" in preview  # 1号楼 1单元 201 has nobody registered
    await staff.click(label("vote.confirm"))
    assert staff.last().text == shown(ZH, "vote.menu_created", id=1, title="幸福里改造点单")
    await harness.runtime.services.sender.settle()
    [menu] = await menu_rows(harness)
    assert (menu["max_picks"], menu["budget"], menu["rule"], menu["live"]) == (2, 40000, "mes", 1)
    light, gate, bench = await items(harness)

    # Opening is announced to the compound: every registered member, nobody outside it.
    for uid in (A, A2, B, C, D, E):
        assert any("改造点单开始了" in m.text for m in residents[uid].bot_messages), uid
    assert not any("改造点单开始了" in m.text for m in residents[FAR].bot_messages)

    a = residents[A]
    await a.click(label("vote.vote_button"))
    ballot = a.last()
    assert "您家还没有投票。" in ballot.text
    assert label("vote.submit", n=0, k=2) in ballot.labels
    await a.click("楼道声控灯")
    assert alert(a) == label("vote.counter_short", n=1, k=2)
    await a.click("单元门禁")
    assert "已选 2/2" in a.last().text
    assert "✅ 楼道声控灯" in a.last().labels
    await a.click("休闲座椅")  # a third pick
    assert alert(a) == label("vote.too_many", k=2)
    assert a.last_answer.show_alert
    assert await ballots(harness) == {}  # ticking stores nothing
    await a.click(label("vote.submit", n=2, k=2))
    household = community.households["1号楼 1单元 101"]
    assert await ballots(harness) == {household: sorted([light, gate])}

    # The other member of the household is told, sees it, and changes it; the last counts.
    await harness.runtime.services.sender.settle()
    a2 = residents[A2]
    assert any(
        "已为您家提交了" in m.text and "楼道声控灯、单元门禁" in m.text for m in a2.bot_messages
    )
    await a2.click(label("vote.vote_button"))
    assert "您家已投票（居民）" in a2.last().text
    assert "已选 2/2" in a2.last().text  # the household's picks are pre-ticked
    await a2.click("✅ 单元门禁")
    await a2.click("休闲座椅")
    await a2.click(label("vote.submit", n=2, k=2))
    assert await ballots(harness) == {household: sorted([light, bench])}
    events = await harness.runtime.db.fetch_value("SELECT count(*) FROM menu_ballot_event")
    assert events == 2

    # Two more households; live results for a resident.
    for uid, picks in ((B, ("单元门禁",)), (D, ("单元门禁", "楼道声控灯"))):
        user = residents[uid]
        await user.click(label("vote.vote_button"))
        for title in picks:
            await user.click(title)
        await user.click(label("vote.submit", n=len(picks), k=2))
    await a.click(label("vote.results_button"))
    results = a.last().text
    assert "已投 3 户 / 已登记 5 户 / 共 6 户" in results  # 201 has nobody registered
    assert "楼道声控灯" in results
    assert "█" in results

    # A household outside the scope cannot vote, even with a forged press.
    far = residents[FAR]
    await far.click_data(pack("vt", "mo", 1))
    assert alert(far) == label("vote.not_eligible")
    await far.click_data(pack("vt", "ms", 1, "1", 0))
    assert alert(far) == label("vote.not_eligible")
    assert len(await ballots(harness)) == 3

    # Staff: the card with live results, and the PNG chart.
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_menu_open", title="幸福里改造点单"))
    assert "进行中" in staff.last().text
    await staff.click(label("vote.chart_button"))
    chart = staff.last()
    assert chart.kind == "photo"
    assert chart.files[-1].content.startswith(b"\x89PNG")


async def test_forged_and_stale_ballot_presses_change_nothing(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    menu_id = await publish_menu(harness, community)
    a = harness.user("居民", user_id=A)
    await a.send("/start")
    light, _gate, _bench = await items(harness)
    await a.click_data(pack("vt", "ms", menu_id, "7", 0))  # all three: more than k = 2
    assert alert(a) == label("vote.too_many", k=2)
    await a.click_data(pack("vt", "ms", menu_id, "0", 0))  # nothing ticked
    assert alert(a) == label("vote.no_picks")
    await a.click_data(pack("vt", "ms", menu_id, "ff", 0))  # positions the menu lacks
    assert alert(a) == label("error.stale_button")
    await a.click_data(pack("vt", "mt", menu_id, "0", 99999, 0))  # an item of no menu
    assert alert(a) == label("vote.bad_spec")
    await a.click_data(pack("vt", "mo", 999))
    assert alert(a) == label("error.not_found")
    await a.click_data("v1:vt:ms:x")
    assert alert(a) == label("error.stale_button")
    assert await ballots(harness) == {}
    # A resident without the staff role cannot change the rules or see the staff card.
    await a.click_data(pack("vt", "mk", menu_id, 3))
    assert alert(a) == label("error.not_allowed")
    await a.click_data(pack("vt", "mc", menu_id))
    assert alert(a) == label("error.not_allowed")
    sent = len(a.bot_messages)
    await a.click_data(pack("vt", "sm", menu_id))  # the staff card, though results are live
    assert alert(a) == label("error.not_allowed")
    assert len(a.bot_messages) == sent

    # After closing: no more votes, the result is frozen and announced.
    await a.click_data(pack("vt", "ms", menu_id, "1", 0))
    assert await ballots(harness) == {community.households["1号楼 1单元 101"]: [light]}
    await at(harness, clock, local(25, 20))
    await a.click_data(pack("vt", "ms", menu_id, "3", 1))
    assert alert(a) == label("vote.closed")
    assert await ballots(harness) == {community.households["1号楼 1单元 101"]: [light]}
    [menu] = await menu_rows(harness)
    frozen = json.loads(str(menu["result"]))
    assert (frozen["voted"], frozen["eligible"]) == (1, 5)
    assert frozen["selected"] == [light]  # MES: one voter, the light is all they asked for
    closing = [m for m in a.bot_messages if "点单结束" in m.text]
    assert len(closing) == 1
    assert "已投 1 户 / 已登记 5 户 / 共 6 户" in closing[0].text
    with pytest.raises(Exception, match="never changes"):
        await harness.runtime.db.execute("UPDATE menu SET live = 0 WHERE id = ?", (menu_id,))


async def test_an_older_ballot_message_cannot_overwrite_another_members_change(
    harness: BotHarness, community: Community
) -> None:
    menu_id = await publish_menu(harness, community)
    a, a2 = harness.user("居民", user_id=A), harness.user("居民", user_id=A2)
    light, gate, _bench = await items(harness)
    household = community.households["1号楼 1单元 101"]
    for member in (a, a2):
        await member.send("/start")
        await member.click_data(pack("vt", "mo", menu_id))
    old = a.last()
    await a.click("楼道声控灯", message=old)
    old = a.last()
    # Meanwhile the other member ticks the gate and submits.
    await a2.click("单元门禁")
    await a2.click(label("vote.submit", n=1, k=2))
    assert await ballots(harness) == {household: [gate]}

    # The first member's Submit was built on the ballot before that change: refused, and the
    # message now shows the ballot as it is.
    await a.click(label("vote.submit", n=1, k=2), message=old)
    assert alert(a) == label("vote.ballot_changed")
    assert a.last_answer.show_alert
    assert await ballots(harness) == {household: [gate]}
    now = a.find_button_message("✅ 单元门禁")
    assert now.message_id == old.message_id  # the pressed message, edited
    assert "您家已投票" in now.text
    # From the refreshed message the change goes through.
    await a.click("楼道声控灯", message=now)
    await a.click(label("vote.submit", n=2, k=2))
    assert await ballots(harness) == {household: sorted([light, gate])}
    assert await harness.runtime.db.fetch_value("SELECT count(*) FROM menu_ballot_event") == 2


async def test_twenty_quick_presses_of_one_button_make_no_refused_edit(
    harness: BotHarness, community: Community, emulator: BotApiEmulator
) -> None:
    menu_id = await publish_menu(harness, community)
    a = harness.user("居民", user_id=A)
    await a.send("/start")
    await a.click_data(pack("vt", "mo", menu_id))
    ballot = a.last()
    for _ in range(20):  # all carry the message as it was before the first tick
        await a.click("楼道声控灯", message=ballot, wait=False)
    await harness.settle()
    assert all(query.answered for query in a.answers[-20:])
    assert a.last().labels[0] == "✅ 楼道声控灯"
    assert emulator.calls.count("editMessageText") == 1  # the other nineteen change nothing
    assert not [call for call in emulator.refused if call[0].startswith("edit")]


async def test_the_chart_the_export_and_the_selection_are_computed_off_the_event_loop(
    harness: BotHarness, community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.features.menu_card
    import bot.features.proposal_progress
    import bot.services.votes

    threads: dict[str, set[str]] = {}

    def watched(name: str, work: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            threads.setdefault(name, set()).add(threading.current_thread().name)
            return work(*args, **kwargs)

        return run

    chart_in, table_in = bot.features.menu_card, bot.features.proposal_progress
    monkeypatch.setattr(chart_in, "menu_chart", watched("chart", chart_in.menu_chart))
    monkeypatch.setattr(table_in, "table_xlsx", watched("xlsx", table_in.table_xlsx))
    monkeypatch.setattr(
        bot.services.votes.lookups,
        "menu_result",
        watched("selection", bot.services.votes.lookups.menu_result),
    )
    menu_id = await publish_menu(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.click_data(pack("vt", "mc", menu_id))
    assert staff.last().kind == "photo"
    await staff.click_data(pack("vt", "sm", menu_id))
    assert "幸福里改造点单" in staff.last().text
    account = await account_of(harness, STAFF_ID)
    proposal = await harness.runtime.services.votes.create_proposal(
        account, pipes_proposal(community)
    )
    await staff.click_data(pack("vt", "px", proposal.id))
    assert staff.last().kind == "document"

    loop_thread = threading.current_thread().name
    assert set(threads) == {"chart", "selection", "xlsx"}
    for name, ran_in in threads.items():
        assert loop_thread not in ran_in, name
        assert all(thread.startswith("shangliang-work") for thread in ran_in), name


async def test_rules_change_before_opening_and_are_refused_after(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    menu_id = await publish_menu(harness, community, opens_at=local(23, 8))
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    a = harness.user("居民", user_id=A)
    await a.send("/start")
    await a.click_data(pack("vt", "mo", menu_id))
    assert alert(a) == label("vote.closed")  # not open yet
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_menu_scheduled", title="幸福里改造点单"))
    await staff.click(label("vote.k_more"))
    assert alert(staff) == label("vote.changed")
    await staff.click(label("vote.rule_toggle", rule=label("vote.sel_greedy")))
    [menu] = await menu_rows(harness)
    assert (menu["max_picks"], menu["rule"]) == (3, "greedy")
    await staff.click(label("vote.k_more"))  # 4 > 3 items
    assert alert(staff) == label("vote.k_range")
    assert not [m for m in a.bot_messages if "改造点单开始了" in m.text]

    await at(harness, clock, local(23, 8))
    assert len([m for m in a.bot_messages if "改造点单开始了" in m.text]) == 1
    await staff.click(label("vote.k_less"))  # the card from before opening
    assert alert(staff) == label("vote.rules_frozen")
    [menu] = await menu_rows(harness)
    assert menu["max_picks"] == 3


async def test_households_that_have_not_voted_are_reminded_once_across_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        for uid in (A2, B, C, D, E, FAR):
            first.user("居民", user_id=uid)  # their chats exist
        menu_id = await publish_menu(first, community)
        a = first.user("居民", user_id=A)
        await a.send("/start")
        await a.click_data(pack("vt", "ms", menu_id, "1", 0))
    finally:
        await first.stop()
    # Down over the reminder (a day before closing: 11-24 20:00); back at 21:00.
    clock.set(local(24, 21))
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await second.settle()
        await second.runtime.services.sender.settle()
        reminded = {
            uid
            for uid in (A, A2, B, C, D, E, FAR)
            if any(
                "您家还没有投票" in m.text for m in second.user("居民", user_id=uid).bot_messages
            )
        }
        assert reminded == {B, C, D, E}  # A's household voted; FAR is not in scope
        await second.runtime.services.scheduler.restore()
        await at(second, clock, local(24, 22))
        b = second.user("居民", user_id=B)
        assert len([m for m in b.bot_messages if "您家还没有投票" in m.text]) == 1
    finally:
        await second.stop()


# ---------------------------------------------------------------------------- proposals


async def set_roster(harness: BotHarness, community: Community) -> None:
    """Floors, areas and one owner with two flats (1号楼 1单元 101 and 102)."""
    rows = {
        "1号楼 1单元 101": (1, 60, "owner-li"),
        "1号楼 1单元 102": (1, 40, "owner-li"),
        "1号楼 1单元 201": (2, 80, ""),
        "1号楼 2单元 101": (1, 70, ""),
    }
    for key, (floor, area, owner) in rows.items():
        await harness.runtime.db.execute(
            "UPDATE household SET floor = ?, area_centi = ?, owner_key = ? WHERE id = ?",
            (floor, area * 100, owner, community.households[key]),
        )


async def test_staff_publish_a_proposal_and_consent_is_counted_with_paper_answers(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    await set_roster(harness, community)
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    worker = harness.user("李网格员", user_id=GRID)
    other = harness.user("王网格员", user_id=OTHER_GRID)
    a, a2, b, c = (harness.user("居民", user_id=uid) for uid in (A, A2, B, C))
    for user in (staff, worker, other, a, a2, b, c):
        await user.send("/start")
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.new_proposal"))
    await staff.send("1号楼加装电梯")
    await staff.send("在1号楼北侧加装电梯一部，费用按楼层分摊。")
    await staff.click(label("bc.kind_buildings"))
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    await staff.click(label("vote.rule_major"))
    await staff.send_document(b"%PDF-1.4 plan", "方案.pdf", "application/pdf")
    await staff.click(label("vote.done", count=1))
    await staff.send("100000; 1:0.5 2:1")
    await staff.click(label("vote.open_now"))
    await staff.click(label("vote.days", days=7))
    preview = staff.last().text
    assert "民法典第278条 重大事项" in preview
    assert "涉及住户：4 户" in preview
    await staff.click(label("vote.confirm"))
    await harness.runtime.services.sender.settle()
    assert any("表决：1号楼加装电梯" in m.text for m in a.bot_messages)

    # A resident reads it (share shown) and agrees; the other member changes it to abstain.
    await a.click(label("vote.answer_button"))
    text = a.last().text
    # Weights: 101 0.5×60=30, 102 0.5×40=20, 201 1×80=80, 2单元101 0.5×70=35 → 165.
    assert "您家应出 ¥18,181.82（总费用 ¥100,000）" in text
    await a.click(label("vote.files_button", n=1))
    assert a.last().kind == "document"
    await a.click(label("vote.answer_agree"))
    assert await answers(harness) == {}  # money attached: the share and what it means first
    await a.click(label("vote.confirm_answer_button"))
    h101 = community.households["1号楼 1单元 101"]
    assert await answers(harness) == {h101: ("agree", None)}
    await harness.runtime.services.sender.settle()
    assert any("已为您家对“1号楼加装电梯”表态" in m.text for m in a2.bot_messages)
    await b.click(label("vote.answer_button"))
    await b.click(label("vote.answer_agree"))
    await b.click(label("vote.confirm_answer_button"))
    await c.click(label("vote.answer_button"))
    await c.click(label("vote.answer_disagree"))
    await c.click(label("vote.confirm_answer_button"))

    # Staff see progress: owner-li (101 and 102) is one owner of three; 170 of 250㎡ took
    # part; owner-li agrees, 2单元 101 does not: 1 of 2 owners cannot become 3/4 with 201 left.
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_proposal_open", title="1号楼加装电梯"))
    card = staff.last().text
    assert "✅ 面积参与：170㎡ / 250㎡（68.0%，需要 ≥2/3）" in card
    assert "✅ 业主人数参与：2 / 3（66.7%，需要 ≥2/3）" in card
    assert "❌ 业主人数同意：1 / 2（50.0%，需要 ≥3/4）" in card
    assert shown(ZH, "vote.unreachable_open") in card
    assert "未表态 1 户" in card
    await staff.click(label("vote.missing_button"))
    assert "1号楼 1单元 201" in staff.last().text
    assert "未登记" in staff.last().text

    # The grid worker of another grid may not enter a paper answer here.
    h201 = community.households["1号楼 1单元 201"]
    await other.click_data(pack("vt", "pr", 1, h201, "agree"))
    assert alert(other) == label("error.not_allowed")
    # A resident may not either.
    await b.click_data(pack("vt", "pr", 1, h201, "agree"))
    assert alert(b) == label("error.not_allowed")
    assert h201 not in await answers(harness)
    # The building's grid worker enters it from the paper form.
    await worker.press(label("menu.votes"))
    await worker.click(label("vote.list_proposal_open", title="1号楼加装电梯"))
    await worker.click(label("vote.paper_button"))
    await worker.click("1号楼 1单元 201")
    await worker.click(label("vote.answer_agree"))
    assert "已录入" in worker.last().text
    account = await account_of(harness, GRID)
    assert (await answers(harness))[h201] == ("agree", account.id)

    # Closing freezes and announces it.
    await at(harness, clock, local(29, 9, 1))
    rows = await harness.runtime.db.fetch_all("SELECT result FROM proposal")
    result = json.loads(rows[0]["result"])
    # Area: participation 250/250; agreeing 60+40+80 = 180 of 250 = 72 % < 75 % → not passed.
    assert result["passed"] is False
    closed = [m for m in b.bot_messages if "表决结束" in m.text]
    assert len(closed) == 1
    assert "❌ 未通过" in closed[0].text
    await a.click_data(pack("vt", "pa", 1, "agree"))
    assert alert(a) == label("vote.closed")
    audit = await harness.runtime.db.fetch_value("SELECT count(*) FROM proposal_event")
    assert audit == 4
    with pytest.raises(Exception, match="append-only"):
        await harness.runtime.db.execute("DELETE FROM proposal_event")

    # The export: every household, its answer, who recorded it.
    await staff.click(label("vote.export_button"))
    xlsx, csv_file = [m for m in staff.bot_messages if m.kind == "document"][-2:]
    sheet = load_workbook(io.BytesIO(xlsx.files[-1].content)).active
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][:4] == ["小区", "楼栋", "单元", "房号"]
    by_room = {row[3]: row for row in table[1:] if row[2] == "1单元"}
    assert by_room["201"][7] == "👍 同意"
    assert by_room["201"][10] == "李网格员"
    assert by_room["102"][9] == "居民"
    assert csv_file.files[-1].content.startswith(b"\xef\xbb\xbf")
    assert "1号楼".encode() in csv_file.files[-1].content


async def test_unanimous_proposal_and_a_household_outside_it(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    d, e, a = (harness.user("居民", user_id=uid) for uid in (D, E, A))
    account = await account_of(harness, STAFF_ID)
    votes = harness.runtime.services.votes
    proposal = await votes.create_proposal(account, pipes_proposal(community))
    await harness.settle()
    await harness.runtime.services.sender.settle()
    await a.send("/start")
    await a.click_data(pack("vt", "po", proposal.id))
    assert alert(a) == label("vote.not_eligible")
    await a.click_data(pack("vt", "pa", proposal.id, "agree"))
    assert alert(a) == label("vote.not_eligible")
    await d.click(label("vote.answer_button"))
    await d.click(label("vote.answer_agree"))
    await e.click(label("vote.answer_button"))
    await e.click(label("vote.answer_disagree"))
    await e.click_data(pack("vt", "pa", proposal.id, "maybe"))
    assert alert(e) == label("error.stale_button")
    await e.click(label("vote.answer_button"))  # the stale press took the buttons off
    assert "您家的意见：👎 不同意" in e.last().text
    # Everyone has answered and one household disagrees: staff are told which, and that it
    # can still change its answer; the threshold reads "all", not "≥1".
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_proposal_open", title="2号楼更换上下水主管"))
    card = staff.last().text
    assert "需要 全部" in card
    assert "≥1" not in card
    assert shown(ZH, "vote.disagreeing_open", count=1, places="幸福里小区 2号楼 1单元 102") in card
    await e.click(label("vote.answer_agree"))
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_proposal_open", title="2号楼更换上下水主管"))
    assert "目前：✅ 通过" in staff.last().text
    assert len(await answers(harness, proposal.id)) == 2
    log = await harness.runtime.db.fetch_all(
        "SELECT answer, previous FROM proposal_event ORDER BY id"
    )
    assert [(r["answer"], r["previous"]) for r in log] == [
        ("agree", None),
        ("disagree", None),
        ("agree", "disagree"),
    ]


# ---------------------------------------------------------------------------- bad input, English


async def test_the_creation_conversation_goes_back_and_refuses_what_a_step_cannot_take(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    await resident.click_data(pack("vc", "new", "menu"))  # forged: residents cannot create
    assert alert(resident) == label("error.not_allowed")
    await staff.send("/start")
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.new_menu"))
    await staff.send_sticker()
    assert staff.last().text == shown(ZH, "vote.not_here")
    await staff.send("长" * 101)
    assert staff.last().text == shown(ZH, "error.too_long", limit=100)
    await staff.send("楼道改造")
    await staff.click(label("reg.back"))
    assert staff.last().text == at_step(ZH, 1, 8, "vote.ask_menu_title")
    await staff.send("楼道改造点单")
    await staff.click(label("bc.kind_buildings"))
    await staff.click(label("bc.done", count=0))
    assert alert(staff) == label("bc.pick_one")
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    await staff.send_photo(b"\x89PNG no caption")
    assert staff.last().text == shown(ZH, "vote.photo_caption")
    await staff.send_document(b"%PDF", "plan.pdf", "application/pdf")
    assert staff.last().text == shown(ZH, "vote.not_here")
    await staff.send("楼道灯 | 12000")
    await staff.click(label("vote.done", count=1))
    assert alert(staff) == label("vote.two_items")
    await staff.send("扶手 | 18000\n粉刷 | 25000")
    await staff.click(label("vote.done", count=3))
    await staff.send("明天下午")  # not a time
    assert staff.last().text == shown(ZH, "bc.bad_time")
    await staff.click(label("vote.open_now"))
    await staff.send("11-20 08:00")  # before opening
    assert staff.last().text == shown(ZH, "bc.past_time", when="11月20日（周五）上午8:00")
    await staff.send("/cancel")
    assert staff.last().text == shown(ZH, "vote.cancelled_draft")
    assert await menu_rows(harness) == []


async def test_an_english_resident_votes_in_english(
    harness: BotHarness, community: Community
) -> None:
    resident = harness.user("Amy", user_id=B, language_code="en")
    await resident.send("/start")
    await resident.press(label("menu.language"))
    await resident.click("English")
    await publish_menu(harness, community)
    assert any("Renovation menu open" in m.text for m in resident.bot_messages)
    await resident.click(plain(EN, "vote.vote_button"))
    assert "Your household has not voted yet." in resident.last().text
    await resident.click("单元门禁")
    await resident.click(plain(EN, "vote.submit", n=1, k=2))
    assert "✅ Submitted." in resident.last().text
    await resident.press(plain(EN, "menu.votes"))
    assert resident.last().text == shown(EN, "vote.list_title")
    assert resident.last().labels == [plain(EN, "vote.list_menu_open", title="幸福里改造点单")]


async def test_a_proposal_draft_survives_a_restart(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock, community: Community
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        staff = first.user("社区张主任", user_id=STAFF_ID)
        await staff.send("/start")
        await staff.press(label("menu.votes"))
        await staff.click(label("vote.new_proposal"))
        await staff.send("光明新村屋面防水")
        await staff.send("屋面整体做防水，费用由维修资金列支。")
        await staff.click(label("bc.kind_compounds"))
        await staff.click("光明新村")
        await staff.click(label("bc.done", count=1))
    finally:
        await first.stop()
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        staff = second.user("社区张主任", user_id=STAFF_ID)
        await staff.click(label("vote.rule_custom"))
        await staff.send("2/3 3/2")  # not a share
        assert staff.last().text == shown(ZH, "vote.bad_spec")
        await staff.send("- >1/2 人数")
        await staff.click(label("vote.done", count=0))
        await staff.click(label("notice.skip"))
        await staff.send("11-23 08:00")
        await staff.send("11-30 20:00")
        preview = staff.last().text
        assert "光明新村屋面防水" in preview
        assert "自定义门槛" in preview
        assert "涉及住户：2 户" in preview
        await staff.click(label("vote.confirm"))
        rows = await second.runtime.db.fetch_all("SELECT title, rule, opens_at FROM proposal")
        [row] = [dict(r) for r in rows]
        assert row["title"] == "光明新村屋面防水"
        rule = json.loads(row["rule"])
        assert rule["participation"] is None
        assert rule["approval"] == {"share": "1/2", "strict": True}
        assert (rule["by_area"], rule["by_owners"]) == (False, True)
        assert datetime.fromisoformat(row["opens_at"]) == local(23, 8)
    finally:
        await second.stop()


async def test_a_reminder_due_in_quiet_hours_waits_until_morning(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    b = harness.user("居民", user_id=B)
    await publish_menu(harness, community, closes_at=local(25, 6))  # reminder 11-24 06:00
    reminded = lambda: [m for m in b.bot_messages if "您家还没有投票" in m.text]  # noqa: E731
    await at(harness, clock, local(24, 6))
    assert reminded() == []
    await at(harness, clock, local(24, 7))
    assert len(reminded()) == 1
