"""The step number of a counted flow (bot/dialogs/counting.py), as a table."""

from __future__ import annotations

import pytest

from bot.dialogs.counting import step_number

STEPS = ("kind", "places", "text", "when", "time", "preview", "edit")


@pytest.mark.parametrize(
    ("skipped", "expected"),
    [
        # nothing skipped: places and time are sub-steps, preview unnumbered, edit after review
        (set(), [(1, 3), (1, 3), (2, 3), (3, 3), (3, 3), None, None]),
        # "when" does not apply: one fewer, and its sub-step keeps the number before it
        ({"when"}, [(1, 2), (1, 2), (2, 2), (2, 2), (2, 2), None, None]),
        # the first step does not apply: its sub-step still reads 1
        ({"kind"}, [(1, 2), (1, 2), (1, 2), (2, 2), (2, 2), None, None]),
    ],
)
def test_steps_are_numbered_over_those_that_apply(
    skipped: set[str], expected: list[tuple[int, int] | None]
) -> None:
    numbers = [
        step_number(
            STEPS,
            lambda name: name not in skipped,
            name,
            review="preview",
            sub_steps={"places", "time"},
            unnumbered=(),
        )
        for name in STEPS
    ]
    assert numbers == expected


def test_an_unnumbered_step_without_a_review_has_no_number() -> None:
    steps = ("title", "body", "preview")
    numbers = [
        step_number(steps, lambda name: True, n, review=None, sub_steps=(), unnumbered={"preview"})
        for n in steps
    ]
    assert numbers == [(1, 2), (2, 2), None]
