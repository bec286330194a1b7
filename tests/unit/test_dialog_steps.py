"""The step kinds (Pick, PickMany, Ask, Phone) on the test flow of tests/unit/order_flow.py:
their buttons, paging, ticks, typed words within limits, files with captions, the phone."""

from __future__ import annotations

import pytest

from bot.dialogs.engine import EDITING, STALE, Act, Advance
from bot.dialogs.steps import Answer, Ask, advance, answer
from bot.domain.messages import Attachment
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import MAX_INT, Payload, payload
from bot.interaction.screen import Keyboard, Reply, Screen, screen, text
from tests.unit.dialog_chat import (
    Chat,
    keys,
    nav,
    options,
    photo,
    press,
    pressed,
    typed,
)
from tests.unit.order_flow import (
    ADDRESS_LIMIT,
    COMPLETE,
    FLOWS,
    NOTE_LIMIT,
    ORDER,
    Order,
    ask_pics,
    asks,
)

NAV = [payload(ORDER, Act.BACK), payload(ORDER, Act.CANCEL)]
AT_PHONE = COMPLETE.model_copy(update={"phone_asked": False})


@pytest.fixture
def chat() -> Chat:
    return Chat()


def only(answer: Reply | None) -> Screen:
    """The one screen of a reply."""
    assert answer is not None
    [shown] = answer.screens
    return shown


def words_on(shown: Screen) -> list[str]:
    """What each button says (literal words, or the catalog key)."""
    return [choice.literal or choice.key for choice in options(shown)]


# ---------------------------------------------------------------------------- Pick


async def test_pick_shows_a_page_of_options_then_paging_then_cancel(chat: Chat) -> None:
    shown = only(await chat.begin())

    assert [len(row) for row in shown.options] == [1, 1, 3, 1]  # one a column, two a page
    assert words_on(shown) == ["小份", "中份", "reg.prev", "1/2", "reg.next", "reg.cancel"]
    assert pressed(shown) == [
        payload(ORDER, Act.PICK, "size", 1),
        payload(ORDER, Act.PICK, "size", 2),
        payload(ORDER, Act.PAGE, "size", 1),  # ‹ wraps round to the last page
        payload(ORDER, Act.PAGE, "size", 0),
        payload(ORDER, Act.PAGE, "size", 1),
        payload(ORDER, Act.CANCEL),  # no Back on the first step
    ]


async def test_pick_turns_pages_and_remembers_the_page(chat: Chat) -> None:
    await chat.begin()

    shown = only(await chat.send(press("size", Act.PAGE, 1)))

    assert words_on(shown)[:2] == ["大份", "reg.prev"]
    assert chat.session.state == {"page": 1}
    assert chat.step == "size"
    assert only(await chat.send(press("size", Act.PAGE, MAX_INT))).options[1][1].literal == "2/2"
    assert chat.session.state == {"page": MAX_INT}  # shown as the last page


async def test_pick_takes_an_offered_option_on_any_page(chat: Chat) -> None:
    await chat.begin()
    await chat.send(press("size", Act.PAGE, 1))

    await chat.send(press("size", Act.PICK, 2))

    assert (chat.step, chat.draft.size) == ("tops", 2)


async def test_pick_refuses_an_option_no_longer_offered(chat: Chat) -> None:
    await chat.begin()
    chat.kitchen.sizes = chat.kitchen.sizes[:1]

    assert await chat.send(press("size", Act.PICK, 2)) == STALE
    assert chat.draft.size is None


@pytest.mark.parametrize(
    "given",
    [typed("小份"), typed("1"), photo(), Input(kind=Kind.CONTACT, phone="13800000000")],
)
async def test_pick_asks_for_its_buttons_when_given_anything_else(
    chat: Chat, given: Input
) -> None:
    await chat.begin()

    shown = only(await chat.send(given))

    assert shown.texts == (text("reg.use_buttons"),)
    assert shown.replace is False
    assert chat.step == "size"


# ---------------------------------------------------------------------------- PickMany


async def test_pick_many_ticks_pages_and_counts(chat: Chat) -> None:
    shown = only(await chat.begin(Order(size=1)))
    assert words_on(shown)[:6] == ["料0", "料1", "reg.prev", "1/3", "reg.next", "bc.done"]
    assert [c.params for c in options(shown) if c.key == "bc.done"] == [{"count": 0}]
    assert pressed(shown)[-2:] == NAV  # Back and Cancel after Done

    ticked = only(await chat.send(press("tops", Act.TOGGLE, 11)))
    assert words_on(ticked)[:2] == ["料0", "✅ 料1"]
    turned = only(await chat.send(press("tops", Act.PAGE, 2)))
    assert words_on(turned)[:1] == ["料4"]  # the last page holds one
    more = only(await chat.send(press("tops", Act.TOGGLE, 14)))

    assert words_on(more)[0] == "✅ 料4"
    assert [c.params for c in options(more) if c.key == "bc.done"] == [{"count": 2}]
    assert chat.session.state == {"ticks": [11, 14], "page": 2}
    assert chat.draft.toppings == ()  # ticks stay in the step until Done


