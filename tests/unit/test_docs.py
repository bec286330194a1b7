"""README and CI agree: CI runs exactly the commands README gives a newcomer."""

from __future__ import annotations

import re
from pathlib import Path

from bot.__main__ import build_parser

ROOT = Path(__file__).parents[2]


def _shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL)]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_commands = [block for block in _shell_blocks(readme) if "pytest" in block]
    assert len(test_commands) == 1, test_commands

    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_commands[0] in ci_lines
    assert ci_lines[0].startswith("#!")
    assert "set -euo pipefail" in ci_lines


def test_readme_demo_command_uses_a_real_subcommand() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    demo = next(block for block in _shell_blocks(readme) if block.endswith("shangliang demo"))
    assert demo.startswith("python3 -m venv .venv && .venv/bin/pip install -e . &&")

    parser = build_parser()
    assert parser.parse_args(["demo"]).command == "demo"
