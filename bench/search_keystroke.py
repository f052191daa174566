"""Search keystroke to results against its floor: at most 1.5x the FTS5 query plus the bare
repaint of the same rows (issue 15 item 7), over 10,000 activities at 80x24 and 120x40.

The store is bench/directory_search.py's (the 77 starter services varied to 10,000). In a
headless app on the Directory screen the 12 searches of that bench are typed a key at a
time, and for every keystroke, one after the other on the same rows:

- keystroke: from the key press to the results list holding the new page, plus the screen
  update that paints it (Textual's compositor, timed where it runs);
- floor: the bare FTS5 query for that prefix (``SELECT rowid FROM activities_fts WHERE
  activities_fts MATCH ? ORDER BY rank LIMIT <rows shown>``, on the app's own connection),
  plus the bare repaint of the rows now shown: the list's rendered lines are thrown away
  and the next screen update paints the same rows again, nothing searched or rebuilt.

A run's ratio is the median keystroke over the median floor. Runs alternate between the two
sizes (80x24, 120x40, 80x24, ...), at least five of each; the figure is the median ratio
of each size. PASS when it is at most 1.5.

    .venv/bin/python bench/search_keystroke.py [--runs 5] [--activities 10000] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import linkworker  # noqa: E402,F401  (registers the SQLite driver before sqlite_utils loads)
from directory_search import SEARCHES, TODAY, build, each_keystroke, timing_hooks  # noqa: E402
from linkworker.clock import fixed  # noqa: E402
from linkworker.directory.matching import fts_query  # noqa: E402

LIMIT = 1.5
SIZES = ((80, 24), (120, 40))
FLOOR_SQL = "SELECT rowid FROM activities_fts WHERE activities_fts MATCH ? ORDER BY rank LIMIT ?"


@dataclass
class Run:
    """One run at one size: every keystroke's time and its floor, in milliseconds."""

    size: tuple[int, int]
    keystrokes: list[float]
    queries: list[float]
    repaints: list[float]

    @property
    def keystroke(self) -> float:
        return statistics.median(self.keystrokes)

    @property
    def floor(self) -> float:
        return statistics.median(q + r for q, r in zip(self.queries, self.repaints, strict=True))

    @property
    def ratio(self) -> float:
        return self.keystroke / self.floor


async def one_run(path: Path, size: tuple[int, int]) -> Run:
    """Type every search at ``size``, timing each keystroke and then its floor."""
    from textual.widgets import Input, OptionList

    from linkworker.tui.app import LinkWorkerApp

    run = Run(size, [], [], [])
    app = LinkWorkerApp(store_path=path, clock=fixed(TODAY))
    with timing_hooks() as (done, paints):
        async with app.run_test(size=size) as pilot:
            await pilot.press("f4")
            await pilot.pause()
            results = app.screen.query_one("#activities", OptionList)
            box = app.screen.query_one("#search", Input)
            async for handled, painted in each_keystroke(pilot, box, done, paints):
                run.keystrokes.append((handled + painted) * 1000)
                rows = max(results.option_count, 1)
                query = fts_query(box.value)
                start = time.perf_counter()
                app.db.execute(FLOOR_SQL, [query, rows]).fetchall()
                run.queries.append((time.perf_counter() - start) * 1000)
                paints.clear()
                results._clear_caches()  # the same rows, painted again from scratch
                await pilot.pause()
                run.repaints.append(sum(d for _, d in paints) * 1000)
    return run


def summary(runs: list[Run], size: tuple[int, int]) -> bool:
    mine = [r for r in runs if r.size == size]
    ratio = statistics.median(r.ratio for r in mine)
    ok = ratio <= LIMIT
    print(
        f"{size[0]}x{size[1]}: keystroke p50 {statistics.median(r.keystroke for r in mine):.2f} ms"
        f"  FTS5 query p50 {statistics.median(statistics.median(r.queries) for r in mine):.2f} ms"
        f"  bare repaint p50 {statistics.median(statistics.median(r.repaints) for r in mine):.2f}"
        f" ms  floor {statistics.median(r.floor for r in mine):.2f} ms"
        f"  ratio {ratio:.2f} (runs {', '.join(f'{r.ratio:.2f}' for r in mine)})"
        f"  limit {LIMIT}  {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Runs of each size (5 or more).")
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build the store here (or reuse it).")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs: give 5 or more (the figure is a median of alternated runs)")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        if not path.exists():
            build(path, args.activities)
        keystrokes = sum(len(s) for s in SEARCHES)
        print(
            f"{args.activities} activities; {keystrokes} keystrokes a run; {args.runs} runs a size"
        )
        runs = [asyncio.run(one_run(path, size)) for _ in range(args.runs) for size in SIZES]
        passed = [summary(runs, size) for size in SIZES]
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
