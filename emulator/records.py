"""What the emulator remembers: chats, the messages in them, files, callback answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description, optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    """A 400 answer."""
    return ApiError(400, f"Bad Request: {description}")


@dataclass
class Button:
    """One inline keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class StoredFile:
    """A file the bot or a user uploaded."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def file_path(self) -> str:
        """Where getFile says the file is."""
        return f"files/{self.file_unique_id}"


@dataclass
class Message:
    """A message in a chat, from the bot or from a user."""

    chat_id: int
    message_id: int
    date: int
    from_bot: bool
    sender_id: int
    kind: str = "text"  # text, photo, document, voice, contact, sticker
    html: str | None = None  # as the bot sent it (with parse_mode HTML)
    text: str = ""  # what the reader sees (text or caption)
    parse_mode: str | None = None
    inline_keyboard: list[list[Button]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    remove_keyboard: bool = False
    files: list[StoredFile] = field(default_factory=list)
    edits: int = 0
    deleted: bool = False
    raw: dict[str, Any] = field(default_factory=dict)  # the JSON of a user's message

    @property
    def buttons(self) -> list[Button]:
        """The inline buttons, row by row, flattened."""
        return [button for row in self.inline_keyboard for button in row]

    @property
    def labels(self) -> list[str]:
        """The inline buttons' texts."""
        return [button.text for button in self.buttons]

    def button(self, label: str) -> Button:
        """The inline button with exactly this text."""
        for button in self.buttons:
            if button.text == label:
                return button
        raise LookupError(f"no button {label!r} in message {self.message_id}: {self.labels}")

    def __str__(self) -> str:
        return self.text


@dataclass
class Event:
    """Something the bot did in a chat: sent, edited or deleted a message."""

    kind: str  # sent, edited, deleted
    message: Message
    text: str  # the text at that moment


@dataclass
class Chat:
    """A private chat with a user, or a group."""

    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    messages: list[Message] = field(default_factory=list)
    log: list[Event] = field(default_factory=list)  # what happened, in order
    blocked: bool = False  # the user blocked the bot
    reply_keyboard: list[list[str]] | None = None

    def as_json(self) -> dict[str, Any]:
        """Telegram's Chat object."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        if self.username:
            data["username"] = self.username
        return data

    def get(self, message_id: int) -> Message | None:
        """A live message of this chat by id."""
        for message in reversed(self.messages):
            if message.message_id == message_id and not message.deleted:
                return message
        return None


@dataclass
class CallbackQueryRecord:
    """A button press, and how the bot answered it."""

    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
