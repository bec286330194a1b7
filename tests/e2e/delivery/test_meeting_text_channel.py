"""Meetings through a channel without buttons (tests/e2e/text_channel.py): a grid worker
organises one by numbers and words; residents on Telegram get the notice and answer; the
worker reads the answers on the meeting's card and moves it, all by numbers and words."""

from __future__ import annotations

from bot.domain.models import Language, Role
from bot.i18n import plain, t
from bot.interaction.plain import to_plain
from emulator.harness import BotHarness
from tests.e2e.catalog import below_counter
from tests.e2e.delivery.community import Community
from tests.e2e.delivery.test_meetings import A2, A, alert, clients, label
from tests.e2e.text_channel import TextChannel, TextPerson

ZH = Language.ZH


def read(key: str, **params: object) -> str:
    """A catalog text as the text channel shows it."""
    return to_plain(t(ZH, key, **params))


def number_of(screen: str, words: str) -> str:
    """The number of the option that says `words`."""
    line = next(line for line in screen.splitlines() if line.endswith(f". {words}"))
    return line.partition(".")[0]


async def text_grid_worker(harness: BotHarness) -> TextPerson:
    """第一网格's worker, on the text channel (declared before their first contact)."""
    grid = await harness.runtime.db.fetch_value("SELECT id FROM grid WHERE name = '第一网格'")
    await harness.runtime.db.execute(
        "INSERT INTO grid_worker (grid_id, channel, external_id) VALUES (?, 'text', 'wx-grid')",
        (grid,),
    )
    worker = TextChannel(harness.runtime.services).person("wx-grid", "李网格员")
    assert (await worker.account()).role is Role.GRID_WORKER
    return worker


async def test_a_grid_worker_organises_a_meeting_by_numbers_and_words_and_reads_the_answers(
    harness: BotHarness, community: Community
) -> None:
    worker = await text_grid_worker(harness)  # roles are read at the first contact
    people = clients(harness)
    for uid in (A, A2):
        await people[uid].send("/start")

    [manage] = await worker.send(plain(ZH, "menu.meetings"))
    assert manage.splitlines() == [
        read("meeting.manage_title", count=0),
        f"1. {plain(ZH, 'meeting.new_button')}",
    ]
    [kinds] = await worker.send("1")
    assert kinds.splitlines()[:2] == [
        read("dialog.step", number=1, total=9),
        read("meeting.ask_new_kind"),
    ]
    assert f"1. {plain(ZH, 'meeting.kind_consultation')}" in kinds.splitlines()
    await worker.send(plain(ZH, "meeting.kind_consultation"))
    await worker.send("1号楼议事会")
    assert await worker.send("明晚") == [read("bc.bad_time")]
    await worker.send("11-27 19:00")
    [agenda] = await worker.send("1号楼门口")
    assert below_counter(agenda).startswith(read("meeting.ask_new_agenda"))
    [scopes] = await worker.send(plain(ZH, "notice.skip"))
    assert plain(ZH, "bc.kind_compounds") not in scopes  # not a grid worker's
    await worker.send(number_of(scopes, plain(ZH, "bc.kind_buildings")))
    [ticked] = await worker.send("幸福里小区 1号楼")
    assert "✅ 幸福里小区 1号楼" in ticked
    [roles] = await worker.send(plain(ZH, "bc.done", count=1))
    staff_role = plain(ZH, "meeting.role_toggle", mark="▫️", role=plain(ZH, "meeting.role_staff"))
    [roles] = await worker.send(number_of(roles, staff_role))
    assert (
        plain(ZH, "meeting.role_toggle", mark="✅", role=plain(ZH, "meeting.role_staff")) in roles
    )
    [contacts] = await worker.send(plain(ZH, "vote.done", count=1))
    [contacts] = await worker.send("王经理 | 物业 | 13900000000")
    assert below_counter(contacts).startswith(read("meeting.ask_new_contacts", count=1, max=20))
    [deadline] = await worker.send(plain(ZH, "vote.done", count=1))
    assert below_counter(deadline).startswith(read("meeting.ask_new_deadline"))
    [preview] = await worker.send(plain(ZH, "meeting.deadline_d1"))
    assert "邀请住户：4 人；角色：社区工作人员；联系人：王经理" in preview
    assert "回复截止：11月26日（周四）晚上7:00" in preview
    [created] = await worker.send(number_of(preview, plain(ZH, "meeting.confirm")))
    assert created == read("meeting.created", title="1号楼议事会")

    await harness.settle()
    await harness.runtime.services.sender.settle()
    assert "会议通知：1号楼议事会" in people[A].last().text
    await people[A].click(label("meeting.rsvp_attend"))
    assert alert(people[A]) == label("meeting.rsvp_done", answer=label("meeting.rsvp_attend"))

    # The card by its line's words; the answers; the time moved by words.
    [manage] = await worker.send(plain(ZH, "menu.meetings"))
    line = plain(ZH, "meeting.list_line", mark="🟢", when="11月27日（周五）", title="1号楼议事会")
    assert f"1. {line}" in manage.splitlines()
    [card] = await worker.send(line)
    assert "参加 1，不能参加 0，待定 0，未回复 3；问题 0 个；联系人 1 位" in card
    [ask_time] = await worker.send(plain(ZH, "meeting.change_time"))
    assert ask_time.startswith(read("meeting.ask_time"))
    [moved] = await worker.send("11-28 19:00")
    assert moved == read(
        "meeting.changed_ok", when="11月28日（周六）晚上7:00", rsvp_by="11月27日（周五）晚上7:00"
    )
    await harness.runtime.services.sender.settle()
    assert any("会议有变动" in m.text for m in people[A2].bot_messages)
