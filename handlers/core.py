"""The Telegram side of the core's conversations: an update becomes an `Input`, the core
answers (bot.interaction.router.respond), and the reply is rendered here — HTML, inline
buttons, the pressed message edited, the main menu or the share-my-phone keyboard.

Registered in a group before the feature handlers: what the core answers stops there; what
it does not (features not yet moved onto the core) falls through to them, and what none of
them takes comes back here last, for the core's last answer (`last_handlers`).
"""

from __future__ import annotations

from html import escape

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import MessageLimit
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.domain.messages import Attachment
from bot.domain.models import Language
from bot.i18n import plain
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import StaleButton, decode
from bot.interaction.router import last_answer, respond
from bot.interaction.screen import Keyboard, Made, Reply, Screen
from bot.interaction.words import label, paragraphs, said
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.replies import drop_buttons, edit

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


def input_of(update: Update) -> Input | None:
    """What the person sent, in the core's words; None for what is not for the core."""
    query = update.callback_query
    if query is not None:
        try:
            return Input(kind=Kind.PRESS, payload=decode(query.data))
        except StaleButton:
            return None  # another feature's button (or garbage): theirs to answer
    message = update.message
    if message is None or update.effective_chat is None or update.effective_chat.type != "private":
        return None
    return message_input(message, update.effective_user.id if update.effective_user else 0)


def message_input(message: Message, sender: int) -> Input:
    """A message as an input: words, a command, a contact, a photo, a voice note, a file."""
    if message.text is not None:
        words = message.text
        if words.startswith("/"):
            name, *args = words[1:].split()
            return Input(kind=Kind.COMMAND, text=name.partition("@")[0].lower(), args=tuple(args))
        return Input(kind=Kind.TEXT, text=words)
    caption = message.caption or ""
    if message.contact is not None:
        own = message.contact.user_id == sender
        return Input(kind=Kind.CONTACT, phone=message.contact.phone_number, own=own)
    if message.photo:
        media = Attachment(kind="photo", ref=message.photo[-1].file_id)
        return Input(kind=Kind.PHOTO, media=media, text=caption)
    if message.voice is not None:
        media = Attachment(kind="voice", ref=message.voice.file_id)
        return Input(kind=Kind.VOICE, media=media, text=caption)
    if message.document is not None:
        media = Attachment(kind="document", ref=message.document.file_id)
        return Input(kind=Kind.DOCUMENT, media=media, text=caption)
    return Input(kind=Kind.OTHER)


async def to_core(update: Update, context: BotContext) -> None:
    """Ask the core; render its reply and stop, or let the feature handlers have the update."""
    given = input_of(update)
    if given is None or context.account is None:
        return
    answer = await respond(context.services, context.account, given)
    if answer is None:
        return
    await show(update, context, answer)
    raise ApplicationHandlerStop


async def to_last(update: Update, context: BotContext) -> None:
    """What no handler took: an old or unknown button, a command the bot does not have (or
    /cancel with nothing running), stray words or files: the core's last answer."""
    if update.callback_query is not None:
        given = Input(kind=Kind.PRESS)
    else:
        message = update.effective_message
        given = (command_of(message) if message else None) or Input(kind=Kind.OTHER)
    await show(update, context, last_answer(given))


def command_of(message: Message) -> Input | None:
    """The command a message starts with (a command for another bot has no name here)."""
    entity = message.entities[0] if message.entities else None
    if entity is None or entity.type != MessageEntity.BOT_COMMAND or entity.offset != 0:
        return None
    name, _, addressee = (message.text or "")[1 : entity.length].partition("@")
    if addressee and addressee.lower() != (message.get_bot().username or "").lower():
        name = ""
    return Input(kind=Kind.COMMAND, text=name.lower())


# ---------------------------------------------------------------------------- rendering


def buttons(language: Language, shown: Screen) -> InlineKeyboardMarkup | None:
    """A screen's options as inline buttons."""
    if not shown.options:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label(language, choice), callback_data=choice.payload.encode()
                )
                for choice in row
            ]
            for row in shown.options
        ]
    )


