"""The slow tests start first, spread over the xdist workers (the conftest hook calls this).

``make test`` hands each worker one run of consecutive tests (``--dist worksteal``); a
worker that finishes early takes half of what another has left, from its end. With the
tests in file order, a worker could be given a 20 s test last and finish alone. So each
worker's run begins with its share of the slow tests (the slowest first, each given to
the worker with the least slow time so far), then ordinary tests in file order: the last
tests anyone runs or takes are short ones. Which tests are slow is read from
``slow_tests.txt`` beside this file (seconds, a tab, the test's id; a ranking, so a test
missing from it only starts in its usual place). To record it again from a run::

    make test PYTEST_ARGS=--durations=150 > run.txt; .venv/bin/python tests/slow_first.py run.txt
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

RECORDED = Path(__file__).with_name("slow_tests.txt")

Test = TypeVar("Test")


def recorded(path: Path = RECORDED) -> dict[str, float]:
    """{test id: seconds} as recorded (an empty dict when there is no record)."""
    if not path.exists():
        return {}
    seconds: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            taken, test_id = line.split("\t", 1)
            seconds[test_id] = float(taken)
    return seconds


def shares(count: int, workers: int) -> list[int]:
    """How many consecutive tests xdist's worksteal hands each worker at the start."""
    sizes = []
    for i in range(workers):
        sizes.append(count // (workers - i))
        count -= sizes[-1]
    return sizes


def spread(
    tests: Sequence[Test], ids: Sequence[str], seconds: dict[str, float], workers: int
) -> list[Test]:
    """``tests`` reordered: each worker's run starts with its share of the slow ones."""
    slow = sorted((i for i, t in enumerate(ids) if t in seconds), key=lambda i: -seconds[ids[i]])
    runs: list[list[int]] = [[] for _ in range(workers)]
    totals = [0.0] * workers
    for i in slow:
        least = totals.index(min(totals))
        runs[least].append(i)
        totals[least] += seconds[ids[i]]
    chosen = set(slow)
    rest = [i for i in range(len(tests)) if i not in chosen]
    order: list[int] = []
    for run, size in zip(runs, shares(len(tests), workers), strict=True):
        fill = max(0, size - len(run))
        order += run + rest[:fill]
        del rest[:fill]
    order += rest
    return [tests[i] for i in order]


def from_durations(text: str) -> dict[str, float]:
    """{test id: seconds of setup, call and teardown} from pytest's ``--durations`` lines."""
    seconds: dict[str, float] = {}
    for taken, test_id in re.findall(r"^([\d.]+)s (?:setup|call|teardown)\s+(\S+)$", text, re.M):
        seconds[test_id] = seconds.get(test_id, 0.0) + float(taken)
    return seconds


if __name__ == "__main__":
    found = from_durations(Path(sys.argv[1]).read_text(encoding="utf-8"))
    lines = [
        f"{taken:.1f}\t{test_id}" for test_id, taken in sorted(found.items(), key=lambda x: -x[1])
    ]
    head = "# seconds, a tab, the test's id (tests/slow_first.py says how this is recorded)\n"
    RECORDED.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{RECORDED}: {len(lines)} tests")
