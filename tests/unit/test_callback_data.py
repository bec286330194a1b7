"""Callback data: "v1:<feature>:<action>:<arg>…", at most 64 bytes, parsed in one place."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import CallbackQueryHandler

from handlers.callback_data import (
    MAX_BYTES,
    BadCallback,
    CallbackData,
    PressHandler,
    literal_prefix,
    pack,
    pattern,
    unpack,
)


def test_pack_writes_the_versioned_form() -> None:
    assert pack("lang", "set", "en") == "v1:lang:set:en"
    assert pack("menu", "open") == "v1:menu:open"


@pytest.mark.parametrize(
    "args",
    [(), ("en",), (42,), ("zh-CN", 7, "a_b.c")],
)
def test_pack_then_unpack_round_trips(args: tuple[object, ...]) -> None:
    parsed = unpack(pack("vote", "cast", *args))

    assert parsed == CallbackData("vote", "cast", tuple(str(arg) for arg in args))


def test_int_arg_and_arg_read_arguments() -> None:
    parsed = unpack(pack("report", "photo", 1234, "next"))

    assert parsed.int_arg(0) == 1234
    assert parsed.arg(1) == "next"


@pytest.mark.parametrize("index", [1, 5])
def test_missing_argument_is_bad_callback(index: int) -> None:
    parsed = unpack("v1:report:open:12")

    with pytest.raises(BadCallback):
        parsed.arg(index)
    with pytest.raises(BadCallback):
        parsed.int_arg(index)


def test_non_numeric_argument_is_bad_callback_for_int_arg() -> None:
    with pytest.raises(BadCallback, match="not a number"):
        unpack("v1:report:open:abc").int_arg(0)


@pytest.mark.parametrize("number", [str(2**63), "9" * 40, "-1", "1_000", "+5", "0x10", "1e3", "²"])
def test_a_number_out_of_range_or_oddly_written_is_bad_callback(number: str) -> None:
    with pytest.raises(BadCallback):
        CallbackData("tk", "claim", (number,)).int_arg(0)


def test_int_arg_reads_up_to_sqlites_largest_integer() -> None:
    assert CallbackData("tk", "claim", (str(2**63 - 1),)).int_arg(0) == 2**63 - 1
    assert CallbackData("tk", "claim", ("007",)).int_arg(0) == 7


def test_pack_accepts_exactly_64_bytes_and_refuses_65() -> None:
    prefix = "v1:f:a:"
    fits = "x" * (MAX_BYTES - len(prefix))

    assert len(pack("f", "a", fits)) == MAX_BYTES
    with pytest.raises(ValueError, match="64 bytes"):
        pack("f", "a", fits + "x")


@pytest.mark.parametrize("part", ["", "a:b", "two words", "中文", "a/b", "emoji🙂"])
def test_pack_refuses_parts_telegram_or_unpack_would_refuse(part: str) -> None:
    with pytest.raises(ValueError, match="callback part"):
        pack("lang", "set", part)
    with pytest.raises(ValueError, match="callback part"):
        pack(part, "set")


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "v1",
        "v1:lang",
        "v1:lang:",
        "v1::set",
        "v1:lang:set:",
        "v1:lang:set::en",
        "v1:lang:set:two words",
        "v1:lang:set:中文",
        "v1:lang:set:<script>",
        "v0:lang:set:en",
        "v2:lang:set:en",
        "V1:lang:set:en",
        ":v1:lang:set",
        "v1:f:a:" + "x" * 58,  # 65 bytes
    ],
)
def test_forged_malformed_or_other_version_data_is_bad_callback(data: str | None) -> None:
    with pytest.raises(BadCallback):
        unpack(data)


def test_bad_callback_is_a_value_error() -> None:
    assert issubclass(BadCallback, ValueError)


def test_pattern_matches_only_its_feature() -> None:
    feature = re.compile(pattern("lang"))

    assert feature.match("v1:lang:set:en")
    assert feature.match("v1:lang:open")
    assert not feature.match("v1:language:set:en")
    assert not feature.match("v2:lang:set:en")
    assert not feature.match("x:v1:lang:set")


def test_pattern_with_action_matches_only_that_action() -> None:
    action = re.compile(pattern("lang", "set"))

    assert action.match("v1:lang:set:en")
    assert action.match("v1:lang:set")
    assert not action.match("v1:lang:settings:en")
    assert not action.match("v1:lang:open:en")
    assert not action.match("v1:menu:set:en")


def test_packed_data_matches_its_pattern() -> None:
    assert re.match(pattern("vote", "cast"), pack("vote", "cast", 3, "yes"))


@pytest.mark.parametrize(
    ("regex", "prefix"),
    [
        (r"^v1:mute:tog(:|$)", "v1:mute:tog"),
        (r"^v1:vt:(mk|ml|mu|mx)(:|$)", "v1:vt:"),
        (r"^v1:home:", "v1:home:"),
        (r"^v1:mg:(atu|atc):", "v1:mg:"),
        (r"^v1:ab?c", "v1:a"),  # b is optional: only "v1:a" is certain
        (r"^v1:ab*", "v1:a"),
        (r"^v1:ab{2}", "v1:a"),
        (r"^v1.x", "v1"),
        (r"^\d+", ""),
        (r"v1:mute:", ""),  # not anchored: matches anywhere
        (r"^", ""),
    ],
)
def test_literal_prefix_is_what_every_match_starts_with(regex: str, prefix: str) -> None:
    assert literal_prefix(regex) == prefix


def press(data: str | None) -> Update:
    """An Update holding a button press with `data`, as PTB parses one."""
    return Update.de_json(
        {
            "update_id": 1,
            "callback_query": {
                "id": "q",
                "from": {"id": 7, "is_bot": False, "first_name": "王"},
                "chat_instance": "c",
                **({"data": data} if data is not None else {}),
            },
        },
        None,
    )


@settings(max_examples=300, deadline=None)
@given(
    regex=st.sampled_from(
        [
            pattern("mute", "tog"),
            pattern("vt", "mk"),
            r"^v1:vt:(mk|ml|mu|mx)(:|$)",
            pattern("home"),
            r"^v1:ab?c",
            r"^v1:ab*c",
        ]
    ),
    data=st.one_of(
        st.none(),
        st.text(alphabet="v1:mutogvkhlabcx", max_size=20),
        st.sampled_from(["v1:mute:tog", "v1:mute:tog:notice", "v1:mute:toggle", "v1:vt:ml:3"]),
        st.sampled_from(["v1:ac", "v1:abc", "v1:abbbc", "v1:home:", "v1:vt:mx"]),
    ),
)
def test_press_handler_takes_exactly_what_ptb_takes(regex: str, data: str | None) -> None:
    update = press(data)

    ours = PressHandler(lambda *_: None, pattern=regex).check_update(update)
    ptb = CallbackQueryHandler(lambda *_: None, pattern=regex).check_update(update)

    assert bool(ours) == bool(ptb)
    if isinstance(ptb, re.Match):
        assert isinstance(ours, re.Match)
        assert ours.group(0) == ptb.group(0)
    else:
        assert ours == ptb  # a press without data: PTB lets any pattern take it


def test_press_handler_ignores_what_is_not_a_press() -> None:
    message = Update.de_json(
        {
            "update_id": 2,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 7, "type": "private"},
                "text": "v1:mute:tog",
            },
        },
        None,
    )

    assert not PressHandler(lambda *_: None, pattern=pattern("mute", "tog")).check_update(message)
    assert not PressHandler(lambda *_: None, pattern=pattern("mute")).check_update(object())
