"""Caseload filter latency at scale: keystroke to table repainted, and the SQL alone.

    .venv/bin/python bench/caseload_filter.py                  # builds a 10,000-person store
    .venv/bin/python bench/caseload_filter.py --db /tmp/b.db   # reuses it the next time
    .venv/bin/python bench/caseload_filter.py --tmux           # also the real program in tmux

The store is written by ``linkworker.demo.write_demo`` (the same generator as
``linkworker demo``), so the people, referrals, contacts and follow-ups look like a real
caseload. Two things are timed:

- SQL alone: ``caseload_count`` + ``caseload_page`` (one page of rows), what every change of
  the filter runs, for name and NHS-number prefixes as they are typed, the status/need/source
  filters and every sort column.
- The TUI: a headless Textual app (Pilot) on the caseload screen. Each sample runs from the
  moment one key press (or one select change) is sent to the app until the first frame
  composed after the screen posted ``Refreshed``, i.e. the new rows are in the table and
  painted. (Headless, the frame is composed but not written to a terminal.) Pilot's own
  waiting for the app to go idle adds to these figures.
- With ``--tmux``, the real program in a tmux terminal: a key sent with ``tmux send-keys``
  until ``capture-pane`` shows the status line for the new filter (same paint as the rows).

Prints p50/p95/max in milliseconds. Timings vary 15-20% between runs on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker import caseload
from linkworker.clock import fixed
from linkworker.store.db import Database, open_store

TODAY = date(2026, 11, 23)
TYPED_NAMES = ["smith", "patel", "mar", "jo ah", "williams"]


def build(path: Path, people: int) -> float:
    """Write the demo store if it is not there with the right number of people."""
    from linkworker.demo import write_demo

    db = open_store(path)
    try:
        have = db.execute("SELECT count(*) FROM people").fetchone()[0]
        if have == people:
            return 0.0
        started = time.perf_counter()
        write_demo(db, people=people, seed=7, today=TODAY, force=True)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return time.perf_counter() - started
    finally:
        db.close()


def summary(samples: list[float]) -> tuple[float, float, float, int]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1], len(ordered)


def nhs_prefixes(db: Database) -> list[str]:
    numbers = [
        r[0]
        for r in db.execute(
            "SELECT nhs_number FROM people WHERE nhs_number IS NOT NULL ORDER BY id LIMIT 3"
        )
    ]
    return [n[:i] for n in numbers for i in range(1, 11)]


def time_sql(db: Database, page: int, repeat: int) -> dict[str, list[float]]:
    """The queries one filter change runs, timed on their own."""
    f = caseload.CaseloadFilter
    groups: dict[str, list[caseload.CaseloadFilter]] = {
        "name typed (prefixes)": [
            f(text=name[:i]) for name in TYPED_NAMES for i in range(1, len(name) + 1)
        ],
        "NHS number typed (prefixes)": [f(text=p) for p in nhs_prefixes(db)],
        "status / need / source": [
            f(statuses=["received", "contacting", "accepted"]),
            f(statuses=["accepted"]),
            f(need="loneliness"),
            f(need="housing", statuses=["accepted"]),
            f(source="gp_practice"),
            f(source="housing", need="money_debt"),
        ],
        "sort by each column": [
            f(sort=key, descending=down) for key in caseload.SORT_COLUMNS for down in (True, False)
        ],
    }
    results: dict[str, list[float]] = {}
    for title, filters in groups.items():
        samples = []
        for _ in range(repeat):
            for flt in filters:
                started = time.perf_counter()
                caseload.caseload_count(db, flt)
                caseload.caseload_page(db, flt, TODAY, limit=page)
                samples.append((time.perf_counter() - started) * 1000)
        results[f"SQL: {title}"] = samples
    return results


async def time_tui(path: Path, size: tuple[int, int], repeat: int) -> dict[str, list[float]]:
    """Key press (or select change) until the caseload table is repainted, in a Pilot app."""
    from textual.message import Message
    from textual.widgets import Select

    from linkworker.tui.app import LinkWorkerApp
    from linkworker.tui.screens.caseload import CaseloadScreen

    refreshed: list[float] = []
    painted: list[float] = []

    def hook(message: Message) -> None:
        if isinstance(message, CaseloadScreen.Refreshed):
            refreshed.append(time.perf_counter())

    db = open_store(path)
    nhs = [p for p in nhs_prefixes(db) if len(p) == 10][:2]
    db.close()
    results: dict[str, list[float]] = {
        "TUI: name typed, key -> table repainted": [],
        "TUI: NHS number typed, key -> repainted": [],
        "TUI: status / need / source select": [],
        "TUI: sort key (s / r)": [],
    }
    app = LinkWorkerApp(store_path=path, clock=fixed(TODAY))
    # The moment each frame is composed (headless, it is then dropped instead of written):
    # Pilot's own waiting for idle adds tens of ms, so wall time around press() overstates.
    display = app._display

    def composed(screen: object, renderable: object) -> None:
        if renderable is not None:
            painted.append(time.perf_counter())
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = composed  # type: ignore[method-assign]

    def latency(started: float) -> float:
        if not refreshed:  # a change that did not re-query (never expected here)
            raise RuntimeError("the caseload did not refresh")
        after = [t for t in painted if t >= refreshed[-1]]
        if not after:
            raise RuntimeError("the refreshed table was never painted")
        return (after[0] - started) * 1000

    async with app.run_test(size=size, message_hook=hook) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseloadScreen)
        rows_shown = screen.page_size

        async def timed(bucket: str, key: str) -> None:
            refreshed.clear()
            painted.clear()
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            results[bucket].append(latency(started))

        for _ in range(repeat):
            for words, bucket in (
                (TYPED_NAMES, "TUI: name typed, key -> table repainted"),
                (
                    [f"{n[:3]} {n[3:6]} {n[6:]}" for n in nhs],
                    "TUI: NHS number typed, key -> repainted",
                ),
            ):
                for word in words:
                    await pilot.press("slash")
                    for char in word:
                        await timed(bucket, "space" if char == " " else char)
                    for _ in word:
                        await timed(bucket, "backspace")
                    await pilot.press("enter")
            for select_id, value in (
                ("status", "open"),
                ("need", "loneliness"),
                ("source", "gp_practice"),
            ):
                for new in (value, Select.NULL):
                    refreshed.clear()
                    painted.clear()
                    started = time.perf_counter()
                    screen.query_one(f"#{select_id}", Select).value = new
                    await pilot.pause()
                    results["TUI: status / need / source select"].append(latency(started))
            for key in ("s", "s", "s", "r", "s", "r", "s", "s", "s"):
                await timed("TUI: sort key (s / r)", key)
    results["_rows_shown"] = [float(rows_shown)]
    return results


def time_tmux(path: Path, size: tuple[int, int], repeat: int) -> dict[str, list[float]]:
    """The real program in tmux: key sent until the status line shows the new filter.

    capture-pane is polled, so each sample includes a few ms of polling.
    """
    session = f"lw-bench-{time.monotonic_ns()}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout

    command = (
        f"{shlex.quote(sys.executable)} -m linkworker --db {shlex.quote(str(path))} "
        f"--today {TODAY.isoformat()}"
    )
    tmux("new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]), command)
    samples: list[float] = []
    try:
        time.sleep(3)
        tmux("send-keys", "-t", session, "F3")
        time.sleep(1.5)
        tmux("send-keys", "-t", session, "/")
        time.sleep(0.3)
        for _ in range(repeat):
            for word in TYPED_NAMES:
                typed = ""
                keys = [*word, *["BSpace"] * len(word)]
                for key in keys:
                    typed = typed[:-1] if key == "BSpace" else typed + key
                    want = f'matching "{typed.strip()}"' if typed.strip() else None
                    started = time.perf_counter()
                    tmux("send-keys", "-t", session, "Space" if key == " " else key)
                    while time.perf_counter() - started < 3:
                        screen = tmux("capture-pane", "-p", "-t", session)
                        status = [line for line in screen.splitlines() if " of " in line]
                        if status and (
                            (want and want in status[-1])
                            or (want is None and "matching" not in status[-1])
                        ):
                            break
                    samples.append((time.perf_counter() - started) * 1000)
                    time.sleep(0.05)
    finally:
        tmux("kill-session", "-t", session)
    return {"tmux: name typed, key -> status line shown": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="store to build once and reuse")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every sample")
    parser.add_argument("--size", default="120x40", help="terminal size for the TUI run")
    parser.add_argument(
        "--tmux", action="store_true", help="also time the real program in tmux (needs tmux)"
    )
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.split("x"))
    folder = None
    if args.db is None:
        folder = tempfile.TemporaryDirectory()
        args.db = Path(folder.name) / "caseload.db"
    built = build(args.db, args.people)
    if built:
        print(f"built {args.people:,} people in {built:.1f} s ({args.db})", file=sys.stderr)
    tui = asyncio.run(time_tui(args.db, (width, height), args.repeat))
    page = int(tui.pop("_rows_shown")[0])
    db = open_store(args.db)
    sql = time_sql(db, page, args.repeat)
    db.close()
    if args.tmux:
        if shutil.which("tmux") is None:
            print("tmux is not installed; skipping the tmux run", file=sys.stderr)
        else:
            tui.update(time_tmux(args.db, (width, height), args.repeat))
    print(
        f"Caseload filter latency, {args.people:,} people, terminal {width}x{height} "
        f"({page} rows a page), ms"
    )
    print(f"{'':44} {'p50':>7} {'p95':>7} {'max':>7} {'n':>5}")
    for title, samples in {**sql, **tui}.items():
        p50, p95, worst, n = summary(samples)
        print(f"{title:44} {p50:7.1f} {p95:7.1f} {worst:7.1f} {n:5d}")
    if folder is not None:
        folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
