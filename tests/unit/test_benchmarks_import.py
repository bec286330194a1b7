"""The benchmark scripts are not run by the tests, but what they import from the project must
exist: a rename in the code should fail here, not months later when someone measures."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = {"bot", "handlers", "storage", "emulator"}


def project_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every `from <project module> import name` in a script."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and not node.level
            and node.module.partition(".")[0] in PROJECT
        ):
            found.extend((node.module, alias.name) for alias in node.names)
    return found


@pytest.mark.parametrize(
    "script", sorted((ROOT / "benchmarks").glob("*.py")), ids=lambda path: path.name
)
def test_what_a_benchmark_imports_from_the_project_exists(script: Path) -> None:
    missing = []
    for module, name in project_imports(script):
        try:
            loaded = importlib.import_module(module)
        except ImportError:
            missing.append(module)
            continue
        if not hasattr(loaded, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert missing == []


def test_a_missing_name_is_seen(tmp_path: Path) -> None:
    script = tmp_path / "old.py"
    script.write_text("from handlers.callback_data import pack\n", encoding="utf-8")

    assert project_imports(script) == [("handlers.callback_data", "pack")]
    with pytest.raises(ImportError):
        importlib.import_module("handlers.callback_data")
