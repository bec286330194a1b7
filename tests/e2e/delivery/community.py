"""A small community with grids and registered residents, for the delivery features' tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from bot.app.config import Settings, settings_from_mapping
from bot.app.runtime import runtime_for, sync_grids
from bot.clock import ManualClock
from bot.domain.models import ChannelUser, HouseholdFlags, NewHousehold
from emulator.driver import UserClient
from emulator.harness import BotHarness
from tests.conftest import STAFF_ID

GRID = 700001  # grid worker of 幸福里小区 1号楼 and 2号楼
OTHER_GRID = 700002  # grid worker of 光明新村 3号楼
LEAD = 800104  # building lead of 幸福里小区 1号楼

# (compound, building, unit, room) → (Telegram ids of the registered residents, vulnerable)
LAYOUT: dict[tuple[str, str, str, str], tuple[tuple[int, ...], bool]] = {
    ("幸福里小区", "1号楼", "1单元", "101"): ((800101, 800102), False),
    ("幸福里小区", "1号楼", "1单元", "102"): ((800103,), True),
    ("幸福里小区", "1号楼", "1单元", "201"): ((), True),
    ("幸福里小区", "1号楼", "2单元", "101"): ((800104,), False),
    ("幸福里小区", "2号楼", "1单元", "101"): ((800201,), False),
    ("幸福里小区", "2号楼", "1单元", "102"): ((800202,), True),
    ("光明新村", "3号楼", "1单元", "101"): ((800301,), False),
    ("光明新村", "4号楼", "1单元", "101"): ((), False),
}


def delivery_settings(database_path: str) -> Settings:
    """Two grids, one staff member."""
    return settings_from_mapping(
        {
            "storage": {"database": database_path},
            "community": {"name": "幸福里社区"},
            "roles": {"staff": [STAFF_ID]},
            "grids": [
                {
                    "name": "第一网格",
                    "buildings": ["幸福里小区/1号楼", "幸福里小区/2号楼"],
                    "workers": [GRID],
                },
                {
                    "name": "第二网格",
                    "buildings": ["光明新村/3号楼", "光明新村/4号楼"],
                    "workers": [OTHER_GRID],
                },
            ],
            # A resident of 1号楼 2单元 101 who also looks after 1号楼.
            "building_leads": [{"building": "幸福里小区/1号楼", "telegram_id": LEAD}],
        }
    )


@dataclass
class Community:
    """Ids of what was seeded."""

    households: dict[str, int] = field(default_factory=dict)  # "1号楼 1单元 101" → id
    buildings: dict[str, int] = field(default_factory=dict)  # "1号楼" → id
    units: dict[str, int] = field(default_factory=dict)  # "1号楼 1单元" → id
    compounds: dict[str, int] = field(default_factory=dict)


async def seed(settings: Settings, clock: ManualClock) -> Community:
    """The layout above, each resident registered by a matching phone."""
    seeded = Community()
    async with runtime_for(settings, clock) as runtime:
        services = runtime.services
        for (compound, building, unit, room), (residents, vulnerable) in LAYOUT.items():
            if compound not in seeded.compounds:
                seeded.compounds[compound] = (await services.community.add_compound(compound)).id
            if building not in seeded.buildings:
                added = await services.community.add_building(seeded.compounds[compound], building)
                seeded.buildings[building] = added.id
            unit_key = f"{building} {unit}"
            if unit_key not in seeded.units:
                added = await services.community.add_unit(seeded.buildings[building], unit)
                seeded.units[unit_key] = added.id
            phone = f"1390000{len(seeded.households):04d}"
            household = await services.community.add_household(
                NewHousehold(
                    unit_id=seeded.units[unit_key],
                    room=room,
                    area=Decimal("60"),
                    phone=phone,
                    flags=HouseholdFlags(elderly=vulnerable),
                ),
                clock.now(),
            )
            seeded.households[f"{building} {unit} {room}"] = household.id
            for telegram_id in residents:
                user = await services.users.identify(
                    ChannelUser(
                        channel="telegram", external_id=str(telegram_id), first_name="居民"
                    )
                )
                await services.registration.request(user, household.id, phone)
        # Grids name buildings, so sync them again now that the buildings exist.
        await sync_grids(runtime)
    return seeded


def residents(harness: BotHarness, ids: tuple[int, ...]) -> list[UserClient]:
    """The Telegram clients of seeded residents (their chats exist from now on)."""
    return [harness.user("居民", user_id=telegram_id) for telegram_id in ids]
