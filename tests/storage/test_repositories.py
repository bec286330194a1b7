"""The Database's transactions and the Sqlite… repositories, on a real migrated file."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.domain.models import (
    Household,
    HouseholdFlags,
    Language,
    Membership,
    MembershipStatus,
    NewHousehold,
    Role,
    Unit,
)
from storage.community import SqliteCommunityRepository
from storage.database import Database
from storage.grids import ROLES_TTL, SqliteGridRepository
from storage.memberships import SqliteMembershipRepository
from storage.migrate import migrate
from storage.users import SqliteUserRepository


class Boom(Exception):
    """Raised inside a transaction to make it roll back."""


@pytest.fixture
async def db(database_path: Path) -> AsyncIterator[Database]:
    """A migrated database on the test's file."""
    database = await Database.open(database_path)
    await migrate(database)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def users(db: Database) -> SqliteUserRepository:
    return SqliteUserRepository(db)


@pytest.fixture
def community(db: Database) -> SqliteCommunityRepository:
    return SqliteCommunityRepository(db)


@pytest.fixture
def memberships(db: Database) -> SqliteMembershipRepository:
    return SqliteMembershipRepository(db)


@pytest.fixture
async def unit(community: SqliteCommunityRepository) -> Unit:
    """1单元 of 3号楼 in 幸福里小区."""
    place = await community.upsert_community("幸福里社区", "Asia/Shanghai")
    compound = await community.add_compound(place.id, "幸福里小区")
    building = await community.add_building(compound.id, "3号楼")
    return await community.add_unit(building.id, "1单元")


async def count(db: Database, table: str) -> int:
    """Rows in `table`."""
    return int(await db.fetch_value(f"SELECT count(*) FROM {table}"))


# ---------------------------------------------------------------------------- Database


async def test_transaction_commits_on_success(db: Database, database_path: Path) -> None:
    async with db.transaction():
        await db.execute("INSERT INTO community (name) VALUES ('a')")
        await db.execute("INSERT INTO community (name) VALUES ('b')")

    other = await Database.open(database_path)  # a second connection sees the commit
    try:
        assert await other.fetch_value("SELECT count(*) FROM community") == 2
    finally:
        await other.close()


async def test_transaction_rolls_back_on_exception(db: Database) -> None:
    seen_inside = []

    async def insert_then_fail() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO community (name) VALUES ('a')")
            seen_inside.append(await count(db, "community"))
            raise Boom

    with pytest.raises(Boom):
        await insert_then_fail()

    assert seen_inside == [1]
    assert await count(db, "community") == 0


async def test_transaction_is_reentrant_in_one_task(db: Database) -> None:
    async with asyncio.timeout(5):  # a deadlock fails instead of hanging
        async with db.transaction():
            await db.execute("INSERT INTO community (name) VALUES ('outer')")
            async with db.transaction():
                await db.execute("INSERT INTO community (name) VALUES ('inner')")
            await db.execute("INSERT INTO community (name) VALUES ('after')")

    assert await count(db, "community") == 3


async def test_exception_through_nested_transactions_rolls_back_everything(
    db: Database,
) -> None:

    async def nested_then_fail() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO community (name) VALUES ('outer')")
            async with db.transaction():
                await db.execute("INSERT INTO community (name) VALUES ('inner')")
                raise Boom

    with pytest.raises(Boom):
        await nested_then_fail()

    assert await count(db, "community") == 0


async def test_concurrent_transactions_are_serialized(db: Database) -> None:
    await db.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER) STRICT")
    await db.execute("INSERT INTO counter (id, value) VALUES (1, 0)")

    async def increment() -> None:
        async with db.transaction():
            value = await db.fetch_value("SELECT value FROM counter WHERE id = 1")
            await db.execute("UPDATE counter SET value = ? WHERE id = 1", (value + 1,))

    async with asyncio.timeout(10):
        await asyncio.gather(*(increment() for _ in range(50)))

    assert await db.fetch_value("SELECT value FROM counter WHERE id = 1") == 50


async def test_other_tasks_never_read_uncommitted_writes(db: Database) -> None:
    written = asyncio.Event()
    go_on = asyncio.Event()
    reading = asyncio.Event()

    async def writer() -> None:
        async with db.transaction():
            await db.execute("INSERT INTO community (name) VALUES ('uncommitted')")
            written.set()
            await go_on.wait()
            raise Boom

    async def reader() -> int:
        reading.set()
        return await count(db, "community")

    async with asyncio.timeout(5):
        writing = asyncio.create_task(writer())
        await written.wait()
        read = asyncio.create_task(reader())
        await reading.wait()  # the reader has issued its query, or is waiting for the lock
        go_on.set()
        with pytest.raises(Boom):
            await writing
        assert await read == 0


