"""Telegram's HTML parse mode, checked the way the Bot API checks it, and reduced to plain text.

A message that Telegram would refuse ("can't parse entities") is refused here too, so an
unescaped user string in a message shows up as a failing test instead of a failing bot.
"""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[^<>]*)>"
    r"|&(?P<entity>#\d+|#x[0-9A-Fa-f]+|lt|gt|amp|quot);"
    r"|(?P<bad_lt><)|(?P<bad_amp>&)"
)


class EntityError(ValueError):
    """Telegram would answer 400 "can't parse entities"."""


def html_to_plain(text: str) -> str:
    """Check `text` as Telegram HTML and return what the user would read."""
    stack: list[str] = []
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        offset = len(text[: match.start()].encode("utf-8"))
        if match["bad_lt"]:
            raise EntityError(
                f"can't parse entities: Unexpected character '<' at byte offset {offset}"
            )
        if match["bad_amp"]:
            raise EntityError(
                "can't parse entities: Character '&' is reserved and must be escaped"
                f" at byte offset {offset}"
            )
        if match["entity"]:
            out.append(html.unescape(match.group(0)))
            continue
        tag = match["tag"].lower()
        if tag not in ALLOWED_TAGS:
            raise EntityError(
                f'can\'t parse entities: Unsupported start tag "{tag}" at byte offset {offset}'
            )
        if match["close"]:
            if not stack or stack[-1] != tag:
                raise EntityError(
                    f"can't parse entities: Unmatched end tag at byte offset {offset},"
                    f' expected "</{stack[-1] if stack else ""}>", found "</{tag}>"'
                )
            stack.pop()
        elif not match["attrs"].rstrip().endswith("/"):
            stack.append(tag)
    out.append(text[position:])
    if stack:
        raise EntityError(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
