"""What a grid worker types about a ticket, before the service takes it: the note that goes
with a new status (a reason, for a rejection or a duplicate: it cannot be skipped), or a
question for the reporting household; and the rules of the desk's buttons."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, model_validator

from bot.domain.models import Frozen
from bot.domain.reports import (
    MAX_NOTE,
    NEEDS_REASON,
    WORKER_STATUSES,
    ReasonNeeded,
    Ticket,
    TicketStatus,
    overdue,
)

INBOX_PAGE = 10  # tickets a page of the inbox
STATS_DAYS = 30  # /stats without a number
MAX_STATS_DAYS = 3660


class DeskKind(StrEnum):
    """What the grid worker is typing."""

    NOTE = "note"  # with a status change
    QUESTION = "question"  # for the reporting household


class DeskNote(Frozen):
    """`ticket` and its `number` (for the prompt); for a note, the `status` it goes with."""

    kind: DeskKind = DeskKind.NOTE
    ticket: int = Field(default=0, ge=0)
    number: str = ""
    status: TicketStatus = TicketStatus.ACCEPTED
    note: str = Field(default="", max_length=MAX_NOTE)
    noted: bool = False  # the note was typed, or skipped

    @model_validator(mode="after")
    def _worker_status(self) -> DeskNote:
        if self.kind is DeskKind.NOTE and self.status not in WORKER_STATUSES:
            raise ValueError(f"a grid worker does not set {self.status.value}")
        return self

    @classmethod
    def moving(cls, ticket_id: int, number: str, status: TicketStatus) -> DeskNote:
        """The note for moving ticket `ticket_id` (`number`) to `status`."""
        return cls(kind=DeskKind.NOTE, ticket=ticket_id, number=number, status=status)

    @classmethod
    def asking(cls, ticket_id: int, number: str) -> DeskNote:
        """A question about ticket `ticket_id` (`number`)."""
        return cls(kind=DeskKind.QUESTION, ticket=ticket_id, number=number)

    @property
    def needs_reason(self) -> bool:
        """A rejection or a duplicate tells the household why."""
        return self.kind is DeskKind.NOTE and self.status in NEEDS_REASON

    @property
    def may_skip(self) -> bool:
        """Whether "no note" is offered."""
        return self.kind is DeskKind.NOTE and not self.needs_reason

    @property
    def prompt(self) -> str:
        """The catalog key that asks for it."""
        if self.kind is DeskKind.QUESTION:
            return "report.ask_question"
        return "report.ask_reason_staff" if self.needs_reason else "report.ask_note"

    def noted_with(self, words: str) -> DeskNote:
        """The typed note (or question)."""
        return self.model_copy(update={"note": words, "noted": True})

    def without_note(self) -> DeskNote:
        """No note; ReasonNeeded where a reason is needed."""
        if not self.may_skip:
            raise ReasonNeeded()
        return self.model_copy(update={"note": "", "noted": True})


def deadline_mark(ticket: Ticket, now: datetime) -> str:
    """🔴 past a deadline, ⏳ still open in time, ✅ no longer open."""
    if not ticket.open:
        return "✅"
    return "🔴" if overdue(ticket, now) else "⏳"


def worker_status_of(value: str) -> TicketStatus | None:
    """The status a button names, if a grid worker may set it; else None."""
    return TicketStatus(value) if value in {s.value for s in WORKER_STATUSES} else None


def stats_days(args: tuple[str, ...]) -> int | None:
    """The days /stats looks back: 30 without a number, else the number within 1…3660;
    None when the argument is not a whole number."""
    if not args:
        return STATS_DAYS
    try:
        return max(1, min(int(args[0]), MAX_STATS_DAYS))
    except ValueError:
        return None