async def test_insert_returns_the_new_row_id(db: Database) -> None:
    first = await db.insert("INSERT INTO community (name) VALUES ('a')")
    second = await db.insert("INSERT INTO community (name) VALUES ('b')")

    assert second == first + 1
    assert await db.fetch_value("SELECT name FROM community WHERE id = ?", (second,)) == "b"


async def test_fetch_one_and_fetch_value_give_none_for_no_rows(db: Database) -> None:
    assert await db.fetch_one("SELECT * FROM community") is None
    assert await db.fetch_value("SELECT name FROM community") is None


# ---------------------------------------------------------------------------- users


async def test_added_user_reads_back_by_id_and_by_channel(
    users: SqliteUserRepository, clock: ManualClock
) -> None:
    added = await users.add("telegram", "1001", "王阿姨", Role.RESIDENT, clock.now())

    assert added.id > 0
    assert (added.channel, added.external_id, added.first_name) == ("telegram", "1001", "王阿姨")
    assert added.role is Role.RESIDENT
    assert added.language is None
    assert added.created_at == clock.now()
    assert added.created_at.tzinfo is not None
    assert await users.get(added.id) == added
    assert await users.get_by_external("telegram", "1001") == added


async def test_unknown_user_is_none(users: SqliteUserRepository, clock: ManualClock) -> None:
    await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())

    assert await users.get(999) is None
    assert await users.get_by_external("telegram", "1002") is None
    assert await users.get_by_external("wechat", "1001") is None


async def test_user_setters_change_one_field_each(
    users: SqliteUserRepository, clock: ManualClock
) -> None:
    added = await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())

    await users.set_first_name(added.id, "王秀兰")
    await users.set_language(added.id, Language.EN)
    await users.set_role(added.id, Role.GRID_WORKER)

    changed = await users.get(added.id)
    assert changed == added.model_copy(
        update={"first_name": "王秀兰", "language": Language.EN, "role": Role.GRID_WORKER}
    )


async def test_same_channel_identity_cannot_be_added_twice(
    users: SqliteUserRepository, clock: ManualClock
) -> None:
    first = await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())
    other = await users.add("wechat", "1001", "王", Role.RESIDENT, clock.now())  # another channel

    assert other is not None
    assert first is not None
    assert other.id != first.id
    assert await users.add("telegram", "1001", "李", Role.RESIDENT, clock.now()) is None
    assert await users.get_by_external("telegram", "1001") == first


async def test_cached_user_follows_every_write(
    users: SqliteUserRepository, clock: ManualClock
) -> None:
    added = await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())
    assert added is not None
    assert await users.get_by_external("telegram", "1001") == added  # now cached

    await users.set_first_name(added.id, "王秀兰")
    await users.set_language(added.id, Language.EN)
    await users.set_role(added.id, Role.GRID_WORKER)
    await users.set_phone(added.id, "13800000000")
    await users.set_unreachable(added.id, clock.now())

    assert await users.get_by_external("telegram", "1001") == await users.get(added.id)
    seen = await users.get_by_external("telegram", "1001")
    assert seen is not None
    assert (seen.first_name, seen.language, seen.role, seen.phone) == (
        "王秀兰",
        Language.EN,
        Role.GRID_WORKER,
        "13800000000",
    )
    assert seen.unreachable_at == clock.now()


async def test_cached_user_is_not_changed_by_a_rolled_back_write(
    db: Database, users: SqliteUserRepository, clock: ManualClock
) -> None:
    added = await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())
    assert added is not None
    await users.get_by_external("telegram", "1001")

    async def rename_then_fail() -> None:
        async with db.transaction():
            await users.set_first_name(added.id, "李")
            inside = await users.get_by_external("telegram", "1001")  # not cached: uncommitted
            assert inside is not None
            assert inside.first_name == "李"
            raise Boom

    with pytest.raises(Boom):
        await rename_then_fail()

    after = await users.get_by_external("telegram", "1001")
    assert after is not None
    assert after.first_name == "王"


async def test_repository_writes_roll_back_with_the_transaction(
    db: Database, users: SqliteUserRepository, clock: ManualClock
) -> None:

    async def add_then_fail() -> None:
        async with db.transaction():
            await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())
            raise Boom

    with pytest.raises(Boom):
        await add_then_fail()

    assert await users.get_by_external("telegram", "1001") is None


# ---------------------------------------------------------------------------- community


async def test_upsert_community_creates_then_updates_the_one_row(
    db: Database, community: SqliteCommunityRepository
) -> None:
    assert await community.get_community() is None

    created = await community.upsert_community("幸福里社区", "Asia/Shanghai")
    updated = await community.upsert_community("光明社区", "Asia/Urumqi")

    assert updated.id == created.id
    assert await community.get_community() == updated
    assert (updated.name, updated.timezone) == ("光明社区", "Asia/Urumqi")
    assert await count(db, "community") == 1


