"""`shangliang invite-codes`: QR posters for the stairwells."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.documents.invite_sheet import Poster


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the invite-codes subcommand."""
    parser = commands.add_parser(
        "invite-codes",
        help="write QR codes (PNG) and a printable sheet for buildings",
        description=(
            "Write one QR code per building with its t.me deep link, plus index.html to print."
            " Running it again reuses the same codes, so posters already up keep working;"
            " --rotate replaces them (the old posters then get a clear 'no longer in use')."
        ),
    )
    scope = parser.add_mutually_exclusive_group(required=True)
    scope.add_argument(
        "--building", type=int, action="append", metavar="ID", help="a building id (repeatable)"
    )
    scope.add_argument("--compound", type=int, metavar="ID", help="every building of a compound")
    parser.add_argument(
        "--out", type=Path, default=Path("invite-codes"), help="folder (default: invite-codes/)"
    )
    parser.add_argument("--rotate", action="store_true", help="revoke the old codes, issue new")
    parser.set_defaults(handler=cmd_invite_codes)


def cmd_invite_codes(args: argparse.Namespace) -> int:
    """Issue (or reuse) the codes and write the posters."""
    import asyncio

    from bot.app.config import config_path, load_settings
    from bot.app.runtime import runtime_for
    from bot.documents.invite_sheet import Poster, write_sheet
    from bot.domain.errors import NotFound
    from bot.domain.invitations import deep_link

    settings = load_settings(args.config, required=False)
    username = settings.bot.username
    if not username:
        print(
            f"{config_path(args.config)}: bot.username: needed for t.me links"
            " (the bot's @username without @)",
            file=sys.stderr,
        )
        return 2

    async def go() -> tuple[str, list[Poster]] | str:
        async with runtime_for(settings, args.clock) as runtime:
            services = runtime.services
            if args.compound is not None:
                ids = [b.id for b in await services.community.buildings(args.compound)]
                if not ids:
                    return f"compound {args.compound}: not found or has no buildings"
            else:
                ids = list(dict.fromkeys(args.building))
            labels = {}
            for building_id in ids:
                label = await services.community.building_label(building_id)
                if label is None:
                    return f"building {building_id}: not found"
                labels[building_id] = label
            posters = []
            for building_id in ids:
                issue = (
                    services.invitations.rotate if args.rotate else services.invitations.code_for
                )
                try:
                    invitation = await issue(building_id)
                except NotFound:
                    return f"building {building_id}: not found"
                compound, building = labels[building_id]
                posters.append(Poster(compound, building, deep_link(username, invitation.payload)))
            return settings.community.name, posters

    result = asyncio.run(go())
    if isinstance(result, str):
        print(f"{result}; nothing written", file=sys.stderr)
        return 1
    community, posters = result
    written = write_sheet(args.out, community, posters, app="Telegram")  # the links open it
    for path in written:
        print(path)
    print(f"{len(posters)} building(s); print {args.out / 'index.html'}")
    return 0
