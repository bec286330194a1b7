"""Forged and stale presses of the vote-creation flows ("vc" for the menu, "vp" for the
proposal): each gets the polite "that button is old" answer and changes nothing — not the
author's place in the flow, not the draft, and no vote is created. The flows themselves are
driven in test_votes.py."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import plain
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import at_step, shown
from tests.e2e.delivery.community import Community

ZH = Language.ZH
A = 800101  # a registered resident of 幸福里小区 1号楼 1单元 101
TOO_BIG = str(2**63)


def label(key: str, **params: object) -> str:
    return plain(ZH, key, **params)


def alert(user: UserClient) -> str:
    return user.last_answer.answer_text or ""


async def session(harness: BotHarness, user: UserClient) -> tuple[object, ...] | None:
    """The author's dialog session as stored: the flow, the step, the draft, the step's state."""
    rows = await harness.runtime.db.fetch_all(
        "SELECT s.flow, s.step, s.draft, s.state FROM dialog_session s"
        " JOIN user u ON u.id = s.user_id WHERE u.external_id = ?",
        (str(user.user_id),),
    )
    return tuple(rows[0]) if rows else None


async def votes_made(harness: BotHarness) -> int:
    menus = await harness.runtime.db.fetch_value("SELECT count(*) FROM menu")
    proposals = await harness.runtime.db.fetch_value("SELECT count(*) FROM proposal")
    return int(menus) + int(proposals)


async def refused_as_stale(harness: BotHarness, user: UserClient, *presses: str) -> None:
    """Each press is answered "stale" (an alert) and leaves the session and the votes as
    they were. The presses land on the first message, so the flow's own buttons stay."""
    before = await session(harness, user), await votes_made(harness)
    for data in presses:
        query = await user.click_data(data, message=user.bot_messages[0])
        assert query.answered, data
        assert alert(user) == label("error.stale_button"), data
        assert user.last_answer.show_alert, data
        assert (await session(harness, user), await votes_made(harness)) == before, data


