"""Pushes through the durable outbox, as residents receive them from the emulator.

Each test queues pushes the way services do, lets the real sender deliver them through the
real Application and the emulator, and checks both the chat and the outbox rows.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.config import Settings
from bot.clock import ManualClock
from bot.domain.delivery import Category
from bot.domain.messages import Action, Outgoing
from bot.domain.models import ChannelUser, Language, User
from emulator import BotApiEmulator
from emulator.driver import UserClient
from emulator.harness import BotHarness
from emulator.limits import RateLimits
from handlers.ratelimit import PacedRateLimiter

SHANGHAI = ZoneInfo("Asia/Shanghai")


def news(place: str) -> Outgoing:
    """A plain push (the approval of a registration)."""
    return Outgoing(key="reg.approved_push", params={"place": place})


async def account(harness: BotHarness, client: UserClient) -> User:
    """The user row of a Telegram user who has said hello."""
    return await harness.runtime.services.users.identify(
        ChannelUser(channel="telegram", external_id=str(client.user_id), first_name="x")
    )


async def rows(harness: BotHarness, user: User) -> list[tuple[str, int, str | None]]:
    """(status, attempts, last_error) of a user's outbox rows, oldest first."""
    found = await harness.runtime.db.fetch_all(
        "SELECT status, attempts, last_error FROM outbox WHERE user_id = ? ORDER BY id",
        (user.id,),
    )
    return [(row["status"], row["attempts"], row["last_error"]) for row in found]


async def later(harness: BotHarness, clock: ManualClock, delta: timedelta) -> None:
    """Move the clock and let the sender see it."""
    clock.advance(delta)
    await harness.settle()


