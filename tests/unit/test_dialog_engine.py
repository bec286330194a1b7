"""The dialog engine on a small test flow (tests/unit/order_flow.py): where a flow begins,
going on, Back, Cancel, stale and forged presses, a rule's no, the end, and a restart in the
middle. Editing from the review: test_dialog_editing.py."""

from __future__ import annotations

import pytest

from bot.dialogs.engine import STALE, Act
from bot.dialogs.session import Session
from bot.domain.messages import Attachment
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, payload
from bot.interaction.screen import Keyboard
from tests.unit.dialog_chat import (
    Chat,
    edit,
    keys,
    nav,
    options,
    photo,
    press,
    typed,
)
from tests.unit.order_flow import (
    COMPLETE,
    ORDER,
    OTHER,
    USER,
    Order,
)


@pytest.fixture
def chat() -> Chat:
    return Chat()


# ---------------------------------------------------------------------------- beginning


async def test_a_flow_begins_at_its_first_step_with_an_empty_draft(chat: Chat) -> None:
    begun = await chat.begin()

    assert keys(begun) == ["t.ask_size"]
    assert (chat.step, chat.draft, chat.session.state) == ("size", Order(), {})
    assert chat.session.flow is ORDER


@pytest.mark.parametrize(
    ("draft", "step"),
    [
        (Order(size=1), "tops"),
        (Order(size=1, toppings=(10,)), "deliv"),
        (Order(size=1, toppings=(10,), delivery=True), "addr"),
        (Order(size=1, toppings=(10,), delivery=False), "note"),  # no address to ask
        (Order(size=1, toppings=(10,), delivery=True, address="1号楼"), "note"),
        (Order(toppings=(10,), delivery=False), "size"),  # the first unanswered, not the last
        (COMPLETE, "review"),
    ],
)
async def test_a_flow_begins_at_the_first_step_that_applies_and_is_unanswered(
    chat: Chat, draft: Order, step: str
) -> None:
    await chat.begin(draft)

    assert (chat.step, chat.draft) == (step, draft)


async def test_beginning_replaces_the_open_flow(chat: Chat) -> None:
    await chat.begin(Order(size=2))
    await chat.begin(feature=OTHER)

    assert (chat.session.flow, chat.step) == (OTHER, "say")
    assert await chat.send(press("tops", Act.TOGGLE, 10)) == STALE  # the order's buttons


async def test_a_flow_that_cannot_ask_its_step_ends_politely(chat: Chat) -> None:
    chat.kitchen.sizes = []  # the step's options say no

    begun = await chat.begin()

    assert keys(begun) == ["t.closed"]
    assert chat.raw is None


# ---------------------------------------------------------------------------- going on


async def test_an_answer_goes_on_to_the_next_step_after_what_it_says(chat: Chat) -> None:
    await chat.begin()

    answer = await chat.send(press("size", Act.PICK, 2))

    assert keys(answer) == ["t.chosen", "t.ask_toppings"]
    assert answer is not None
    said, asked = answer.screens
    assert (said.replace, asked.replace) == (True, False)  # said in place, asked below it
    assert (chat.step, chat.draft) == ("tops", Order(size=2))


async def test_a_step_that_does_not_apply_is_passed_over(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,)))

    assert keys(await chat.send(press("deliv", Act.PICK, "no"))) == ["t.ask_note"]
    assert chat.step == "note"


async def test_a_step_with_nothing_to_ask_is_passed_over(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=False))

    answer = await chat.send(photo("p9", caption="放门口"))

    assert keys(answer) == ["t.ask_phone"]  # no "more photos?": the note came with one
    assert chat.step == "phone"
    assert chat.draft.photo == Attachment(kind="photo", ref="p9")


async def test_stay_keeps_the_step_the_draft_and_the_state(chat: Chat) -> None:
    await chat.begin(Order(size=1))
    await chat.send(press("tops", Act.TOGGLE, 11))
    before = chat.raw

    answer = await chat.send(typed("料1"))

    assert keys(answer) == ["reg.use_buttons"]
    assert chat.raw == before
    assert chat.session.state == {"ticks": [11]}


