"""The vote cards on the core: forged and stale presses of the staff's and grid workers' buttons
get the polite answer and change nothing; staff cancel a proposal before it opens; the door-to-
door list and the paper picker page in place; a menu's photos come as an album with their
titles; a household answers a proposal through the text channel."""

from __future__ import annotations

from bot.domain.messages import Attachment
from bot.domain.models import Language
from bot.domain.votes import MenuItemDraft
from bot.i18n import plain
from emulator import BotApiEmulator
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import pack
from tests.e2e.delivery.community import GRID, OTHER_GRID, Community
from tests.e2e.delivery.test_votes import (
    A,
    D,
    account_of,
    alert,
    answers,
    label,
    local,
    menu_rows,
    pipes_proposal,
    publish_menu,
)
from tests.e2e.text_channel import TextChannel

ZH = Language.ZH


async def proposal_rows(harness: BotHarness) -> list[dict[str, object]]:
    rows = await harness.runtime.db.fetch_all("SELECT * FROM proposal ORDER BY id")
    return [dict(row) for row in rows]


async def test_forged_presses_of_the_vote_cards_are_refused_and_change_nothing(
    harness: BotHarness, community: Community
) -> None:
    menu_id = await publish_menu(harness, community, opens_at=local(23, 8))  # not open yet
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    worker = harness.user("李网格员", user_id=GRID)
    other = harness.user("王网格员", user_id=OTHER_GRID)
    a, d = harness.user("居民", user_id=A), harness.user("居民", user_id=D)
    for user in (worker, other, a, d):
        await user.send("/start")
    account = await account_of(harness, STAFF_ID)
    proposal = await harness.runtime.services.votes.create_proposal(
        account, pipes_proposal(community)
    )  # open now, for 2号楼
    pid = proposal.id
    menus_before = await menu_rows(harness)
    proposals_before = await proposal_rows(harness)

    # Malformed: a rule, an answer or a number no button carries, a missing argument, an
    # action the feature does not have — "that button is old", and its buttons come off.
    for data in (
        pack("vt", "mu", menu_id, "lottery"),
        f"v1:vt:mk:{menu_id}:x",
        pack("vt", "ml", menu_id),
        pack("vt", "pn", pid),
        pack("vt", "zz", menu_id),
    ):
        await staff.click_data(data)
        assert alert(staff) == label("error.stale_button"), data
        assert staff.last_answer.show_alert
    await d.click_data(pack("vt", "pa", pid, "maybe"))
    assert alert(d) == label("error.stale_button")
    h101 = community.households["2号楼 1单元 101"]
    await worker.click_data(pack("vt", "pr", pid, h101, "maybe"))
    assert alert(worker) == label("error.stale_button")

    # A resident presses what only staff and grid workers have: refused, nothing sent.
    sent = len(a.bot_messages)
    for action, args in (
        ("sm", (menu_id,)),
        ("mx", (menu_id,)),
        ("ml", (menu_id, 0)),
        ("mu", (menu_id, "greedy")),
        ("sp", (pid,)),
        ("pl", (pid, 0)),
        ("pw", (pid, 0)),
        ("ph", (pid, h101)),
        ("px", (pid,)),
        ("pc", (pid,)),
        ("sf", (pid,)),
    ):
        await a.click_data(pack("vt", action, *args))
        assert alert(a) == label("error.not_allowed"), action
    assert len(a.bot_messages) == sent
    # A grid worker may follow the proposal but not export or cancel it; the other grid's
    # worker may not pick 2号楼's households.
    for action in ("px", "pc"):
        await worker.click_data(pack("vt", action, pid))
        assert alert(worker) == label("error.not_allowed"), action
    await other.click_data(pack("vt", "ph", pid, h101))
    assert alert(other) == label("error.not_allowed")
    # Ids of nothing, and a proposal that has opened cannot be cancelled.
    await staff.click_data(pack("vt", "sp", 99999))
    assert alert(staff) == label("error.not_found")
    await staff.click_data(pack("vt", "sm", 99999))
    assert alert(staff) == label("error.not_found")
    await staff.click_data(pack("vt", "pc", pid))
    assert alert(staff) == label("vote.rules_frozen")

    assert await menu_rows(harness) == menus_before
    assert await proposal_rows(harness) == proposals_before
    assert await answers(harness, pid) == {}


