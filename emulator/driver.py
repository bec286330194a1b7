"""Users and groups that talk to the bot through the emulator, and read what it answers."""

from __future__ import annotations

import time
from typing import Any

from emulator.records import CallbackQueryRecord, Chat, Event, Message
from emulator.server import BotApiEmulator


class ChatReader:
    """Reads what the bot did in one chat, remembering what was already read."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int) -> None:
        self.emulator = emulator
        self.chat_id = chat_id
        self._cursor = 0

    @property
    def chat(self) -> Chat:
        """The chat's record in the emulator."""
        return self.emulator.chats[self.chat_id]

    def events(self) -> list[Event]:
        """What the bot sent, edited or deleted here since the last call."""
        log = self.chat.log
        new = log[self._cursor :]
        self._cursor = len(log)
        return new

    def replies(self) -> list[Message]:
        """Messages the bot sent or edited since the last call (each once, as they are now)."""
        seen: dict[int, Message] = {}
        for event in self.events():
            if event.kind != "deleted":
                seen[event.message.message_id] = event.message
        return list(seen.values())

    def texts(self) -> list[str]:
        """The texts of `replies()`."""
        return [message.text for message in self.replies()]

    def mark_read(self) -> None:
        """Skip everything so far."""
        self._cursor = len(self.chat.log)

    @property
    def bot_messages(self) -> list[Message]:
        """Every live message the bot has in this chat, oldest first."""
        return [m for m in self.chat.messages if m.from_bot and not m.deleted]

    def last(self) -> Message:
        """The newest live bot message."""
        messages = self.bot_messages
        if not messages:
            raise LookupError(f"the bot has not written to chat {self.chat_id}")
        return messages[-1]

    def find_button_message(self, label: str) -> Message:
        """The newest live bot message with an inline button labelled `label`."""
        for message in reversed(self.bot_messages):
            if label in message.labels:
                return message
        shown = [m.labels for m in self.bot_messages if m.labels][-3:]
        raise LookupError(f"no button {label!r} in chat {self.chat_id}; last buttons: {shown}")

    @property
    def keyboard(self) -> list[str]:
        """The reply keyboard's buttons as the user sees them now, flattened."""
        rows = self.chat.reply_keyboard or []
        return [label for row in rows for label in row]


