"""Where a step is in its flow ("第 2/5 步"), for flows that count their steps (pure).

Steps are numbered 1, 2, 3… among those that apply to the draft; a sub-step (typing a place
after choosing "other", the places of a chosen kind) takes the number of the step before it;
the review, what comes after it and unnumbered steps (a preview) have none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence


def step_number(
    names: Sequence[str],
    applies: Callable[[str], bool],
    name: str,
    *,
    review: str | None,
    sub_steps: Collection[str],
    unnumbered: Collection[str],
) -> tuple[int, int] | None:
    """(number, how many) of step `name` among `names` (the flow's steps in order)."""
    end = names.index(review) if review in names else len(names)
    if names.index(name) >= end or name in unnumbered:
        return None
    main = [n for n in names[:end] if n not in sub_steps and n not in unnumbered and applies(n)]
    before = [n for n in names[: names.index(name) + 1] if n in main]
    return max(len(before), 1), len(main)
