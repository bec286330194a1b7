"""A meeting as its organiser composes it, step by step, before it is a `MeetingDraft`; and
the words an invitee or organiser types about a meeting (a question, the minutes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import ValidationError

from bot.domain.errors import DomainError, TextTooLong
from bot.domain.meetings import (
    INVITED_ROLES,
    MAX_AGENDA,
    MAX_CONTACTS,
    MAX_MINUTES,
    MAX_PLACE,
    MAX_QUESTION,
    MAX_TITLE,
    MEETING_SCOPES,
    Contact,
    MeetingDraft,
    MeetingKind,
    answer_deadline,
    deadline_ahead,
    parse_contact,
)
from bot.domain.messages import Attachment
from bot.domain.models import Frozen, Role
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import is_blank, words
from bot.domain.when import read_time

# The answer deadlines offered as buttons (the codes are on buttons already sent).
DEADLINES = {"d1": timedelta(days=1), "h3": timedelta(hours=3), "h0": timedelta(0)}


class BadContact(DomainError):
    """A contact line that is not "name | party | phone"."""

    key = "meeting.bad_contact"


class TooManyContacts(DomainError):
    """More named contacts than a meeting takes."""

    key = "meeting.too_many_contacts"

    def __init__(self) -> None:
        super().__init__("too many contacts", max=MAX_CONTACTS)


class DeadlineAfterStart(DomainError):
    """Answers are due before the meeting."""

    key = "meeting.deadline_after"


class WordsOrVoice(DomainError):
    """A question came without words or a voice note."""

    key = "meeting.words_or_voice"


class TextOrDocument(DomainError):
    """Minutes came without words or a file."""

    key = "meeting.text_or_document"


class MeetingForm(Frozen):
    """What the creation flow has gathered so far. `invites` None: the households are not
    chosen yet; False: none are invited; True: the places of `scope` ticked in `ids`."""

    kind: MeetingKind | None = None
    title: str = ""
    starts_at: datetime | None = None
    place: str = ""
    agenda: str | None = None  # "" skipped
    invites: bool | None = None
    scope: ScopeKind | None = None
    ids: tuple[int, ...] = ()
    roles: tuple[Role, ...] = ()
    contacts: tuple[Contact, ...] = ()
    rsvp_by: datetime | None = None

    def titled(self, text: str) -> MeetingForm:
        """The title, trimmed (BlankText, TextTooLong)."""
        return self.model_copy(update={"title": words(text, MAX_TITLE)})

    def timed(self, text: str, now: datetime, timezone: str) -> MeetingForm:
        """When it starts, typed in community time ("周六晚上7点半"; BadTime)."""
        return self.model_copy(update={"starts_at": read_time(text, now, timezone)})

    def placed(self, text: str) -> MeetingForm:
        """Where (or an online link), trimmed (BlankText, TextTooLong)."""
        return self.model_copy(update={"place": words(text, MAX_PLACE)})

    def with_agenda(self, text: str | None) -> MeetingForm:
        """The agenda, or none (None: skipped)."""
        agenda = "" if text is None else words(text, MAX_AGENDA)
        return self.model_copy(update={"agenda": agenda})

    def households(self, kind: ScopeKind | None, allowed: tuple[ScopeKind, ...]) -> MeetingForm:
        """Invite the households of places of `kind` (ticked next), or none (None); the places
        ticked before are forgotten. ValueError for a kind meetings do not invite by."""
        if kind is None:
            return self.model_copy(update={"invites": False, "scope": None, "ids": ()})
        if kind not in MEETING_SCOPES or kind not in allowed:
            raise ValueError(f"households of {kind} are not invited")
        return self.model_copy(update={"invites": True, "scope": kind, "ids": ()})

    @property
    def picks_places(self) -> bool:
        """Whether places are ticked (households are invited)."""
        return bool(self.invites) and self.scope is not None

    def toggled(self, role: Role) -> MeetingForm:
        """A role ticked or unticked; ValueError for a role meetings do not invite."""
        if role not in INVITED_ROLES:
            raise ValueError(f"{role} is not invited to meetings")
        roles = (
            tuple(r for r in self.roles if r is not role)
            if role in self.roles
            else (*self.roles, role)
        )
        return self.model_copy(update={"roles": roles})

    def with_contacts(self, text: str) -> MeetingForm:
        """More named contacts, one a line (BadContact, TooManyContacts: none is added)."""
        added: list[Contact] = []
        for line in text.splitlines():
            if line.strip():
                try:
                    added.append(parse_contact(line))
                except (ValueError, ValidationError):
                    raise BadContact() from None
        if len(self.contacts) + len(added) > MAX_CONTACTS:
            raise TooManyContacts()
        return self.model_copy(update={"contacts": (*self.contacts, *added)})

    def deadlines(self, now: datetime) -> list[str]:
        """The answer deadlines still ahead (a day before a meeting in 11 hours is past)."""
        if self.starts_at is None:
            return []
        starts = self.starts_at
        return [key for key, before in DEADLINES.items() if deadline_ahead(starts, before, now)]

    def deadline(self, key: str, now: datetime) -> MeetingForm:
        """A deadline chosen from the buttons (KeyError for none such; DeadlinePassed)."""
        before = DEADLINES[key]
        if self.starts_at is None:
            raise ValueError("no time yet")
        return self.model_copy(update={"rsvp_by": answer_deadline(self.starts_at, before, now)})

    def typed_deadline(self, text: str, now: datetime, timezone: str) -> MeetingForm:
        """A typed deadline (BadTime; DeadlineAfterStart after the meeting's start)."""
        moment = read_time(text, now, timezone)
        if self.starts_at is None or moment > self.starts_at:
            raise DeadlineAfterStart()
        return self.model_copy(update={"rsvp_by": moment})

    def draft(self) -> MeetingDraft:
        """The meeting as the service creates it (ValueError while it does not hold)."""
        if self.kind is None or self.starts_at is None or self.rsvp_by is None:
            raise ValueError("the draft is not complete")
        scope = (
            Scope(kind=self.scope, ids=self.ids)
            if self.invites and self.scope is not None
            else None
        )
        return MeetingDraft(
            kind=self.kind,
            title=self.title,
            starts_at=self.starts_at,
            place=self.place,
            agenda=self.agenda or "",
            scope=scope,
            roles=self.roles,
            contacts=self.contacts,
            rsvp_by=self.rsvp_by,
        )


# ---------------------------------------------------------------------------- typed input


class Typing(StrEnum):
    """What is typed about a meeting (the codes of the buttons that start it, kept)."""

    QUESTION = "q"
    TIME = "ct"
    PLACE = "cp"
    MINUTES = "mn"


class MeetingInput(Frozen):
    """A question, a new time, a new place, or the minutes then the decisions, for one
    meeting. `minuted`: the minutes are in, the decisions come next."""

    meeting_id: int = 0
    typing: Typing = Typing.QUESTION
    minutes: str = ""
    document: str | None = None
    minuted: bool = False

    def minutes_given(self, text: str, document: Attachment | None) -> MeetingInput:
        """The minutes' words and/or file (TextTooLong; TextOrDocument with neither)."""
        trimmed = text.strip()
        if len(trimmed) > MAX_MINUTES:
            raise TextTooLong(MAX_MINUTES)
        if is_blank(trimmed) and document is None:
            raise TextOrDocument()
        ref = document.ref if document is not None else None
        return self.model_copy(update={"minutes": trimmed, "document": ref, "minuted": True})


def new_time(text: str, now: datetime, timezone: str) -> datetime:
    """A meeting's new time, typed in community time ("周六晚上7点半"; BadTime)."""
    return read_time(text, now, timezone)


def question(text: str, voice: Attachment | None) -> str:
    """A question's words, trimmed (TextTooLong; WordsOrVoice with neither words nor voice)."""
    trimmed = text.strip()
    if len(trimmed) > MAX_QUESTION:
        raise TextTooLong(MAX_QUESTION)
    if is_blank(trimmed) and voice is None:
        raise WordsOrVoice()
    return trimmed


def decisions(text: str) -> str:
    """The decisions' words, trimmed (TextTooLong)."""
    trimmed = text.strip()
    if len(trimmed) > MAX_MINUTES:
        raise TextTooLong(MAX_MINUTES)
    return trimmed