class GroupChat(ChatReader):
    """A group the bot is in."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int, title: str) -> None:
        if chat_id not in emulator.chats:
            emulator.chats[chat_id] = Chat(id=chat_id, type="group", title=title)
        super().__init__(emulator, chat_id)


class UserClient(ChatReader):
    """One Telegram user in a private chat with the bot (and optionally in groups)."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> None:
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        emulator.users[user_id] = self.user_json()
        if user_id not in emulator.chats:
            emulator.chats[user_id] = Chat(
                id=user_id, type="private", first_name=first_name, username=username
            )
        super().__init__(emulator, user_id)
        self.answers: list[CallbackQueryRecord] = []

    def user_json(self) -> dict[str, Any]:
        """This user as a Telegram User object."""
        data: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    # ------------------------------------------------------------------ sending

    async def _deliver(self, payload: dict[str, Any], wait: bool) -> int:
        update_id = self.emulator.push_update(payload)
        if wait:
            await self.emulator.settle()
        return update_id

    def _user_message(self, chat: Chat, **content: Any) -> dict[str, Any]:
        message_id = self.emulator.next_message_id(chat.id)
        data = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            "from": self.user_json(),
            **content,
        }
        record = Message(
            chat_id=chat.id,
            message_id=message_id,
            date=data["date"],
            from_bot=False,
            sender_id=self.user_id,
            kind=next(
                (k for k in ("photo", "voice", "document", "contact", "sticker") if k in content),
                "text",
            ),
            text=content.get("text") or content.get("caption") or "",
            raw=data,
        )
        for key in ("photo", "voice", "document"):
            if key in content:
                item = content[key][-1] if key == "photo" else content[key]
                record.files = [self.emulator.files[item["file_id"]]]
        chat.messages.append(record)
        return data

    def _target(self, group: GroupChat | None) -> Chat:
        if self.emulator.chats[self.user_id].blocked and group is None:
            self.emulator.chats[self.user_id].blocked = False  # writing again unblocks
        return group.chat if group else self.chat

    async def send(self, text: str, *, group: GroupChat | None = None, wait: bool = True) -> int:
        """Type a text message (a leading /command is marked as Telegram does)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        chat = self._target(group)
        return await self._deliver({"message": self._user_message(chat, **content)}, wait)

    async def command(
        self, name: str, payload: str | None = None, *, group: GroupChat | None = None
    ) -> int:
        """Send /name, optionally with a deep-link payload (as `t.me/bot?start=payload` does)."""
        text = f"/{name}" + (f" {payload}" if payload else "")
        return await self.send(text, group=group)

    async def press(self, label: str, *, wait: bool = True) -> int:
        """Press a button of the reply keyboard (the persistent menu)."""
        if label not in self.keyboard:
            raise LookupError(f"no keyboard button {label!r}; the keyboard shows {self.keyboard}")
        return await self.send(label, wait=wait)

    async def click(
        self,
        label: str,
        *,
        message: Message | None = None,
        group: GroupChat | None = None,
        wait: bool = True,
    ) -> CallbackQueryRecord:
        """Press the inline button `label` on `message` (default: the newest that has it)."""
        reader = group or self
        target = message or reader.find_button_message(label)
        data = target.button(label).callback_data
        if data is None:
            raise LookupError(f"button {label!r} opens a URL; it has no callback")
        return await self.click_data(data, message=target, group=group, wait=wait)

    async def click_data(
        self,
        data: str,
        *,
        message: Message | None = None,
        group: GroupChat | None = None,
        wait: bool = True,
    ) -> CallbackQueryRecord:
        """Send a callback query with any data: a forged or stale press, as a test needs."""
        reader = group or self
        target = message or reader.last()
        query = CallbackQueryRecord(
            id=self.emulator.new_query_id(),
            user_id=self.user_id,
            chat_id=target.chat_id,
            message_id=target.message_id,
            data=data,
        )
        self.emulator.callback_queries[query.id] = query
        self.answers.append(query)
        payload = {
            "callback_query": {
                "id": query.id,
                "from": self.user_json(),
                "message": self.emulator.message_json(target),
                "chat_instance": str(target.chat_id),
                "data": data,
            }
        }
        await self._deliver(payload, wait)
        return query

    async def share_contact(self, phone: str, *, own: bool = True, wait: bool = True) -> int:
        """Share a phone number with the contact button (own) or forward someone else's."""
        contact = {
            "phone_number": phone,
            "first_name": self.first_name,
            **({"user_id": self.user_id} if own else {"user_id": self.user_id + 1}),
        }
        return await self._deliver(
            {"message": self._user_message(self.chat, contact=contact)}, wait
        )

    async def send_photo(
        self, content: bytes = b"\x89PNG photo", *, caption: str | None = None, wait: bool = True
    ) -> int:
        """Send a photo (Telegram delivers it in several sizes)."""
        stored = self.emulator.store_file(content, mime_type="image/jpeg")
        sizes = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "width": w,
                "height": h,
                "file_size": len(content),
            }
            for w, h in ((90, 67), (1280, 960))
        ]
        extra = {"caption": caption} if caption else {}
        return await self._deliver(
            {"message": self._user_message(self.chat, photo=sizes, **extra)}, wait
        )

    async def send_voice(
        self, content: bytes = b"OggS voice", *, duration: int = 4, wait: bool = True
    ) -> int:
        """Send a voice note."""
        stored = self.emulator.store_file(content, mime_type="audio/ogg")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return await self._deliver({"message": self._user_message(self.chat, voice=voice)}, wait)

    async def send_document(
        self,
        content: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        wait: bool = True,
    ) -> int:
        """Send a file as a document (with a caption if given)."""
        stored = self.emulator.store_file(content, file_name, mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        extra = {"caption": caption} if caption else {}
        return await self._deliver(
            {"message": self._user_message(self.chat, document=document, **extra)}, wait
        )

    async def send_sticker(self, *, wait: bool = True) -> int:
        """Send a sticker (where the bot expected something else)."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAEsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return await self._deliver(
            {"message": self._user_message(self.chat, sticker=sticker)}, wait
        )

    def block_bot(self) -> None:
        """The user blocks the bot: sends to them now answer 403."""
        self.chat.blocked = True

    @property
    def last_answer(self) -> CallbackQueryRecord:
        """How the bot answered this user's newest button press."""
        if not self.answers:
            raise LookupError("this user has pressed no button")
        return self.answers[-1]
