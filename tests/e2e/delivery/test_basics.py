"""The small features on the core — my home, notification settings, the language, the staff
views, the last answer — pressed with forged and stale buttons on Telegram, and used through the
text channel (the same definitions, rendered as numbered lines)."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import plain
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.e2e.catalog import shown
from tests.e2e.delivery.community import GRID, Community
from tests.e2e.text_channel import TextChannel

ZH, EN = Language.ZH, Language.EN
A = 800101  # registered resident of 幸福里小区 1号楼 1单元 101
TOO_BIG = str(2**63)


def label(key: str, **params: object) -> str:
    """A button's words in Chinese."""
    return plain(ZH, key, **params)


def said(key: str, **params: object) -> str:
    """A catalog text as the text channel shows it (no HTML)."""
    return plain(ZH, key, **params).replace("<b>", "").replace("</b>", "")


async def state(harness: BotHarness) -> tuple[object, ...]:
    """Everything the presses below could change: memberships, mutes, languages."""
    db = harness.runtime.db
    queries = (
        "SELECT user_id, household_id, status, is_current, decided_by FROM membership",
        "SELECT user_id, category, muted FROM mute",
        "SELECT id, language FROM user",
    )
    tables = []
    for query in queries:
        tables.append([tuple(row) for row in await db.fetch_all(query)])
    return tuple(tables)


async def pending_request(resident: UserClient) -> None:
    """Ask for 幸福里小区 1号楼 1单元 201 without a phone: the grid worker decides."""
    await resident.command("register")
    for place in ("幸福里小区", "1号楼", "1单元", "201"):
        await resident.click(place)
    await resident.press(label("reg.skip_phone"))


async def test_forged_presses_of_the_small_features_are_stale_and_change_nothing(
    harness: BotHarness, community: Community
) -> None:
    resident = harness.user("居民", user_id=A)
    other = community.households["2号楼 1单元 101"]
    mine = community.households["1号楼 1单元 101"]
    await resident.command("start")
    before = await state(harness)
    forged = [
        "v1:home:cur",
        "v1:home:cur:abc",
        f"v1:home:cur:{TOO_BIG}",
        "v1:home:zap:1",
        f"v1:home:leave:{other}",  # not theirs: nothing to ask
        "v1:mute:tog",
        "v1:mute:tog:account",  # cannot be muted
        "v1:mute:tog:weather",
        "v1:mute:zap",
        "v1:lang:set",
        "v1:lang:set:fr",
        "v1:lang:zap:en",
        "v1:reg:ok",
        f"v1:reg:ok:{A}",
        f"v1:reg:no:x:{mine}",
        f"v1:reg:ok:{TOO_BIG}:{mine}",
    ]
    for data in forged:
        await resident.press(label("menu.home"))
        home = resident.last()
        assert home.labels, data
        query = await resident.click_data(data, message=home)
        assert (query.answer_text, query.show_alert) == (label("error.stale_button"), True), data
        assert home.labels == [], data  # the dead buttons are taken off
    # Well-formed, but not the person's to press: the rule's polite no, and the buttons stay.
    refused = {
        f"v1:home:cur:{other}": "home.not_member",
        f"v1:home:sure:{other}": "home.not_member",
        f"v1:reg:ok:{A}:{mine}": "error.not_allowed",
        f"v1:reg:no:{A}:{other}": "error.not_allowed",
    }
    for data, key in refused.items():
        await resident.press(label("menu.home"))
        query = await resident.click_data(data, message=resident.last())
        assert (query.answer_text, query.show_alert) == (label(key), True), data
        assert resident.last().labels, data
    assert await state(harness) == before


