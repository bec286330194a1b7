"""An in-process Telegram Bot API: the methods a bot calls, answered from memory.

The emulator answers in Telegram's JSON shapes so python-telegram-bot parses real objects,
refuses what Telegram refuses (bad HTML, long texts, long callback data, unknown methods,
edits that change nothing), can enforce the flood limits, add network latency and inject
failures. Users are played by `emulator.driver.UserClient`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from emulator.faults import Fault
from emulator.limits import COUNTED_METHODS, FloodControl, RateLimits
from emulator.markup import EntityError, html_to_plain, utf16_length
from emulator.records import (
    ApiError,
    Button,
    CallbackQueryRecord,
    Chat,
    Event,
    Message,
    StoredFile,
    bad_request,
)

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

# The simulated round trip of a call: fixed, or drawn per call from (low, high) seconds.
Latency = float | tuple[float, float] | None
SettleHook = Callable[[], Awaitable[None]]


class BotApiEmulator:
    """The Bot API's state and its methods."""

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        username: str = "shangliang_demo_bot",
        first_name: str = "商量",
        limits: RateLimits | None = None,
        latency: Latency = None,
        monotonic: Callable[[], float] = time.monotonic,
        seed: int = 0,
    ) -> None:
        self.bot_id = bot_id
        self.username = username
        self.first_name = first_name
        self.token = f"{bot_id}:emulator-token"
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook_url: str = ""
        self.calls: list[str] = []  # method names, in order (for tests)
        # Calls Telegram itself refused (not injected faults, not flood limits): a bot that
        # works makes none but sends to people who blocked it (403).
        self.refused: list[tuple[str, int, str]] = []
        self.faults: list[Fault] = []
        self.flood = FloodControl(limits, monotonic) if limits else None
        self.latency = latency
        self._random = random.Random(seed)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._acked = 0  # every update with a lower id has been confirmed by an offset
        self._changed = asyncio.Condition()
        self._settle_hooks: list[SettleHook] = []
        self.polling = 0  # getUpdates calls in progress
        self.settle_timeout = 30.0

    # ------------------------------------------------------------------ the HTTP side

    async def call(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        """Run one Bot API method as it arrives; return its `result` or raise ApiError."""
        self.calls.append(method)
        handler = getattr(self, f"_api_{method}", None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found")
            return await handler(params, files)
        except ApiError as error:
            self.refused.append((method, error.code, error.description))
            raise

    async def travel_there(self, method: str) -> float:
        """Wait while a request travels to the server; the seconds its answer takes back.

        A call's round trip (`latency`, drawn per call when a range) is split in half: the
        request arrives after the first half, and that is when the flood limits judge it, as
        Telegram does; so a random round trip makes sends that left evenly spaced arrive
        unevenly. A long poll waits on its own (see getUpdates).
        """
        if self.latency is None or method == "getUpdates":
            return 0.0
        leg = self._delay() / 2
        await asyncio.sleep(leg)
        return leg

    @staticmethod
    async def travel_back(leg: float) -> None:
        """Wait while the answer travels back (the other half of the round trip)."""
        if leg:
            await asyncio.sleep(leg)

    def _delay(self) -> float:
        if isinstance(self.latency, tuple):
            low, high = self.latency
            return self._random.uniform(low, high)
        return float(self.latency or 0.0)

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        """The first injected fault matching this call, counted as used."""
        for fault in self.faults:
            if fault.matches(method, chat_id):
                fault.consume()
                if fault.spent:
                    self.faults.remove(fault)
                return fault
        return None

    def inject(self, kind: str, **options: Any) -> Fault:
        """Make matching calls fail (see `Fault`)."""
        fault = Fault(kind=kind, **options)
        self.faults.append(fault)
        return fault

    def check_flood(self, method: str, chat_id: int | None) -> None:
        """Raise 429 when a send would break the flood limits."""
        if self.flood is None or chat_id is None or method not in COUNTED_METHODS:
            return
        chat = self.chats.get(chat_id)
        wait = self.flood.check(chat_id, is_group=bool(chat and chat.type != "private"))
        if wait:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    # ------------------------------------------------------------------ updates

    def push_update(self, payload: dict[str, Any]) -> int:
        """Queue an update for getUpdates; return its id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **payload})
        self._notify()
        return update_id

    def _notify(self) -> None:
        async def wake() -> None:
            async with self._changed:
                self._changed.notify_all()

        # No running loop yet means nobody is waiting either.
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().create_task(wake())

    def on_settle(self, hook: SettleHook) -> None:
        """Run `hook` when settling, after the bot has fetched every update."""
        self._settle_hooks.append(hook)

    def clear_settle_hooks(self) -> None:
        """Forget the hooks (when the bot they belong to stops)."""
        self._settle_hooks.clear()

    @property
    def last_update_id(self) -> int:
        """The id of the newest update queued so far (0 if none)."""
        return self._updates[-1]["update_id"] if self._updates else self._acked - 1

    async def wait_fetched(self, update_id: int) -> None:
        """Wait until the bot has confirmed `update_id` by asking for a later offset."""
        async with asyncio.timeout(self.settle_timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: self._acked > update_id)

    async def settle(self) -> None:
        """Wait until the bot has fetched every queued update and its hooks report idle."""
        try:
            while True:
                target = self.last_update_id
                if target >= self._acked:
                    await self.wait_fetched(target)
                for hook in list(self._settle_hooks):
                    async with asyncio.timeout(self.settle_timeout):
                        await hook()
                if self.last_update_id < self._acked:
                    return
        except TimeoutError:
            raise RuntimeError(
                f"the bot did not settle within {self.settle_timeout} s"
                f" (acked up to {self._acked - 1}, newest update {self.last_update_id});"
                " is it polling?"
            ) from None

    # ------------------------------------------------------------------ helpers

    def bot_user(self) -> dict[str, Any]:
        """The bot as a Telegram User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def chat(self, chat_id: int) -> Chat:
        """A chat the bot can write to, or 400 chat not found."""
        chat = self.chats.get(int(chat_id))
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def next_message_id(self, chat_id: int) -> int:
        """A new message id in a chat."""
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def store_file(
        self, content: bytes, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Keep a file and give it ids, as Telegram does on upload."""
        number = next(self._file_ids)
        unique = hashlib.sha1(content + str(number).encode()).hexdigest()[:16]
        stored = StoredFile(
            file_id=f"F{number:06d}{unique}",
            file_unique_id=unique,
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def _input_file(self, value: Any, files: dict[str, Any], name: str) -> StoredFile:
        """An uploaded file, an attach:// reference, or a file_id already known."""
        upload = files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value.removeprefix("attach://"))
        if upload is not None:
            file_name, content, mime_type = upload[0], upload[1], upload[2]
            if hasattr(content, "read"):
                content = content.read()
            return self.store_file(bytes(content), file_name, mime_type)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _render_text(text: Any, parse_mode: Any, limit: int, empty_ok: bool = False) -> str:
        if text is None or text == "":
            if empty_ok:
                return ""
            raise bad_request("message text is empty")
        raw = str(text)
        if parse_mode is not None and str(parse_mode).upper() == "HTML":
            try:
                plain = html_to_plain(raw)
            except EntityError as error:
                raise bad_request(str(error)) from None
        elif parse_mode is None:
            plain = raw
        else:
            raise bad_request(f"unsupported parse_mode {parse_mode!r} in this emulator")
        if not plain.strip() and not empty_ok:
            raise bad_request("message text is empty")
        if utf16_length(plain) > limit:
            raise bad_request(
                "message is too long" if limit == MAX_TEXT else "caption is too long"
            )
        return plain

    @staticmethod
    def _inline_keyboard(markup: Any) -> list[list[Button]]:
        if not markup or "inline_keyboard" not in markup:
            return []
        rows = []
        for row in markup["inline_keyboard"]:
            buttons = []
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                if data is None and not button.get("url"):
                    raise bad_request("can't parse inline keyboard button: no action given")
                buttons.append(Button(button["text"], data, button.get("url")))
            rows.append(buttons)
        return rows

    def _apply_markup(self, message: Message, markup: Any, chat: Chat | None) -> None:
        message.inline_keyboard = self._inline_keyboard(markup)
        if not markup or chat is None:
            return
        if "keyboard" in markup:
            keyboard = [
                [b if isinstance(b, str) else b.get("text", "") for b in row]
                for row in markup["keyboard"]
            ]
            message.reply_keyboard = keyboard
            chat.reply_keyboard = keyboard
        elif markup.get("remove_keyboard"):
            message.remove_keyboard = True
            chat.reply_keyboard = None

    @staticmethod
    def _record(chat: Chat, kind: str, message: Message) -> None:
        if kind == "sent":
            chat.messages.append(message)
        chat.log.append(Event(kind, message, message.text))

    def message_json(self, message: Message) -> dict[str, Any]:
        """A bot message as Telegram's Message object."""
        chat = self.chats[message.chat_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat.as_json(),
            "from": self.bot_user(),
        }
        if message.edits:
            data["edit_date"] = message.date
        if message.kind == "text":
            data["text"] = message.text
        elif message.text:
            data["caption"] = message.text
        if message.kind == "photo":
            stored = message.files[0]
            data["photo"] = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": 320,
                    "height": 240,
                    "file_size": len(stored.content),
                }
            ]
        elif message.kind in ("document", "voice"):
            stored = message.files[0]
            data[message.kind] = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content),
                **({"file_name": stored.file_name} if message.kind == "document" else {}),
                **({"duration": 1} if message.kind == "voice" else {}),
                **({"mime_type": stored.mime_type} if stored.mime_type else {}),
            }
        if message.inline_keyboard:
            data["reply_markup"] = {
                "inline_keyboard": [
                    [
                        {
                            "text": b.text,
                            **({"callback_data": b.callback_data} if b.callback_data else {}),
                            **({"url": b.url} if b.url else {}),
                        }
                        for b in row
                    ]
                    for row in message.inline_keyboard
                ]
            }
        return data

    def _new_bot_message(self, chat: Chat, kind: str) -> Message:
        message = Message(
            chat_id=chat.id,
            message_id=self.next_message_id(chat.id),
            date=int(time.time()),
            from_bot=True,
            sender_id=self.bot_id,
            kind=kind,
        )
        return message

    def _edit_target(self, params: dict[str, Any]) -> tuple[Chat, Message]:
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by this emulator")
        chat = self.chat(params["chat_id"])
        message = chat.get(int(params["message_id"]))
        if message is None or not message.from_bot:
            raise bad_request("message to edit not found")
        return chat, message

    # ------------------------------------------------------------------ methods

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self.bot_user()

    async def _api_logOut(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _api_close(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        if self.latency is not None:
            await asyncio.sleep(self._delay())
        if offset > self._acked:
            self._acked = offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            async with self._changed:
                self._changed.notify_all()
        self.polling += 1
        try:
            if not self._updates and timeout > 0:
                async with self._changed:
                    try:
                        async with asyncio.timeout(timeout):
                            await self._changed.wait_for(lambda: bool(self._updates))
                    except TimeoutError:
                        pass
        finally:
            self.polling -= 1
        return [u for u in self._updates if u["update_id"] >= offset][:limit]

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook_url = str(params.get("url", ""))
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        scope = params.get("scope") or {"type": "default"}
        key = f"{scope.get('type')}:{params.get('language_code', '')}"
        self.commands[key] = list(params.get("commands") or [])
        return True

    async def _api_getMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        scope = params.get("scope") or {"type": "default"}
        return self.commands.get(f"{scope.get('type')}:{params.get('language_code', '')}", [])

    async def _api_deleteMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        scope = params.get("scope") or {"type": "default"}
        self.commands.pop(f"{scope.get('type')}:{params.get('language_code', '')}", None)
        return True

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.chat(params["chat_id"])
        return True

    async def _api_getChat(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self.chats.get(int(params["chat_id"]))
        if chat is None:
            raise bad_request("chat not found")
        return {**chat.as_json(), "accent_color_id": 0, "max_reaction_count": 11}

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self.chat(params["chat_id"])
        text = self._render_text(params.get("text"), params.get("parse_mode"), MAX_TEXT)
        message = self._new_bot_message(chat, "text")
        message.text = text
        message.html = str(params["text"]) if params.get("parse_mode") else None
        message.parse_mode = params.get("parse_mode")
        self._apply_markup(message, params.get("reply_markup"), chat)
        self._record(chat, "sent", message)
        return self.message_json(message)

    async def _send_file(
        self, kind: str, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        chat = self.chat(params["chat_id"])
        stored = self._input_file(params.get(kind), files, kind)
        caption = self._render_text(
            params.get("caption"), params.get("parse_mode"), MAX_CAPTION, empty_ok=True
        )
        message = self._new_bot_message(chat, kind)
        message.text = caption
        message.html = str(params.get("caption") or "") if params.get("parse_mode") else None
        message.parse_mode = params.get("parse_mode")
        message.files = [stored]
        self._apply_markup(message, params.get("reply_markup"), chat)
        self._record(chat, "sent", message)
        return self.message_json(message)

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_file("photo", params, files)

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_file("document", params, files)

    async def _api_sendVoice(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return await self._send_file("voice", params, files)

    async def _api_sendMediaGroup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        media = params.get("media") or []
        if not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the album (2-10)")
        sent = []
        for item in media:
            kind = item.get("type")
            if kind not in ("photo", "document"):
                raise bad_request(f"media type {kind!r} is not supported by this emulator")
            sent.append(
                await self._send_file(
                    kind,
                    {
                        "chat_id": params["chat_id"],
                        kind: item.get("media"),
                        "caption": item.get("caption"),
                        "parse_mode": item.get("parse_mode"),
                    },
                    files,
                )
            )
        return sent

    async def _api_copyMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self.chat(params["chat_id"])
        source_chat = self.chats.get(int(params["from_chat_id"]))
        source = source_chat.get(int(params["message_id"])) if source_chat else None
        if source is None:
            raise bad_request("message to copy not found")
        message = self._new_bot_message(chat, source.kind)
        message.text = source.text
        message.files = list(source.files)
        if params.get("caption") is not None:
            message.text = self._render_text(
                params.get("caption"), params.get("parse_mode"), MAX_CAPTION, empty_ok=True
            )
        self._apply_markup(message, params.get("reply_markup"), chat)
        self._record(chat, "sent", message)
        return {"message_id": message.message_id}

    @staticmethod
    def _not_modified() -> ApiError:
        return bad_request(
            "message is not modified: specified new message content and reply markup are"
            " exactly the same as a current content and reply markup of the message"
        )

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat, message = self._edit_target(params)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        text = self._render_text(params.get("text"), params.get("parse_mode"), MAX_TEXT)
        keyboard = self._inline_keyboard(params.get("reply_markup"))
        if text == message.text and keyboard == message.inline_keyboard:
            raise self._not_modified()
        message.text = text
        message.html = str(params["text"]) if params.get("parse_mode") else None
        message.inline_keyboard = keyboard
        message.edits += 1
        self._record(chat, "edited", message)
        return self.message_json(message)

    async def _api_editMessageCaption(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat, message = self._edit_target(params)
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        text = self._render_text(
            params.get("caption"), params.get("parse_mode"), MAX_CAPTION, empty_ok=True
        )
        keyboard = self._inline_keyboard(params.get("reply_markup"))
        if text == message.text and keyboard == message.inline_keyboard:
            raise self._not_modified()
        message.text = text
        message.inline_keyboard = keyboard
        message.edits += 1
        self._record(chat, "edited", message)
        return self.message_json(message)

    async def _api_editMessageReplyMarkup(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> Any:
        chat, message = self._edit_target(params)
        keyboard = self._inline_keyboard(params.get("reply_markup"))
        if keyboard == message.inline_keyboard:
            raise self._not_modified()
        message.inline_keyboard = keyboard
        message.edits += 1
        self._record(chat, "edited", message)
        return self.message_json(message)

    async def _api_deleteMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat = self.chat(params["chat_id"])
        message = chat.get(int(params["message_id"]))
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        self._record(chat, "deleted", message)
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        query = self.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer_text = text
        query.show_alert = bool(params.get("show_alert"))
        return True

    async def _api_getFile(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def download(self, url: str) -> bytes:
        """The bytes behind a file URL built from getFile's file_path."""
        for stored in self.files.values():
            if url.endswith(stored.file_path):
                return stored.content
        raise ApiError(404, "Not Found")

    def new_query_id(self) -> str:
        """A fresh callback query id."""
        return str(next(self._query_ids) + 10**12)
