"""Results people understand and answers with money attached (issue 20, points 6 and 7),
through the Application and the emulator: a menu's closing announcement names the rule, the
budget and why a more-voted item was left out (greedy and equal shares), turnout counts the
registered and all households, a proposal's progress and closing show area and owners, the
chart comes with its legend, and an answer to a proposal with a cost to share is confirmed
first (Confirm records, Back does not, a forged or late Confirm changes nothing)."""

from __future__ import annotations

import json
from decimal import Decimal

from bot.clock import ManualClock
from bot.domain.consent import RuleKind, rule_for
from bot.domain.models import Language
from bot.domain.scope import Scope, ScopeKind
from bot.domain.votes import ProposalDraft, SelectionRule, yuan
from bot.i18n import plain
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import pack, shown
from tests.e2e.delivery.community import Community
from tests.e2e.delivery.test_votes import (
    A2,
    A,
    B,
    C,
    D,
    account_of,
    alert,
    answers,
    at,
    items,
    label,
    local,
    publish_menu,
)
from tests.e2e.text_channel import TextChannel

ZH, EN = Language.ZH, Language.EN
LIGHT, GATE, BENCH = 1, 2, 4  # the menu's items as bits of a ballot's mask (menu order)


async def vote(user: UserClient, menu_id: int, mask: int) -> None:
    """A household submits these items (a Submit press as the ballot's button makes it)."""
    await user.send("/start")
    await user.click_data(pack("vt", "ms", menu_id, format(mask, "x"), 0))


def closing_of(user: UserClient) -> str:
    [closing] = [m.text for m in user.bot_messages if "点单结束" in m.text or "closed" in m.text]
    return closing


# ---------------------------------------------------------------------------- menus


