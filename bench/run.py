"""Run Jiliang's benchmarks: ``python bench/run.py [NAME ...]`` (default: all).

Each ``bench/NAME.py`` prints its own table with the machine and, where a peer exists, the peer
measured in the same run. Arguments after ``--`` go to every benchmark (e.g. ``-- --quick``).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in {"run", "common", "__init__"})


def main(argv: list[str]) -> int:
    rest: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1 :]
    names = argv or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}",
            file=sys.stderr,
        )
        return 2
    sys.path.insert(0, str(HERE.parent))
    status = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        status |= int(module.main(rest) or 0)
        print()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
