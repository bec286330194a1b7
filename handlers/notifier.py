"""The Telegram adapter of the Transport port: renders pushes in the user's language and sends.

Telegram's answers become the core's delivery errors: 429 → RetryLater, blocked or gone →
Unreachable, another 400 → Rejected, network errors, timeouts and 5xx → Transient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery.files import FileNotAvailable, GeneratedFiles
from bot.domain.delivery import Rejected, RetryLater, Transient, Unreachable
from bot.domain.messages import Outgoing
from bot.domain.models import Language, User
from bot.i18n import plain, t
from bot.interaction.payload import payload
from bot.interaction.words import pushed
from handlers.ratelimit import retry_seconds
from handlers.telegram_bot import ShangliangBot

CHANNEL = "telegram"
BULK = {"priority": 2}
PERSONAL = {"priority": 1}
SEPARATOR = "\n\n┈┈┈┈┈┈\n\n"
GONE = ("chat not found", "user is deactivated", "bot was kicked", "not enough rights")


def markup(language: Language, message: Outgoing) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard, labels in `language`."""
    if not message.actions:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(language, action.label_key),
                    callback_data=payload(action.feature, action.action, *action.args).encode(),
                )
                for action in row
            ]
            for row in message.actions
        ]
    )


def render(language: Language, message: Outgoing) -> str:
    """A message's text in `language`."""
    return pushed(language, message)


def digest_parts(language: Language, messages: Sequence[Outgoing]) -> list[str]:
    """Several plain messages as one digest text, split only if Telegram's limit demands it."""
    header = t(language, "digest.header", count=len(messages))
    parts: list[str] = []
    current = header
    for message in messages:
        text = render(language, message)
        if len(current) + len(SEPARATOR) + len(text) > MessageLimit.MAX_TEXT_LENGTH:
            parts.append(current)
            current = text
        else:
            current = f"{current}{SEPARATOR if current != header else chr(10) * 2}{text}"
    parts.append(current)
    return parts


class TelegramTransport:
    """Sends (or edits) pushes with the Bot, through its rate limiter."""

    def __init__(
        self,
        bot: ShangliangBot,
        language_of: Callable[[User | None], Language],
        files: GeneratedFiles | None = None,
    ) -> None:
        self._bot = bot
        self._language_of = language_of
        self._files = files or GeneratedFiles()

    async def deliver(
        self,
        user: User,
        messages: Sequence[Outgoing],
        *,
        replace: str | None = None,
        bulk: bool = False,
    ) -> str | None:
        """Send the message (a digest when several), or edit `replace`; the message id."""
        if user.channel != CHANNEL:
            raise Rejected(f"not a {CHANNEL} user")
        chat_id = int(user.external_id)
        language = self._language_of(user)
        # Without a rate limiter (tests that do not look at pacing) PTB refuses the argument.
        limits = (BULK if bulk else PERSONAL) if self._bot.rate_limiter is not None else None
        try:
            if len(messages) > 1:
                sent: Message | None = None
                for part in digest_parts(language, messages):
                    sent = await self._bot.send_message(chat_id, part, rate_limit_args=limits)
                return str(sent.message_id) if sent else None
            message = messages[0]
            if replace is not None and message.attachment is None:
                edited = await self._edit(chat_id, int(replace), language, message)
                if edited is not None:
                    return edited
            return str((await self._send(chat_id, language, message, limits)).message_id)
        except RetryAfter as error:
            raise RetryLater(retry_seconds(error)) from None
        except Forbidden as error:
            raise Unreachable(error.message) from None
        except BadRequest as error:
            if any(marker in error.message.lower() for marker in GONE):
                raise Unreachable(error.message) from None
            raise Rejected(error.message) from None
        except NetworkError as error:  # includes TimedOut; 5xx arrive as NetworkError too
            raise Transient(error.message or type(error).__name__) from None
        except TelegramError as error:
            raise Transient(error.message) from None

    async def _send(
        self, chat_id: int, language: Language, message: Outgoing, limits: dict[str, int] | None
    ) -> Message:
        text = render(language, message)
        keyboard = markup(language, message)
        attachment = message.attachment
        if attachment is None:
            return await self._bot.send_message(
                chat_id, text, reply_markup=keyboard, rate_limit_args=limits
            )
        if len(text) > MessageLimit.CAPTION_LENGTH:
            # Telegram refuses longer captions: the file first, then the text with the buttons.
            await self._send(
                chat_id,
                language,
                message.model_copy(
                    update={"key": "notify.file", "params": {}, "labels": {}, "actions": ()}
                ),
                limits,
            )
            return await self._bot.send_message(
                chat_id, text, reply_markup=keyboard, rate_limit_args=limits
            )
        if attachment.kind == "photo":
            return await self._bot.send_photo(
                chat_id,
                attachment.ref,
                caption=text,
                reply_markup=keyboard,
                rate_limit_args=limits,
            )
        if attachment.kind == "voice":
            return await self._bot.send_voice(
                chat_id,
                attachment.ref,
                caption=text,
                reply_markup=keyboard,
                rate_limit_args=limits,
            )
        document: str | InputFile = attachment.ref
        if attachment.kind == "generated":
            try:
                name, content = await self._files.make(attachment.ref)
            except FileNotAvailable as error:
                raise Rejected(f"file {error} is not available") from None
            document = InputFile(content, filename=name)
        return await self._bot.send_document(
            chat_id, document, caption=text, reply_markup=keyboard, rate_limit_args=limits
        )

    async def _edit(
        self, chat_id: int, message_id: int, language: Language, message: Outgoing
    ) -> str | None:
        """Edit an earlier message; None when it is gone (then a new one is sent)."""
        try:
            await self._bot.edit_text(
                chat_id, message_id, render(language, message), markup(language, message)
            )
        except BadRequest as error:
            text = error.message.lower()
            if "not modified" in text:
                return str(message_id)
            if "not found" in text or "can't be edited" in text:
                return None
            raise
        return str(message_id)