async def test_a_greedy_menu_closes_saying_its_rule_budget_and_why_the_gate_was_left_out(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    menu_id = await publish_menu(harness, community, rule=SelectionRule.GREEDY)
    a, b, c, d = (harness.user("居民", user_id=uid) for uid in (A, B, C, D))
    await b.send("/start")
    await b.press(label("menu.language"))
    await b.click("English")
    # The light 4 votes, the gate 3, the bench 1: greedy takes the light (¥12,000), finds
    # ¥28,000 left for the gate (¥30,000), and takes the bench (¥8,000).
    for user, mask in (
        (a, LIGHT | GATE),
        (b, LIGHT | GATE),
        (c, LIGHT | GATE),
        (d, LIGHT | BENCH),
    ):
        await vote(user, menu_id, mask)
    await at(harness, clock, local(25, 20))

    closing = closing_of(a)
    # 1号楼 1单元 201 has nobody registered: 5 registered households of the compound's 6.
    assert "已投 4 户 / 已登记 5 户 / 共 6 户" in closing
    assert "预算 ¥40,000，按“得票优先”选出 2 项（✅），共 ¥20,000。" in closing
    assert shown(ZH, "vote.rule_means_greedy") in closing
    assert shown(ZH, "vote.left_out_head") in closing
    assert "• 单元门禁（3 票）：预算不够：还剩 ¥28,000 不够 ¥30,000" in closing.splitlines()
    assert "✅ 休闲座椅" in closing  # chosen with fewer votes: the reason above says why
    assert "可投" not in closing  # the old turnout ("投票 4 户 / 可投 5 户（80.0%）") is gone
    assert "%" not in closing

    english = closing_of(b)  # the same announcement, in the reader's language
    assert "4 voted / 5 registered / 6 households" in english
    assert "not enough budget: ¥28,000 left is not enough for ¥30,000" in english
    assert plain(EN, "vote.sel_greedy") in english

    # The results a household opens afterwards say the same.
    await a.click_data(pack("vt", "mr", menu_id))
    results = a.last().text
    assert "已投 4 户 / 已登记 5 户 / 共 6 户" in results
    assert "单元门禁（3 票）：预算不够：还剩 ¥28,000 不够 ¥30,000" in results

    # Staff: the chart of the closed menu is a PNG, with the turnout under it.
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.click_data(pack("vt", "mc", menu_id))
    chart = staff.last()
    assert chart.kind == "photo"
    assert chart.files[-1].content.startswith(b"\x89PNG")
    assert "已投 4 户 / 已登记 5 户 / 共 6 户" in chart.text


async def test_an_equal_shares_menu_says_its_supporters_shares_were_not_enough(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    menu_id = await publish_menu(harness, community)  # the Method of Equal Shares
    light, _gate, bench = await items(harness)
    a, b, c = (harness.user("居民", user_id=uid) for uid in (A, B, C))
    # The gate has 2 votes, the light and the bench 1 each; the three voting households share
    # ¥40,000, so the gate's two hold ¥26,666.67, not ¥30,000: the light and the bench instead.
    for user, mask in ((a, LIGHT), (b, GATE), (c, GATE | BENCH)):
        await vote(user, menu_id, mask)
    await at(harness, clock, local(25, 20))

    [row] = await harness.runtime.db.fetch_all("SELECT result FROM menu")
    assert sorted(json.loads(row["result"])["selected"]) == sorted([light, bench])
    closing = closing_of(a)
    assert "已投 3 户 / 已登记 5 户 / 共 6 户" in closing
    assert "预算 ¥40,000，按“均等份额法”选出 2 项（✅），共 ¥20,000。" in closing
    assert shown(ZH, "vote.rule_means_mes") in closing
    assert (
        "• 单元门禁（2 票，¥30,000）：按平均分配预算的规则，支持它的住户分到的钱不够"
        in closing.splitlines()
    )


async def test_a_menu_without_a_budget_says_nothing_was_chosen_by_rule(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    menu_id = await publish_menu(harness, community, budget=None)
    a = harness.user("居民", user_id=A)
    await vote(a, menu_id, GATE)
    await at(harness, clock, local(25, 20))
    closing = closing_of(a)
    assert "已投 1 户 / 已登记 5 户 / 共 6 户" in closing
    assert shown(ZH, "vote.no_budget_note") in closing
    assert shown(ZH, "vote.left_out_head") not in closing


# ---------------------------------------------------------------------------- proposals


async def set_areas(harness: BotHarness, community: Community) -> None:
    """1号楼: floors, areas with decimals, and one owner of two flats (101 and 102)."""
    rows = {
        "1号楼 1单元 101": (1, 6050, "owner-li"),
        "1号楼 1单元 102": (1, 4025, "owner-li"),
        "1号楼 1单元 201": (2, 8000, ""),
        "1号楼 2单元 101": (1, 7000, ""),
    }
    for key, (floor, centi, owner) in rows.items():
        await harness.runtime.db.execute(
            "UPDATE household SET floor = ?, area_centi = ?, owner_key = ? WHERE id = ?",
            (floor, centi, owner, community.households[key]),
        )


def elevator(community: Community, *, cost: bool = True) -> ProposalDraft:
    """A major-matters proposal for 1号楼, open from 11-22 09:00 to 11-29 09:00, with
    ¥100,000 shared by floor (floor 1 half of floor 2) unless `cost` is False."""
    money: dict[str, object] = (
        {"total_cost_fen": 10_000_000, "coefficients": {1: Decimal("0.5"), 2: Decimal(1)}}
        if cost
        else {}
    )
    return ProposalDraft(
        title="1号楼加装电梯",
        body="在1号楼北侧加装电梯一部。",
        scope=Scope(kind=ScopeKind.BUILDINGS, ids=(community.buildings["1号楼"],)),
        rule=rule_for(RuleKind.MAJOR),
        opens_at=local(22, 9),
        closes_at=local(29, 9),
        **money,  # type: ignore[arg-type]
    )


async def publish(harness: BotHarness, draft: ProposalDraft) -> int:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    account = await account_of(harness, STAFF_ID)
    proposal = await harness.runtime.services.votes.create_proposal(account, draft)
    await harness.settle()
    await harness.runtime.services.sender.settle()
    return proposal.id


async def share_of(harness: BotHarness, telegram_id: int, proposal_id: int) -> int:
    account = await account_of(harness, telegram_id)
    standing = await harness.runtime.services.votes.standing(account, proposal_id)
    assert standing.share_fen is not None
    return standing.share_fen


async def test_an_answer_with_money_attached_is_confirmed_first(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    await set_areas(harness, community)
    a, a2, b = (harness.user("居民", user_id=uid) for uid in (A, A2, B))
    for user in (a, a2, b):
        await user.send("/start")
    pid = await publish(harness, elevator(community))
    h101 = community.households["1号楼 1单元 101"]
    share = await share_of(harness, A, pid)
    # Weights: 101 0.5 × 60.5, 102 0.5 × 40.25, 201 1 × 80, 2单元 101 0.5 × 70 = 165.375.
    assert yuan(share) == "18,291.76"

    await a.click(label("vote.answer_button"))
    card = a.last()
    await a.click(label("vote.answer_agree"))
    confirm = a.last()
    assert confirm.message_id == card.message_id  # in place of the card
    assert "请确认您家对“1号楼加装电梯”的意见：👍 同意" in confirm.text
    assert "您家应出 ¥18,291.76（总费用 ¥100,000）" in confirm.text
    assert shown(ZH, "vote.means_agree") in confirm.text
    assert confirm.labels == [label("vote.confirm_answer_button"), label("vote.back_to_proposal")]
    assert await answers(harness, pid) == {}  # nothing recorded before Confirm

    # Back: the card again, nothing recorded.
    await a.click(label("vote.back_to_proposal"))
    assert a.last().message_id == card.message_id
    assert shown(ZH, "vote.not_answered") in a.last().text
    assert await answers(harness, pid) == {}

    # Abstain explains itself too; Confirm records it and tells the other member.
    await a.click(label("vote.answer_abstain"))
    assert shown(ZH, "vote.means_abstain") in a.last().text
    await a.click(label("vote.confirm_answer_button"))
    assert alert(a) == label("vote.answered_short")
    assert await answers(harness, pid) == {h101: ("abstain", None)}
    assert "您家的意见：⚪ 弃权" in a.last().text
    await harness.runtime.services.sender.settle()
    assert any("已为您家对“1号楼加装电梯”表态" in m.text for m in a2.bot_messages)

    # A forged Confirm: for another household (B's press naming 101), refused as stale.
    await b.click_data(pack("vt", "py", pid, "agree", h101, share))
    assert alert(b) == label("error.stale_button")
    # A forged "answer" press never records on its own: it only shows the confirmation.
    await b.click_data(pack("vt", "pa", pid, "agree"))
    assert "您家应出" in b.last().text
    # A Confirm naming a share that is not the household's: shown again with the real one.
    await b.click_data(pack("vt", "py", pid, "agree", community.households["1号楼 1单元 102"], 1))
    assert alert(b) == label("vote.share_changed")
    assert b.last_answer.show_alert
    assert f"¥{yuan(await share_of(harness, B, pid))}" in b.last().text
    assert await answers(harness, pid) == {h101: ("abstain", None)}

    # The household changes its mind, confirmed again.
    await a.click_data(pack("vt", "po", pid))
    await a.click(label("vote.answer_agree"))
    await a.click(label("vote.confirm_answer_button"))
    assert await answers(harness, pid) == {h101: ("agree", None)}

    # After closing, a Confirm from the old screen is refused and changes nothing.
    await a.click(label("vote.answer_disagree"))
    late = a.last()
    await at(harness, clock, local(29, 9, 1))
    await a.click(label("vote.confirm_answer_button"), message=late)
    assert alert(a) == label("vote.closed")
    assert await answers(harness, pid) == {h101: ("agree", None)}
    await a.click_data(pack("vt", "pa", pid, "disagree"))
    assert alert(a) == label("vote.closed")
    assert await answers(harness, pid) == {h101: ("agree", None)}


async def test_a_proposal_without_money_keeps_its_one_press_answer(
    harness: BotHarness, community: Community
) -> None:
    a = harness.user("居民", user_id=A)
    await a.send("/start")
    pid = await publish(harness, elevator(community, cost=False))
    await a.click(label("vote.answer_button"))
    await a.click(label("vote.answer_agree"))
    assert alert(a) == label("vote.answered_short")
    assert await answers(harness, pid) == {
        community.households["1号楼 1单元 101"]: ("agree", None)
    }


async def test_a_proposals_progress_and_closing_show_area_and_owners(
    harness: BotHarness, community: Community, clock: ManualClock
) -> None:
    await set_areas(harness, community)
    pid = await publish(harness, elevator(community))
    a, c = harness.user("居民", user_id=A), harness.user("居民", user_id=C)
    for user, answer in ((a, "agree"), (c, "disagree")):
        await user.send("/start")
        await user.click_data(pack("vt", "po", pid))
        await user.click(label(f"vote.answer_{answer}"))
        await user.click(label("vote.confirm_answer_button"))

    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_proposal_open", title="1号楼加装电梯"))
    card = staff.last().text.splitlines()
    # 201 has nobody registered; owner-li holds 101 and 102 and counts once.
    assert "已投 2 户 / 已登记 3 户 / 共 4 户" in card
    assert "全部：4 户 · 250.75㎡ · 业主 3 人" in card
    assert "已表态：2 户 · 130.5㎡ · 业主 2 人" in card
    assert "同意：1 户 · 60.5㎡ · 业主 1 人" in card

    await at(harness, clock, local(29, 9, 1))
    [closing] = [m.text for m in a.bot_messages if "表决结束" in m.text]
    lines = closing.splitlines()
    assert "同意 1 户，不同意 1 户，弃权 0 户。" in lines
    assert "已投 2 户 / 已登记 3 户 / 共 4 户" in lines
    assert "全部：4 户 · 250.75㎡ · 业主 3 人" in lines
    assert "同意：1 户 · 60.5㎡ · 业主 1 人" in lines
    # The frozen result keeps what the closing said.
    await staff.click_data(pack("vt", "sp", pid))
    assert "已表态：2 户 · 130.5㎡ · 业主 2 人" in staff.last().text


async def test_the_money_confirmation_through_the_text_channel(
    harness: BotHarness, community: Community
) -> None:
    channel = TextChannel(harness.runtime.services)
    resident = channel.person("wx-020")
    account = await resident.account()
    household = community.households["1号楼 1单元 201"]
    await harness.runtime.services.registration.request(account, household, "13900000002")
    await set_areas(harness, community)
    await publish(harness, elevator(community))

    await resident.send(plain(ZH, "menu.votes"))
    await resident.send("1")
    [confirm] = await resident.send(plain(ZH, "vote.answer_agree"))
    assert "您家应出 ¥" in confirm
    assert f"1. {plain(ZH, 'vote.confirm_answer_button')}" in confirm.splitlines()
    assert await answers(harness) == {}
    notice, card = await resident.send(plain(ZH, "vote.confirm_answer_button"))
    assert notice == plain(ZH, "vote.answered_short")
    assert "您家的意见：👍 同意" in card
    assert await answers(harness) == {household: ("agree", None)}
