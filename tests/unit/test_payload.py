"""A button's payload: "v1:<feature>:<action>:<arg>…", at most 64 bytes, numbers bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.interaction.payload import (
    MAX_BYTES,
    MAX_INT,
    Feature,
    Payload,
    StaleButton,
    decode,
    payload,
)

PREFIX = "v1:bc:x:"  # 8 bytes before the first argument


def test_a_payload_is_written_in_its_versioned_form() -> None:
    assert payload(Feature.BROADCAST, "pick", "kind", 3).encode() == "v1:bc:pick:kind:3"
    assert payload(Feature.REPORT, "x").encode() == "v1:rf:x"


def test_a_payload_fits_in_64_bytes_and_not_one_more() -> None:
    fits = payload(Feature.BROADCAST, "x", "a" * (MAX_BYTES - len(PREFIX)))
    assert len(fits.encode()) == MAX_BYTES
    assert decode(fits.encode()) == fits

    too_long = payload(Feature.BROADCAST, "x", "a" * (MAX_BYTES - len(PREFIX) + 1))
    with pytest.raises(ValueError, match="64 bytes"):
        too_long.encode()
    with pytest.raises(StaleButton):
        decode(PREFIX + "a" * (MAX_BYTES - len(PREFIX) + 1))


@pytest.mark.parametrize("part", ["", "a:b", "a b", "名", "a/b", "1\n"])
def test_a_part_holds_only_plain_characters(part: str) -> None:
    with pytest.raises(ValueError, match=r"must be"):
        payload(Feature.BROADCAST, "x", part).encode()


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "v1:bc",  # no action
        "v2:bc:x",  # another version
        "bc:x:1",
        "v1:zz:x",  # no such feature
        "v1:bc:x:",  # an empty argument
        "v1:bc:x:a b",
        "v1:bc:x:名字",
        "v1:" + "b" * 70,
        "v1:bc:x:1\n",  # a line break after a part
        "v1:bc\n:x",
    ],
)
def test_anything_else_on_a_button_is_stale(data: str | None) -> None:
    with pytest.raises(StaleButton):
        decode(data)


@pytest.mark.parametrize(
    ("written", "number"),
    [("0", 0), ("7", 7), ("007", 7), (str(MAX_INT), MAX_INT), ("0" * 18 + "1", 1)],
)
def test_a_number_from_0_to_sqlites_largest_integer(written: str, number: int) -> None:
    assert Payload(Feature.TICKET, "claim", (written,)).number(0) == number


@pytest.mark.parametrize(
    "written",
    [
        str(MAX_INT + 1),
        "9" * 40,
        "0" * 19 + "1",  # twenty digits, whatever they are worth
        "-1",
        "+5",
        "1_000",
        "0x10",
        "1e3",
        " 1",
        "²",
        "١",  # Arabic-Indic one
        "１",  # full-width one
        "",
        "abc",
    ],
)
def test_any_other_number_is_stale(written: str) -> None:
    with pytest.raises(StaleButton, match="not a number"):
        Payload(Feature.TICKET, "claim", (written,)).number(0)


def test_a_missing_argument_is_stale() -> None:
    pressed = payload(Feature.TICKET, "claim", 5)

    assert (pressed.arg(0), pressed.number(0)) == ("5", 5)
    with pytest.raises(StaleButton, match="missing"):
        pressed.arg(1)
    with pytest.raises(StaleButton, match="missing"):
        pressed.number(1)


def test_every_feature_code_fits_a_part_and_is_its_own() -> None:
    codes = [feature.value for feature in Feature]
    assert len(set(codes)) == len(codes)
    for feature in Feature:
        assert decode(payload(feature, "x").encode()).feature is feature


@given(
    feature=st.sampled_from(Feature),
    action=st.from_regex(r"[a-z]{1,6}", fullmatch=True),
    numbers=st.lists(st.integers(min_value=0, max_value=MAX_INT), max_size=4),
)
def test_numbers_survive_the_wire(feature: Feature, action: str, numbers: list[int]) -> None:
    pressed = payload(feature, action, *numbers)
    try:
        data = pressed.encode()
    except ValueError:
        assert len(":".join(["v1", feature.value, action, *map(str, numbers)])) > MAX_BYTES
        return
    back = decode(data)
    assert back == pressed
    assert [back.number(i) for i in range(len(numbers))] == numbers