async def test_pick_many_unticks_a_second_press(chat: Chat) -> None:
    await chat.begin(Order(size=1))
    await chat.send(press("tops", Act.TOGGLE, 10))

    shown = only(await chat.send(press("tops", Act.TOGGLE, 10)))

    assert words_on(shown)[0] == "料0"
    assert chat.session.state == {"ticks": []}


async def test_pick_many_done_needs_one_ticked(chat: Chat) -> None:
    await chat.begin(Order(size=1))
    before = chat.raw

    answer = await chat.send(press("tops", Act.DONE))

    assert answer is not None
    assert (answer.screens, answer.alert) == ((), True)
    assert answer.notice == text("bc.pick_one")
    assert chat.raw == before


async def test_pick_many_done_takes_the_ticks_in_order(chat: Chat) -> None:
    await chat.begin(Order(size=1))
    for topping in (13, 10, 12):
        await chat.send(press("tops", Act.TOGGLE, topping))

    await chat.send(press("tops", Act.DONE))

    assert (chat.step, chat.draft.toppings) == ("deliv", (13, 10, 12))


async def test_pick_many_starts_from_the_drafts_ticks(chat: Chat) -> None:
    """Back to the step (or an edit): what was chosen is ticked already."""
    await chat.begin(Order(size=1, toppings=(10, 11)))
    shown = only(await chat.send(nav(Act.BACK)))
    assert chat.step == "tops"

    assert words_on(shown)[:2] == ["✅ 料0", "✅ 料1"]
    await chat.send(press("tops", Act.TOGGLE, 10))
    await chat.send(press("tops", Act.DONE))
    assert chat.draft.toppings == (11,)


# ---------------------------------------------------------------------------- Ask


async def test_ask_shows_its_answers_then_back_and_cancel(chat: Chat) -> None:
    shown = only(await chat.begin(Order(size=1, toppings=(10,))))

    assert [len(row) for row in shown.options] == [2, 1, 2]
    assert words_on(shown) == ["t.yes", "t.no", "t.later", "reg.back", "reg.cancel"]
    assert pressed(shown)[:3] == [
        payload(ORDER, Act.PICK, "deliv", "yes"),
        payload(ORDER, Act.PICK, "deliv", "no"),
        payload(ORDER, Act.PICK, "deliv", "later"),
    ]


@pytest.mark.parametrize("args", [("deliv", "maybe"), ("deliv", "YES"), ("deliv",)])
async def test_ask_refuses_an_answer_it_does_not_offer(chat: Chat, args: tuple[str, ...]) -> None:
    await chat.begin(Order(size=1, toppings=(10,)))
    before = chat.raw

    assert await chat.send(Input(kind=Kind.PRESS, payload=Payload(ORDER, Act.PICK, args))) == STALE
    assert chat.raw == before


async def test_ask_with_buttons_only_takes_no_typed_words(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,)))

    assert keys(await chat.send(typed("yes"))) == ["reg.use_buttons"]
    assert chat.step == "deliv"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("  1号楼  ", "1号楼"),
        ("一" * ADDRESS_LIMIT, "一" * ADDRESS_LIMIT),  # exactly the limit
        ("\n2号楼 3单元\n", "2号楼 3单元"),
    ],
)
async def test_ask_takes_typed_words_trimmed_up_to_the_limit(
    chat: Chat, sent: str, kept: str
) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=True))

    await chat.send(typed(sent))

    assert (chat.step, chat.draft.address) == ("note", kept)


async def test_ask_refuses_words_one_past_the_limit(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=True))

    shown = only(await chat.send(typed("一" * (ADDRESS_LIMIT + 1))))

    assert shown.texts == (text("error.too_long", limit=str(ADDRESS_LIMIT)),)
    assert chat.step == "addr"


@pytest.mark.parametrize(
    "given",
    [
        photo("p1"),  # a step that takes no files
        Input(kind=Kind.VOICE, media=Attachment(kind="voice", ref="v1")),
        Input(kind=Kind.OTHER),
    ],
)
async def test_ask_says_what_it_takes_when_given_anything_else(chat: Chat, given: Input) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=True))

    assert keys(await chat.send(given)) == ["t.text_only"]
    assert chat.step == "addr"


async def test_ask_takes_a_file_with_its_caption(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=False))

    await chat.send(photo("p7", caption=" 放门口 "))

    assert (chat.draft.note, chat.draft.photo) == ("放门口", Attachment(kind="photo", ref="p7"))


