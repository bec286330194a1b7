"""A broadcast as its author composes it, step by step, before it is a `BroadcastDraft`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.domain.broadcasts import BroadcastDraft, at_local, check_body
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.domain.models import Frozen, Role
from bot.domain.scope import Scope, ScopeKind
from bot.domain.text import is_blank
from bot.domain.when import read_time

# The kinds of scope whose places are ticked in a list (the others name none, or a role).
PICKED_KINDS = frozenset(
    {ScopeKind.COMPOUNDS, ScopeKind.BUILDINGS, ScopeKind.UNITS, ScopeKind.GRIDS}
)
# The roles a broadcast can go to, in the order they are offered.
ROLES = (Role.RESIDENT, Role.BUILDING_LEAD, Role.GRID_WORKER, Role.STAFF)
EVENING = 20  # "this evening" is 20:00 community time
MORNING = 8  # "tomorrow morning" is 08:00


class CaptionMissing(DomainError):
    """A photo or document came without words: they are the announcement."""

    key = "bc.need_caption"


class SendTime(StrEnum):
    """When to send, as offered (the codes are on buttons already sent: never change one)."""

    NOW = "now"
    EVENING = "evening"
    MORNING = "morning"
    TYPED = "type"  # a time typed next


class BroadcastForm(Frozen):
    """What the broadcast flow has gathered so far. `kind` None: not chosen yet; `ids` the
    places ticked (for a kind in PICKED_KINDS); `typing`: "type a time" was chosen and the
    time comes next; `timed`: when to send is answered (`send_at` None: now)."""

    body: str = ""
    attachment: Attachment | None = None
    kind: ScopeKind | None = None
    ids: tuple[int, ...] = ()
    role: Role | None = None
    vulnerable: bool = False
    urgent: bool = False
    typing: bool = False
    send_at: datetime | None = None

    @classmethod
    def composed(cls, body: str, attachment: Attachment | None = None) -> BroadcastForm:
        """A new broadcast of these words (with a photo or document: its caption), trimmed;
        CaptionMissing for a file without words, BlankText or TextTooLong (the caption's
        limit with a file)."""
        if attachment is not None and is_blank(body):
            raise CaptionMissing()
        text = check_body(body, with_attachment=attachment is not None)
        return cls(body=text, attachment=attachment)

    def of_kind(self, kind: ScopeKind) -> BroadcastForm:
        """The audience's kind chosen: no place or role chosen yet."""
        return self.model_copy(update={"kind": kind, "ids": (), "role": None})

    @property
    def picks_places(self) -> bool:
        """Whether places are ticked in a list for this kind."""
        return self.kind in PICKED_KINDS

    @property
    def by_role(self) -> bool:
        """Whether it goes to everyone with one role."""
        return self.kind is ScopeKind.ROLE

    @property
    def by_household(self) -> bool:
        """Whether it goes to households (all, or only the vulnerable ones)."""
        return self.kind is not None and not self.by_role

    def at(self, choice: SendTime, now: datetime, timezone: str) -> BroadcastForm:
        """When to send, as chosen from the buttons (a typed time comes next)."""
        if choice is SendTime.NOW:
            send_at = None
        elif choice is SendTime.EVENING:
            send_at = at_local(now, timezone, EVENING)
        elif choice is SendTime.MORNING:
            send_at = at_local(now, timezone, MORNING, days=1)
        else:
            return self.model_copy(update={"typing": True, "send_at": None})
        return self.model_copy(update={"typing": False, "send_at": send_at})

    def typed_at(self, words: str, now: datetime, timezone: str) -> BroadcastForm:
        """A typed time ("明天上午9点", community time); UnreadableTime, PastTime or
        TooFarAhead otherwise (each a BadTime)."""
        return self.model_copy(update={"send_at": read_time(words, now, timezone)})

    @property
    def awaits_typed_time(self) -> bool:
        """Whether "type a time" was chosen and no time is typed yet."""
        return self.typing and self.send_at is None

    def scope(self) -> Scope:
        """The audience as the domain sees it (ValueError while it is incomplete)."""
        if self.kind is None:
            raise ValueError("no audience chosen")
        return Scope(
            kind=self.kind,
            ids=self.ids,
            role=self.role,
            vulnerable_only=self.vulnerable and self.by_household,
        )

    def draft(self) -> BroadcastDraft:
        """The broadcast as the service creates it."""
        return BroadcastDraft(
            body=self.body,
            attachment=self.attachment,
            scope=self.scope(),
            urgent=self.urgent,
            send_at=self.send_at,
        )
