"""📋 My reports and the ticket desk through a channel without buttons (tests/e2e/text_channel.py):
a grid worker handles a ticket by numbers and words, the household answers a question, rates
the resolution "unsatisfied" and reopens it with a reason, and reads the ticket's history."""

from __future__ import annotations

from bot.domain.models import Language, Role
from bot.domain.reports import PlaceKind, ReportCategory, ReportDraft, ReportPlace, Urgency
from bot.i18n import plain, t
from bot.interaction.plain import to_plain
from emulator.harness import BotHarness
from tests.e2e.delivery.community import Community
from tests.e2e.delivery.test_reports import history, tickets
from tests.e2e.text_channel import TextChannel

ZH = Language.ZH


def read(key: str, **params: object) -> str:
    """A catalog text as the text channel shows it."""
    return to_plain(t(ZH, key, **params))


def number_of(screen: str, label: str) -> str:
    """The number of the option `label` on a screen."""
    return next(line for line in screen.splitlines() if line.endswith(f". {label}")).split(".")[0]


async def test_the_desk_and_my_reports_by_numbers_and_words(
    harness: BotHarness, community: Community
) -> None:
    grid = await harness.runtime.db.fetch_value("SELECT id FROM grid WHERE name = '第一网格'")
    await harness.runtime.db.execute(
        "INSERT INTO grid_worker (grid_id, channel, external_id) VALUES (?, 'text', 'wx-grid')",
        (grid,),
    )
    channel = TextChannel(harness.runtime.services)
    worker = channel.person("wx-grid", "李网格员")
    assert (await worker.account()).role is Role.GRID_WORKER
    resident = channel.person("wx-201")
    services = harness.runtime.services
    account = await resident.account()
    household = community.households["1号楼 1单元 201"]
    await services.registration.request(account, household, "13900000002")
    draft = ReportDraft(
        category=ReportCategory.WATER,
        description="厨房下水道堵了",
        place=ReportPlace(kind=PlaceKind.HOME),
        urgency=Urgency.NORMAL,
    )
    await services.reports.submit(account, draft)
    await services.sender.settle()

    # The worker opens the inbox by its menu words and the ticket by its number, and asks.
    [inbox] = await worker.send(plain(ZH, "menu.inbox"))
    assert inbox.startswith(read("report.inbox_title", count=1, overdue=0, page=1, pages=1))
    [card] = await worker.send("1")
    assert "R-2026-0001" in card
    assert "1号楼 1单元 201" in card
    [question] = await worker.send(plain(ZH, "report.ask"))
    assert question.startswith(read("report.ask_question", number="R-2026-0001"))
    assert await worker.send("请问明天上午家里有人吗？") == [read("report.question_sent")]
    await services.sender.settle()

    # The household answers the pushed question by its number.
    pushed = channel.pushed["wx-201"][-1]
    assert "请问明天上午家里有人吗？" in pushed
    [asked] = await resident.send(number_of(pushed, plain(ZH, "report.answer_button")))
    assert "请问明天上午家里有人吗？" in asked
    assert await resident.send("九点以后有人") == [
        read("report.answer_sent", number="R-2026-0001")
    ]
    await services.sender.settle()
    assert "九点以后有人" in channel.pushed["wx-grid"][-1]

    # Resolved with a note; the household is not satisfied and reopens it with a reason.
    await worker.send(plain(ZH, "menu.inbox"))
    await worker.send("1")
    [note] = await worker.send(plain(ZH, "report.set_resolved"))
    assert f"1. {plain(ZH, 'report.no_note')}" in note.splitlines()
    assert await worker.send(" ") == [read("error.blank")]
    done, card = await worker.send("已疏通")
    resolved = plain(ZH, "report.status_resolved")
    assert done == read("report.status_done", number="R-2026-0001", status=resolved)
    assert plain(ZH, "report.set_resolved") not in card
    await services.sender.settle()
    rate = channel.pushed["wx-201"][-1]
    assert "已疏通" in rate
    [reopen] = await resident.send(plain(ZH, "report.rating_unsatisfied"))
    assert reopen.startswith(read("report.ask_reopen", number="R-2026-0001"))
    [reason] = await resident.send(number_of(reopen, plain(ZH, "report.reopen_button")))
    assert reason.startswith(read("report.ask_reason", number="R-2026-0001"))
    assert await resident.send("还是堵") == [read("report.reopened_ok", number="R-2026-0001")]

    # My reports, by its menu words: the ticket and its history.
    [mine] = await resident.send(plain(ZH, "menu.my_reports"))
    assert mine.startswith(read("report.mine_title", count=1))
    [view] = await resident.send("1")
    assert "请问明天上午家里有人吗？" in view
    assert "居民回复：九点以后有人" in view
    assert "评价：🙁 不满意" in view
    [ticket] = await tickets(harness)
    assert (ticket["status"], ticket["reason"]) == ("reopened", "")
    assert [kind for kind, _ in await history(harness)] == [
        "created", "question", "answer", "status", "rating", "status"
    ]  # fmt: skip
