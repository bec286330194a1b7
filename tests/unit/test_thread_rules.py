"""The thread's rules (bot.domain.thread): a message is words, a voice note or a photo; pages
count back from the latest; "📝 转成工单" takes the household's first messages not in a ticket,
up to the grid worker's reply, and makes a report of category other of them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.domain.reports import MediaKind, PlaceKind, ReportCategory
from bot.domain.thread import (
    Direction,
    NothingToTurn,
    ThreadMessage,
    Written,
    clipped,
    page_of,
    ticket_draft,
    to_turn,
)

AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def message(
    id_: int, direction: Direction = Direction.IN, ticket: int | None = None, **fields: str
) -> ThreadMessage:
    return ThreadMessage(
        id=id_, household_id=1, author_id=7, direction=direction, at=AT, ticket_id=ticket,
        **fields,
    )  # fmt: skip


@pytest.mark.parametrize(
    "fields",
    [{"text": "  "}, {}, {"voice": "v", "photo": "p"}, {"text": "x" * 1001}],
)
def test_a_message_is_words_or_one_file(fields: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Written.model_validate(fields)


def test_a_message_may_be_a_captioned_photo_or_a_voice_note() -> None:
    assert Written(photo="p", text="门坏了").photo == "p"
    assert Written(voice="v").text == ""


@pytest.mark.parametrize(
    ("count", "page", "expected"),
    [
        (0, 0, (0, 0, 1)),
        (5, 0, (0, 0, 1)),
        (6, 1, (5, 1, 2)),
        (12, 9, (10, 2, 3)),  # past the last page: the last
        (12, -1, (0, 0, 3)),
    ],
)
def test_pages_count_back_from_the_latest(
    count: int, page: int, expected: tuple[int, int, int]
) -> None:
    assert page_of(count, page) == expected


def test_the_first_messages_up_to_the_reply_are_turned() -> None:
    thread = [
        message(1, text="灯坏了"),
        message(2, photo="p1"),
        message(3, Direction.OUT, text="收到"),
        message(4, text="还有门"),
    ]
    assert [m.id for m in to_turn(thread)] == [1, 2]
    done = [m.model_copy(update={"ticket_id": 9}) if m.id < 3 else m for m in thread]
    assert [m.id for m in to_turn(done)] == [4]
    with pytest.raises(NothingToTurn):
        to_turn([m.model_copy(update={"ticket_id": 9}) for m in thread])
    with pytest.raises(NothingToTurn):
        to_turn([message(1, Direction.OUT, text="您好")])


def test_the_report_has_the_words_the_photos_and_the_voice() -> None:
    draft = ticket_draft(
        [message(1, text="灯坏了"), message(2, photo="p1", text="楼道"), message(3, voice="v1")]
    )
    assert draft.category is ReportCategory.OTHER
    assert draft.place.kind is PlaceKind.HOME
    assert draft.description == "灯坏了\n楼道"
    assert [p.ref for p in draft.photos] == ["p1"]
    assert draft.voice is not None
    assert draft.voice.kind is MediaKind.VOICE


def test_a_long_message_is_clipped_on_the_page() -> None:
    assert clipped("短") == "短"
    assert clipped("长" * 301) == "长" * 299 + "…"
    assert len(clipped("长" * 1000)) == 300
