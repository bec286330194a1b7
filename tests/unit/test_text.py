"""Words typed by a person: trimmed, never blank, never past the step's limit."""

from __future__ import annotations

import pytest

from bot.domain.errors import BlankText, TextTooLong
from bot.domain.text import is_blank, words


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \t\n ", "\u3000", "\u200b\u200b", None])
def test_nothing_visible_is_blank(text: str | None) -> None:
    assert is_blank(text)
    with pytest.raises(BlankText):
        words(text, 10)


def test_words_are_trimmed_and_bounded() -> None:
    assert words("  楼道灯坏了 \n", 10) == "楼道灯坏了"
    assert not is_blank(" 。")
    assert words("x" * 10, 10) == "x" * 10
    with pytest.raises(TextTooLong) as error:
        words("x" * 11, 10)
    assert error.value.limit == 10
