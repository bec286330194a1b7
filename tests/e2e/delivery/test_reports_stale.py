"""Old and forged buttons of 📋 My reports ("rp") and the ticket desk ("tk"): malformed, from a
flow that is over, for another flow, or naming what no button names. Each gets the polite
"that button is old" alert, loses its buttons, and changes nothing: not the ticket, not its
history, not where anyone is in a conversation."""

from __future__ import annotations

from bot.domain.models import Language
from bot.i18n import plain
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.e2e.catalog import shown
from tests.e2e.delivery.community import GRID
from tests.e2e.delivery.test_reports import history, report, tickets

ZH = Language.ZH
A = 800101  # a resident of 幸福里小区 1号楼 1单元 101
TOO_BIG = str(2**63)  # one more than SQLite's largest integer

FORGED = (
    # My reports: no such action, missing or bad arguments, no rating, the flow's buttons
    # (Cancel, an answer, Back) with no answer being typed.
    "v1:rp:bogus:1",
    "v1:rp:view",
    "v1:rp:view:one",
    f"v1:rp:view:{TOO_BIG}",
    "v1:rp:rate:1",
    "v1:rp:rate:1:bogus",
    "v1:rp:keep:-1",
    "v1:rp:med:1.5",
    "v1:rp:ans",
    "v1:rp:ro:abc",
    "v1:rp:x",
    "v1:rp:bk",
    "v1:rp:pick:answer:yes",
    # The desk: a status a grid worker does not set, missing arguments, a page that is no
    # number, the legacy "no note" and the flow's buttons with no note being typed.
    "v1:tk:bogus:1",
    "v1:tk:st:1:closed",
    "v1:tk:st:1:reopened",
    "v1:tk:st:1",
    "v1:tk:to:1",
    "v1:tk:pg:-1",
    f"v1:tk:open:{TOO_BIG}",
    "v1:tk:hist",
    "v1:tk:nonote",
    "v1:tk:x",
    "v1:tk:pick:note:none",
    "v1:tk:pick:question:none",
)


async def state(harness: BotHarness) -> tuple[object, ...]:
    """The tickets, the first one's history, every job and every open conversation."""
    jobs = await harness.runtime.db.fetch_all("SELECT kind, status FROM job ORDER BY id")
    sessions = await harness.runtime.db.fetch_all(
        "SELECT user_id, flow, step, draft, state FROM dialog_session ORDER BY user_id"
    )
    return (
        await tickets(harness),
        await history(harness),
        [tuple(row) for row in jobs],
        [tuple(row) for row in sessions],
    )


def assert_stale(person: UserClient) -> None:
    answer = person.last_answer
    assert answer.answered, answer.data
    assert answer.show_alert, answer.data
    assert answer.answer_text == plain(ZH, "error.stale_button"), answer.data


async def test_forged_presses_get_the_stale_answer_and_change_nothing(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident)
    await resident.click(plain(ZH, "report.submit"))
    await worker.click(plain(ZH, "report.open_button"))
    before = await state(harness)

    for person, menu in ((resident, "menu.my_reports"), (worker, "menu.inbox")):
        for data in FORGED:
            await person.press(plain(ZH, menu))  # a list with buttons, to press them on
            target = person.last()
            assert target.labels, menu
            await person.click_data(data, message=target)
            assert_stale(person)
            assert target.labels == [], data  # the dead buttons are taken off
    assert await state(harness) == before


async def test_the_buttons_of_a_cancelled_note_are_stale_and_another_flows_too(
    harness: BotHarness,
) -> None:
    resident = harness.user("居民", user_id=A)
    worker = harness.user("李网格员", user_id=GRID)
    await worker.send("/start")
    await report(resident)
    await resident.click(plain(ZH, "report.submit"))
    await worker.click(plain(ZH, "report.open_button"))
    before = await state(harness)

    await worker.click(plain(ZH, "report.set_accepted"))
    prompt = worker.last()
    await worker.click(plain(ZH, "reg.cancel"), message=prompt)
    assert worker.last().text == shown(ZH, "report.note_cancelled")
    await worker.click_data("v1:tk:pick:note:none", message=prompt)  # "no note", pressed late
    assert_stale(worker)
    await worker.click_data("v1:tk:x", message=prompt)  # cancelled twice
    assert_stale(worker)
    assert await state(harness) == before

    # While a note is being typed, the resident flow's buttons are stale, and the note goes on.
    await worker.click(plain(ZH, "report.set_in_progress"))
    asked = await state(harness)
    await worker.click_data("v1:rp:pick:answer:yes", message=worker.last())
    assert_stale(worker)
    await worker.click_data("v1:rp:x", message=worker.last())
    assert_stale(worker)
    assert await state(harness) == asked
    await worker.send("师傅下午到")
    [ticket] = await tickets(harness)
    assert ticket["status"] == "in_progress"
    assert "师傅下午到" in resident.last().text
