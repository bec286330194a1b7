"""`shangliang --help` stays quick: the help screens load none of the heavy libraries.

Each import check runs in a fresh interpreter (`python -c`) and reads `sys.modules` there: what
a command imports at its top level, or while building its help, shows up; nothing is timed
(benchmarks/startup.py measures the time).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import build_parser, main

ROOT = Path(__file__).resolve().parents[2]

# what only running a command may load: channel, database, spreadsheets, charts, QR codes,
# calendars, HTTP, event loop, scheduler
HEAVY = (
    "telegram",
    "aiosqlite",
    "openpyxl",
    "matplotlib",
    "qrcode",
    "icalendar",
    "aiohttp",
    "httpx",
    "PIL",
    "numpy",
    "uvloop",
    "apscheduler",
    "pydantic",  # the settings and the domain models: not for a help screen
)

EVERY_HELP = """
import argparse, contextlib, io, json, sys
from bot.__main__ import build_parser, main

parser = build_parser()
commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
for argv in ([], *([name] for name in commands)):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main([*argv, "--help"])
print(json.dumps(sorted(commands)), json.dumps(sorted(sys.modules)), sep="\\n")
"""

MAIN_HELP = """
import contextlib, io, json, sys
from bot.__main__ import main

with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main(["--help"])
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(script: str) -> list[list[str]]:
    """Run `script` in a fresh interpreter from the repository root; its lines, parsed as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def among(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules that are one of `packages` or inside one."""
    return [name for name in modules if name.partition(".")[0] in packages]


def test_no_help_screen_loads_a_heavy_library() -> None:
    commands, modules = loaded_by(EVERY_HELP)
    assert {"migrate", "import-roster", "menu", "export", "invite-codes"} <= set(commands)
    assert among(modules, HEAVY) == []


def test_main_help_loads_neither_settings_nor_runtime_nor_pydantic() -> None:
    # building the parser imports every command module: a heavy import at the top of any of
    # them shows here
    [modules] = loaded_by(MAIN_HELP)
    assert among(modules, ("pydantic", "pydantic_settings", "storage", "handlers")) == []
    assert [m for m in modules if m in ("asyncio", "bot.app.config", "bot.app.runtime")] == []


def test_import_roster_builds_its_column_list_only_for_its_own_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for flag in ("-h", "--help"):
        with pytest.raises(SystemExit) as exited:
            main(["import-roster", flag])
        assert exited.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("usage: shangliang import-roster [-h] [--dry-run] file\n")
        assert "columns, in any order, and the header names each is known by:" in out

    args = build_parser().parse_args(["import-roster", "roster.csv", "--dry-run"])
    assert (args.file, args.dry_run) == (Path("roster.csv"), True)
    assert not hasattr(args, "help")
    with pytest.raises(SystemExit) as exited:
        main(["import-roster"])
    assert exited.value.code == 2
    assert "the following arguments are required: file" in capsys.readouterr().err
