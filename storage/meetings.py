"""Meetings, their invitees, contacts and questions. Callers hold the transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain.meetings import (
    Contact,
    ContactRow,
    Invitee,
    Meeting,
    MeetingDraft,
    MeetingKind,
    MeetingStatus,
    Party,
    Question,
    Rsvp,
)
from bot.domain.models import Role
from bot.domain.scope import Scope
from storage.audience import _households_sql
from storage.codec import time_from_db, time_to_db
from storage.database import Database


def _meeting(row: Any) -> Meeting:
    return Meeting(
        id=row["id"],
        kind=MeetingKind(row["kind"]),
        title=row["title"],
        starts_at=time_from_db(row["starts_at"]),
        place=row["place"],
        agenda=row["agenda"],
        scope=Scope.model_validate_json(row["scope"]) if row["scope"] else None,
        roles=tuple(Role(r) for r in json.loads(row["roles"])),
        rsvp_by=time_from_db(row["rsvp_by"]),
        organiser_id=row["organiser_id"],
        status=MeetingStatus(row["status"]),
        minutes=row["minutes"],
        minutes_doc=row["minutes_doc"],
        decisions=row["decisions"],
        minutes_at=time_from_db(row["minutes_at"]),
        sequence=row["sequence"],
    )


class SqliteMeetingRepository:
    """The `meeting*` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, draft: MeetingDraft, organiser_id: int, now: datetime) -> int:
        """Store a meeting and its contacts; its id."""
        meeting_id = await self._db.insert(
            "INSERT INTO meeting (kind, title, starts_at, place, agenda, scope, roles, rsvp_by,"
            " organiser_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.kind.value,
                draft.title,
                time_to_db(draft.starts_at),
                draft.place,
                draft.agenda,
                draft.scope.model_dump_json() if draft.scope else None,
                json.dumps([role.value for role in draft.roles]),
                time_to_db(draft.rsvp_by),
                organiser_id,
                time_to_db(now),
            ),
        )
        await self._db.execute_many(
            "INSERT INTO meeting_contact (meeting_id, name, party, phone) VALUES (?, ?, ?, ?)",
            [(meeting_id, c.name, c.party.value, c.phone) for c in draft.contacts],
        )
        return meeting_id

    async def get(self, meeting_id: int) -> Meeting | None:
        """A meeting with its contacts."""
        row = await self._db.fetch_one("SELECT * FROM meeting WHERE id = ?", (meeting_id,))
        if row is None:
            return None
        meeting = _meeting(row)
        contacts = await self.contacts(meeting_id)
        return meeting.model_copy(
            update={
                "contacts": tuple(
                    Contact(name=c.name, party=c.party, phone=c.phone) for c in contacts
                )
            }
        )

    async def all(self) -> list[Meeting]:
        """Every meeting, the latest start first."""
        rows = await self._db.fetch_all("SELECT id FROM meeting ORDER BY starts_at DESC, id DESC")
        meetings = [await self.get(row["id"]) for row in rows]
        return [m for m in meetings if m is not None]

    async def update(self, meeting_id: int, **fields: object) -> None:
        """Change time, place, deadline, status or minutes."""
        await self._update(meeting_id, fields, revised=False)

    async def revise(self, meeting_id: int, **fields: object) -> None:
        """Change what its calendar file shows (time, place, status) and raise its sequence."""
        await self._update(meeting_id, fields, revised=True)

    async def _update(self, meeting_id: int, fields: dict[str, object], *, revised: bool) -> None:
        allowed = {
            "starts_at",
            "place",
            "rsvp_by",
            "status",
            "minutes",
            "minutes_doc",
            "decisions",
            "minutes_at",
        }
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot update {sorted(fields)}")
        values = [
            time_to_db(v) if isinstance(v, datetime) else getattr(v, "value", v)
            for v in fields.values()
        ]
        sets = [f"{name} = ?" for name in fields]
        if revised:
            sets.append("sequence = sequence + 1")
        await self._db.execute(
            f"UPDATE meeting SET {', '.join(sets)} WHERE id = ?", (*values, meeting_id)
        )

    async def people(self, scope: Scope | None, roles: Sequence[Role]) -> list[int]:
        """The users a meeting invites: approved members of the scope's households, and
        everyone holding one of `roles`."""
        ids: set[int] = set()
        if scope is not None:
            sql, params = _households_sql(scope)
            rows = await self._db.fetch_all(
                "SELECT DISTINCT user_id FROM membership WHERE status = 'approved'"
                f" AND household_id IN ({sql})",
                params,
            )
            ids |= {row["user_id"] for row in rows}
        if roles:
            rows = await self._db.fetch_all(
                f"SELECT id FROM user WHERE role IN ({','.join('?' for _ in roles)})",
                [role.value for role in roles],
            )
            ids |= {row["id"] for row in rows}
        return sorted(ids)

    async def invite(self, meeting_id: int, user_ids: Sequence[int]) -> None:
        """Put people on the list."""
        await self._db.execute_many(
            "INSERT OR IGNORE INTO meeting_invitee (meeting_id, user_id) VALUES (?, ?)",
            [(meeting_id, user_id) for user_id in user_ids],
        )

    async def invitees(self, meeting_id: int) -> list[Invitee]:
        """Everyone on the list with their answer, attendance and household."""
        rows = await self._db.fetch_all(
            "SELECT i.*, u.first_name,"
            " (SELECT c.name || ' ' || b.name || ' ' || un.name || ' ' || h.room"
            "  FROM membership m JOIN household h ON h.id = m.household_id"
            "  JOIN unit un ON un.id = h.unit_id JOIN building b ON b.id = un.building_id"
            "  JOIN compound c ON c.id = b.compound_id"
            "  WHERE m.user_id = i.user_id AND m.status = 'approved'"
            "  ORDER BY m.is_current DESC LIMIT 1) AS place"
            " FROM meeting_invitee i JOIN user u ON u.id = i.user_id"
            " WHERE i.meeting_id = ? ORDER BY place, i.user_id",
            (meeting_id,),
        )
        return [
            Invitee(
                user_id=row["user_id"],
                first_name=row["first_name"],
                rsvp=Rsvp(row["rsvp"]) if row["rsvp"] else None,
                rsvp_at=time_from_db(row["rsvp_at"]),
                attended=bool(row["attended"]),
                place=row["place"] or "",
            )
            for row in rows
        ]

    async def invitee(self, meeting_id: int, user_id: int) -> Invitee | None:
        """One person on the list."""
        found = [i for i in await self.invitees(meeting_id) if i.user_id == user_id]
        return found[0] if found else None

    async def is_invited(self, meeting_id: int, user_id: int) -> bool:
        """Whether the person is on the list."""
        return bool(
            await self._db.fetch_value(
                "SELECT EXISTS (SELECT 1 FROM meeting_invitee WHERE meeting_id = ?"
                " AND user_id = ?)",
                (meeting_id, user_id),
            )
        )

    async def rsvp(self, meeting_id: int, user_id: int, answer: Rsvp, now: datetime) -> None:
        """Record (or change) an answer."""
        await self._db.execute(
            "UPDATE meeting_invitee SET rsvp = ?, rsvp_at = ? WHERE meeting_id = ?"
            " AND user_id = ?",
            (answer.value, time_to_db(now), meeting_id, user_id),
        )

    async def set_attended(self, meeting_id: int, user_id: int, attended: bool) -> None:
        """Record whether an invitee came."""
        await self._db.execute(
            "UPDATE meeting_invitee SET attended = ? WHERE meeting_id = ? AND user_id = ?",
            (int(attended), meeting_id, user_id),
        )

    async def contacts(self, meeting_id: int) -> list[ContactRow]:
        """The named contacts, in the order given."""
        rows = await self._db.fetch_all(
            "SELECT * FROM meeting_contact WHERE meeting_id = ? ORDER BY id", (meeting_id,)
        )
        return [
            ContactRow(
                id=row["id"],
                name=row["name"],
                party=Party(row["party"]),
                phone=row["phone"],
                attended=bool(row["attended"]),
            )
            for row in rows
        ]

    async def set_contact_attended(self, meeting_id: int, contact_id: int, attended: bool) -> bool:
        """Record whether a contact came; False if the contact is not the meeting's."""
        changed = await self._db.execute(
            "UPDATE meeting_contact SET attended = ? WHERE id = ? AND meeting_id = ?",
            (int(attended), contact_id, meeting_id),
        )
        return changed > 0

    async def add_question(
        self, meeting_id: int, user_id: int, text: str, voice: str | None, now: datetime
    ) -> int:
        """Keep a topic or question sent in advance."""
        return await self._db.insert(
            "INSERT INTO meeting_question (meeting_id, user_id, text, voice, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (meeting_id, user_id, text, voice, time_to_db(now)),
        )

    async def questions(self, meeting_id: int) -> list[Question]:
        """The questions, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT q.*, u.first_name FROM meeting_question q JOIN user u ON u.id = q.user_id"
            " WHERE q.meeting_id = ? ORDER BY q.id",
            (meeting_id,),
        )
        return [
            Question(
                id=row["id"],
                meeting_id=row["meeting_id"],
                user_id=row["user_id"],
                first_name=row["first_name"],
                text=row["text"],
                voice=row["voice"],
                at=time_from_db(row["at"]),
            )
            for row in rows
        ]

    async def of_user(self, user_id: int) -> list[Meeting]:
        """The meetings a person is invited to, the latest first."""
        rows = await self._db.fetch_all(
            "SELECT m.id FROM meeting m JOIN meeting_invitee i ON i.meeting_id = m.id"
            " WHERE i.user_id = ? ORDER BY m.starts_at DESC",
            (user_id,),
        )
        meetings = [await self.get(row["id"]) for row in rows]
        return [m for m in meetings if m is not None]

    async def compound_of_household(self, household_id: int) -> int | None:
        """The compound a household is in."""
        return await self._db.fetch_int(
            "SELECT b.compound_id FROM household h JOIN unit u ON u.id = h.unit_id"
            " JOIN building b ON b.id = u.building_id WHERE h.id = ?",
            (household_id,),
        )

    async def compounds_of(self, scope: Scope) -> set[int]:
        """The compounds a scope touches."""
        sql, params = _households_sql(scope)
        rows = await self._db.fetch_all(
            "SELECT DISTINCT b.compound_id FROM household h JOIN unit u ON u.id = h.unit_id"
            f" JOIN building b ON b.id = u.building_id WHERE h.id IN ({sql})",
            params,
        )
        return {row["compound_id"] for row in rows}

    async def buildings_of(self, scope: Scope) -> set[int]:
        """The buildings a scope touches."""
        sql, params = _households_sql(scope)
        rows = await self._db.fetch_all(
            "SELECT DISTINCT u.building_id FROM household h JOIN unit u ON u.id = h.unit_id"
            f" WHERE h.id IN ({sql})",
            params,
        )
        return {row["building_id"] for row in rows}
