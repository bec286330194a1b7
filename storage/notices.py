"""Construction notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.domain.notices import Notice, NoticeDraft, NoticeStatus, VulnerableHousehold
from bot.domain.scope import Scope
from storage.audience import BY_PLACE, HOUSEHOLD_PLACES, _households_sql
from storage.codec import json_from_db, json_to_db, time_from_db, time_to_db
from storage.database import Database
from storage.grids import _place

_COLUMNS = (
    "id, author_id, kind, details, arrangements, starts_at, ends_at, scope, status,"
    " created_at, updated_at"
)


def _notice(row: Any) -> Notice:
    data = dict(row)
    data["scope"] = Scope.model_validate(json_from_db(data["scope"]))
    for name in ("starts_at", "ends_at", "created_at", "updated_at"):
        data[name] = time_from_db(data[name])
    return Notice.model_validate(data)


class SqliteNoticeRepository:
    """The `notice` table. Callers hold the transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, author_id: int, draft: NoticeDraft, now: datetime) -> Notice:
        """Store a new notice."""
        notice_id = await self._db.insert(
            "INSERT INTO notice (author_id, kind, details, arrangements, starts_at, ends_at,"
            " scope, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                author_id,
                draft.kind.value,
                draft.details,
                draft.arrangements,
                time_to_db(draft.starts_at),
                time_to_db(draft.ends_at),
                json_to_db(draft.scope.model_dump(mode="json")),
                time_to_db(now),
                time_to_db(now),
            ),
        )
        found = await self.get(notice_id)
        assert found is not None
        return found

    async def get(self, notice_id: int) -> Notice | None:
        """One notice."""
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM notice WHERE id = ?", (notice_id,))
        return _notice(row) if row else None

    async def update(self, notice_id: int, draft: NoticeDraft, now: datetime) -> None:
        """Change a notice's window, details or arrangements (its scope stays)."""
        await self._db.execute(
            "UPDATE notice SET details = ?, arrangements = ?, starts_at = ?, ends_at = ?,"
            " updated_at = ? WHERE id = ?",
            (
                draft.details,
                draft.arrangements,
                time_to_db(draft.starts_at),
                time_to_db(draft.ends_at),
                time_to_db(now),
                notice_id,
            ),
        )

    async def set_status(self, notice_id: int, status: NoticeStatus, now: datetime) -> None:
        """Cancel (or re-activate) a notice."""
        await self._db.execute(
            "UPDATE notice SET status = ?, updated_at = ? WHERE id = ?",
            (status.value, time_to_db(now), notice_id),
        )

    async def active(self, now: datetime) -> list[Notice]:
        """Active notices that have not ended, soonest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM notice WHERE status = 'active' AND ends_at > ?"
            " ORDER BY starts_at",
            (time_to_db(now),),
        )
        return [_notice(row) for row in rows]

    async def vulnerable_in(self, scope: Scope) -> list[VulnerableHousehold]:
        """The households of a scope flagged lives alone, elderly or disabled — registered
        or not — with where they live, the owner's name and a phone (the roster's, else a
        registered member's), sorted by place."""
        sql, params = _households_sql(scope.model_copy(update={"vulnerable_only": True}))
        rows = await self._db.fetch_all(
            "SELECT h.id, c.name AS compound, b.name AS building, u.name AS unit,"
            " h.room AS room, b.id AS building_id, h.lives_alone, h.elderly, h.disabled,"
            " h.owner_name, COALESCE(h.phone, (SELECT usr.phone FROM membership m"
            "  JOIN user usr ON usr.id = m.user_id WHERE m.household_id = h.id"
            "  AND m.status = 'approved' AND usr.phone IS NOT NULL ORDER BY m.created_at LIMIT 1))"
            f" AS phone{HOUSEHOLD_PLACES} WHERE h.id IN ({sql}){BY_PLACE}",
            params,
        )
        return [
            VulnerableHousehold(
                household_id=row["id"],
                building_id=row["building_id"],
                place=_place(row),
                lives_alone=bool(row["lives_alone"]),
                elderly=bool(row["elderly"]),
                disabled=bool(row["disabled"]),
                owner_name=row["owner_name"],
                phone=row["phone"],
            )
            for row in rows
        ]
