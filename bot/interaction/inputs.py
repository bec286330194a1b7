"""What a person sends, whatever the channel: words, a press, a photo, a voice note, a file,
a shared contact, or something the bot has no use for (a sticker, a location…)."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.messages import Attachment
from bot.domain.models import Frozen
from bot.interaction.payload import Payload


class Kind(StrEnum):
    """The kind of an input."""

    TEXT = "text"
    COMMAND = "command"  # "/register", "/start <code>": `text` is the name, `args` the rest
    PRESS = "press"
    PHOTO = "photo"
    VOICE = "voice"
    DOCUMENT = "document"
    CONTACT = "contact"
    OTHER = "other"


class Input(Frozen):
    """One thing sent: `text` for words (and a caption), `payload` for a press, `media` for a
    photo, voice note or file, `phone` for a contact (`own`: the sender's own number)."""

    kind: Kind
    text: str = ""
    payload: Payload | None = None
    media: Attachment | None = None
    phone: str = ""
    own: bool = True
    args: tuple[str, ...] = ()
