"""`shangliang demo`: the real bot on the emulator, with a chat in the terminal.

The demo seeds a small community into a fresh SQLite file, starts the very Application that
`shangliang run` starts (against the in-process Bot API emulator instead of Telegram) and lets
the person at the keyboard talk to it as a resident or as a grid worker. Standard input may be
a file, one message per line, so a walkthrough can be scripted.
"""

from __future__ import annotations

import asyncio
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from bot.app.config import GridSection, Settings
from bot.app.config_contacts import PersonSection
from bot.app.runtime import grid_specs
from bot.domain.models import ChannelUser, HouseholdFlags, NewHousehold
from bot.ports import Clock
from bot.services import Services
from emulator.driver import UserClient
from emulator.harness import BotHarness
from emulator.records import Event

PRESS = re.compile(r"#\d{1,3}")  # "#2" presses button 2 of the newest message with buttons

RESIDENT_ID = 10001
GRID_WORKER_ID = 10002
STAFF_ID = 10003

# Compounds and their buildings; each building has the same units, floors and flats.
DEMO_COMPOUNDS = [("幸福里小区", ["1号楼", "2号楼", "3号楼"]), ("光明新村", ["5号楼", "6号楼"])]
DEMO_UNITS = ["1单元", "2单元"]
DEMO_FLOORS = 3
DEMO_FLATS_PER_FLOOR = 2


async def seed_demo(services: Services) -> int:
    """Create the demo community, its households and the two demo people; return households."""
    now = services.clock.now()
    households = 0
    for compound_name, building_names in DEMO_COMPOUNDS:
        compound = await services.community.add_compound(compound_name)
        for building_name in building_names:
            building = await services.community.add_building(compound.id, building_name)
            for unit_name in DEMO_UNITS:
                unit = await services.community.add_unit(building.id, unit_name)
                for floor in range(1, DEMO_FLOORS + 1):
                    for flat in range(1, DEMO_FLATS_PER_FLOOR + 1):
                        await services.community.add_household(
                            NewHousehold(
                                unit_id=unit.id,
                                room=f"{floor}0{flat}",
                                floor=floor,
                                area=Decimal("62.50") + flat * 10,
                                phone=demo_phone(households),
                                flags=HouseholdFlags(elderly=floor == 1 and flat == 1),
                            ),
                            now,
                        )
                        households += 1
    grids, leads = grid_specs(demo_settings_grids())
    await services.grids.sync(grids, leads)
    # The grid worker and the staff member have opened the bot before, as they would have on
    # their phones: requests for 幸福里小区 reach 李网格员, those for 光明新村 (no grid) 张主任.
    for person, name in ((GRID_WORKER_ID, "李网格员"), (STAFF_ID, "张主任")):
        await services.users.identify(
            ChannelUser(channel="telegram", external_id=str(person), first_name=name)
        )
    return households


def demo_phone(index: int) -> str:
    """The made-up roster phone of the demo's index-th household."""
    return f"1380000{index:04d}"


# 王阿姨's phone is the roster's for 幸福里小区 1号楼 2单元 302 (household index 11).
RESIDENT_PHONE = demo_phone(11)
RESIDENT_HOME = "幸福里小区 1号楼 2单元 302"


def demo_settings_grids(settings: Settings | None = None) -> Settings:
    """Settings with the demo grid: 李网格员 looks after 幸福里小区; 光明新村 has no grid."""
    base = settings or Settings()
    compound, buildings = DEMO_COMPOUNDS[0]
    grid = GridSection(
        name="幸福里网格",
        buildings=[f"{compound}/{building}" for building in buildings],
        workers=[GRID_WORKER_ID],
        contacts=[
            PersonSection(telegram_id=GRID_WORKER_ID, name="李网格员", phone="138-0000-0101")
        ],
    )
    roles = base.roles.model_copy(update={"staff": [*base.roles.staff, STAFF_ID]})
    # No quiet hours: whatever the hour the demo runs at, a push shows at once.
    quiet = base.quiet_hours.model_copy(update={"start": time(0, 0), "end": time(0, 0)})
    # Who residents call (📞): made-up numbers, so that the card shows what a real one would.
    contacts = base.contacts.model_copy(
        update={
            "office_phone": "0471-6912345",
            "office_address": "幸福里社区居委会，幸福路 18 号一楼",
            "office_hours": "周一至周五 8:30–12:00，14:30–17:30",
            "property_company": "安居物业",
            "property_repair_line": "0471-6900000",
            "gas_emergency_line": "96777",
        }
    )
    return base.model_copy(
        update={"grids": [grid], "roles": roles, "quiet_hours": quiet, "contacts": contacts}
    )


