"""The Bot API emulator itself: PTB talks to it as to api.telegram.org and gets real objects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from emulator import BotApiEmulator, EmulatorRequest, RateLimits, UserClient

USER = 100001


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    """A plain PTB Bot whose HTTP goes to the emulator."""
    request = EmulatorRequest(emulator)
    async with Bot(emulator.token, request=request, get_updates_request=request) as started:
        yield started


@pytest.fixture
def user(emulator: BotApiEmulator) -> UserClient:
    """A user with a private chat."""
    return UserClient(emulator, USER, "王阿姨")


async def test_get_me_describes_the_bot(bot: Bot, emulator: BotApiEmulator) -> None:
    me = await bot.get_me()
    assert me.id == emulator.bot_id
    assert me.username == emulator.username
    assert me.is_bot


async def test_updates_are_returned_until_acknowledged_by_offset(
    bot: Bot, user: UserClient
) -> None:
    first = await user.send("一", wait=False)
    second = await user.send("/start payload", wait=False)

    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message.text == "一"
    assert updates[1].message.text == "/start payload"
    assert updates[1].message.entities[0].type == "bot_command"
    assert updates[1].message.from_user.first_name == "王阿姨"

    again = await bot.get_updates(offset=second)
    assert [u.update_id for u in again] == [second]
    assert await bot.get_updates(offset=second + 1) == ()


async def test_long_poll_returns_when_an_update_arrives(bot: Bot, user: UserClient) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    for _ in range(100):  # let the poll reach the emulator and wait there
        if user.emulator.polling:
            break
        await asyncio.sleep(0)
    assert not poll.done()

    sent = await user.send("你好", wait=False)

    updates = await asyncio.wait_for(poll, timeout=5)
    assert [u.update_id for u in updates] == [sent]


async def test_messages_edits_and_deletions_are_recorded(bot: Bot, user: UserClient) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="v1:x:ok")]])
    sent = await bot.send_message(
        USER, "<b>停水</b> &amp; 通知", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    assert sent.text == "停水 & 通知"
    record = user.last()
    assert record.text == "停水 & 通知"
    assert record.labels == ["好"]

    edited = await bot.edit_message_text(
        "已恢复", chat_id=USER, message_id=sent.message_id, reply_markup=markup
    )
    assert edited.text == "已恢复"
    await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id)
    assert user.last().labels == []
    assert [event.kind for event in user.events()] == ["sent", "edited", "edited"]

    assert await bot.delete_message(USER, sent.message_id)
    assert user.bot_messages == []
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=sent.message_id)


async def test_reply_keyboards_and_the_contact_button(bot: Bot, user: UserClient) -> None:
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("📱 分享", request_contact=True)], [KeyboardButton("跳过")]]
    )
    await bot.send_message(USER, "手机号？", reply_markup=keyboard)
    assert user.keyboard == ["📱 分享", "跳过"]

    await user.share_contact("13800000000", wait=False)
    [update] = await bot.get_updates()
    assert update.message.contact.phone_number == "13800000000"
    assert update.message.contact.user_id == USER


async def test_photos_voice_documents_and_chat_actions(bot: Bot, user: UserClient) -> None:
    await user.send_photo(b"\x89PNG fake", caption="漏水", wait=False)
    await user.send_voice(b"OggS", duration=3, wait=False)
    photo, voice = await bot.get_updates()
    assert photo.message.caption == "漏水"
    assert len(photo.message.photo) >= 1
    assert voice.message.voice.duration.total_seconds() == 3
    downloaded = await (
        await bot.get_file(photo.message.photo[-1].file_id)
    ).download_as_bytearray()
    assert bytes(downloaded) == b"\x89PNG fake"

    sent = await bot.send_photo(USER, photo.message.photo[-1].file_id, caption="收到")
    assert sent.caption == "收到"
    document = await bot.send_document(USER, b"a,b\n1,2\n", filename="名单.csv")
    assert document.document.file_name == "名单.csv"
    assert await bot.send_chat_action(USER, "typing")
    assert user.last().files[0].file_name == "名单.csv"


async def test_commands_and_webhook_calls(bot: Bot, emulator: BotApiEmulator) -> None:
    assert await bot.set_my_commands([BotCommand("start", "开始")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    assert await bot.delete_webhook()


async def test_a_button_press_and_its_answer(bot: Bot, user: UserClient) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("同意", callback_data="v1:vote:yes")]])
    await bot.send_message(USER, "表决", reply_markup=markup)
    press = await user.click("同意", wait=False)
    [update] = await bot.get_updates()
    assert update.callback_query.data == "v1:vote:yes"

    await update.callback_query.answer("已记录", show_alert=True)
    assert press.answered
    assert press.answer_text == "已记录"
    assert press.show_alert
    with pytest.raises(LookupError, match="no button"):
        await user.click("反对")


async def test_unknown_method_and_bad_input_answer_like_telegram(
    bot: Bot, emulator: BotApiEmulator, user: UserClient
) -> None:
    with pytest.raises(TelegramError, match="not found in Bot API"):
        await bot.do_api_request("sendSomethingNew", api_kwargs={"chat_id": USER})
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "hi")
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(USER, "长" * 4097)
    with pytest.raises(BadRequest, match="empty"):
        await bot.send_message(USER, " ")


async def test_groups_have_their_own_chat(bot: Bot, user: UserClient) -> None:
    from emulator.driver import GroupChat
    from emulator.records import Chat

    group_id = -1001
    user.emulator.chats[group_id] = Chat(id=group_id, type="supergroup", title="3号楼")
    group = GroupChat(user.emulator, group_id, "3号楼")
    await user.send("楼里停电了", group=group, wait=False)
    [update] = await bot.get_updates()
    assert update.message.chat.id == group_id
    assert update.message.chat.type == "supergroup"
    await bot.send_message(group_id, "收到")
    assert group.last().text == "收到"
    assert user.bot_messages == []


async def test_flood_limits_answer_429_with_retry_after(user: UserClient) -> None:
    now = [0.0]
    emulator = BotApiEmulator(limits=RateLimits(), monotonic=lambda: now[0])
    UserClient(emulator, USER, "王阿姨")
    request = EmulatorRequest(emulator)
    async with Bot(emulator.token, request=request) as bot:
        await bot.send_message(USER, "一")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER, "二")  # a second message in the same second
        assert raised.value.retry_after.total_seconds() == 1
        now[0] = 1.0
        await bot.send_message(USER, "二")
        assert emulator.flood.refused == 1
        assert emulator.flood.accepted == 2


async def test_injected_faults_fail_the_next_calls(
    bot: Bot, emulator: BotApiEmulator, user: UserClient
) -> None:
    emulator.inject("server", method="sendMessage", code=502)
    with pytest.raises(NetworkError):  # PTB reports 5xx as a network problem
        await bot.send_message(USER, "a")
    emulator.inject("retry_after", retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER, "b")
    assert raised.value.retry_after.total_seconds() == 7
    emulator.inject("forbidden", chat_id=USER)
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "c")
    emulator.inject("network")
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "d")

    await bot.send_message(USER, "e")  # every fault was used up
    assert user.texts() == ["e"]


async def test_latency_delays_every_call_but_long_polls(
    user: UserClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    slept: list[float] = []
    emulator = BotApiEmulator(latency=(0.05, 0.15), seed=1)
    UserClient(emulator, USER, "王阿姨")
    real_sleep = asyncio.sleep

    async def record(delay: float) -> None:
        slept.append(delay)
        await real_sleep(0)

    async with Bot(emulator.token, request=EmulatorRequest(emulator)) as bot:
        monkeypatch.setattr(asyncio, "sleep", record)  # measure the delays instead of waiting
        await bot.send_message(USER, "a")
        await bot.send_message(USER, "b")
        monkeypatch.undo()
    # Each call: half its round trip on the way there, the other half back.
    there_a, back_a, there_b, back_b = slept
    assert (there_a, there_b) == (back_a, back_b)
    assert all(
        0.05 <= there + back <= 0.15 for there, back in ((there_a, back_a), (there_b, back_b))
    )
