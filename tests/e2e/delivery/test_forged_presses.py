"""Every button the bot knows, pressed with ids no button carries: a polite answer, no crash.

The presses are built from the Application's own handlers, so a new button is covered as soon
as it is registered. The harness fails the test if the bot's error handler saw anything (an
OverflowError from SQLite, a second answerCallbackQuery that Telegram refuses, …).
"""

from __future__ import annotations

import re

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler

from bot.interaction.payload import MAX_BYTES
from bot.interaction.router import core_buttons
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID
from tests.e2e.delivery.community import GRID

A = 800101  # a registered resident of 幸福里小区 1号楼 1单元 101
TOO_BIG = str(2**63)  # one more than SQLite's largest integer
ARGUMENTS = [(TOO_BIG,), ("1", TOO_BIG), (TOO_BIG, "1"), ("-1",), ("99999999",)]


def press_prefixes(handlers: list[BaseHandler]) -> set[str]:  # type: ignore[type-arg]
    """'v1:<feature>:<action>' for every button pattern, alternatives spelled out."""
    found: set[str] = set()
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            nested = [*handler.entry_points, *handler.fallbacks]
            nested += [h for state in handler.states.values() for h in state]
            found |= press_prefixes(nested)
        elif isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
            pattern = getattr(handler.pattern, "pattern", handler.pattern)
            text = str(pattern).removeprefix("^").replace("(:|$)", "").rstrip(":")
            choice = re.search(r"\(([\w|]+)\)", text)
            options = choice.group(1).split("|") if choice else [""]
            for option in options:
                found.add(text.replace(choice.group(0), option) if choice else text)
    return found


async def test_every_button_with_ids_out_of_range_is_answered_once_and_politely(
    harness: BotHarness,
) -> None:
    legacy = press_prefixes([h for hs in harness.app.handlers.values() for h in hs])
    prefixes = sorted(legacy | core_buttons(harness.runtime.services))
    assert len(prefixes) > 100  # the bot's buttons, not an empty list that tests nothing
    people = [harness.user("居民", user_id=A), harness.user("网格员", user_id=GRID)]
    people.append(harness.user("主任", user_id=STAFF_ID))
    for person in people:
        await person.send("/start")
        for prefix in prefixes:
            for arguments in ARGUMENTS:
                data = ":".join([prefix, *arguments])
                if len(data.encode()) > MAX_BYTES:
                    continue
                query = await person.click_data(data, message=person.bot_messages[0])
                assert query.answered, data
