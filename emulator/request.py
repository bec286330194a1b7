"""The emulator as python-telegram-bot's HTTP layer: a `BaseRequest` that never leaves memory."""

from __future__ import annotations

import json
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from emulator.records import ApiError
from emulator.server import BotApiEmulator


def _chat_id(params: dict[str, Any]) -> int | None:
    value = params.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class EmulatorRequest(BaseRequest):
    """Sends every Bot API call to a `BotApiEmulator` and returns its JSON."""

    def __init__(self, emulator: BotApiEmulator, read_timeout: float | None = 5.0) -> None:
        self.emulator = emulator
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (unused: nothing is read from a socket)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one HTTP request the way api.telegram.org would."""
        emulator = self.emulator
        if method == "GET":
            try:
                return 200, emulator.download(url)
            except ApiError as error:
                return error.code, json.dumps(error.payload()).encode()
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        return await answer(self.emulator, api_method, params, files)


async def answer(
    emulator: BotApiEmulator, api_method: str, params: dict[str, Any], files: dict[str, Any]
) -> tuple[int, bytes]:
    """One Bot API call as api.telegram.org would answer it: faults, flood limits, the call.

    The request first travels to the server (the simulated latency) and is judged when it
    arrives; the answer, a 429 included, then travels back (a lost connection does not).
    """
    back = await emulator.travel_there(api_method)
    answered = await _arrived(emulator, api_method, params, files)
    await emulator.travel_back(back)
    return answered


async def _arrived(
    emulator: BotApiEmulator, api_method: str, params: dict[str, Any], files: dict[str, Any]
) -> tuple[int, bytes]:
    chat_id = _chat_id(params)
    fault = emulator.take_fault(api_method, chat_id)
    try:
        if fault is not None:
            if fault.kind == "network":
                raise NetworkError("emulated: connection reset by peer")
            if fault.kind == "timeout" and not fault.delivered:
                raise TimedOut("emulated: timed out")
            if fault.kind == "server":
                raise ApiError(fault.code, "Internal Server Error")
            if fault.kind == "retry_after":
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {fault.retry_after}",
                    {"retry_after": fault.retry_after},
                )
            if fault.kind == "forbidden":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
        emulator.check_flood(api_method, chat_id)
        result = await emulator.call(api_method, params, files)
    except ApiError as error:
        return error.code, json.dumps(error.payload()).encode()
    if fault is not None and fault.kind == "timeout":
        raise TimedOut("emulated: timed out after the call was done")
    return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()
