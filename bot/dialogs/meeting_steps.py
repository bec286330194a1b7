"""Step kinds the meeting flows share: an `Ask` that tells a sticker, photo or voice note where
words or buttons are expected that it does not belong here, and a prompt of one text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic

from bot.dialogs.engine import Ctx, D, Flow, Outcome, Stay
from bot.dialogs.steps import Ask
from bot.interaction.inputs import Input, Kind
from bot.interaction.screen import reply, screen, text

NOT_HERE = "meeting.not_here"


@dataclass
class Asking(Ask[D], Generic[D]):
    """An `Ask` step of the meeting flows: typed words where only buttons are offered get
    `wrong`; any other message (a sticker, a photo or voice note it does not take) gets
    "this step cannot use that"."""

    async def take(
        self, ctx: Ctx, flow: Flow[D], draft: D, state: dict[str, Any], given: Input
    ) -> Outcome[D]:
        """As `Ask`, with files and stickers the step does not take answered politely."""
        taken = given.media is not None and given.media.kind in self.media_kinds
        if given.kind not in (Kind.PRESS, Kind.TEXT) and not taken:
            return Stay(reply(screen(text(NOT_HERE), replace=False)))
        return await super().take(ctx, flow, draft, state, given)