async def test_redo_keeps_the_new_draft_and_its_state_on_the_same_step(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=False, note="门口"))

    first = await chat.send(photo("p1"))
    second = await chat.send(photo("p2"))

    assert first is not None
    assert second is not None
    assert first.screens[0].texts[0].params == {"received": 1}
    assert second.screens[0].texts[0].params == {"received": 2}
    assert (chat.step, chat.draft.pics, chat.session.state) == (
        "pics",
        ("p1", "p2"),
        {"received": 2},
    )
    assert keys(await chat.send(typed("够了"))) == ["t.photos_only"]
    assert chat.session.state == {"received": 2}  # a retry keeps it
    assert keys(await chat.send(press("pics", Act.PICK, "enough"))) == ["t.ask_phone"]
    assert chat.draft.pics_done


# ---------------------------------------------------------------------------- Back


@pytest.mark.parametrize(("delivery", "previous"), [(False, "deliv"), (True, "addr")])
async def test_back_goes_to_the_previous_step_that_applies(
    chat: Chat, delivery: bool, previous: str
) -> None:
    draft = Order(size=1, toppings=(10,), delivery=delivery, address="1号" if delivery else None)
    await chat.begin(draft)

    answer = await chat.send(nav(Act.BACK))

    assert chat.step == previous
    assert keys(answer) == [f"t.ask_{'address' if delivery else 'delivery'}"]
    assert chat.draft == draft  # the answers are kept


async def test_back_passes_over_a_step_with_nothing_to_ask(chat: Chat) -> None:
    draft = Order(
        size=1,
        toppings=(10,),
        delivery=False,
        note="门口",
        photo=Attachment(kind="photo", ref="p"),
    )
    await chat.begin(draft)
    assert chat.step == "phone"

    await chat.send(typed("« 返回"))

    assert chat.step == "note"  # not "pics", which asks nothing after a note with its photo


async def test_back_from_the_first_step_stays_there(chat: Chat) -> None:
    await chat.begin(Order(toppings=(10,)))

    answer = await chat.send(nav(Act.BACK))

    assert keys(answer) == ["t.ask_size"]
    assert (chat.step, chat.draft) == ("size", Order(toppings=(10,)))


# ---------------------------------------------------------------------------- Cancel


async def test_cancel_pressed_says_so_in_place_and_drops_the_session(chat: Chat) -> None:
    await chat.begin(Order(size=1))

    answer = await chat.send(nav(Act.CANCEL))

    assert keys(answer) == ["t.cancelled"]
    assert answer is not None
    assert (answer.screens[0].replace, answer.screens[0].keyboard) == (True, Keyboard.KEEP)
    assert chat.raw is None
    assert await chat.send(press("tops", Act.TOGGLE, 10)) == STALE  # its buttons are old now
    assert await chat.send(typed("料0")) is None  # words are no flow's


@pytest.mark.parametrize("word", ["✖ 取消", "✖ Cancel"])
async def test_cancel_typed_says_so_with_the_main_menu(chat: Chat, word: str) -> None:
    await chat.begin(COMPLETE.model_copy(update={"phone_asked": False}))
    assert chat.step == "phone"

    answer = await chat.send(typed(word))

    assert keys(answer) == ["t.cancelled"]
    assert answer is not None
    assert (answer.screens[0].replace, answer.screens[0].keyboard) == (False, Keyboard.MAIN_MENU)
    assert chat.raw is None


async def test_cancel_command_ends_the_open_flow_and_nothing_when_none(chat: Chat) -> None:
    await chat.begin(Order(size=1))

    answer = await chat.dialogs.cancel(chat.ctx, pressed=False)

    assert keys(answer) == ["t.cancelled"]
    assert chat.raw is None
    assert await chat.dialogs.cancel(chat.ctx, pressed=False) is None