async def test_community_tree_lists_in_natural_order(
    community: SqliteCommunityRepository,
) -> None:
    place = await community.upsert_community("幸福里社区", "Asia/Shanghai")
    second = await community.add_compound(place.id, "光明新村")
    first = await community.add_compound(place.id, "幸福里小区")
    for name in ("10号楼", "2号楼", "1号楼"):
        await community.add_building(first.id, name)
    buildings = await community.list_buildings(first.id)
    for name in ("12单元", "2单元"):
        await community.add_unit(buildings[0].id, name)

    assert {c.name for c in await community.list_compounds()} == {"光明新村", "幸福里小区"}
    assert [b.name for b in buildings] == ["1号楼", "2号楼", "10号楼"]
    assert all(b.compound_id == first.id for b in buildings)
    assert await community.list_buildings(second.id) == []
    assert [u.name for u in await community.list_units(buildings[0].id)] == ["2单元", "12单元"]
    assert await community.list_units(buildings[1].id) == []


async def test_duplicate_building_in_a_compound_is_refused(
    community: SqliteCommunityRepository,
) -> None:
    place = await community.upsert_community("幸福里社区", "Asia/Shanghai")
    compound = await community.add_compound(place.id, "幸福里小区")
    await community.add_building(compound.id, "3号楼")

    with pytest.raises(sqlite3.IntegrityError):
        await community.add_building(compound.id, "3号楼")


async def test_household_round_trips_every_field(
    community: SqliteCommunityRepository, unit: Unit, clock: ManualClock
) -> None:
    new = NewHousehold(
        unit_id=unit.id,
        room="302",
        floor=3,
        area=Decimal("87.65"),
        owner_name="李秀英",
        owner_key="owner-302",
        phone="13800138000",
        flags=HouseholdFlags(lives_alone=True, elderly=True),
    )

    added = await community.add_household(new, clock.now())
    stored = await community.get_household(added.id)

    assert stored == added
    assert stored == Household(id=added.id, **new.model_dump())
    assert stored is not None
    assert stored.area == Decimal("87.65")
    assert stored.flags == HouseholdFlags(lives_alone=True, elderly=True, disabled=False)


@pytest.mark.parametrize(
    ("area", "centi", "read_back"),
    [
        (Decimal(0), 0, "0.00"),
        (Decimal("60"), 6000, "60.00"),
        (Decimal("0.01"), 1, "0.01"),
        (Decimal("123.4"), 12340, "123.40"),
        (Decimal("9999.99"), 999999, "9999.99"),
    ],
)
async def test_household_area_is_stored_as_exact_hundredths(
    db: Database,
    community: SqliteCommunityRepository,
    unit: Unit,
    clock: ManualClock,
    area: Decimal,
    centi: int,
    read_back: str,
) -> None:
    added = await community.add_household(
        NewHousehold(unit_id=unit.id, room="101", area=area), clock.now()
    )

    stored = await community.get_household(added.id)

    assert await db.fetch_value("SELECT area_centi FROM household WHERE id = ?", (added.id,)) == (
        centi
    )
    assert stored is not None
    assert str(stored.area) == read_back


async def test_households_of_a_unit_list_by_room(
    community: SqliteCommunityRepository, unit: Unit, clock: ManualClock
) -> None:
    for room in ("1101", "201", "102"):
        await community.add_household(NewHousehold(unit_id=unit.id, room=room), clock.now())

    listed = await community.list_households(unit.id)

    assert [h.room for h in listed] == ["102", "201", "1101"]
    assert all(h.flags == HouseholdFlags() and h.phone is None for h in listed)


async def test_household_rules_are_enforced_by_the_schema(
    community: SqliteCommunityRepository, unit: Unit, clock: ManualClock
) -> None:
    await community.add_household(NewHousehold(unit_id=unit.id, room="101"), clock.now())

    with pytest.raises(sqlite3.IntegrityError):  # same room twice
        await community.add_household(NewHousehold(unit_id=unit.id, room="101"), clock.now())
    with pytest.raises(sqlite3.IntegrityError):  # no such unit
        await community.add_household(NewHousehold(unit_id=999, room="101"), clock.now())


async def test_unknown_household_is_none(community: SqliteCommunityRepository) -> None:
    assert await community.get_household(12345) is None


# ---------------------------------------------------------------------------- memberships