async def test_a_push_reaches_the_chat_once_and_is_marked_sent(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    await harness.runtime.services.notifier.push(user, news("1号楼 1单元 302"))
    await harness.settle()

    assert len(resident.bot_messages) == 1
    assert "1号楼 1单元 302" in resident.last().text
    ref = await harness.runtime.db.fetch_value(
        "SELECT external_ref FROM outbox WHERE user_id = ?", (user.id,)
    )
    assert ref == str(resident.last().message_id)
    assert await rows(harness, user) == [("sent", 1, None)]


async def test_buttons_of_a_push_are_rendered_in_the_users_language(harness: BotHarness) -> None:
    resident = harness.user("Tom", language_code="en")
    user = await account(harness, resident)
    user = await harness.runtime.services.users.set_language(user, Language.EN)
    message = Outgoing(
        key="reg.ask_decision",
        params={"name": "王阿姨", "place": "1号楼"},
        actions=((Action(label_key="reg.approve", feature="reg", action="ok", args=("1", "2")),),),
    )
    await harness.runtime.services.notifier.push(user, message)
    await harness.settle()
    assert [button.text for button in resident.last().buttons] == ["✅ Approve"]


async def test_quiet_hours_hold_pushes_until_seven_then_one_digest(
    harness: BotHarness, clock: ManualClock
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    clock.set(datetime(2026, 11, 22, 23, 0, tzinfo=SHANGHAI))
    notifier = harness.runtime.services.notifier
    await notifier.push(user, news("甲"), category=Category.NOTICE)
    await notifier.push(user, news("乙"), category=Category.REMINDER)
    await notifier.push(user, news("停水"), category=Category.NOTICE, urgent=True)
    await harness.settle()

    assert [("停水" in text) for text in resident.texts()] == [True]  # only the urgent one

    await later(harness, clock, timedelta(hours=7, minutes=59))  # 06:59
    assert len(resident.bot_messages) == 1
    await later(harness, clock, timedelta(minutes=1))  # 07:00
    assert len(resident.bot_messages) == 2
    digest = resident.last().text
    assert "2 条消息" in digest
    assert "甲" in digest
    assert "乙" in digest
    statuses = await rows(harness, user)
    assert [status for status, _, _ in statuses] == ["sent", "sent", "sent"]
    refs = await harness.runtime.db.fetch_all(
        "SELECT DISTINCT external_ref FROM outbox WHERE user_id = ? AND urgent = 0", (user.id,)
    )
    assert len(refs) == 1  # both rows went out in the same message


async def test_a_muted_category_is_kept_not_sent_and_urgent_still_comes(
    harness: BotHarness,
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    notifier = harness.runtime.services.notifier
    assert await notifier.set_muted(user, Category.NOTICE, True) == {Category.NOTICE}
    await notifier.push(user, news("普通通知"), category=Category.NOTICE)
    await notifier.push(user, news("紧急通知"), category=Category.NOTICE, urgent=True)
    await notifier.push(user, news("审核结果"))  # account messages cannot be muted
    await harness.settle()

    assert ["普通通知" in text for text in resident.texts()] == [False, False]
    assert [status for status, _, _ in await rows(harness, user)] == ["muted", "sent", "sent"]
    with pytest.raises(ValueError, match="cannot be muted"):
        await notifier.set_muted(user, Category.ACCOUNT, True)


async def test_unmuting_lets_the_category_through_again(harness: BotHarness) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    notifier = harness.runtime.services.notifier
    await notifier.set_muted(user, Category.NOTICE, True)
    assert await notifier.set_muted(user, Category.NOTICE, False) == set()
    assert await notifier.toggle_muted(user, Category.NOTICE) == {Category.NOTICE}
    assert await notifier.toggle_muted(user, Category.NOTICE) == set()

    await notifier.push(user, news("普通通知"), category=Category.NOTICE)
    await harness.settle()

    assert [status for status, _, _ in await rows(harness, user)] == ["sent"]


async def test_concurrent_switches_of_one_category_lose_none(harness: BotHarness) -> None:
    user = await account(harness, harness.user("王阿姨"))
    notifier = harness.runtime.services.notifier
    # Each switch is one atomic statement: 7 at once leave it muted (odd), 8 unmuted (even).
    await asyncio.gather(*(notifier.toggle_muted(user, Category.NOTICE) for _ in range(7)))
    assert await notifier.muted(user) == {Category.NOTICE}
    await asyncio.gather(*(notifier.toggle_muted(user, Category.MEETING) for _ in range(8)))
    assert await notifier.muted(user) == {Category.NOTICE}


async def test_server_errors_are_retried_with_backoff_and_delivered_once(
    harness: BotHarness, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    emulator.inject("server", method="sendMessage", chat_id=resident.user_id, times=2)
    await harness.runtime.services.notifier.push(user, news("302"))
    await harness.settle()
    assert resident.bot_messages == []
    assert await rows(harness, user) == [("pending", 1, "Internal Server Error")]

    await later(harness, clock, timedelta(seconds=2))  # first backoff: 2 s
    assert await rows(harness, user) == [("pending", 2, "Internal Server Error")]
    await later(harness, clock, timedelta(seconds=3))  # not yet: the second waits 4 s
    assert resident.bot_messages == []
    await later(harness, clock, timedelta(seconds=1))
    assert len(resident.bot_messages) == 1
    assert await rows(harness, user) == [("sent", 3, None)]


async def test_network_errors_and_timeouts_are_retried(
    harness: BotHarness, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    emulator.inject("network", method="sendMessage", chat_id=resident.user_id)
    emulator.inject("timeout", method="sendMessage", chat_id=resident.user_id)
    await harness.runtime.services.notifier.push(user, news("302"))
    await harness.settle()
    await later(harness, clock, timedelta(seconds=2))
    await later(harness, clock, timedelta(seconds=4))
    assert len(resident.bot_messages) == 1
    assert await rows(harness, user) == [("sent", 3, None)]


async def test_a_flood_answer_pauses_the_sender_and_is_not_a_failed_try(
    harness: BotHarness, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    first, second = harness.user("甲"), harness.user("乙")
    one, two = await account(harness, first), await account(harness, second)
    emulator.inject("retry_after", method="sendMessage", chat_id=first.user_id, retry_after=5)
    await harness.runtime.services.notifier.push(one, news("A"))
    await harness.settle()
    await harness.runtime.services.notifier.push(two, news("B"))
    await harness.settle()
    # Paused for 5 s: neither goes out, not even the second person's.
    assert first.bot_messages == []
    assert second.bot_messages == []
    assert await rows(harness, one) == [("pending", 0, "flood limit: retry after 5 s")]
    assert harness.runtime.services.sender.stats.flood_waits == 1

    await later(harness, clock, timedelta(seconds=5))
    assert len(first.bot_messages) == 1
    assert len(second.bot_messages) == 1
    assert await rows(harness, one) == [("sent", 1, None)]


async def test_a_user_who_blocked_the_bot_is_unreachable_until_they_return(
    harness: BotHarness,
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    resident.block_bot()
    notifier = harness.runtime.services.notifier
    await notifier.push(user, news("A"))
    await harness.settle()
    assert [status for status, _, _ in await rows(harness, user)] == ["unreachable"]
    blocked = await harness.runtime.services.users.get(user.id)
    assert blocked is not None
    assert blocked.unreachable_at is not None

    resident.chat.blocked = False
    await resident.send("/start")  # they come back
    back = await harness.runtime.services.users.get(user.id)
    assert back is not None
    assert back.unreachable_at is None


async def test_the_sender_gives_up_after_bounded_tries_and_keeps_the_reason(
    harness: BotHarness, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    emulator.inject("server", method="sendMessage", chat_id=resident.user_id, times=None)
    await harness.runtime.services.notifier.push(user, news("A"))
    await harness.settle()
    for _ in range(6):
        await later(harness, clock, timedelta(minutes=10))
    status, attempts, reason = (await rows(harness, user))[0]
    assert (status, attempts) == ("failed", 6)
    assert reason is not None
    assert reason.startswith("gave up after 6 tries: Internal Server Error")
    assert resident.bot_messages == []


async def test_a_message_refused_for_good_is_not_retried(
    harness: BotHarness, emulator: BotApiEmulator
) -> None:
    resident = harness.user("王阿姨")
    user = await account(harness, resident)
    await harness.runtime.services.notifier.push(
        user, Outgoing(key="reg.approved_push", params={"place": "长" * 5000})
    )
    await harness.settle()
    status, attempts, reason = (await rows(harness, user))[0]
    assert (status, attempts) == ("failed", 1)
    assert reason is not None
    assert "too long" in reason
    assert [code for _, code, _ in emulator.refused] == [400]  # once, not retried
    emulator.refused.clear()


async def test_a_restart_resumes_delivery_with_nothing_lost_or_doubled(
    settings: Settings, emulator: BotApiEmulator, clock: ManualClock
) -> None:
    first = await BotHarness.start(settings, emulator=emulator, clock=clock)
    residents = [first.user(f"居民{n}") for n in range(4)]
    users = [await account(first, client) for client in residents]
    await first.runtime.services.notifier.push(users[0], news("already sent"))
    await first.settle()
    await first.stop()

    # A process that died mid-delivery leaves rows pending and rows claimed ("sending").
    second = await BotHarness.start(settings, emulator=emulator, clock=clock)
    await second.runtime.services.sender.stop()
    for user in users[1:]:
        await second.runtime.services.notifier.push(user, news("after the crash"))
    await second.runtime.db.execute("UPDATE outbox SET status = 'sending' WHERE id = 2")
    await second.stop()

    third = await BotHarness.start(settings, emulator=emulator, clock=clock)
    try:
        await third.settle()
        assert [len(client.bot_messages) for client in residents] == [1, 1, 1, 1]
        assert (
            await third.runtime.db.fetch_value(
                "SELECT count(*) FROM outbox WHERE status != 'sent'"
            )
            == 0
        )
    finally:
        await third.stop()


async def test_sends_keep_telegrams_limits_without_a_single_429(
    settings: Settings, clock: ManualClock
) -> None:
    emulator = BotApiEmulator(limits=RateLimits())
    limiter = PacedRateLimiter()
    harness = await BotHarness.start(
        settings, emulator=emulator, clock=clock, rate_limiter=limiter
    )
    try:
        residents = [harness.user(f"居民{n}") for n in range(40)]
        users = [await account(harness, client) for client in residents]
        notifier = harness.runtime.services.notifier
        for user in users:
            await notifier.push(user, news("停水"), urgent=True)
        await notifier.push(users[0], news("停电"), urgent=True)  # a second one to one chat
        await harness.settle()

        assert [len(client.bot_messages) for client in residents] == [2] + [1] * 39
        assert emulator.flood is not None
        assert emulator.flood.refused == 0
        assert limiter.flood_answers == 0
        # Paced, not burst, timed where Telegram times it: when the sends arrived. (The sender
        # starts with the first push, so a stopwatch started after the last push measured how
        # fast this machine queued them, not the pace.)
        arrivals = [at for at, _ in emulator.flood.arrivals]
        assert len(arrivals) == 41
        assert arrivals[-1] - arrivals[0] >= 40 * limiter.interval - 0.1
        assert emulator.flood.chat_gaps()[residents[0].user_id][0] >= limiter.private_interval
    finally:
        await harness.stop()
