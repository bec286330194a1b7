"""The renderer of a channel without buttons: options as numbered lines, answered by the
number or by the option's words."""

from __future__ import annotations

import pytest

from bot.domain.messages import Attachment
from bot.domain.models import Language
from bot.interaction.inputs import Input, Kind
from bot.interaction.payload import Feature, Payload, payload
from bot.interaction.plain import PlainText, to_plain
from bot.interaction.screen import Keyboard, Reply, option, reply, screen, text

A, B = 1, 2
PICK_1 = payload(Feature.BROADCAST, "pick", "kind", "community")
PICK_2 = payload(Feature.BROADCAST, "pick", "kind", "buildings")
BACK = payload(Feature.BROADCAST, "bk")
CANCEL = payload(Feature.BROADCAST, "x")

KINDS = reply(
    screen(
        text("bc.ask_kind"),
        options=(
            (option(PICK_1, "bc.kind_community"), option(PICK_2, "bc.kind_buildings")),
            (option(BACK, "reg.back"), option(CANCEL, "reg.cancel")),
        ),
    )
)


def pressing(pressed: Payload) -> Input:
    return Input(kind=Kind.PRESS, payload=pressed)


def test_options_are_numbered_one_a_line_after_the_words() -> None:
    shown = PlainText().show(A, Language.EN, KINDS)

    assert shown == [
        "Who should receive it?\n1. 🏙 Whole community\n2. 🏢 Buildings\n3. « Back\n4. ✖ Cancel"
    ]


def test_the_numbering_runs_on_across_the_screens_of_a_reply_after_its_notice() -> None:
    two = Reply(
        screens=(
            screen(text("dialog.words", words="甲"), options=((option(PICK_1, literal="一号"),),)),
            screen(text("dialog.words", words="乙"), options=((option(PICK_2, literal="二号"),),)),
        ),
        notice=text("error.stale_button"),
    )

    shown = PlainText().show(A, Language.ZH, two)

    assert shown[1:] == ["甲\n1. 一号", "乙\n2. 二号"]
    assert shown[0].startswith("这个按钮")  # the notice comes first, as words


@pytest.mark.parametrize("language", list(Language))
def test_an_option_is_answered_by_its_number(language: Language) -> None:
    plain = PlainText()
    plain.show(A, language, KINDS)

    assert plain.understand(A, "2") == pressing(PICK_2)
    assert plain.understand(A, " 4 ") == pressing(CANCEL)


def test_a_full_width_number_answers_too() -> None:
    """What a Chinese keyboard types."""
    plain = PlainText()
    plain.show(A, Language.ZH, KINDS)

    assert plain.understand(A, "１") == pressing(PICK_1)


@pytest.mark.parametrize(
    ("language", "words", "pressed"),
    [
        (Language.EN, "🏢 Buildings", PICK_2),
        (Language.EN, "  ✖ Cancel ", CANCEL),
        (Language.ZH, "« 返回", BACK),
        (Language.ZH, "🏙 整个社区", PICK_1),
    ],
)
def test_an_option_is_answered_by_its_words(
    language: Language, words: str, pressed: Payload
) -> None:
    plain = PlainText()
    plain.show(A, language, KINDS)

    assert plain.understand(A, words) == pressing(pressed)


@pytest.mark.parametrize("words", ["0", "5", "99", "-1", "1.0", "2 号", "Buildings", "🏢"])
def test_anything_else_stays_words(words: str) -> None:
    plain = PlainText()
    plain.show(A, Language.EN, KINDS)

    assert plain.understand(A, words) == Input(kind=Kind.TEXT, text=words)


def test_before_anything_is_shown_numbers_are_words() -> None:
    assert PlainText().understand(A, "1") == Input(kind=Kind.TEXT, text="1")


def test_each_person_answers_their_own_options() -> None:
    plain = PlainText()
    plain.show(A, Language.EN, KINDS)
    plain.show(
        B,
        Language.EN,
        reply(screen(text("bc.ask_kind"), options=((option(CANCEL, "reg.cancel"),),))),
    )

    assert plain.understand(A, "1") == pressing(PICK_1)
    assert plain.understand(B, "1") == pressing(CANCEL)
    assert plain.understand(B, "2") == Input(kind=Kind.TEXT, text="2")


def test_new_options_replace_the_old_but_a_reply_without_options_keeps_them() -> None:
    plain = PlainText()
    plain.show(A, Language.EN, KINDS)

    plain.show(A, Language.EN, reply(screen(text("reg.use_buttons"))))
    assert plain.understand(A, "2") == pressing(PICK_2)  # a retry: the choices stand

    plain.show(
        A, Language.EN, reply(screen(text("bc.ask_kind"), options=((option(BACK, "reg.back"),),)))
    )
    assert plain.understand(A, "1") == pressing(BACK)
    assert plain.understand(A, "2") == Input(kind=Kind.TEXT, text="2")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (Language.ZH, ["跳过，不分享", "« 返回", "✖ 取消"]),
        (Language.EN, ["Skip, do not share", "« Back", "✖ Cancel"]),
    ],
)
def test_the_share_phone_keyboard_is_offered_as_words_to_type(
    language: Language, words: list[str]
) -> None:
    plain = PlainText()
    asked = reply(screen(text("reg.ask_phone"), keyboard=Keyboard.CONTACT))

    shown = plain.show(A, language, asked)

    assert shown[0].splitlines()[1:] == [f"{n}. {w}" for n, w in enumerate(words, start=1)]
    assert plain.understand(A, "1") == Input(kind=Kind.TEXT, text=words[0])
    assert plain.understand(A, words[1]) == Input(kind=Kind.TEXT, text=words[1])


def test_files_are_named_by_their_kind() -> None:
    photo = Attachment(kind="photo", ref="p1")
    album = (Attachment(kind="document", ref="d1"), Attachment(kind="photo", ref="p2"))

    shown = PlainText().show(
        A,
        Language.EN,
        reply(screen(text("dialog.words", words="看图"), attachment=photo, album=album)),
    )

    assert shown == ["看图\n[photo]\n[document]\n[photo]"]


def test_markup_is_dropped_and_a_persons_own_brackets_are_kept() -> None:
    shown = PlainText().show(
        A, Language.EN, reply(screen(text("dialog.pre", words="<b>a</b> & b")))
    )

    assert shown == ["<b>a</b> & b"]  # the <pre> is the catalog's, the words are the person's
    assert to_plain("<b>x</b> &lt;y&gt; &amp;") == "x <y> &"
