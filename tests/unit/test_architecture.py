"""The rule of direction: the core knows no channel and no database; adapters don't mix."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage")
WIRING = {"bot/app/runtime.py", "bot/__main__.py", "bot/app/demo.py"}  # the composition roots
# What the use cases sit below: the conversation layers and the documents' renderers.
ABOVE_SERVICES = ("bot.dialogs", "bot.features", "bot.interaction", "bot.documents", "bot.app")
SERVICE_BUNDLE = {"bot/services/__init__.py"}  # the bundle handed to dialogs holds them all
CHANNEL_NAMES = re.compile(r"telegram|wechat|weixin", re.IGNORECASE)


def module_name(path: Path) -> str:
    """`bot/domain/models.py` → `bot.domain.models`; `bot/__init__.py` → `bot`."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every module a source file imports, anywhere in it, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - (node.level - 1)])
                target = f"{base}.{node.module}" if node.module else base
                # `from . import x` may import submodule x
                found.extend(
                    [target] if node.module else [f"{target}.{alias.name}" for alias in node.names]
                )
            elif node.module:
                found.append(node.module)
    return found


def top(module: str) -> str:
    """The top-level package of a dotted name."""
    return module.partition(".")[0]


def source_files() -> list[Path]:
    """Every .py file of the checked packages."""
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def violations(path: Path) -> list[str]:
    """The imports of `path` that break the rule of direction, as readable lines."""
    relative = path.relative_to(ROOT).as_posix()
    module = module_name(path)
    imports = imported_modules(
        path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
    )
    problems = []
    for name in imports:
        reason = None
        if relative.startswith("bot/domain/"):
            allowed = (
                top(name) in sys.stdlib_module_names
                or top(name) == "pydantic"
                or name == "bot.domain"
                or name.startswith("bot.domain.")
            )
            if not allowed:
                reason = "bot.domain may import only the standard library and pydantic"
        elif relative.startswith("bot/") and relative not in WIRING:
            if top(name) in {"telegram", "handlers", "storage", "aiosqlite", "emulator"}:
                reason = "the core must not know a channel, the database or the emulator"
            elif (
                relative.startswith(("bot/services/", "bot/delivery/"))
                and relative not in SERVICE_BUNDLE
                and name.startswith(ABOVE_SERVICES)
            ):
                reason = "services and delivery must not know dialogs, screens or renderers"
        elif relative.startswith("handlers/"):
            if top(name) in {"storage", "aiosqlite"}:
                reason = "handlers reach storage only through the services"
        elif relative.startswith("storage/") and top(name) in {"telegram", "handlers"}:
            reason = "storage must not know the channel"
        if reason:
            problems.append(f"{relative} imports {name}: {reason}")
    return problems


def test_the_walk_finds_every_package() -> None:
    files = {path.relative_to(ROOT).as_posix() for path in source_files()}

    assert {"bot/domain/models.py", "bot/app/config.py", "handlers/core.py"} <= files
    assert {"storage/database.py", "bot/app/runtime.py"} <= files


@pytest.mark.parametrize(
    "path", source_files(), ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_imports_follow_the_rule_of_direction(path: Path) -> None:
    assert violations(path) == []


def test_imported_modules_sees_nested_and_relative_imports() -> None:
    source = (
        "import os, json as j\n"
        "from telegram.ext import Application\n"
        "from . import sibling\n"
        "from ..storage import database\n"
        "def f():\n"
        "    import aiosqlite\n"
        "if True:\n"
        "    from storage.users import X\n"
    )

    assert sorted(imported_modules(source, "bot.services.users")) == [
        "aiosqlite",
        "bot.services.sibling",
        "bot.storage",
        "json",
        "os",
        "storage.users",
        "telegram.ext",
    ]


@pytest.mark.parametrize(
    ("relative", "source", "offence"),
    [
        ("bot/domain/rules.py", "import aiosqlite\n", "aiosqlite"),
        ("bot/domain/rules.py", "from bot.i18n import t\n", "bot.i18n"),
        ("bot/services/votes.py", "from telegram import Update\n", "telegram"),
        ("bot/services/votes.py", "def f():\n    import storage.users\n", "storage.users"),
        ("bot/i18n.py", "from emulator.markup import html_to_plain\n", "emulator.markup"),
        (
            "bot/services/votes/menus.py",
            "from bot.documents.tables import t\n",
            "bot.documents.tables",
        ),
        (
            "bot/services/users.py",
            "from bot.interaction.screen import S\n",
            "bot.interaction.screen",
        ),
        (
            "bot/delivery/sender.py",
            "from bot.dialogs.engine import Dialogs\n",
            "bot.dialogs.engine",
        ),
        ("handlers/votes.py", "from storage.database import Database\n", "storage.database"),
        ("handlers/votes.py", "import aiosqlite\n", "aiosqlite"),
        ("storage/votes.py", "from handlers.context import BotContext\n", "handlers.context"),
        ("storage/votes.py", "import telegram\n", "telegram"),
    ],
)
def test_a_forbidden_import_is_reported_with_file_and_module(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    relative: str,
    source: str,
    offence: str,
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")

    problems = violations(path)

    assert len(problems) == 1
    assert problems[0].startswith(f"{relative} imports {offence}: ")


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("bot/domain/rules.py", "from decimal import Decimal\nfrom pydantic import BaseModel\n"),
        ("bot/domain/rules.py", "from bot.domain.models import User\n"),
        ("bot/app/runtime.py", "from storage.database import Database\n"),
        ("bot/__main__.py", "from handlers import build_application\n"),
        ("handlers/votes.py", "from telegram import Update\nfrom bot.services import S\n"),
        ("storage/votes.py", "import aiosqlite\nfrom bot.domain.models import User\n"),
    ],
)
def test_allowed_imports_are_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str, source: str
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / relative
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")

    assert violations(path) == []


def channel_names_in_code(source: str) -> list[str]:
    """String constants (not docstrings) that name a channel."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CHANNEL_NAMES.search(node.value)
    ]


CORE = sorted(
    path
    for path in (ROOT / "bot").rglob("*.py")
    if not path.relative_to(ROOT).as_posix().startswith("bot/app/")
    and path.relative_to(ROOT).as_posix() not in WIRING
)


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_the_core_names_no_channel(path: Path) -> None:
    """Channels are told apart by the runtime's wiring, never by a name in the core's code."""
    assert channel_names_in_code(path.read_text(encoding="utf-8")) == []


def test_a_channel_name_in_code_is_found_but_not_in_a_docstring() -> None:
    source = (
        '"""Talks to Telegram."""\n'
        'def f(who):\n    """WeChat too."""\n    return who == "telegram"\n'
    )

    assert channel_names_in_code(source) == ["telegram"]
