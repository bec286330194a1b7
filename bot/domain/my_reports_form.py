"""What a household types about one of its tickets, before the service takes it: the answer to
a grid worker's question (words or a voice note), or why a resolved ticket is reopened (words
only); and the rules of the buttons on a household's ticket."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from bot.domain.models import Frozen
from bot.domain.reports import MAX_NOTE, Media, MediaKind, Rating


class ReplyKind(StrEnum):
    """What the household is typing."""

    ANSWER = "answer"  # to the grid worker's question
    REASON = "reason"  # why the resolved ticket is reopened


class VoiceNotTaken(ValueError):
    """A reason for reopening is given in words."""


class ResidentReply(Frozen):
    """`about`: the question's event id (an answer) or the ticket's id (a reason); `number`
    and `question` are shown in the prompt."""

    kind: ReplyKind = ReplyKind.ANSWER
    about: int = Field(default=0, ge=0)
    number: str = ""
    question: str = ""
    words: str = Field(default="", max_length=MAX_NOTE)
    voice: str | None = None  # the channel's reference of a voice note (answers only)

    @classmethod
    def answering(cls, event_id: int, number: str, question: str) -> ResidentReply:
        """An answer to the question `event_id` of ticket `number`."""
        return cls(kind=ReplyKind.ANSWER, about=event_id, number=number, question=question)

    @classmethod
    def reopening(cls, ticket_id: int, number: str) -> ResidentReply:
        """The reason ticket `ticket_id` (`number`) is reopened."""
        return cls(kind=ReplyKind.REASON, about=ticket_id, number=number)

    @property
    def voice_allowed(self) -> bool:
        """An answer may be a voice note; a reason is words."""
        return self.kind is ReplyKind.ANSWER

    @property
    def given(self) -> bool:
        """The words or the voice note are there."""
        return bool(self.words or self.voice)

    def said(self, words: str) -> ResidentReply:
        """Answered in words (a voice note sent before is forgotten)."""
        return self.model_copy(update={"words": words, "voice": None})

    def by_voice(self, ref: str) -> ResidentReply:
        """Answered by a voice note (no words); VoiceNotTaken for a reason."""
        if not self.voice_allowed:
            raise VoiceNotTaken("a reason is given in words")
        return self.model_copy(update={"words": "", "voice": ref})

    def voice_media(self) -> Media | None:
        """The voice note as the service attaches it."""
        return Media(kind=MediaKind.VOICE, ref=self.voice) if self.voice else None


def rating_of(value: str) -> Rating | None:
    """The rating a button names; None if it names none."""
    return Rating(value) if value in {rating.value for rating in Rating} else None


def offers_rating(awaiting_rating: bool, reporter: bool) -> bool:
    """The rating buttons are on a ticket that waits for its rating, for the reporting
    household only (a household that joined with "+1" does not rate)."""
    return awaiting_rating and reporter


def offers_reopening(rating: Rating) -> bool:
    """Only "unsatisfied" offers to reopen (or keep closed); the others close the ticket."""
    return rating is Rating.UNSATISFIED
