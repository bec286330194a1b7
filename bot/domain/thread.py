"""The thread between a household and its building's grid worker ("💬 发给网格员"), like the
WeChat group they use today: its messages, a page of them, the one being written, and which
messages a "📝 转成工单" turns into a ticket (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import Field, model_validator

from bot.domain.errors import DomainError
from bot.domain.models import Frozen
from bot.domain.reports import (
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    Media,
    MediaKind,
    PlaceKind,
    ReportCategory,
    ReportDraft,
    ReportPlace,
    Urgency,
)

MAX_MESSAGE = 1000  # characters of one message
PAGE = 5  # messages a page of the thread (the latest first)
LIST_PAGE = 8  # households a page of the grid worker's list
SHOWN = 300  # characters of a message on a page of the thread (a page stays one message)


class Direction(StrEnum):
    """Who wrote a message."""

    IN = "in"  # a member of the household, to the grid worker
    OUT = "out"  # a grid worker (or staff), to the household


class NothingToTurn(DomainError):
    """Every message of the household is in a ticket already (or none is theirs)."""

    key = "thread.nothing_to_turn"


class ThreadMessage(Frozen):
    """One message of a household's thread, as stored."""

    id: int
    household_id: int
    author_id: int
    direction: Direction
    text: str = ""
    voice: str | None = None  # the channel's file reference
    photo: str | None = None
    at: datetime
    read: bool = False
    ticket_id: int | None = None


class Written(Frozen):
    """A message before it is sent: words, a voice note or a photo (with its caption)."""

    text: str = Field(default="", max_length=MAX_MESSAGE)
    voice: str | None = None
    photo: str | None = None

    @model_validator(mode="after")
    def _something(self) -> Written:
        if not (self.text.strip() or self.voice or self.photo):
            raise ValueError("an empty message")
        if self.voice and self.photo:
            raise ValueError("one file a message")
        return self


class ThreadDraft(Frozen):
    """The flow that writes one message: to the grid worker (`to_worker`) for the writer's
    household, or a grid worker's reply to `household`; `written` once it is given."""

    household: int = Field(default=0, ge=0)
    to_worker: bool = True
    room: str = ""  # shown to the grid worker in the prompt
    written: Written | None = None
    # Or an organiser's answer to a question sent before a meeting (to its invitee).
    meeting: int = Field(default=0, ge=0)
    question: int = Field(default=0, ge=0)
    asked: str = ""  # the question, shown in the prompt

    def with_message(self, written: Written) -> ThreadDraft:
        """The message is given."""
        return self.model_copy(update={"written": written})


def clipped(words: str, limit: int = SHOWN) -> str:
    """The words, cut to `limit` characters with "…" when longer."""
    return words if len(words) <= limit else words[: limit - 1] + "…"


def page_of(count: int, page: int, size: int = PAGE) -> tuple[int, int, int]:
    """(offset from the latest, page, pages) for page `page` (0: the latest) of `count`
    items; a page out of range is the nearest one."""
    pages = max(1, -(-count // size))
    page = min(max(page, 0), pages - 1)
    return page * size, page, pages


def to_turn(messages: Sequence[ThreadMessage]) -> list[ThreadMessage]:
    """The messages "📝 转成工单" turns into a ticket: the household's first ones not in a
    ticket yet, up to the grid worker's next reply."""
    run: list[ThreadMessage] = []
    for message in sorted(messages, key=lambda m: m.id):
        if message.direction is Direction.IN and message.ticket_id is None:
            run.append(message)
        elif run:
            break
    if not run:
        raise NothingToTurn()
    return run


def ticket_draft(run: Sequence[ThreadMessage]) -> ReportDraft:
    """The report the messages make: category other, at home, normal urgency; their words
    as the description, their photos as photos, the first voice note as its voice."""
    words = "\n".join(m.text.strip() for m in run if m.text.strip())[:MAX_DESCRIPTION]
    photos = tuple(Media(kind=MediaKind.PHOTO, ref=m.photo) for m in run if m.photo)
    voice = next((Media(kind=MediaKind.VOICE, ref=m.voice) for m in run if m.voice), None)
    return ReportDraft(
        category=ReportCategory.OTHER,
        description=words,
        voice=voice,
        photos=photos[:MAX_PHOTOS],
        place=ReportPlace(kind=PlaceKind.HOME),
        urgency=Urgency.NORMAL,
    )
