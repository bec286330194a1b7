"""The menu's former labels (before one term for each thing, issue 20) still open their item:
a keyboard already on a phone keeps sending them until the bot sends the new one."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import plain
from bot.interaction.menu import FORMER_LABELS
from emulator.harness import BotHarness


async def test_a_former_menu_label_opens_what_the_new_one_opens(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    await resident.send("/start")
    for former, key in FORMER_LABELS.items():
        await resident.send(plain(Language.ZH, key))
        expected = resident.last().text
        await resident.send(former)
        assert resident.last().text == expected, former
        assert "没看懂" not in resident.last().text
