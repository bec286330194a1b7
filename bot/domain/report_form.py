"""A report as the resident fills it in, step by step, before it is a `ReportDraft`."""

from __future__ import annotations

from pydantic import Field

from bot.domain.models import Frozen
from bot.domain.reports import (
    MAX_PHOTOS,
    Media,
    MediaKind,
    ReportCategory,
    ReportDraft,
    ReportPlace,
    Urgency,
)


class ReportForm(Frozen):
    """What the report flow has gathered so far. `place_typed`: the resident chose "somewhere
    else" and types it next; `photos_done`: they are done sending photos; `similar_seen`:
    they were shown the open reports of the same problem and chose a new one."""

    category: ReportCategory | None = None
    description: str = ""
    voice: str | None = None  # the channel's reference of a voice note instead of words
    photos: tuple[str, ...] = Field(default=(), max_length=MAX_PHOTOS)
    photos_done: bool = False
    place: ReportPlace | None = None
    place_typed: bool = False
    urgency: Urgency | None = None
    similar_seen: bool = False
    reviewing: bool = False  # the summary's "✏ Edit" was pressed: which part?
    # Sent before the flow began (free input kept, bot/features/free_input.py): the words or
    # the voice note, the photos; their steps are not asked (unless edited from the summary).
    kept_words: bool = False
    kept_photos: bool = False

    @classmethod
    def kept(cls, description: str, voice: str | None, photos: tuple[str, ...]) -> ReportForm:
        """A report begun with what the resident sent outside the flow."""
        return cls(
            description=description,
            voice=voice,
            photos=photos[:MAX_PHOTOS],
            photos_done=bool(photos),
            kept_words=bool(description or voice),
            kept_photos=bool(photos),
        )

    @property
    def described(self) -> bool:
        """In words or by voice."""
        return bool(self.description or self.voice)

    @property
    def full(self) -> bool:
        """No photo more can be taken."""
        return len(self.photos) >= MAX_PHOTOS

    def draft(self) -> ReportDraft:
        """The report as the service files it (every step answered)."""
        if self.category is None or self.place is None or self.urgency is None:
            raise ValueError("the report is not complete")
        return ReportDraft(
            category=self.category,
            description=self.description,
            voice=Media(kind=MediaKind.VOICE, ref=self.voice) if self.voice else None,
            photos=tuple(Media(kind=MediaKind.PHOTO, ref=ref) for ref in self.photos),
            place=self.place,
            urgency=self.urgency,
        )