# ---------------------------------------------------------------------------- stale and forged


@pytest.mark.parametrize(
    "given",
    [
        press("size", Act.PICK, 1),  # an earlier step's button
        press("review", Act.PICK, "ok"),  # a later step's
        press("say", Act.PICK, "x", feature=OTHER),  # another flow's step
        nav(Act.CANCEL, feature=OTHER),  # another flow's Cancel
        nav(Act.BACK, feature=OTHER),
        Input(kind=Kind.PRESS, payload=payload(ORDER, Act.TOGGLE)),  # no step named
        press("nope", Act.TOGGLE, 10),  # a step there is none of
    ],
)
async def test_a_press_for_another_step_or_flow_is_stale_and_changes_nothing(
    chat: Chat, given: Input
) -> None:
    await chat.begin(Order(size=1))
    await chat.send(press("tops", Act.TOGGLE, 12))
    before = chat.raw

    assert await chat.send(given) == STALE
    assert chat.raw == before


@pytest.mark.parametrize(
    "given",
    [
        press("tops", Act.TOGGLE, 2**63),  # past SQLite's largest integer
        press("tops", Act.TOGGLE, -1),
        press("tops", Act.TOGGLE, "abc"),
        press("tops", Act.TOGGLE, "1e3"),
        press("tops", Act.TOGGLE),  # no argument
        press("tops", Act.TOGGLE, 99),  # not offered
        press("tops", Act.TOGGLE, 1),  # a size's id, not a topping's
        press("tops", Act.PAGE, "x"),
        press("tops", Act.PAGE, 2**63),
        press("tops", Act.PICK, 10),  # an act the step has no button for
        press("tops", Act.SKIP),
        press("tops", Act.CONFIRM),
        edit("nope"),  # no such step
        edit("review"),  # the review itself
    ],
)
async def test_forged_arguments_are_stale_and_change_nothing(chat: Chat, given: Input) -> None:
    await chat.begin(Order(size=1))
    await chat.send(press("tops", Act.TOGGLE, 12))
    before = chat.raw

    assert await chat.send(given) == STALE
    assert chat.raw == before


async def test_presses_that_are_not_a_flows_are_left_to_their_features(chat: Chat) -> None:
    await chat.begin(Order(size=1))
    before = chat.raw

    assert await chat.send(Input(kind=Kind.PRESS, payload=payload(Feature.VOTE, Act.PICK))) is None
    assert await chat.send(Input(kind=Kind.PRESS, payload=payload(ORDER, "stop", 3))) is None
    assert chat.raw == before


async def test_without_an_open_flow_a_step_press_is_stale_and_words_are_not_taken(
    chat: Chat,
) -> None:
    assert await chat.send(press("size", Act.PICK, 1)) == STALE
    assert await chat.send(nav(Act.CANCEL)) == STALE
    assert await chat.send(typed("小份")) is None
    assert chat.raw is None


# ---------------------------------------------------------------------------- a rule says no


async def test_a_rule_saying_no_to_a_press_alerts_and_changes_nothing(chat: Chat) -> None:
    await chat.begin()
    before = chat.raw

    answer = await chat.send(press("size", Act.PICK, 3))

    assert answer is not None
    assert (answer.screens, answer.alert) == ((), True)
    assert answer.notice is not None
    assert answer.notice.key == "t.sold_out"
    assert answer.notice.params == {"size": "大份"}
    assert chat.raw == before


@pytest.mark.parametrize(
    ("words", "key", "params"),
    [
        ("一二三四五六七八九十一", "error.too_long", {"limit": "10"}),
        (" \n\u200b ", "error.blank", {}),
    ],
)
async def test_a_rule_saying_no_to_typed_words_asks_again(
    chat: Chat, words: str, key: str, params: dict[str, str]
) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=True))
    before = chat.raw

    answer = await chat.send(typed(words))

    assert keys(answer) == [key]
    assert answer is not None
    assert answer.screens[0].texts[0].params == params
    assert answer.screens[0].replace is False  # below the person's words
    assert chat.raw == before


