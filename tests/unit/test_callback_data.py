"""Callback data: "v1:<feature>:<action>:<arg>…", at most 64 bytes, parsed in one place."""

from __future__ import annotations

import re

import pytest

from handlers.callback_data import MAX_BYTES, BadCallback, CallbackData, pack, pattern, unpack


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
