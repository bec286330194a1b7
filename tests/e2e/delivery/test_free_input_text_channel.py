"""Issue 20 on a channel without buttons (tests/e2e/text_channel.py): words typed from the
menu are offered as a report and filed with them; typed words answer the grid worker's
question; a greeting gets the welcome."""

from __future__ import annotations

from bot.domain.models import ChannelUser, Language
from bot.i18n import plain, t
from bot.interaction.plain import to_plain
from emulator.harness import BotHarness
from tests.e2e.delivery.community import GRID, Community
from tests.e2e.delivery.test_reports import history, tickets
from tests.e2e.text_channel import TextChannel

ZH = Language.ZH


def read(key: str, **params: object) -> str:
    """A catalog text as the text channel shows it."""
    return to_plain(t(ZH, key, **params))


async def test_typed_words_become_a_report_and_then_answer_the_question(
    harness: BotHarness, community: Community
) -> None:
    channel = TextChannel(harness.runtime.services)
    services = harness.runtime.services
    resident = channel.person("wx-201")
    account = await resident.account()
    await services.registration.request(
        account, community.households["1号楼 1单元 201"], "13900000002"
    )

    [hello] = await resident.send("你好")
    assert hello == read("start.welcome", name="王阿姨")
    [offer] = await resident.send("厨房下水道堵了")
    lines = offer.splitlines()
    assert lines[0] == read("free.offer")
    assert "“厨房下水道堵了”" in lines
    assert f"1. {plain(ZH, 'free.yes_report')}" in lines
    assert f"2. {plain(ZH, 'thread.send_kept')}" in lines
    assert f"3. {plain(ZH, 'free.no_menu')}" in lines
    [category] = await resident.send("1")
    assert read("report.ask_category") in category
    [photos] = await resident.send(plain(ZH, "report.cat_water"))
    assert read("report.ask_photos", count=0, limit=10) in photos
    await resident.send(plain(ZH, "report.photos_done", count=0))
    await resident.send(plain(ZH, "report.place_home", place="1号楼 1单元 201"))
    [summary] = await resident.send(plain(ZH, "report.urgency_normal_long"))
    assert "厨房下水道堵了" in summary
    await resident.send(plain(ZH, "report.submit"))
    [ticket] = await tickets(harness)
    assert (ticket["category"], ticket["description"]) == ("water", "厨房下水道堵了")

    # The grid worker asks (through the service); the resident just types the answer.
    worker = await services.users.identify(
        ChannelUser(channel="telegram", external_id=str(GRID), first_name="李网格员")
    )
    await services.reports.ask(worker, int(str(ticket["id"])), "哪里堵了？")
    await services.sender.settle()
    assert "哪里堵了？" in channel.pushed["wx-201"][-1]
    assert await resident.send("水池下面") == [
        read("free.answer_sent", number="R-2026-0001", question="哪里堵了？")
    ]
    assert [kind for kind, _ in await history(harness)] == ["created", "question", "answer"]
