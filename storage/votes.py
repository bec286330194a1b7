"""Menus, ballots, proposals, answers and their audit logs. Callers hold the transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.domain.consent import Answer, Rule
from bot.domain.messages import Attachment
from bot.domain.scope import Scope
from bot.domain.votes import (
    AnswerRecord,
    Menu,
    MenuDraft,
    MenuItem,
    MenuResult,
    Proposal,
    ProposalDraft,
    RosterRow,
    SelectionRule,
)
from storage.audience import BY_PLACE, HOUSEHOLD_PLACES, _households_sql, in_scope
from storage.codec import area_from_db, json_to_db, time_from_db, time_to_db
from storage.database import Database


def _menu(row: Any, items: list[MenuItem]) -> Menu:
    return Menu(
        id=row["id"],
        title=row["title"],
        scope=Scope.model_validate_json(row["scope"]),
        opens_at=time_from_db(row["opens_at"]),
        closes_at=time_from_db(row["closes_at"]),
        items=tuple(items),
        max_picks=row["max_picks"],
        budget=row["budget"],
        rule=SelectionRule(row["rule"]),
        live=bool(row["live"]),
        author_id=row["author_id"],
        cancelled=bool(row["cancelled"]),
        result=MenuResult.model_validate_json(row["result"]) if row["result"] else None,
    )


def _item(row: Any) -> MenuItem:
    return MenuItem(
        id=row["id"],
        position=row["position"],
        title=row["title"],
        description=row["description"],
        cost=row["cost"],
        photo=Attachment(kind="photo", ref=row["photo"]) if row["photo"] else None,
    )


def _proposal(row: Any) -> Proposal:
    return Proposal(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        scope=Scope.model_validate_json(row["scope"]),
        rule=Rule.model_validate_json(row["rule"]),
        opens_at=time_from_db(row["opens_at"]),
        closes_at=time_from_db(row["closes_at"]),
        attachments=tuple(Attachment.model_validate(a) for a in json.loads(row["attachments"])),
        total_cost_fen=row["total_cost_fen"],
        coefficients={int(k): Decimal(v) for k, v in json.loads(row["coefficients"]).items()},
        author_id=row["author_id"],
        cancelled=bool(row["cancelled"]),
        result=row["result"],
    )


def _record(row: Any) -> AnswerRecord:
    data = dict(row)
    return AnswerRecord(
        proposal_id=data["proposal_id"],
        household_id=data["household_id"],
        answer=Answer(data["answer"]),
        at=time_from_db(data["at"]),
        user_id=data["user_id"],
        recorded_by=data["recorded_by"],
        previous=Answer(data["previous"]) if data.get("previous") else None,
    )


class SqliteVoteRepository:
    """The `menu*` and `proposal*` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ menus

    async def add_menu(self, draft: MenuDraft, author_id: int, now: datetime) -> int:
        """Store a menu and its items; its id."""
        menu_id = await self._db.insert(
            "INSERT INTO menu (title, scope, opens_at, closes_at, max_picks, budget, rule, live,"
            " author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.title,
                draft.scope.model_dump_json(),
                time_to_db(draft.opens_at),
                time_to_db(draft.closes_at),
                draft.max_picks,
                draft.budget,
                draft.rule.value,
                int(draft.live),
                author_id,
                time_to_db(now),
            ),
        )
        await self._db.execute_many(
            "INSERT INTO menu_item (menu_id, position, title, description, cost, photo)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    menu_id,
                    position,
                    item.title,
                    item.description,
                    item.cost,
                    item.photo.ref if item.photo else None,
                )
                for position, item in enumerate(draft.items)
            ],
        )
        return menu_id

    async def get_menu(self, menu_id: int) -> Menu | None:
        """A menu with its items."""
        row = await self._db.fetch_one("SELECT * FROM menu WHERE id = ?", (menu_id,))
        if row is None:
            return None
        items = await self._db.fetch_all(
            "SELECT * FROM menu_item WHERE menu_id = ? ORDER BY position", (menu_id,)
        )
        return _menu(row, [_item(item) for item in items])

    async def menus(self) -> list[Menu]:
        """Every menu, newest first."""
        rows = await self._db.fetch_all("SELECT id FROM menu ORDER BY closes_at DESC, id DESC")
        menus = [await self.get_menu(row["id"]) for row in rows]
        return [menu for menu in menus if menu is not None]

    async def update_menu(self, menu_id: int, **fields: object) -> None:
        """Change rules (max_picks, live, rule, budget, cancelled) of a menu not yet frozen."""
        allowed = {"max_picks", "live", "rule", "budget", "cancelled", "closes_at", "opens_at"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot update {sorted(fields)}")
        values = [
            time_to_db(v) if isinstance(v, datetime) else int(v) if isinstance(v, bool) else v
            for v in fields.values()
        ]
        sets = ", ".join(f"{name} = ?" for name in fields)
        await self._db.execute(f"UPDATE menu SET {sets} WHERE id = ?", (*values, menu_id))

    async def freeze_menu(self, menu_id: int, result: MenuResult) -> bool:
        """Write the closing result once; False if it was already frozen."""
        changed = await self._db.execute(
            "UPDATE menu SET result = ? WHERE id = ? AND result IS NULL",
            (result.model_dump_json(), menu_id),
        )
        return changed > 0

    async def cast(
        self,
        menu_id: int,
        household_id: int,
        user_id: int,
        picks: Sequence[int],
        now: datetime,
    ) -> None:
        """The household's ballot is now `picks` (replacing any earlier one); logged."""
        encoded = json_to_db(sorted(picks))
        at = time_to_db(now)
        await self._db.execute(
            "INSERT INTO menu_ballot (menu_id, household_id, user_id, picks, at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (menu_id, household_id)"
            " DO UPDATE SET user_id = excluded.user_id, picks = excluded.picks, at = excluded.at",
            (menu_id, household_id, user_id, encoded, at),
        )
        await self._db.execute(
            "DELETE FROM menu_ballot_pick WHERE menu_id = ? AND household_id = ?",
            (menu_id, household_id),
        )
        await self._db.execute_many(
            "INSERT INTO menu_ballot_pick (menu_id, household_id, item_id) VALUES (?, ?, ?)",
            [(menu_id, household_id, item) for item in sorted(picks)],
        )
        await self._db.execute(
            "INSERT INTO menu_ballot_event (menu_id, household_id, user_id, picks, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (menu_id, household_id, user_id, encoded, at),
        )

    async def ballot(
        self, menu_id: int, household_id: int
    ) -> tuple[tuple[int, ...], int, int] | None:
        """The household's current picks, who cast them and the ballot's version (how many
        times it was cast or changed), if it voted."""
        row = await self._db.fetch_one(
            "SELECT picks, user_id, (SELECT count(*) FROM menu_ballot_event AS event"
            " WHERE event.menu_id = ballot.menu_id AND event.household_id = ballot.household_id)"
            " AS version FROM menu_ballot AS ballot WHERE menu_id = ? AND household_id = ?",
            (menu_id, household_id),
        )
        if row is None:
            return None
        return tuple(json.loads(row["picks"])), row["user_id"], row["version"]

    async def ballots(self, menu_id: int) -> dict[int, frozenset[int]]:
        """Every household's picks."""
        rows = await self._db.fetch_all(
            "SELECT household_id, picks FROM menu_ballot WHERE menu_id = ?", (menu_id,)
        )
        return {row["household_id"]: frozenset(json.loads(row["picks"])) for row in rows}

    async def ballot_events(self, menu_id: int) -> int:
        """How many times ballots were cast or changed."""
        return await self._db.fetch_count(
            "SELECT count(*) FROM menu_ballot_event WHERE menu_id = ?", (menu_id,)
        )

    # ------------------------------------------------------------------ proposals

    async def add_proposal(self, draft: ProposalDraft, author_id: int, now: datetime) -> int:
        """Store a proposal; its id."""
        return await self._db.insert(
            "INSERT INTO proposal (title, body, scope, rule, opens_at, closes_at, attachments,"
            " total_cost_fen, coefficients, author_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.title,
                draft.body,
                draft.scope.model_dump_json(),
                draft.rule.model_dump_json(),
                time_to_db(draft.opens_at),
                time_to_db(draft.closes_at),
                json_to_db([a.model_dump() for a in draft.attachments]),
                draft.total_cost_fen,
                json_to_db({str(k): str(v) for k, v in sorted(draft.coefficients.items())}),
                author_id,
                time_to_db(now),
            ),
        )

    async def get_proposal(self, proposal_id: int) -> Proposal | None:
        """A proposal."""
        row = await self._db.fetch_one("SELECT * FROM proposal WHERE id = ?", (proposal_id,))
        return _proposal(row) if row else None

    async def proposals(self) -> list[Proposal]:
        """Every proposal, newest first."""
        rows = await self._db.fetch_all("SELECT * FROM proposal ORDER BY closes_at DESC, id DESC")
        return [_proposal(row) for row in rows]

    async def cancel_proposal(self, proposal_id: int) -> None:
        """Withdraw a proposal that has not opened."""
        await self._db.execute("UPDATE proposal SET cancelled = 1 WHERE id = ?", (proposal_id,))

    async def freeze_proposal(self, proposal_id: int, result_json: str) -> bool:
        """Write the closing count once; False if it was already frozen."""
        changed = await self._db.execute(
            "UPDATE proposal SET result = ? WHERE id = ? AND result IS NULL",
            (result_json, proposal_id),
        )
        return changed > 0

    async def answer(
        self,
        proposal_id: int,
        household_id: int,
        answer: Answer,
        now: datetime,
        *,
        user_id: int | None,
        recorded_by: int | None,
    ) -> Answer | None:
        """Set the household's answer and log it; the answer it replaced, if any."""
        previous = await self._db.fetch_value(
            "SELECT answer FROM proposal_answer WHERE proposal_id = ? AND household_id = ?",
            (proposal_id, household_id),
        )
        at = time_to_db(now)
        await self._db.execute(
            "INSERT INTO proposal_answer (proposal_id, household_id, answer, user_id,"
            " recorded_by, at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (proposal_id, household_id) DO UPDATE SET answer = excluded.answer,"
            " user_id = excluded.user_id, recorded_by = excluded.recorded_by, at = excluded.at",
            (proposal_id, household_id, answer.value, user_id, recorded_by, at),
        )
        await self._db.execute(
            "INSERT INTO proposal_event (proposal_id, household_id, answer, previous, user_id,"
            " recorded_by, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (proposal_id, household_id, answer.value, previous, user_id, recorded_by, at),
        )
        return Answer(previous) if previous else None

    async def answers(self, proposal_id: int) -> list[AnswerRecord]:
        """The current answer of every household that answered."""
        rows = await self._db.fetch_all(
            "SELECT * FROM proposal_answer WHERE proposal_id = ? ORDER BY household_id",
            (proposal_id,),
        )
        return [_record(row) for row in rows]

    async def answer_of(self, proposal_id: int, household_id: int) -> AnswerRecord | None:
        """One household's current answer."""
        row = await self._db.fetch_one(
            "SELECT * FROM proposal_answer WHERE proposal_id = ? AND household_id = ?",
            (proposal_id, household_id),
        )
        return _record(row) if row else None

    async def audit(self, proposal_id: int) -> list[AnswerRecord]:
        """The audit log, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT * FROM proposal_event WHERE proposal_id = ? ORDER BY id", (proposal_id,)
        )
        return [_record(row) for row in rows]

    # ------------------------------------------------------------------ who votes

    async def roster(self, scope: Scope) -> list[RosterRow]:
        """The households of a scope with place, floor, area, owner key, flags, and whether
        someone is registered (an approved member), sorted by place."""
        sql, params = _households_sql(scope)
        rows = await self._db.fetch_all(
            "SELECT h.id, b.id AS building_id, c.name AS compound, b.name AS building,"
            " u.name AS unit, h.room,"
            " h.floor, h.area_centi, h.owner_key, h.lives_alone, h.elderly, h.disabled,"
            " EXISTS (SELECT 1 FROM membership m WHERE m.household_id = h.id"
            f"  AND m.status = 'approved') AS registered{HOUSEHOLD_PLACES}"
            f" WHERE h.id IN ({sql}){BY_PLACE}",
            params,
        )
        return [
            RosterRow(
                household_id=row["id"],
                building_id=row["building_id"],
                compound=row["compound"],
                building=row["building"],
                unit=row["unit"],
                room=row["room"],
                floor=row["floor"],
                area=area_from_db(row["area_centi"]),
                owner_key=row["owner_key"],
                registered=bool(row["registered"]),
                lives_alone=bool(row["lives_alone"]),
                elderly=bool(row["elderly"]),
                disabled=bool(row["disabled"]),
            )
            for row in rows
        ]

    async def current_household(self, user_id: int) -> int | None:
        """The household the user acts for now, if they are an approved member of it."""
        return await self._db.fetch_int(
            "SELECT household_id FROM membership WHERE user_id = ? AND status = 'approved'"
            " AND is_current = 1",
            (user_id,),
        )

    async def in_scope(self, scope: Scope, household_id: int) -> bool:
        """Whether the household is one of the scope's."""
        return await in_scope(self._db, scope, household_id)

    async def eligible(self, scope: Scope) -> list[int]:
        """Households of the scope with someone registered (verified): the menu's voters."""
        sql, params = _households_sql(scope)
        rows = await self._db.fetch_all(
            f"SELECT s.id FROM ({sql}) s WHERE EXISTS (SELECT 1 FROM membership m"
            " WHERE m.household_id = s.id AND m.status = 'approved') ORDER BY s.id",
            params,
        )
        return [row["id"] for row in rows]

    async def members(self, household_ids: Sequence[int]) -> list[int]:
        """The approved members (user ids) of these households."""
        ids = list(household_ids)
        if not ids:
            return []
        rows = await self._db.fetch_all(
            "SELECT DISTINCT user_id FROM membership WHERE status = 'approved'"
            f" AND household_id IN ({','.join('?' for _ in ids)}) ORDER BY user_id",
            ids,
        )
        return [row["user_id"] for row in rows]
