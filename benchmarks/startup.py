"""How long `shangliang` takes to answer, each run in a fresh interpreter.

    python benchmarks/startup.py [--runs 20] [--warmup 2] [--as-is]

Runs `python -m bot --help`, `python -m bot migrate --help`, `python -m bot import-roster
--help`, `python -m bot menu --help` and, as a quick command that does its work, `python -m bot
migrate` on a database already up to date (in a temporary folder), `--runs` times each, every
run a new subprocess (as a person typing the command gets), with the Python of this process,
from the repository root.

Prints the median and p90 of each one's wall time (what the person waits) and CPU time (user +
system, which other processes on the machine disturb less), and the load average before and
after: other processes slow every run, so measure when the machine is quiet. Target: wall
time under 0.3 s for each help screen.

Python's bytecode cache: by default the children write and read their .pyc files in a
temporary folder (PYTHONPYCACHEPREFIX), filled by the warm-up runs, as an ordinary install has
them, whatever the environment says and without leaving __pycache__ folders in the checkout.
`--as-is` keeps the environment unchanged instead: where PYTHONDONTWRITEBYTECODE is set and the
checkout has no __pycache__, every run compiles the project's own modules from source.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELP_SCREENS = (
    ("--help",),
    ("migrate", "--help"),
    ("import-roster", "--help"),
    ("menu", "--help"),
)
QUICK_COMMANDS = (("migrate",),)
TARGET = 0.3


def children_cpu() -> float:
    """CPU seconds (user + system) spent so far by this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timings(
    args: tuple[str, ...], env: Mapping[str, str], runs: int, warmup: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `python -m bot ARGS`, spawn to exit, for each measured run."""
    command = [sys.executable, "-m", "bot", *args]
    wall, cpu = [], []
    for index in range(warmup + runs):
        start, cpu_start = time.perf_counter(), children_cpu()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        elapsed, cpu_spent = time.perf_counter() - start, children_cpu() - cpu_start
        if index >= warmup:  # the first runs fill the page cache and the bytecode cache
            wall.append(elapsed)
            cpu.append(cpu_spent)
    return wall, cpu


def p90(values: list[float]) -> float:
    """The 90th percentile (inclusive method: a value among those measured for 10 runs)."""
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def ms(seconds: float) -> str:
    """Milliseconds, right-aligned in a column."""
    return f"{seconds * 1000:6.0f} ms"


def load() -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def children_env(folder: Path, *, as_is: bool) -> dict[str, str]:
    """The children's environment: a config in `folder` whose database is there too."""
    config = folder / "config.toml"
    config.write_text(f"[storage]\ndatabase = {str(folder / 'bot.db')!r}\n", encoding="utf-8")
    env = {**os.environ, "SHANGLIANG_CONFIG": str(config)}
    if not as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def main() -> int:
    """Measure each command and print one line per command."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="measured runs per command")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured runs first (≥ 1)")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="keep the environment's bytecode settings (default: a fresh .pyc cache)",
    )
    options = parser.parse_args()
    if options.runs < 2 or options.warmup < 1:
        parser.error("--runs must be at least 2 and --warmup at least 1")
    cache = "as the environment has it" if options.as_is else "written once, then read"
    if options.as_is and os.environ.get("PYTHONDONTWRITEBYTECODE"):
        cache += " (PYTHONDONTWRITEBYTECODE is set)"
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {options.runs} runs each")
    print(f"bytecode cache: {cache}")
    print(f"load average before: {load()}")
    print(f"{'':<36} {'wall time':^19}  {'CPU time':^19}")
    print(f"{'command':<36} {'median':>9} {'p90':>9}  {'median':>9} {'p90':>9}")
    with tempfile.TemporaryDirectory(prefix="shangliang-startup-") as folder:
        env = children_env(Path(folder), as_is=options.as_is)
        for args in (*HELP_SCREENS, *QUICK_COMMANDS):
            try:
                wall, cpu = timings(args, env, options.runs, options.warmup)
            except subprocess.CalledProcessError as error:
                print(f"{' '.join(args)}: exit status {error.returncode}", file=sys.stderr)
                print(error.stderr.decode(errors="replace"), file=sys.stderr)
                return 1
            over = args in HELP_SCREENS and p90(wall) >= TARGET
            label = "python -m bot " + " ".join(args)
            print(f"{label:<36} {ms(statistics.median(wall))} {ms(p90(wall))}", end="  ")
            print(f"{ms(statistics.median(cpu))} {ms(p90(cpu))}", end="")
            print(f"  over the {TARGET} s target" if over else "")
    print(f"load average after:  {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