def keyboard(context: BotContext, hint: Keyboard) -> ReplyKeyboardMarkup | None:
    """The reply keyboard a screen asks for."""
    language = context.lang
    if hint is Keyboard.MAIN_MENU:
        return main_menu(language, context.account)
    if hint is Keyboard.CONTACT:
        return ReplyKeyboardMarkup(
            [
                [KeyboardButton(plain(language, "reg.share_phone"), request_contact=True)],
                [KeyboardButton(plain(language, "reg.skip_phone"))],
                [
                    KeyboardButton(plain(language, "reg.back")),
                    KeyboardButton(plain(language, "reg.cancel")),
                ],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    return None


async def show(update: Update, context: BotContext, answer: Reply) -> None:
    """Answer a press exactly once (with its notice), then each screen: the first in place of
    the pressed message when it may, the others as new messages."""
    query = update.callback_query
    if answer.language is not None and context.account is not None:  # just chosen
        context.account = context.account.model_copy(update={"language": answer.language})
    language = context.lang
    if query is not None:
        notice = answer.notice
        shown = said(language, notice) if notice else None
        await query.answer(shown, show_alert=answer.alert)
        if answer.unbutton:
            await drop_buttons(query)
    chat = update.effective_chat
    for index, part in enumerate(answer.screens):
        assert chat is not None, "screens for an update without a chat"
        html = clipped(paragraphs(language, part.texts))
        inline = buttons(language, part)
        editable = part.attachment is None and part.keyboard is Keyboard.KEEP and html
        if query is not None and index == 0 and part.replace and editable and _words(query):
            await edit(query, html, inline)
        else:
            markup: Markup | None = inline or keyboard(context, part.keyboard)
            await send(context, chat.id, html, markup, part.attachment)
        await send_album(context, chat.id, part.album, part.captions)


def _words(query: CallbackQuery) -> bool:
    """Whether the pressed message is words that can be replaced (not a file with a caption;
    a message too old for Telegram to send is tried as words)."""
    pressed = query.message
    return not isinstance(pressed, Message) or pressed.text is not None


def clipped(html: str) -> str:
    """Words that fit in one message (the rest cut, with "…")."""
    limit = MessageLimit.MAX_TEXT_LENGTH
    return html if len(html) <= limit else html[: limit - 1] + "…"


async def send(
    context: BotContext,
    chat_id: int,
    html: str,
    markup: Markup | None,
    file: Attachment | Made | None,
) -> None:
    """A message, or a file with the words as its caption (first the file, then the words,
    when they are longer than a caption may be)."""
    if file is None or len(html) > MessageLimit.CAPTION_LENGTH:
        if file is not None:
            await send(context, chat_id, "", None, file)
        if html:
            await context.bot.send_message(chat_id, html, reply_markup=markup)
        return
    caption = html or None
    if isinstance(file, Made):  # made for this answer (a chart, a table)
        made = InputFile(file.content, filename=file.name)
        if file.kind == "photo":
            await context.bot.send_photo(chat_id, made, caption=caption, reply_markup=markup)
        else:
            await context.bot.send_document(chat_id, made, caption=caption, reply_markup=markup)
    elif file.kind == "photo":
        await context.bot.send_photo(chat_id, file.ref, caption=caption, reply_markup=markup)
    elif file.kind == "voice":
        await context.bot.send_voice(chat_id, file.ref, caption=caption, reply_markup=markup)
    elif file.kind == "document":
        await context.bot.send_document(chat_id, file.ref, caption=caption, reply_markup=markup)
    else:  # made on demand (an .ics)
        name, content = await context.services.files.make(file.ref)
        document = InputFile(content, filename=name)
        await context.bot.send_document(chat_id, document, caption=caption, reply_markup=markup)


async def send_album(
    context: BotContext,
    chat_id: int,
    files: tuple[Attachment, ...],
    captions: tuple[str, ...] = (),
) -> None:
    """Photos as albums of up to ten (each with its caption, if it has one), then the other
    files one by one."""
    photos = [
        (file.ref, escape(captions[index]) if index < len(captions) else None)
        for index, file in enumerate(files)
        if file.kind == "photo"
    ]
    for start in range(0, len(photos), 10):
        batch = photos[start : start + 10]
        if len(batch) == 1:
            await context.bot.send_photo(chat_id, batch[0][0], caption=batch[0][1])
        else:
            media = [InputMediaPhoto(ref, caption=caption) for ref, caption in batch]
            await context.bot.send_media_group(chat_id, media)
    for file in files:
        if file.kind != "photo":
            await send(context, chat_id, "", None, file)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Every update is offered to the core first (see handlers.build_application)."""
    return [TypeHandler(Update, to_core)]


def last_handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """After every feature handler: what none of them took (see handlers.feature_handlers)."""
    return [
        MessageHandler(filters.COMMAND, to_last),
        MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, to_last),
        CallbackQueryHandler(to_last),
    ]
