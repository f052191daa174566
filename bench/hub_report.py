"""Time the hub's team report over 300 workers' bundles, against one worker's own report.

    .venv/bin/python bench/hub_report.py [--runs 5] [--workers 300]

What is built (the faithful shortcut): six real 250-person demo stores (seeds 1-6, cached
in bench/.cache), each reported for 12 whole months exactly as `linkworker report bundle`
does (``caseload_report`` then ``bundle_payload``). Then 300 workers, each with their own
key pair, seal one of those six payloads (worker i the payload of store i mod 6) to the
hub, and the hub keeps all 300 keys. So every bundle is a genuine 250-person, 12-month
bundle, sealed and signed on its own (300 signatures, 300 age files, 300 sealed ids); only
the figures repeat, six ways, which changes no work the hub does. Building 300 stores
would take about 15 minutes and measure nothing more.

Timed (median of --runs): one worker's own report (``export_caseload`` to HTML over a
250-person store) and the hub's team report (``export_team_report`` to HTML over the 300
bundles: read, open, check, add up, lay out, write). Target: no more than 10x, elapsed.
The same two are also given in this process's CPU time, which other work on a shared
machine hardly changes (elapsed time then grows with the waiting, most for the shorter). Memory: the
peak RSS of a fresh process making the team report over 30, 100 and 300 bundles (and the
tracemalloc peak of the Python heap): flat means the peak hardly grows with the bundles.
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
import tracemalloc
from datetime import date, datetime
from pathlib import Path

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker.clock import Clock
from linkworker.demo import write_demo
from linkworker.formats.sealed import new_identity, seal
from linkworker.reports import Period, caseload_report
from linkworker.reports.export import CaseloadRequest, export_caseload
from linkworker.store.db import open_store
from linkworker.team import keys
from linkworker.team.bundle import KIND, bundle_payload
from linkworker.team.hub import export_team_report

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
TODAY = date(2026, 11, 23)
YEAR = Period(date(2025, 12, 1), date(2026, 11, 30))
PEOPLE = 250
STORES = 6
WORKERS = 300
TARGET_RATIO = 10.0


def worker_stores() -> list[Path]:
    """Six 250-person demo stores (built once, then cached)."""
    CACHE.mkdir(exist_ok=True)
    paths = []
    for seed in range(1, STORES + 1):
        path = CACHE / f"hub-worker-{PEOPLE}-seed{seed}.db"
        if not path.exists():
            partial = path.with_name(path.name + ".building")
            partial.unlink(missing_ok=True)
            db = open_store(partial)
            write_demo(db, people=PEOPLE, seed=seed, today=TODAY)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.close()
            partial.rename(path)
        paths.append(path)
    return paths


def build_bundles(folder: Path, stores: list[Path], workers: int) -> Path:
    """The hub's store (its key pair and every worker's key) and ``workers`` bundles."""
    clock = Clock(fixed_date=TODAY)
    payloads = []
    for path in stores:
        db = open_store(path)
        payloads.append(bundle_payload(caseload_report(db, YEAR, TODAY)))
        db.close()
    hub_path = folder / "hub.db"
    hub = open_store(hub_path)
    hub_key = keys.my_identity(hub, clock).public()
    now = datetime(2026, 12, 1, 9, 0)
    bundles = folder / "bundles"
    bundles.mkdir()
    with hub.atomic():
        for i in range(workers):
            worker = new_identity()
            blob = seal(
                KIND, payloads[i % len(payloads)], sender=worker, recipients=[hub_key], now=now
            )
            (bundles / f"worker-{i:03d}.bundle").write_bytes(blob)
            # Straight into the table: add_key's checks against every kept key make 300
            # additions quadratic, which is setting up, not what is measured.
            public = worker.public()
            hub.execute(
                "INSERT INTO team_keys (name, public_key, fingerprint, added_at) "
                "VALUES (?, ?, ?, ?)",
                [f"Worker {i + 1:03d}", public.text, public.fingerprint, clock.stamp()],
            )
    hub.close()
    return hub_path


def _timed(work: object, wall: list[float], cpu: list[float]) -> None:
    """Run ``work`` once, adding its elapsed and its CPU seconds (this process's)."""
    start, used = time.perf_counter(), time.process_time()
    work()  # type: ignore[operator]
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - used)