async def test_ask_refuses_a_file_without_its_caption_or_with_too_long_a_one(chat: Chat) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=False))

    assert keys(await chat.send(photo("p7"))) == ["t.caption_missing"]
    assert keys(await chat.send(photo("p7", "长" * (NOTE_LIMIT + 1)))) == ["error.too_long"]
    assert (chat.step, chat.draft.photo) == ("note", None)


@pytest.mark.parametrize(
    "given",
    [
        Input(kind=Kind.DOCUMENT, text="说明", media=Attachment(kind="document", ref="d1")),
        Input(kind=Kind.VOICE, media=Attachment(kind="voice", ref="v1")),
    ],
)
async def test_ask_refuses_files_of_other_kinds(chat: Chat, given: Input) -> None:
    await chat.begin(Order(size=1, toppings=(10,), delivery=False))

    assert keys(await chat.send(given)) == ["t.note_wrong"]
    assert chat.step == "note"


async def test_ask_offers_back_unless_its_flow_says_no_but_always_while_editing(
    chat: Chat,
) -> None:
    step = Ask[Order](name="x", prompt=asks("t.x"), back=lambda order: order.size is None)
    flow = FLOWS[ORDER]

    with_back = await step.ask(chat.ctx, flow, Order(), {})
    without = await step.ask(chat.ctx, flow, Order(size=1), {})
    editing = await step.ask(chat.ctx, flow, Order(size=1), {EDITING: True})

    assert with_back is not None
    assert pressed(with_back) == NAV
    assert without is not None
    assert pressed(without) == NAV[1:]
    assert editing is not None
    assert pressed(editing) == NAV


async def test_ask_with_no_prompt_for_a_draft_asks_nothing(chat: Chat) -> None:
    step = Ask[Order](name="x", prompt=ask_pics)
    with_photo = Order(photo=Attachment(kind="photo", ref="p"))

    assert await step.ask(chat.ctx, FLOWS[ORDER], with_photo, {}) is None
    assert await step.ask(chat.ctx, FLOWS[ORDER], Order(), {}) is not None


# ---------------------------------------------------------------------------- Phone


async def test_phone_asks_with_the_share_my_phone_keyboard(chat: Chat) -> None:
    shown = only(await chat.begin(AT_PHONE))

    assert shown.texts == (text("t.ask_phone"),)
    assert (shown.keyboard, shown.replace, shown.options) == (Keyboard.CONTACT, False, ())


async def test_phone_takes_ones_own_number(chat: Chat) -> None:
    await chat.begin(AT_PHONE)

    await chat.send(Input(kind=Kind.CONTACT, phone="13800000000", own=True))

    assert (chat.step, chat.draft.phone, chat.draft.phone_asked) == ("review", "13800000000", True)


async def test_phone_refuses_someone_elses_number(chat: Chat) -> None:
    await chat.begin(AT_PHONE)

    shown = only(await chat.send(Input(kind=Kind.CONTACT, phone="13900000000", own=False)))

    assert shown.texts == (text("reg.own_phone_only"),)
    assert (shown.keyboard, shown.replace) == (Keyboard.CONTACT, False)
    assert (chat.step, chat.draft.phone) == ("phone", None)


@pytest.mark.parametrize("word", ["跳过，不分享", "Skip, do not share", "  跳过，不分享 "])
async def test_phone_may_be_skipped_in_either_language(chat: Chat, word: str) -> None:
    await chat.begin(AT_PHONE)

    await chat.send(typed(word))

    assert (chat.step, chat.draft.phone, chat.draft.phone_asked) == ("review", None, True)


@pytest.mark.parametrize("word", ["« 返回", "« Back"])
async def test_phone_goes_back_by_the_words_of_its_button(chat: Chat, word: str) -> None:
    await chat.begin(AT_PHONE)

    await chat.send(typed(word))

    assert chat.step == "pics"


@pytest.mark.parametrize("given", [typed("13800000000"), photo(), Input(kind=Kind.OTHER)])
async def test_phone_asks_for_its_buttons_when_given_anything_else(
    chat: Chat, given: Input
) -> None:
    await chat.begin(AT_PHONE)

    shown = only(await chat.send(given))

    assert shown.texts == (text("reg.phone_buttons"),)
    assert shown.keyboard is Keyboard.CONTACT
    assert (chat.step, chat.draft.phone) == ("phone", None)


async def test_phone_has_no_buttons_to_press(chat: Chat) -> None:
    await chat.begin(AT_PHONE)
    before = chat.raw

    assert await chat.send(press("phone", Act.PICK, 1)) == STALE
    assert chat.raw == before


# ---------------------------------------------------------------------------- helpers


def test_answer_and_advance_build_their_values() -> None:
    assert answer(1, "t.yes", n=2) == Answer("1", "t.yes", "", (("n", 2),))
    assert answer("a", literal="甲") == Answer("a", "", "甲")
    said = screen(text("t.chosen"))
    assert advance(Order(size=1), said) == Advance(Order(size=1), (said,))