async def test_memberships_list_per_user_newest_first_and_per_household_oldest_first(
    users: SqliteUserRepository,
    community: SqliteCommunityRepository,
    memberships: SqliteMembershipRepository,
    unit: Unit,
    clock: ManualClock,
) -> None:
    resident = await users.add("telegram", "1001", "王", Role.RESIDENT, clock.now())
    neighbour = await users.add("telegram", "1002", "李", Role.RESIDENT, clock.now())
    grid = await users.add("telegram", "2001", "张", Role.GRID_WORKER, clock.now())
    old_home = await community.add_household(
        NewHousehold(unit_id=unit.id, room="101"), clock.now()
    )
    new_home = await community.add_household(
        NewHousehold(unit_id=unit.id, room="202"), clock.now()
    )
    earlier = Membership(
        user_id=resident.id,
        household_id=old_home.id,
        status=MembershipStatus.LEFT,
        is_current=False,
        created_at=clock.now(),
        decided_by=grid.id,
        decided_at=clock.now() + timedelta(hours=1),
    )
    later = Membership(
        user_id=resident.id,
        household_id=new_home.id,
        status=MembershipStatus.PENDING,
        is_current=True,
        created_at=clock.advance(timedelta(days=3)),
    )
    neighbours = Membership(
        user_id=neighbour.id,
        household_id=old_home.id,
        status=MembershipStatus.APPROVED,
        is_current=True,
        created_at=clock.advance(timedelta(days=1)),
    )
    for membership in (later, neighbours, earlier):
        await memberships.add(membership)

    assert await memberships.list_for_user(resident.id) == [later, earlier]
    assert await memberships.list_for_household(old_home.id) == [earlier, neighbours]
    assert await memberships.list_for_user(grid.id) == []


async def test_membership_round_trips_times_as_utc(
    users: SqliteUserRepository,
    community: SqliteCommunityRepository,
    memberships: SqliteMembershipRepository,
    unit: Unit,
) -> None:
    shanghai_morning = datetime.fromisoformat("2026-11-22T09:00:00+08:00")
    resident = await users.add("telegram", "1001", "王", Role.RESIDENT, shanghai_morning)
    home = await community.add_household(
        NewHousehold(unit_id=unit.id, room="101"), shanghai_morning
    )

    await memberships.add(
        Membership(
            user_id=resident.id,
            household_id=home.id,
            status=MembershipStatus.APPROVED,
            is_current=True,
            created_at=shanghai_morning,
        )
    )

    (stored,) = await memberships.list_for_user(resident.id)
    assert stored.created_at == shanghai_morning
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.created_at == datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    assert stored.decided_by is None
    assert stored.decided_at is None


async def test_membership_needs_a_real_user_and_household(
    memberships: SqliteMembershipRepository, clock: ManualClock
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await memberships.add(
            Membership(
                user_id=404,
                household_id=404,
                status=MembershipStatus.PENDING,
                is_current=False,
                created_at=clock.now(),
            )
        )


# ---------------------------------------------------------------------------- declared roles


async def test_declared_roles_follow_the_grids_and_leads_this_process_writes(
    db: Database,
) -> None:
    grids = SqliteGridRepository(db)
    await db.execute("INSERT INTO community (id, name) VALUES (1, '社区')")
    await db.execute("INSERT INTO compound (id, community_id, name) VALUES (1, 1, '小区')")
    await db.execute("INSERT INTO building (id, compound_id, name) VALUES (1, 1, '1栋')")
    assert await grids.declared_role("telegram", "2001") is None  # now read and kept

    await grids.replace_grids([("一网格", [1], ["2001"])], "telegram")
    await grids.replace_leads([(1, "3001"), (1, "2001")], "telegram")

    assert await grids.declared_role("telegram", "2001") is Role.GRID_WORKER  # worker wins
    assert await grids.declared_role("telegram", "3001") is Role.BUILDING_LEAD
    assert await grids.declared_role("wechat", "3001") is None

    await grids.replace_grids([], "telegram")
    await grids.replace_leads([], "telegram")

    assert await grids.declared_role("telegram", "2001") is None
    assert await grids.declared_role("telegram", "3001") is None


async def test_declared_roles_are_read_again_after_another_process_changed_them(
    db: Database,
) -> None:
    now = [0.0]
    grids = SqliteGridRepository(db, monotonic=lambda: now[0])
    await db.execute("INSERT INTO community (id, name) VALUES (1, '社区')")
    await db.execute("INSERT INTO compound (id, community_id, name) VALUES (1, 1, '小区')")
    await db.execute("INSERT INTO building (id, compound_id, name) VALUES (1, 1, '1栋')")
    assert await grids.declared_role("telegram", "3001") is None
    # `shangliang import-roster` in another process: the rows change behind our back.
    await db.execute("INSERT INTO building_lead VALUES (1, 'telegram', '3001')")
    assert await grids.declared_role("telegram", "3001") is None  # the copy is still trusted

    now[0] += ROLES_TTL + 1

    assert await grids.declared_role("telegram", "3001") is Role.BUILDING_LEAD
