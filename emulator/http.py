"""The emulator behind real HTTP (aiohttp), for a bot in another process: `base_url` points here.

Used by benchmarks that kill and restart the bot process. PTB posts parameters as a form
(objects JSON-encoded) or as multipart with files; both are decoded back to what the in-process
`EmulatorRequest` would have passed.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import BodyPartReader, web

from emulator.records import ApiError
from emulator.request import answer
from emulator.server import BotApiEmulator

RAW = frozenset({"text", "caption", "callback_data", "data", "query"})


def decode(name: str, value: str) -> Any:
    """A form value back to its JSON type (text-like parameters stay text)."""
    if name in RAW:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def application(emulator: BotApiEmulator) -> web.Application:
    """An aiohttp app answering /bot<token>/<method> and /file/bot<token>/<path>."""

    async def api(request: web.Request) -> web.Response:
        if request.match_info["token"] != emulator.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params: dict[str, Any] = {}
        files: dict[str, Any] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader) or part.name is None:
                    continue  # nested multipart or a nameless part: Telegram ignores them too
                if part.filename:
                    files[part.name] = (
                        part.filename,
                        await part.read(),
                        part.headers.get("Content-Type"),
                    )
                else:
                    params[part.name] = decode(part.name, await part.text())
        elif request.content_type == "application/json":
            # Nested values as JSON, or (as Telegram also accepts) JSON-encoded strings.
            params = {
                name: decode(name, value) if isinstance(value, str) else value
                for name, value in (await request.json()).items()
            }
        else:
            form = await request.post()
            params = {name: decode(name, str(value)) for name, value in form.items()}
        status, body = await answer(emulator, request.match_info["method"], params, files)
        return web.Response(status=status, body=body, content_type="application/json")

    async def download(request: web.Request) -> web.Response:
        try:
            return web.Response(body=emulator.download(str(request.url)))
        except ApiError as error:
            return web.Response(status=error.code, body=json.dumps(error.payload()).encode())

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/bot{token}/{method}", api)
    app.router.add_get("/file/bot{token}/{path:.*}", download)
    return app


async def serve(
    emulator: BotApiEmulator, host: str = "127.0.0.1", port: int = 0
) -> tuple[web.AppRunner, int]:
    """Start serving; returns the runner (to clean up) and the port."""
    runner = web.AppRunner(application(emulator), access_log=None)
    await runner.setup()
    # A bot under a storm opens hundreds of connections at once; with aiohttp's default
    # backlog of 128 the kernel drops some and the bot sees "connection reset by peer",
    # which Telegram's servers do not do to it.
    site = web.TCPSite(runner, host, port, backlog=1024)
    await site.start()
    server = site._server
    assert isinstance(server, asyncio.Server)
    port = server.sockets[0].getsockname()[1]
    return runner, port