async def test_forged_and_stale_vote_creation_presses_change_nothing(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    # No flow open: a flow's button is old; so is a kind of vote that does not exist, and a
    # button of the old conversation (its own action codes).
    await refused_as_stale(
        harness,
        staff,
        "v1:vc:pick:scope:compounds",
        "v1:vp:tog:places:1",
        "v1:vc:cf",
        "v1:vc:new:poll",
        "v1:vc:new",
        "v1:vc:sk:compounds",
        "v1:vc:ok",
    )
    assert await session(harness, staff) is None

    await staff.press(label("menu.votes"))
    await staff.click(label("vote.new_menu"))
    await staff.send("楼道改造点单")
    # At the scope: a kind not offered, another step's button, the proposal flow's button,
    # out-of-range and missing arguments.
    await refused_as_stale(
        harness,
        staff,
        "v1:vc:pick:scope:community",
        "v1:vc:pick:scope:grids",
        "v1:vc:pick:k:1",
        "v1:vc:done:places",
        "v1:vc:pick:scope",
        "v1:vp:pick:scope:compounds",
        "v1:vc:ed:title",
        "v1:vc:sk:buildings",
    )
    await staff.click(label("bc.kind_buildings"))
    await refused_as_stale(
        harness,
        staff,
        "v1:vc:tog:places:99999999",
        f"v1:vc:tog:places:{TOO_BIG}",
        "v1:vc:tog:places:-1",
        f"v1:vc:page:places:{TOO_BIG}",
        "v1:vc:pick:places:1",
    )
    await staff.click("幸福里小区 1号楼")
    await staff.click(label("bc.done", count=1))
    await staff.send("楼道灯 | 12000\n扶手 | 18000")
    await refused_as_stale(harness, staff, "v1:vc:pick:items:more", "v1:vc:pick:k:1")
    await staff.click(label("vote.done", count=2))
    await staff.click(label("vote.open_now"))
    await refused_as_stale(harness, staff, "v1:vc:pick:closes:5", "v1:vc:pick:closes:-1")
    await staff.click(label("vote.days", days=7))
    await refused_as_stale(harness, staff, "v1:vc:pick:k:3", "v1:vc:pick:k:0")  # 2 items
    await staff.click(label("vote.k_button", k=2))
    await staff.click(label("vote.no_budget"))
    await refused_as_stale(harness, staff, "v1:vc:pick:live:2", "v1:vc:pick:select:mes")
    await staff.click(label("vote.live_no"))
    await refused_as_stale(harness, staff, "v1:vc:pick:preview:yes", "v1:vc:pick:preview")
    preview = staff.last()
    await staff.click(label("vote.confirm"))
    assert staff.last().text == shown(ZH, "vote.menu_created", id=1, title="楼道改造点单")
    assert await votes_made(harness) == 1
    # The confirmation again (a double tap, an old preview): the flow is over.
    await staff.click_data("v1:vc:pick:preview:ok", message=preview)
    assert alert(staff) == label("error.stale_button")
    assert await votes_made(harness) == 1
    assert await session(harness, staff) is None

    # A proposal under way: the menu flow's buttons are not its own.
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.new_proposal"))
    await staff.send("1号楼加装电梯")
    await refused_as_stale(
        harness, staff, "v1:vc:pick:body:x", "v1:vc:pick:scope:compounds", "v1:vp:pick:rule:x"
    )
    assert await session(harness, staff) is not None


async def test_a_resident_cannot_open_or_drive_a_creation_flow(
    harness: BotHarness, community: Community
) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.send("/start")
    for kind in ("menu", "proposal"):
        await resident.click_data(f"v1:vc:new:{kind}")
        assert alert(resident) == label("error.not_allowed")
    await refused_as_stale(
        harness, resident, "v1:vp:pick:title:x", "v1:vc:pick:scope:compounds", "v1:vc:x"
    )
    assert await session(harness, resident) is None
    assert await votes_made(harness) == 0


def step(user: UserClient) -> str:
    """The step shown now: the newest message with « Back (a retry may have come after it)."""
    return user.find_button_message(label("reg.back")).text


async def test_each_proposal_step_says_what_it_cannot_take_and_back_follows_the_rule(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    await staff.press(label("menu.votes"))
    await staff.click(label("vote.new_proposal"))
    await staff.send_voice(b"OggS")
    assert staff.last().text == shown(ZH, "vote.not_here")
    await staff.send("屋面防水")
    await staff.send_photo(b"\x89PNG")
    assert staff.last().text == shown(ZH, "vote.not_here")
    await staff.send("  \n ")
    assert staff.last().text == shown(ZH, "error.blank")
    await staff.send("屋面整体做防水。")
    await staff.send("幸福里小区")  # words where buttons are asked for
    assert staff.last().text == shown(ZH, "reg.use_buttons")
    await staff.click(label("bc.kind_compounds"))
    await staff.send_photo(b"\x89PNG")
    assert staff.last().text == shown(ZH, "vote.not_here")
    await staff.click("幸福里小区")
    await staff.click(label("bc.done", count=1))
    await staff.click(label("vote.rule_custom"))
    assert step(staff) == at_step(ZH, 4, 8, "vote.ask_proposal_custom")  # part of the rule
    await staff.send("2/3 3/4 面积")
    for n in range(5):
        await staff.send_document(b"%PDF", f"plan{n}.pdf", "application/pdf")
    assert staff.last().text == at_step(ZH, 5, 8, "vote.ask_proposal_files", count=5, max=5)
    await staff.send_photo(b"\x89PNG sixth")
    assert staff.last().text == shown(ZH, "vote.too_many_files", max=5)
    await staff.click(label("reg.back"))  # the custom thresholds, asked because custom
    assert step(staff) == at_step(ZH, 4, 8, "vote.ask_proposal_custom")  # part of the rule
    await staff.click(label("reg.back"))
    await staff.click(label("vote.rule_unanimous"))  # now the files come right after
    assert step(staff) == at_step(ZH, 5, 8, "vote.ask_proposal_files", count=5, max=5)
    await staff.click(label("vote.done", count=5))
    await staff.send("120000; 一楼不出")
    assert staff.last().text == shown(ZH, "vote.bad_spec")
    await staff.click(label("notice.skip"))
    await staff.click(label("vote.open_now"))
    await staff.click(label("vote.days", days=14))
    preview = step(staff)
    assert "全体同意" in preview
    assert "附件 5 个" in preview
    await staff.send("确认")  # words on the preview
    assert staff.last().text == shown(ZH, "reg.use_buttons")
    await staff.click(label("reg.cancel"))
    assert staff.last_answer.answered
    assert shown(ZH, "vote.cancelled_draft") in [m.text for m in staff.bot_messages]
    assert await votes_made(harness) == 0
    assert await session(harness, staff) is None
