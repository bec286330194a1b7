"""The first conversation, played by residents through the real Application and the emulator."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import plain
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.catalog import shown

ZH = Language.ZH
EN = Language.EN


async def user_row(harness: BotHarness, telegram_id: int) -> dict[str, object] | None:
    """The stored user, as the database holds it."""
    row = await harness.runtime.db.fetch_one(
        "SELECT first_name, language, role FROM user WHERE channel = 'telegram'"
        " AND external_id = ?",
        (str(telegram_id),),
    )
    return dict(row) if row else None


async def test_start_greets_by_name_shows_menu_and_records_the_user(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.command("start")

    [reply] = resident.replies()
    assert "王阿姨" in reply.text
    assert "商量" in reply.text
    assert resident.keyboard == [
        plain(ZH, "menu.report"),
        plain(ZH, "menu.my_reports"),
        plain(ZH, "menu.home"),
        plain(ZH, "menu.notices"),
        plain(ZH, "menu.votes"),
        plain(ZH, "menu.meetings"),
        plain(ZH, "menu.contact"),
        plain(ZH, "menu.help"),
        plain(ZH, "menu.language"),
    ]
    assert await user_row(harness, resident.user_id) == {
        "first_name": "王阿姨",
        "language": None,
        "role": "resident",
    }


async def test_start_escapes_a_name_that_looks_like_html(harness: BotHarness) -> None:
    resident = harness.user("<b>老李</b> & 子")
    await resident.command("start")

    assert "<b>老李</b> & 子" in resident.last().text


async def test_deep_link_payload_does_not_break_start(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("start", "b_unknown_payload")

    assert plain(ZH, "menu.help") in resident.keyboard


async def test_menu_hides_features_that_are_not_built(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("start")

    unbuilt = ["审核", "登记情况", "发通知", "待办", "统计"]
    assert not [label for label in resident.keyboard if any(word in label for word in unbuilt)]
    assert "🏠 我的家" in resident.keyboard


async def test_help_button_and_command_explain_every_menu_item(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("start")
    resident.replies()

    await resident.press(plain(ZH, "menu.help"))
    by_button = resident.last().text
    await resident.command("help")
    by_command = resident.last().text

    assert by_button == by_command
    assert shown(ZH, "help.item_help") in by_button
    assert shown(ZH, "help.item_language") in by_button
    assert "/cancel" in by_button


async def test_language_switch_to_english_changes_menu_and_is_stored(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("start")
    await resident.command("language")
    picker = resident.last()
    assert picker.labels == ["简体中文", "English"]

    await resident.click("English")

    assert resident.last_answer.answered
    assert picker.text == shown(EN, "language.saved")  # the picker was edited in place
    assert resident.last().text == shown(EN, "language.menu_ready")
    assert resident.keyboard == [
        plain(EN, "menu.report"),
        plain(EN, "menu.my_reports"),
        plain(EN, "menu.home"),
        plain(EN, "menu.notices"),
        plain(EN, "menu.votes"),
        plain(EN, "menu.meetings"),
        plain(EN, "menu.contact"),
        plain(EN, "menu.help"),
        plain(EN, "menu.language"),
    ]
    assert (await user_row(harness, resident.user_id))["language"] == "en"

    await resident.command("help")
    assert resident.last().text.startswith(shown(EN, "help.title"))


async def test_language_button_of_the_menu_opens_the_picker(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("start")
    await resident.press(plain(ZH, "menu.language"))

    assert resident.last().labels == ["简体中文", "English"]


async def test_language_choice_survives_a_restart(
    harness: BotHarness, settings, emulator, clock
) -> None:
    resident = harness.user()
    await resident.command("language")
    await resident.click("English")
    await harness.stop()

    again = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await resident.command("start")
        assert resident.last().text.startswith("Hello")
        assert not again.errors
    finally:
        await again.stop()
    harness.errors.clear()


async def test_cancel_outside_a_conversation_says_nothing_is_running(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("cancel")

    assert resident.last().text == shown(ZH, "cancel.nothing")
    assert plain(ZH, "menu.help") in resident.keyboard


async def test_unknown_command_is_answered_politely(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("vote_now")

    assert resident.last().text == shown(ZH, "fallback.unknown_command")


async def test_a_sticker_points_to_the_menu_and_free_words_or_a_photo_lead_to_registration(
    harness: BotHarness,
) -> None:
    # Issue 20: free words and photos no longer dead-end; someone not registered registers
    # first, and what they sent is kept for their report.
    resident = harness.user()
    await resident.send_sticker()
    assert [m.text for m in resident.replies()] == [shown(ZH, "fallback.use_menu")]
    resident.mark_read()

    await resident.send("楼道灯坏了")
    await resident.command("cancel")
    await resident.send_photo()

    texts = [message.text for message in resident.replies()]
    assert texts[0] == shown(ZH, "free.register_first")
    assert shown(ZH, "reg.none_compound") in texts[1]  # (no compounds in this database)
    assert texts[3] == shown(ZH, "free.register_first")
    kept = await harness.runtime.db.fetch_value("SELECT kept FROM pending_input")
    assert "楼道灯坏了" in str(kept)
    assert '"photos":["' in str(kept)


async def test_stale_button_gets_an_alert_and_loses_its_keyboard(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("language")
    picker = resident.last()

    await resident.click_data("v1:vote:cast:999", message=picker)

    answer = resident.last_answer
    assert answer.show_alert
    assert answer.answer_text == plain(ZH, "error.stale_button")
    assert picker.labels == []  # the dead buttons are removed


async def test_forged_language_code_is_refused_and_changes_nothing(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("language")

    await resident.click_data("v1:lang:set:fr", message=resident.last())

    assert resident.last_answer.answer_text == plain(ZH, "error.stale_button")
    assert (await user_row(harness, resident.user_id))["language"] is None


async def test_old_picker_still_works_after_other_messages(harness: BotHarness) -> None:
    resident = harness.user()
    await resident.command("language")
    picker = resident.last()
    await resident.command("help")

    await resident.click("English", message=picker)

    assert (await user_row(harness, resident.user_id))["language"] == "en"


async def test_staff_from_config_gets_the_staff_role(harness: BotHarness) -> None:
    staff = harness.user("社区张主任", user_id=STAFF_ID)
    await staff.command("start")

    assert (await user_row(harness, STAFF_ID))["role"] == "staff"


async def test_english_telegram_client_still_gets_the_community_default(
    harness: BotHarness,
) -> None:
    visitor = harness.user("Anna", language_code="en")
    await visitor.command("start")

    assert visitor.keyboard[0] == plain(ZH, "menu.report")


async def test_many_residents_at_once_each_get_their_own_answer(harness: BotHarness) -> None:
    residents = [harness.user(f"居民{i}") for i in range(40)]
    for resident in residents:
        await resident.send("/start", wait=False)
    await harness.settle()

    for resident in residents:
        [reply] = resident.replies()
        assert resident.first_name in reply.text
    count = await harness.runtime.db.fetch_value("SELECT count(*) FROM user")
    assert count == 40
