"""`make bench`: every performance target of issues 9 and 18, measured, with PASS/FAIL.

Each figure is a median (and p95 where the target is one) of several runs on this machine.
Every timing is a ratio against a floor measured in the same run (floors.py: what Textual
alone needs to paint the same thing), A/B alternated, ratio taken pair by pair, so a slower
or faster machine moves both. Start-up's floor is an empty Textual app started the same way.
Exits 1 when any target fails.
Scale stores come from bench/scale.py (cached in bench/.cache).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale  # noqa: E402


@dataclass
class Figure:
    """One line of the results table: a timing, and the floor and ratio it is judged by."""

    name: str
    size: str
    value: float
    unit: str
    target: float | None  # None: measured, no target set by the issue
    floor: float | None = None  # the same work done by Textual alone, in the same run
    ratio: float | None = None  # when set, the target is a ratio against the floor
    detail: str = ""

    @property
    def passed(self) -> bool:
        if self.target is None:
            return True
        return (self.ratio if self.ratio is not None else self.value) <= self.target

    def row(self) -> str:
        shown = f"{self.value:.1f} {self.unit}"
        floor = "" if self.floor is None else f"{self.floor:.1f} {self.unit}"
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}x"
        if self.target is None:
            target, verdict = "(none set)", "measured"
        else:
            unit = "x" if self.ratio is not None else f" {self.unit}"
            target = f"<= {self.target:g}{unit}"
            verdict = "PASS" if self.passed else "FAIL"
        return (
            f"| {self.name} | {self.size} | {shown} | {floor} | {ratio} | {target} | {verdict} "
            f"| {self.detail} |"
        )


class Measured(list[Figure]):
    """The figures so far; each is shown on stderr as it is measured (a long run that fails
    late still shows what it measured)."""

    def __iadd__(self, new: object) -> Measured:
        for figure in new:  # type: ignore[attr-defined]
            print(figure.row(), file=sys.stderr, flush=True)
            self.append(figure)
        return self


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or None
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def _start(args: list[str], out: Path) -> tuple[float, float]:
    """Seconds from spawning a start_probe.py child to its first frame with rows, and to
    the moment keys typed at start are acted on (both written by the child)."""
    out.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_OUT": str(out), "BENCH_T0": repr(time.time())}
    _run_child(args, env)
    painted, ready = (float(x) for x in out.read_text(encoding="utf-8").split())
    return painted, ready


def measure_start(store: Path, label: str, runs: int) -> list[Figure]:
    """Process start to Today painted, against an empty Textual app, A/B alternated; and
    to the keys acted on (after the store's checks, which follow the paint)."""
    probe = str(HERE / "start_probe.py")
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stamps"
        _start([python, probe, "empty"], out)  # warm the file cache for both
        _start([python, probe, "linkworker", str(store)], out)
        ours, checked, empties, widgets = [], [], [], []
        for _ in range(runs):
            empties.append(_start([python, probe, "empty"], out)[0])
            painted, ready = _start([python, probe, "linkworker", str(store)], out)
            ours.append(painted)
            checked.append(ready)
            if label == "five-year":  # the same for both stores: measured once
                widgets.append(_start([python, probe, "today-widgets"], out)[0])
    floor = statistics.median(empties) * 1000

    def against_floor(name: str, times: list[float], target: float | None, detail: str) -> Figure:
        ratio = statistics.median([m / e for m, e in zip(times, empties, strict=True)])
        median = statistics.median(times) * 1000
        return Figure(name, label, median, "ms", target, floor=floor, ratio=ratio, detail=detail)

    context = []
    if widgets:
        context.append(
            against_floor(
                "Textual alone, Today's widgets",
                widgets,
                None,
                "no linkworker work: the least the ratio below could be",
            )
        )
    return [
        *context,
        against_floor(
            "start to Today painted",
            ours,
            1.3 if label == "five-year" else 1.5,
            f"floor: an empty Textual app's first frame; median of {runs} alternated runs",
        ),
        against_floor(
            "start to keys acted on (store checked)",
            checked,
            None,
            "integrity, migrations and settings checked after the paint, keys held",
        ),
    ]


def measure_memory(store: Path, label: str) -> list[Figure]:
    """Peak RSS of the app after opening Today, Caseload and Directory."""
    probe = str(HERE / "start_probe.py")
    peaks = [
        _run_child([sys.executable, probe, "linkworker-tour", str(store)])[1] for _ in range(3)
    ]
    return [Figure("peak memory (RSS)", label, statistics.median(peaks), "MB", 150)]


def measure_hub_report(runs: int) -> list[Figure]:
    """The hub's team report over 300 workers' bundles (bench/hub_report.py)."""
    import hub_report

    label = f"{hub_report.WORKERS} bundles of {hub_report.PEOPLE}"
    return [
        Figure(name, label, value, unit, target, detail=detail)
        for name, value, unit, target, detail in hub_report.measure(runs)
    ]


#: The groups of figures `--only` can pick, in the order they are measured.
GROUPS = ("start", "memory", "switch", "caseload", "directory", "person", "report", "hub")


def _groups(only: str | None) -> set[str]:
    """The groups named by ``--only`` (all of them when it is not given)."""
    if not only:
        return set(GROUPS)
    picked = {name.strip() for name in only.split(",") if name.strip()}
    unknown = sorted(picked - set(GROUPS))
    if unknown:
        raise SystemExit(f"--only: no group {', '.join(unknown)}; the groups: {', '.join(GROUPS)}")
    return picked


def measure(groups: set[str], runs: int, five_year: Path, large: Path) -> Measured:
    """Every figure of the groups asked for, each shown on stderr as it is measured."""
    import ratios

    figures = Measured()
    stores = (("five-year", five_year), ("large", large))
    with tempfile.TemporaryDirectory() as tmp:
        if "start" in groups:
            for label, store in stores:
                figures += measure_start(store, label, runs)
        # Before the in-process Pilot runs: on Linux a child's peak RSS counts the memory it
        # inherited from this process at fork, so measure while this process is still small.
        if "memory" in groups:
            for label, store in stores:
                figures += measure_memory(store, label)
        large_copy = scale.copy_of(scale.LARGE, Path(tmp))
        if "switch" in groups:
            figures += ratios.measure_switches(large_copy, "large", runs)
        if "caseload" in groups:
            for label, recipe in (("five-year", scale.FIVE_YEAR), ("large", scale.LARGE)):
                copy = large_copy if recipe is scale.LARGE else scale.copy_of(recipe, Path(tmp))
                figures += ratios.measure_caseload_filter(copy, label, runs)
        if "directory" in groups:
            # The result list shows what fits, so the terminal's size sets how much is repainted.
            for width, height in ((80, 24), (120, 40)):
                figures += ratios.measure_directory_search(
                    large_copy, f"large, {width}x{height}", runs, (width, height)
                )
        if "person" in groups:
            figures += ratios.measure_person_open(large_copy, "large", runs)
        if "report" in groups:
            figures += ratios.measure_report(large_copy, "large", runs)
    if "hub" in groups:
        figures += measure_hub_report(runs)
    return figures


def compile_sources() -> None:
    """Write src's bytecode first, as a user's first run does: with PYTHONDONTWRITEBYTECODE
    set (CI and this project's machines set it) every child the bench starts would
    otherwise compile each module changed since the last compile from source, a cost no
    user pays twice."""
    import compileall

    compileall.compile_dir(HERE.parent / "src", quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--quick", action="store_true", help="three runs, for a smoke test")
    parser.add_argument(
        "--only",
        metavar="GROUPS",
        help=f"measure only these groups, comma-separated: {', '.join(GROUPS)}",
    )
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    groups = _groups(args.only)
    compile_sources()

    five_year = scale.build(scale.FIVE_YEAR)
    large = scale.build(scale.LARGE)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    figures = measure(groups, runs, five_year, large)
    return _report(figures, five_year, large, load)


def _report(figures: list[Figure], five_year: Path, large: Path, load: float) -> int:
    """Print the machine, the stores and the table; 1 when a target failed."""
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; load "
        f"average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"stores: five-year {scale.counts(five_year)}; large {scale.counts(large)}")
    print()
    print("| figure | store | measured | floor | ratio | target | result | detail |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for figure in figures:
        print(figure.row())
    sys.stdout.flush()
    targeted = [f for f in figures if f.target is not None]
    failed = [f for f in targeted if not f.passed]
    print()
    print(f"targets: {len(targeted) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