async def test_my_home_withdraw_asks_first_and_keep_shows_my_home_again(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.command("start")
    resident = harness.user("张三", user_id=900001)
    await pending_request(resident)
    await resident.press(label("menu.home"))
    home = resident.last()
    place = "幸福里小区 1号楼 1单元 201"
    assert home.text.startswith(shown(ZH, "home.title"))
    assert shown(ZH, "home.pending", place=place) in home.text
    withdraw = label("home.withdraw", room="201")
    assert home.labels == [withdraw, label("home.add"), label("mute.open")]

    await resident.click(withdraw)
    assert home.text == shown(ZH, "home.leave_ask", place=place)  # asked in place
    await resident.click(label("home.leave_no"))
    assert shown(ZH, "home.pending", place=place) in home.text  # my home again, unchanged
    await resident.click(withdraw)
    await resident.click(label("home.leave_yes"))
    assert resident.last_answer.answer_text == label("home.left", place=place)
    assert home.text == shown(ZH, "home.none")
    assert home.labels == [label("home.register")]

    # The grid worker's request is now stale: deciding it is refused.
    await worker.click(label("reg.approve"))
    assert worker.last_answer.answer_text == label("reg.already_decided", status="left")


async def test_settings_open_below_my_home_and_switch_in_the_chosen_language(
    harness: BotHarness, community: Community
) -> None:
    resident = harness.user("居民", user_id=A)
    await resident.command("language")
    await resident.click("English")
    assert resident.last_answer.answer_text == plain(EN, "language.saved_short")
    await resident.press(plain(EN, "menu.home"))
    home = resident.last()

    await resident.click(plain(EN, "mute.open"))
    panel = resident.last()
    assert panel.message_id != home.message_id  # a new message below my home
    assert home.labels[-1] == plain(EN, "mute.open")
    assert panel.text == shown(EN, "mute.title")
    switch = "🔔 " + plain(EN, "mute.vote")
    assert switch in panel.labels
    await resident.click(switch)
    assert resident.last_answer.answer_text == plain(EN, "mute.muted")
    assert "🔕 " + plain(EN, "mute.vote") in panel.labels  # changed in place
    rows = await harness.runtime.db.fetch_all("SELECT category, muted FROM mute")
    assert [tuple(row) for row in rows] == [("vote", 1)]


async def test_a_request_decided_from_the_pending_list_shows_the_decision(
    harness: BotHarness, community: Community
) -> None:
    worker = harness.user("李网格员", user_id=GRID)
    await worker.command("start")
    resident = harness.user("张三", user_id=900001)
    await pending_request(resident)
    worker.mark_read()

    await worker.command("pending")
    title, request = worker.replies()
    assert title.text == shown(ZH, "staff.pending_title", count=1)
    await worker.click(label("reg.reject"), message=request)

    place = "幸福里小区 1号楼 1单元 201"
    assert request.text == shown(ZH, "staff.rejected", name="张三", place=place, by="李网格员")
    assert request.labels == []
    await worker.press(label("menu.pending"))
    assert worker.last().text == shown(ZH, "staff.no_pending")


async def test_the_small_features_on_the_text_channel(
    harness: BotHarness, community: Community
) -> None:
    channel = TextChannel(harness.runtime.services)
    person = channel.person("wx-101")

    [welcome] = await person.command("start")
    assert welcome == said("start.welcome", name="王阿姨")
    [guide] = await person.command("help")
    assert guide.startswith(said("help.title"))
    assert said("help.item_home") in guide
    assert await person.command("cancel") == [said("cancel.nothing")]
    assert await person.command("vote_now") == [said("fallback.unknown_command")]
    # Free words from someone not registered: registration first, the words kept (issue 20).
    kept, compounds = await person.send("楼道灯坏了")
    assert kept == said("free.register_first")
    assert said("reg.ask_compound") in compounds
    assert await person.command("cancel") == [said("reg.cancelled")]

    [settings] = await person.command("notifications")
    assert f"1. 🔔 {label('mute.notice')}" in settings.splitlines()
    muted, panel = await person.send("1")  # the notice, then the panel again
    assert muted == label("mute.muted")
    assert f"1. 🔕 {label('mute.notice')}" in panel.splitlines()

    [none] = await person.send(label("menu.home"))
    assert none.splitlines() == [said("home.none"), f"1. {label('home.register')}"]
    [compounds] = await person.send("1")
    assert said("reg.ask_compound") in compounds

    [picker] = await person.command("language")
    assert picker.splitlines()[1:] == ["1. 简体中文", "2. English"]
    notice, saved, ready = await person.send("2")
    assert (notice, saved, ready) == (
        plain(EN, "language.saved_short"),
        plain(EN, "language.saved"),
        plain(EN, "language.menu_ready"),
    )
    [guide] = await person.command("help")
    assert guide.startswith(plain(EN, "help.title").replace("<b>", "").replace("</b>", ""))
