"""A minimal channel without buttons, in the tests: people type words or the number of an
option, and read plain text back — what the WeChat channel will be like. It talks to the very
core the Telegram adapter talks to (bot.interaction.router: `respond`, then its last answer for
what nothing took: this channel has no handlers of its own) through the plain-text renderer
(bot.interaction.plain), so a flow tested here is the same definition Telegram runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.messages import Outgoing
from bot.domain.models import ChannelUser, Language, User
from bot.interaction.inputs import Input, Kind
from bot.interaction.plain import PlainText
from bot.interaction.router import answer
from bot.interaction.screen import push_screen, reply
from bot.services import Services

CHANNEL = "text"


@dataclass
class TextChannel:
    """The channel: the renderer's memory of numbered options, and what was pushed."""

    services: Services
    plain: PlainText = field(default_factory=PlainText)
    pushed: dict[str, list[str]] = field(default_factory=dict)  # external id → texts

    def __post_init__(self) -> None:
        self.services.channels.attach(CHANNEL, self)

    async def deliver(
        self,
        user: User,
        messages: Sequence[Outgoing],
        *,
        replace: str | None = None,
        bulk: bool = False,
    ) -> str | None:
        """A push arrives (the Transport port): kept as the text the person would read."""
        language = self.services.users.language_of(user)
        box = self.pushed.setdefault(user.external_id, [])
        for message in messages:  # its buttons numbered, to answer like any screen's
            box.extend(self.plain.show(user.id, language, reply(push_screen(message))))
        return str(len(box))

    def person(self, external_id: str, first_name: str = "王阿姨") -> TextPerson:
        """Someone on this channel."""
        return TextPerson(self, external_id, first_name)


@dataclass
class TextPerson:
    """One person typing on the text channel; `read` is every message they got back."""

    channel: TextChannel
    external_id: str
    first_name: str
    read: list[str] = field(default_factory=list)

    async def account(self) -> User:
        """Their user record (created at first contact, as a channel adapter does)."""
        who = ChannelUser(
            channel=CHANNEL, external_id=self.external_id, first_name=self.first_name
        )
        return await self.channel.services.users.identify(who)

    async def send(self, words: str) -> list[str]:
        """Type words (an option's number or its words are taken as choosing it)."""
        user = await self.account()
        given = self.channel.plain.understand(user.id, words)
        return await self._answer(user, given)

    async def command(self, name: str, *args: str) -> list[str]:
        """A command, as the channel's menu would send it."""
        user = await self.account()
        return await self._answer(user, Input(kind=Kind.COMMAND, text=name, args=args))

    async def _answer(self, user: User, given: Input) -> list[str]:
        reply = await answer(self.channel.services, user, given)
        language = self.channel.services.users.language_of(user)
        shown = self.channel.plain.show(user.id, language, reply)
        self.read.extend(shown)
        return shown

    @property
    def last(self) -> str:
        """The last message they got."""
        return self.read[-1]

    @property
    def language(self) -> Language:
        """The language the bot speaks to them (the default until they choose)."""
        return Language.ZH