async def test_staff_cancel_a_proposal_before_it_opens_and_page_the_lists(
    harness: BotHarness, community: Community
) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.send("/start")
    account = await account_of(harness, STAFF_ID)
    votes = harness.runtime.services.votes
    draft = pipes_proposal(community).model_copy(update={"opens_at": local(23, 8)})
    later = await votes.create_proposal(account, draft)
    now = await votes.create_proposal(account, pipes_proposal(community))

    await staff.press(label("menu.votes"))
    await staff.click(label("vote.list_proposal_scheduled", title="2号楼更换上下水主管"))
    card = staff.last()
    assert label("vote.paper_button") not in card.labels  # not open yet
    await staff.click(label("vote.cancel_vote"))
    assert alert(staff) == label("vote.changed")
    assert staff.last().message_id == card.message_id  # the card, edited
    assert staff.last().text == label("vote.cancelled", title="2号楼更换上下水主管")
    rows = await proposal_rows(harness)
    assert [row["id"] for row in rows if row["cancelled"]] == [later.id]

    # The open one: the door-to-door list and the paper picker, each on one page here.
    await staff.click_data(pack("vt", "sp", now.id))
    await staff.click(label("vote.missing_button"))
    missing = staff.last().text
    assert "未表态住户 2 户" in missing
    assert "幸福里小区 2号楼 1单元 101" in missing
    await staff.click_data(pack("vt", "pn", now.id, 5))  # a page past the end: the last
    assert staff.last().text == missing
    await staff.click_data(pack("vt", "sp", now.id))
    await staff.click(label("vote.paper_button"))
    assert staff.last().labels == ["2号楼 1单元 101", "2号楼 1单元 102"]
    await staff.click("2号楼 1单元 102")
    assert staff.last().text == label("vote.paper_which", place="幸福里小区 2号楼 1单元 102")
    await staff.click(label("vote.answer_abstain"))
    assert alert(staff) == label("vote.answered_short")
    assert "已录入" in staff.last().text
    await staff.click_data(pack("vt", "pq", now.id, 0))
    assert staff.last().labels == ["2号楼 1单元 101"]


async def test_a_menus_photos_come_as_an_album_under_their_titles(
    harness: BotHarness, community: Community, emulator: BotApiEmulator
) -> None:
    photos = [emulator.store_file(b"\x89PNG " + bytes([n]), f"{n}.png") for n in range(2)]
    light, bench = (Attachment(kind="photo", ref=photo.file_id) for photo in photos)
    items = (
        MenuItemDraft(title="楼道声控灯", cost=12000, photo=light),
        MenuItemDraft(title="座椅&花坛", cost=8000, photo=bench),
        MenuItemDraft(title="单元门禁", cost=30000),
    )
    menu_id = await publish_menu(harness, community, items=items)
    a = harness.user("居民", user_id=A)
    await a.send("/start")
    await a.click_data(pack("vt", "mo", menu_id))
    await a.click(label("vote.photos_button"))
    album = a.bot_messages[-2:]
    assert [m.kind for m in album] == ["photo", "photo"]
    assert [m.text for m in album] == ["楼道声控灯", "座椅&花坛"]
    assert [m.files[-1].content for m in album] == [p.content for p in photos]


async def test_a_household_answers_a_proposal_through_the_text_channel(
    harness: BotHarness, community: Community
) -> None:
    channel = TextChannel(harness.runtime.services)
    resident = channel.person("wx-010")
    account = await resident.account()
    household = community.households["2号楼 1单元 101"]
    await harness.runtime.services.registration.request(account, household, "13900000004")
    await harness.user("社区张主任", user_id=STAFF_ID).send("/start")
    staff = await account_of(harness, STAFF_ID)
    await harness.runtime.services.votes.create_proposal(staff, pipes_proposal(community))

    [listed] = await resident.send(plain(ZH, "menu.votes"))  # the menu item's words
    assert f"1. {plain(ZH, 'vote.list_proposal_open', title='2号楼更换上下水主管')}" in listed
    [card] = await resident.send("1")
    assert "需要每户同意入户施工。" in card
    assert plain(ZH, "vote.not_answered") in card
    notice, answered = await resident.send(plain(ZH, "vote.answer_agree"))
    assert notice == plain(ZH, "vote.answered_short")
    assert f"1. {plain(ZH, 'vote.answer_chosen', answer=plain(ZH, 'vote.answer_agree'))}" in (
        answered.splitlines()
    )
    assert await answers(harness) == {household: ("agree", None)}
