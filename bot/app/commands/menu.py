"""`shangliang menu create FILE`: publish a renovation menu from a TOML or XLSX file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app.runtime import Runtime
    from bot.documents.menu_files import MenuSpec
    from bot.domain.scope import Scope


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the menu subcommand."""
    parser = commands.add_parser(
        "menu",
        help="publish a renovation menu from a TOML or XLSX file",
        description=(
            "Create a renovation menu (点单) from a file: title, compounds/buildings/units,"
            " opens, closes, max_picks, budget, rule (greedy or mes), live, and its items"
            " (title, cost in yuan, description); closes may be given as a duration"
            ' ("14 days", "36 hours"). See examples/menu.toml. It opens at its'
            " time and the households in scope are told, as when staff create it in the chat."
        ),
    )
    parser.add_argument("action", choices=["create"], help="what to do")
    parser.add_argument("file", type=Path, help="the menu (.toml or .xlsx)")
    parser.add_argument(
        "--author",
        type=int,
        default=None,
        help="Telegram id of the staff member it is published as (default: the first staff)",
    )
    parser.set_defaults(handler=cmd_menu)


async def resolve_scope(runtime: Runtime, spec: MenuSpec) -> tuple[Scope | None, list[str]]:
    """Place names ("幸福里小区/1号楼/1单元") to ids; the names that do not exist."""
    from bot.domain.scope import Scope, ScopeKind

    community = runtime.services.community
    registration = runtime.services.registration
    ids: list[int] = []
    missing: list[str] = []
    compounds = {c.name: c.id for c in await community.compounds()}
    for name in spec.places:
        parts = [part.strip() for part in name.split("/")]
        found: int | None = compounds.get(parts[0])
        if found is not None and spec.scope_kind in (ScopeKind.BUILDINGS, ScopeKind.UNITS):
            buildings = {b.name: b.id for b in await community.buildings(found)}
            found = buildings.get(parts[1]) if len(parts) > 1 else None
        if found is not None and spec.scope_kind is ScopeKind.UNITS:
            units = {u.label: u.id for u in await registration.units(found)}
            found = units.get(parts[2]) if len(parts) > 2 else None
        expected = {ScopeKind.COMPOUNDS: 1, ScopeKind.BUILDINGS: 2, ScopeKind.UNITS: 3}
        if found is None or len(parts) != expected[spec.scope_kind]:
            missing.append(name)
        elif found not in ids:
            ids.append(found)
    if missing or not ids:
        return None, missing
    return Scope(kind=spec.scope_kind, ids=tuple(ids)), []


def cmd_menu(args: argparse.Namespace) -> int:
    """Read, check and publish the menu."""
    import asyncio

    from pydantic import ValidationError

    from bot.app.config import load_settings
    from bot.app.runtime import runtime_for
    from bot.documents.menu_files import MenuFileError, read_menu_file
    from bot.domain.errors import DomainError
    from bot.domain.models import ChannelUser
    from bot.domain.votes import MenuDraft

    settings = load_settings(args.config, required=False)
    try:
        spec = read_menu_file(args.file, settings.community.timezone, args.clock.now())
    except MenuFileError as error:
        print(f"{args.file}: nothing created", file=sys.stderr)
        for line in error.lines:
            print(f"  {line}", file=sys.stderr)
        return 1
    author = args.author if args.author is not None else next(iter(settings.roles.staff), None)
    if author is None or author not in settings.roles.staff:
        print("the author must be one of roles.staff in the configuration", file=sys.stderr)
        return 2

    async def go() -> int:
        async with runtime_for(settings, args.clock) as runtime:
            scope, missing = await resolve_scope(runtime, spec)
            if scope is None:
                print(f"{args.file}: nothing created", file=sys.stderr)
                print(f"  places not in the roster: {', '.join(missing)}", file=sys.stderr)
                return 1
            services = runtime.services
            staff = await services.users.find("telegram", str(author))
            if staff is None:  # never talked to the bot: known by the configuration
                staff = await services.users.identify(
                    ChannelUser(channel="telegram", external_id=str(author))
                )
            try:
                draft = MenuDraft(
                    title=spec.title,
                    scope=scope,
                    opens_at=spec.opens_at or services.clock.now(),
                    closes_at=spec.closes_at,
                    items=tuple(spec.items),
                    max_picks=spec.max_picks,
                    budget=spec.budget,
                    rule=spec.rule,
                    live=spec.live,
                )
                menu = await services.votes.create_menu(staff, draft)
            except (ValidationError, DomainError) as error:
                print(f"{args.file}: nothing created", file=sys.stderr)
                for problem in _problems(error):
                    print(f"  {problem}", file=sys.stderr)
                return 1
            print(
                f"menu #{menu.id} {menu.title!r}: {len(menu.items)} items, opens"
                f" {menu.opens_at.isoformat()}, closes {menu.closes_at.isoformat()}"
            )
            return 0

    return asyncio.run(go())


def _problems(error: Exception) -> list[str]:
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc']) or 'menu'}: {e['msg']}" for e in error.errors()
        ]
    return [type(error).__name__]