# ---------------------------------------------------------------------------- the end


async def test_a_step_may_end_the_flow(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,)))

    answer = await chat.send(press("deliv", Act.PICK, "later"))

    assert keys(answer) == ["t.see_you"]
    assert chat.raw is None
    assert chat.kitchen.orders == []


async def test_the_whole_flow_from_the_first_step_to_the_order(chat: Chat) -> None:
    await chat.begin()
    await chat.send(press("size", Act.PICK, 1))
    await chat.send(press("tops", Act.TOGGLE, 13))
    await chat.send(press("tops", Act.DONE))
    await chat.send(press("deliv", Act.PICK, "yes"))
    await chat.send(typed(" 3号楼2单元 "))
    await chat.send(typed("少放辣"))
    await chat.send(photo("p1"))
    await chat.send(press("pics", Act.PICK, "enough"))
    assert keys(await chat.send(Input(kind=Kind.CONTACT, phone="13800000000"))) == ["t.review"]

    done = await chat.send(press("review", Act.PICK, "ok"))

    assert keys(done) == ["t.ordered"]
    assert done is not None
    assert done.notice is not None
    assert done.notice.key == "t.ok"
    assert chat.raw is None
    assert chat.kitchen.orders == [
        Order(
            size=1,
            toppings=(13,),
            delivery=True,
            address="3号楼2单元",
            note="少放辣",
            pics=("p1",),
            pics_done=True,
            phone="13800000000",
            phone_asked=True,
        )
    ]


async def test_a_rule_saying_no_at_the_finish_ends_with_the_main_menu(chat: Chat) -> None:
    chat.kitchen.closed = True
    await chat.begin(COMPLETE)

    answer = await chat.send(press("review", Act.PICK, "ok"))

    assert keys(answer) == ["t.closed"]
    assert answer is not None
    assert answer.screens[0].keyboard is Keyboard.MAIN_MENU
    assert chat.raw is None
    assert chat.kitchen.orders == []


# ---------------------------------------------------------------------------- a restart


async def test_a_restart_resumes_at_the_same_step_with_the_same_draft_and_state(
    chat: Chat,
) -> None:
    await chat.begin(Order(size=1))
    await chat.send(press("tops", Act.TOGGLE, 10))
    await chat.send(press("tops", Act.PAGE, 1))
    before = chat.raw
    assert before is not None

    chat.restart()
    assert await chat.dialogs.session(USER) == Session.model_validate_json(before)
    answer = await chat.send(press("tops", Act.TOGGLE, 12))

    assert answer is not None
    shown = [o.literal for o in options(answer.screens[0]) if o.payload.action == Act.TOGGLE]
    assert shown == ["✅ 料2", "料3"]  # still on page 2, 料0 still ticked
    assert chat.session.state == {"ticks": [10, 12], "page": 1}
    assert chat.step == "tops"
    await chat.send(press("tops", Act.DONE))
    assert (chat.step, chat.draft.toppings) == ("deliv", (10, 12))


@pytest.mark.parametrize(
    "left",
    [
        '{"flow":"zz","step":"size","draft":{},"state":{}}',  # a flow no version knows
        '{"flow":"od","step":"gone","draft":{},"state":{}}',  # a step since removed
        '{"flow":"od","step":"size","draft":{"size":"huge"},"state":{}}',  # a changed field
    ],
    ids=["flow", "step", "draft"],
)
async def test_a_session_an_older_version_left_unreadable_is_dropped(
    chat: Chat, left: str
) -> None:
    chat.store.rows[USER.id] = left.replace('"od"', f'"{ORDER.value}"')
    chat.restart()

    assert await chat.send(typed("hello")) is None  # not for a flow: the router goes on
    assert chat.raw is None
    assert await chat.send(press("size", Act.PICK, 1)) == STALE