def time_reports(
    stores: list[Path], hub_path: Path, folder: Path, runs: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """(one worker's own report, the hub's report), seconds each run, elapsed and then CPU
    (the CPU time is hardly touched by other work on the machine; elapsed is)."""
    worker_db = open_store(stores[0])
    hub_db = open_store(hub_path)
    files = sorted((folder / "bundles").iterdir())

    def own() -> None:
        asked = CaseloadRequest(YEAR, "html", folder / "own.html", TODAY, force=True)
        export_caseload(worker_db, asked)

    def team() -> None:
        export_team_report(hub_db, files, ("html", folder / "team.html"), TODAY, force=True)

    own()
    team()  # warm both (imports, file cache) before timing
    mine: list[float] = []
    hubs: list[float] = []
    mine_cpu: list[float] = []
    hubs_cpu: list[float] = []
    for _ in range(runs):  # alternated, so a busy moment falls on both
        _timed(own, mine, mine_cpu)
        _timed(team, hubs, hubs_cpu)
    worker_db.close()
    hub_db.close()
    return mine, hubs, mine_cpu, hubs_cpu


def time_commands(
    stores: list[Path], hub_path: Path, folder: Path, runs: int
) -> tuple[list[float], list[float]]:
    """The same two as whole commands, process start to exit: `linkworker export caseload`
    on the worker's store and `linkworker hub report` on the folder of bundles."""
    command = str(Path(sys.executable).with_name("linkworker"))
    env = {
        **os.environ,
        "LINKWORKER_HOME": str(folder / "home"),
        "XDG_CONFIG_HOME": str(folder / "cfg"),
    }
    period = ["--from", YEAR.start.isoformat(), "--to", YEAR.end.isoformat()]
    own = [command, "export", "caseload", *period, "--format", "html", "--output",
           str(folder / "own-cli.html"), "--force", "--db", str(stores[0])]  # fmt: skip
    team = [command, "hub", "report", str(folder / "bundles"), "--format", "html", "--output",
            str(folder / "team-cli.html"), "--force", "--db", str(hub_path)]  # fmt: skip
    mine, hubs = [], []
    for _ in range(runs):
        for args, into in ((own, mine), (team, hubs)):
            start = time.perf_counter()
            subprocess.run(args, env=env, check=True, capture_output=True)
            into.append(time.perf_counter() - start)
    return mine, hubs


def child(hub_path: Path, folder: Path, count: int) -> None:
    """In a fresh process: the team report over the first ``count`` bundles; prints the
    peak RSS (MB) and the tracemalloc peak (MB)."""
    files = sorted((folder / "bundles").iterdir())[:count]
    hub_db = open_store(hub_path)
    tracemalloc.start()
    export_team_report(hub_db, files, ("html", folder / f"team-{count}.html"), TODAY, force=True)
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rss:.1f} {heap_peak / 1e6:.2f}")


def memory(hub_path: Path, folder: Path, counts: tuple[int, ...]) -> dict[int, tuple[float, float]]:
    out = {}
    for count in counts:
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(count), "--folder", str(folder),
             "--hub", str(hub_path)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        rss, heap = result.stdout.split()
        out[count] = (float(rss), float(heap))
    return out


def measure(runs: int, workers: int = WORKERS) -> list[tuple[str, float, str, float | None, str]]:
    """(figure, value, unit, target, detail) rows for bench/run.py and for printing."""
    stores = worker_stores()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        hub_path = build_bundles(folder, stores, workers)
        built = time.perf_counter() - started
        mine, hubs, mine_cpu, hubs_cpu = time_reports(stores, hub_path, folder, runs)
        own_cli, hub_cli = time_commands(stores, hub_path, folder, max(3, runs // 2))
        counts = tuple(sorted({max(1, workers // 10), max(1, workers // 3), workers}))
        peaks = memory(hub_path, folder, counts)
        size = sum(p.stat().st_size for p in (folder / "bundles").iterdir()) / workers / 1000
    own_ms, hub_ms = statistics.median(mine) * 1000, statistics.median(hubs) * 1000
    own_cpu, hub_cpu = statistics.median(mine_cpu) * 1000, statistics.median(hubs_cpu) * 1000
    own_cli_ms, hub_cli_ms = (statistics.median(x) * 1000 for x in (own_cli, hub_cli))
    low, high = counts[0], counts[-1]
    growth = (peaks[high][0] - peaks[low][0]) * 1000 / (high - low)
    heap_growth = (peaks[high][1] - peaks[low][1]) * 1000 / (high - low)
    return [
        ("one worker's own report (HTML), 250 people, 12 months", own_ms, "ms", None, ""),
        (f"hub report (HTML) over {workers} bundles", hub_ms, "ms", None,
         f"{hub_ms / workers:.2f} ms a bundle; bundles {size:.1f} kB each, built in {built:.0f} s"),
        ("hub report vs one worker's own, in process", hub_ms / own_ms, "x", TARGET_RATIO, ""),
        ("the same in CPU time (hardly touched by other work)", hub_cpu / own_cpu, "x", None,
         f"hub {hub_cpu:.1f} ms, own report {own_cpu:.1f} ms of this process's CPU"),
        ("hub report vs one worker's own, whole commands", hub_cli_ms / own_cli_ms, "x", None,
         f"`hub report` {hub_cli_ms:.0f} ms, `export caseload` {own_cli_ms:.0f} ms"),
        (f"hub report peak RSS, {low} / {high} bundles", peaks[high][0], "MB", None,
         f"{peaks[low][0]:.1f} MB at {low}; {growth:.1f} kB more a bundle"),
        (f"hub report Python heap peak, {low} / {high} bundles", peaks[high][1], "MB", None,
         f"{peaks[low][1]:.2f} MB at {low}; {heap_growth:.1f} kB more a bundle"),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--hub", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.hub, args.folder, args.child)
        return 0
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    failed = False
    for name, value, unit, target, detail in measure(args.runs, args.workers):
        verdict = ""
        if target is not None:
            failed |= value > target
            verdict = f" (target <= {target:g}{unit}: {'FAIL' if value > target else 'PASS'})"
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.1f} {unit}"
        print(f"{name}: {shown}{verdict}{'; ' + detail if detail else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
