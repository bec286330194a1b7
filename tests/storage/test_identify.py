"""UserService.identify on a real database: first contact, races, and changes it notices."""

from __future__ import annotations

import asyncio

from bot.app.config import Settings
from bot.app.runtime import runtime_for
from bot.clock import ManualClock
from bot.domain.models import ChannelUser, Role


def hello(external_id: str, name: str = "王阿姨") -> ChannelUser:
    return ChannelUser(channel="telegram", external_id=external_id, first_name=name)


async def test_two_first_contacts_at_once_make_one_user(
    settings: Settings, clock: ManualClock
) -> None:
    async with runtime_for(settings, clock) as runtime:
        users = runtime.services.users

        first, second = await asyncio.gather(
            users.identify(hello("5001")), users.identify(hello("5001"))
        )

        assert first == second
        assert (
            await runtime.db.fetch_value("SELECT count(*) FROM user WHERE external_id = '5001'")
            == 1
        )


async def test_a_known_user_is_kept_up_to_date(settings: Settings, clock: ManualClock) -> None:
    async with runtime_for(settings, clock) as runtime:
        users = runtime.services.users
        first = await users.identify(hello("5001"))
        await users.identify(hello("5001"))  # answered from memory: nothing changed

        renamed = await users.identify(hello("5001", "王秀兰"))

        assert renamed.id == first.id
        assert renamed.first_name == "王秀兰"
        assert renamed.role is Role.RESIDENT
        assert (
            await runtime.db.fetch_value("SELECT first_name FROM user WHERE id = ?", (first.id,))
            == "王秀兰"
        )
        assert (await users.identify(hello("5001", "王秀兰"))).first_name == "王秀兰"