@dataclass
class TerminalChat:
    """Prints what the bot does in the current user's chat; turns lines into user actions."""

    harness: BotHarness
    out: TextIO
    people: dict[str, UserClient]
    current: str = "resident"
    numbered: list[tuple[int, str]] = field(default_factory=list)  # (message id, label)
    shown_keyboard: list[str] = field(default_factory=list)

    @property
    def user(self) -> UserClient:
        """Who is typing now."""
        return self.people[self.current]

    def show(self) -> None:
        """Print the bot's new messages, edits and deletions in the current chat."""
        events = self.user.events()
        for event in events:
            self._print_event(event)
        if self.user.keyboard != self.shown_keyboard:
            self.shown_keyboard = self.user.keyboard
            menu = " | ".join(self.shown_keyboard) or "(none)"
            self.out.write(f"   ⌨  menu: {menu}\n")
        self.out.flush()

    def _print_event(self, event: Event) -> None:
        message = event.message
        if event.kind == "deleted":
            self.out.write(f"🗑  (message {message.message_id} deleted)\n")
            return
        mark = "✏️ " if event.kind == "edited" else "🤖"
        names = ", ".join(item.file_name or message.kind for item in message.files)
        files = f" [📎 {names}]" if names else ""
        self.out.write(f"{mark} {event.text}{files}\n")
        if message.buttons:
            self.numbered = [(message.message_id, label) for label in message.labels]
            row_texts = []
            for number, label in enumerate(message.labels, start=1):
                row_texts.append(f"[#{number}] {label}")
            self.out.write("   " + "  ".join(row_texts) + "\n")

    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text in {"/quit", "/exit"}:
            return False
        if text.startswith("/phone"):
            phone = text.removeprefix("/phone").strip() or RESIDENT_PHONE
            await self.user.share_contact(phone)
            self.show()
            return True
        if text in {"/photo", "/voice"}:
            if text == "/photo":
                await self.user.send_photo(b"demo photo")
            else:
                await self.user.send_voice(b"OggS demo voice note")
            self.show()
            return True
        if text.startswith("/as"):
            who = text.removeprefix("/as").strip()
            if who in self.people:
                self.current = who
                self.numbered = []
                self.shown_keyboard = []
                self.out.write(f"— now talking as {who} ({self.user.first_name}) —\n")
                self.show()  # what reached them while we were someone else
            else:
                self.out.write(f"— /as takes one of: {', '.join(self.people)} —\n")
            return True
        if PRESS.fullmatch(text):
            if not self.numbered:
                self.out.write("— no buttons to press here —\n")
                return True
            index = int(text[1:]) - 1
            if not 0 <= index < len(self.numbered):
                self.out.write(f"— no button {text}; choose #1 to #{len(self.numbered)} —\n")
                return True
            message_id, label = self.numbered[index]
            message = self.user.chat.get(message_id)
            if message is None or label not in message.labels:
                self.out.write("— that button is gone —\n")
                return True
            query = await self.user.click(label, message=message)
            self.show()
            if query.answer_text:  # the pop-up a phone shows over the chat
                mark = "⚠️" if query.show_alert else "💬"
                self.out.write(f"   {mark} {query.answer_text}\n")
                self.out.flush()
            return True
        await self.user.send(text)  # a number without "#" is words too: a budget, a room
        self.show()
        return True


async def _lines(source: TextIO) -> asyncio.Queue[str | None]:
    """Read lines in a thread so the bot keeps running while the user types."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def pump() -> None:
        try:
            for line in source:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, None)
        except RuntimeError:  # the loop closed after /quit while we waited for a line
            pass

    # A daemon thread, not the loop's executor: after /quit the thread may still be
    # blocked on input, and asyncio.run() would wait for the executor at shutdown.
    threading.Thread(target=pump, name="demo-stdin", daemon=True).start()
    return queue


async def run_demo(
    settings: Settings,
    *,
    source: TextIO | None = None,
    out: TextIO | None = None,
    clock: Clock | None = None,
) -> None:
    """Seed a fresh database, start the bot on the emulator and chat until EOF or /quit
    (on the system clock unless given another)."""
    source = sys.stdin if source is None else source
    out = sys.stdout if out is None else out
    settings = demo_settings_grids(settings)
    # The grid's buildings exist only once seed_demo has run; it writes the grid itself.
    harness = await BotHarness.start(settings.model_copy(update={"grids": []}), clock=clock)
    try:
        households = await seed_demo(harness.runtime.services)
        resident = harness.user("王阿姨", user_id=RESIDENT_ID)
        grid = harness.user("李网格员", user_id=GRID_WORKER_ID)
        staff = harness.user("张主任", user_id=STAFF_ID)
        chat = TerminalChat(harness, out, {"resident": resident, "grid": grid, "staff": staff})
        echo = not source.isatty()
        out.write(
            f"商量 Shangliang demo — {settings.community.name}: "
            f"{len(DEMO_COMPOUNDS)} compounds, {households} households.\n"
            "Type a message; #2 presses button [#2]; /as resident, /as grid or /as staff"
            " switches person; /phone shares your phone; /photo or /voice sends one;"
            " /quit leaves.\n"
            f"王阿姨 lives in {RESIDENT_HOME} (/phone shares the roster's phone for it);"
            " 李网格员 looks after 幸福里小区; 张主任 is staff. No quiet hours in the demo.\n"
            f"— talking as resident ({resident.first_name}) —\n"
        )
        await resident.command("start")
        chat.show()
        lines = await _lines(source)
        while True:
            if not echo:
                out.write("> ")
                out.flush()
            line = await lines.get()
            if line is None:
                break
            if echo:
                out.write(f"> {line.rstrip()}\n")
            if not await chat.handle(line):
                break
    finally:
        await harness.stop()
    errors = harness.errors
    if errors:
        out.write(f"— the bot hit {len(errors)} error(s); see the log —\n")


def demo_database(path: Path) -> Path:
    """A fresh demo database at `path` (an old one is removed with its WAL files)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
