"""The aiohttp HTTP layer against the emulator served over real loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ExtBot

from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.http import serve
from handlers.transport import AiohttpRequest


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    runner, port = await serve(emulator)
    made: ExtBot[None] = ExtBot(
        emulator.token,
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
