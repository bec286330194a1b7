"""The aiohttp HTTP layer against the emulator served over real loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut
from telegram.ext import Defaults, ExtBot

from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.http import serve
from handlers.telegram_bot import ShangliangBot
from handlers.transport import AiohttpRequest


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    runner, port = await serve(emulator)
    made: ExtBot[None] = ShangliangBot(
        emulator.token,
        defaults=Defaults(parse_mode="HTML"),
        base_url=f"http://127.0.0.1:{port}/bot",
        base_file_url=f"http://127.0.0.1:{port}/file/bot",
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(read_timeout=10.0),
    )
    await made.initialize()
    try:
        yield made
    finally:
        await made.shutdown()
        await runner.cleanup()


async def test_calls_text_buttons_and_files_go_over_http(
    bot: ExtBot[None], emulator: BotApiEmulator
) -> None:
    resident = UserClient(emulator, 4242, "王阿姨")
    assert (await bot.get_me()).username == emulator.username
    await bot.send_message(4242, "<b>你好</b> &amp; 欢迎", parse_mode="HTML")
    assert resident.last().text == "你好 & 欢迎"

    await bot.send_photo(4242, b"\x89PNG fake", caption="照片")
    assert resident.last().kind == "photo"
    assert resident.last().text == "照片"

    await resident.send("/start", wait=False)
    updates = await bot.get_updates(timeout=1)
    assert updates[0].message is not None
    assert updates[0].message.text == "/start"


async def test_buttons_and_a_lean_edit_go_over_http_as_one_json_body(
    bot: ShangliangBot, emulator: BotApiEmulator
) -> None:
    resident = UserClient(emulator, 4242, "王阿姨")
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("🔔 通知", callback_data="v1:mute:tog:notice")]]
    )
    sent = await bot.send_message(4242, "设置", reply_markup=markup)
    assert resident.last().buttons[0].text == "🔔 通知"

    await bot.edit_text(4242, sent.message_id, "<b>已静音</b>", InlineKeyboardMarkup([]))

    assert resident.last().text == "已静音"  # HTML from the bot's defaults
    assert resident.last().buttons == []
    calls = len(emulator.calls)
    # The same again changes nothing: no call, so Telegram has nothing to refuse.
    assert not await bot.edit_text(
        4242, sent.message_id, "<b>已静音</b>", InlineKeyboardMarkup([])
    )
    assert len(emulator.calls) == calls
    assert emulator.refused == []


def test_answers_are_parsed_with_orjson_and_bad_ones_as_ptb_does() -> None:
    assert AiohttpRequest.parse_json_payload(rb'{"ok":true,"result":[1,"\u4e2d"]}') == {
        "ok": True,
        "result": [1, "中"],
    }
    # Invalid UTF-8: PTB's parser replaces the bad byte instead of failing the call.
    replaced = AiohttpRequest.parse_json_payload(b'{"ok":true,"result":"' + bytes([0xFF]) + b'"}')
    assert replaced == {"ok": True, "result": "\ufffd"}
    with pytest.raises(TelegramError, match="Invalid server response"):
        AiohttpRequest.parse_json_payload(b"<html>bad gateway</html>")


async def test_errors_come_back_as_ptb_exceptions(
    bot: ExtBot[None], emulator: BotApiEmulator
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "nobody")
    UserClient(emulator, 4242, "王阿姨")
    emulator.inject("server", method="sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(4242, "5xx")


async def test_an_unreachable_server_is_a_network_error() -> None:
    request = AiohttpRequest(connect_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises((NetworkError, TimedOut)):
            await request.do_request("http://127.0.0.1:9/botX/getMe", "POST")
    finally:
        await request.shutdown()
