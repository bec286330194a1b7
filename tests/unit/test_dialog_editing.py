"""The dialog engine's review: Edit changes one answer, goes through what that left
unanswered, and returns to the review; an Edit press anywhere else is stale."""

from __future__ import annotations

import pytest

from bot.dialogs.engine import EDITING, STALE, Act
from bot.domain.messages import Attachment
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Payload, payload
from tests.unit.dialog_chat import Chat, edit, keys, nav, photo, press, pressed, typed
from tests.unit.order_flow import COMPLETE, ORDER, OTHER, Order


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


async def test_editing_does_not_ask_again_what_was_answered_after_a_step_that_asks_nothing(
    chat: Chat,
) -> None:
    """The note came with its photo, so "more photos?" was never asked (nor answered)."""
    with_photo = COMPLETE.model_copy(
        update={"photo": Attachment(kind="photo", ref="p"), "pics_done": False}
    )
    await chat.begin(with_photo)
    assert chat.step == "phone"  # (begin looks no further than the first unanswered step)
    await chat.send(Input(kind=Kind.CONTACT, phone="13800000000"))
    assert chat.step == "review"
    await chat.send(edit("size"))

    answer = await chat.send(press("size", Act.PICK, 2))

    assert keys(answer) == ["t.chosen", "t.review"]  # not the phone again
    assert (chat.step, chat.draft.size, chat.session.state) == ("review", 2, {})


@pytest.mark.parametrize("step", ["size", "deliv"])
async def test_an_edit_press_before_the_review_is_stale(chat: Chat, step: str) -> None:
    """An old review's button, or a forged one: it would skip the steps in between."""
    await chat.begin(Order(size=1, toppings=(10,)))
    before = chat.raw

    assert await chat.send(edit(step)) == STALE
    assert chat.raw == before


async def test_an_edit_press_while_editing_is_stale(chat: Chat) -> None:
    await chat.begin(COMPLETE)
    await chat.send(edit("note"))
    before = chat.raw

    assert await chat.send(edit("size")) == STALE
    assert chat.raw == before


@pytest.mark.parametrize(
    "pressed",
    [
        Payload(ORDER, Act.EDIT),  # no step
        payload(ORDER, Act.EDIT, "addr"),  # a step this draft does not ask (no delivery)
    ],
)
async def test_a_forged_edit_press_at_the_review_is_stale(chat: Chat, pressed: Payload) -> None:
    await chat.begin(COMPLETE)
    before = chat.raw

    assert await chat.send(Input(kind=Kind.PRESS, payload=pressed)) == STALE
    assert chat.raw == before


async def test_an_edit_press_in_a_flow_without_a_review_is_stale(chat: Chat) -> None:
    await chat.begin(feature=OTHER)
    before = chat.raw

    assert await chat.send(press("say", Act.EDIT, feature=OTHER)) == STALE
    assert chat.raw == before


async def test_a_restart_while_editing_still_returns_to_the_review(chat: Chat) -> None:
    await chat.begin(COMPLETE)
    await chat.send(edit("size"))

    chat.restart()

    assert keys(await chat.send(press("size", Act.PICK, 2))) == ["t.chosen", "t.review"]
    assert chat.draft.size == 2
