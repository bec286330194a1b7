"""The dialog engine's review: Edit changes one answer, goes through what that left
unanswered, and returns to the review; an Edit press anywhere else is stale."""

from __future__ import annotations

import pytest

from bot.dialogs.engine import EDITING, Act
from tests.unit.dialog_chat import Chat, edit, keys, nav, photo, press, pressed, typed
from tests.unit.order_flow import COMPLETE


@pytest.fixture
def chat() -> Chat:
    return Chat()


async def test_the_review_offers_an_edit_button_for_each_editable_step(chat: Chat) -> None:
    begun = await chat.begin(COMPLETE)

    edits = [p.args for p in pressed(begun.screens[0]) if p.action == Act.EDIT]
    assert edits == [("size",), ("tops",), ("deliv",), ("note",)]


async def test_an_edited_answer_returns_to_the_review(chat: Chat) -> None:
    await chat.begin(COMPLETE)

    asked = await chat.send(edit("size"))
    assert keys(asked) == ["t.ask_size"]
    assert (chat.step, chat.session.state) == ("size", {EDITING: True})
    answer = await chat.send(press("size", Act.PICK, 2))

    assert keys(answer) == ["t.chosen", "t.review"]  # not on to the toppings
    assert (chat.step, chat.draft) == ("review", COMPLETE.model_copy(update={"size": 2}))
    assert chat.session.state == {}


async def test_editing_goes_through_the_steps_it_left_unanswered(chat: Chat) -> None:
    await chat.begin(COMPLETE.model_copy(update={"delivery": True, "address": "1号楼"}))

    await chat.send(edit("deliv"))
    assert chat.draft.address is None  # the flow's to_edit
    asked = await chat.send(press("deliv", Act.PICK, "yes"))

    assert keys(asked) == ["t.ask_address"]
    assert (chat.step, chat.session.state) == ("addr", {EDITING: True})
    assert keys(await chat.send(typed("2号楼"))) == ["t.review"]
    assert chat.draft.address == "2号楼"


async def test_editing_to_an_answer_that_needs_no_more_returns_to_the_review(chat: Chat) -> None:
    await chat.begin(COMPLETE.model_copy(update={"delivery": True, "address": "1号楼"}))

    await chat.send(edit("deliv"))

    assert keys(await chat.send(press("deliv", Act.PICK, "no"))) == ["t.review"]
    assert (chat.draft.delivery, chat.draft.address) == (False, None)


async def test_editing_keeps_its_place_through_a_retry_a_refusal_and_a_page(chat: Chat) -> None:
    await chat.begin(COMPLETE)
    await chat.send(edit("tops"))

    await chat.send(typed("料1"))  # Stay without state
    await chat.send(press("tops", Act.PAGE, 1))  # Stay with state
    await chat.send(press("tops", Act.TOGGLE, 12))
    assert chat.session.state == {"ticks": [10, 12], "page": 1, EDITING: True}
    assert keys(await chat.send(press("tops", Act.DONE))) == ["t.review"]
    assert chat.draft.toppings == (10, 12)

    await chat.send(edit("size"))
    await chat.send(press("size", Act.PICK, 3))  # sold out: an alert
    assert chat.session.state == {EDITING: True}
    assert keys(await chat.send(press("size", Act.PICK, 2))) == ["t.chosen", "t.review"]


async def test_back_while_editing_returns_to_the_review(chat: Chat) -> None:
    await chat.begin(COMPLETE)
    await chat.send(edit("tops"))
    await chat.send(press("tops", Act.TOGGLE, 11))

    answer = await chat.send(nav(Act.BACK))

    assert keys(answer) == ["t.review"]
    assert (chat.step, chat.draft, chat.session.state) == ("review", COMPLETE, {})


async def test_editing_a_note_to_come_with_its_photo_returns_to_the_review(chat: Chat) -> None:
    """The step after it has nothing to ask then; the phone was answered already."""
    await chat.begin(COMPLETE)
    await chat.send(edit("note"))

    answer = await chat.send(photo("p5", caption="新的备注"))

    assert keys(answer) == ["t.review"]
    assert (chat.step, chat.draft.note) == ("review", "新的备注")


async def test_a_restart_while_editing_still_returns_to_the_review(chat: Chat) -> None:
    await chat.begin(COMPLETE)
    await chat.send(edit("size"))

    chat.restart()

    assert keys(await chat.send(press("size", Act.PICK, 2))) == ["t.chosen", "t.review"]
    assert chat.draft.size == 2
