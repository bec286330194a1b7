"""Subcommands of `shangliang` beyond run/demo/migrate, one module each.

A module here exposes `register(commands)`, taking the parser's subparsers object; it adds its
parser and sets `handler=<function(args) -> int>` on it. `bot.__main__` discovers them all.

Every `shangliang` invocation, `--help` included, imports every module here, so a module's top
level imports only the standard library and cheap pure modules (`bot.domain.roster_columns`);
its handler imports the rest (settings, runtime, storage, openpyxl…) when the command runs.
tests/unit/test_cli_imports.py fails when `--help` starts loading a heavy library again.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from typing import Any


def register_all(commands: argparse._SubParsersAction[Any]) -> None:
    """Let every module of this package add its subcommand, in name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(commands)
