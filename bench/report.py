"""Time the commissioner caseload report over 10,000 people and 100,000+ contacts.

    .venv/bin/python bench/report.py [--runs 7] [--rebuild] [--cache DIR]

Builds (once, then reuses) a demo store with ``demo.write_demo(people=10000, ...)`` under
bench/.cache (git-ignored), then computes the report for the last 12 months several times
and prints the median against the 2 s budget: PASS or FAIL (exit 1). The computation timed
is what every export does before writing: ``reports.caseload_report`` (all SQL aggregates)
plus ``caseload_document`` (suppression and layout). One HTML export is timed too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker import reports
from linkworker.demo import write_demo
from linkworker.formats.caseload_report import caseload_document
from linkworker.reports.export import CaseloadRequest, export_caseload
from linkworker.store.db import open_store

TODAY = date(2026, 11, 23)
PEOPLE = 10_000
# The demo gives contacts only to accepted and discharged episodes (about 3 in 4), and
# never on the same day twice; 14 a person on average gives just over 100,000 contacts.
CONTACTS_PER_PERSON = 14
MIN_CONTACTS = 100_000
BUDGET_S = 2.0


def build(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    db = open_store(partial)
    write_demo(
        db,
        people=PEOPLE,
        seed=7,
        today=TODAY,
        contacts_per_person=CONTACTS_PER_PERSON,
        progress=lambda done, total: print(f"  building: {done}/{total} people", end="\r"),
    )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    partial.rename(path)
    print(f"built {path} in {time.perf_counter() - started:.0f} s" + " " * 20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path(__file__).parent / ".cache")
    args = parser.parse_args()
    store = args.cache / f"report-{PEOPLE}.db"
    if args.rebuild or not store.exists():
        build(store)
    db = open_store(store)
    people = db.execute("SELECT count(*) FROM people").fetchone()[0]
    contacts = db.execute("SELECT count(*) FROM contacts WHERE attempt = 0").fetchone()[0]
    attempts = db.execute("SELECT count(*) FROM contacts WHERE attempt = 1").fetchone()[0]
    measures = db.execute("SELECT count(*) FROM measures").fetchone()[0]
    print(
        f"store: {people} people, {contacts} contacts (+{attempts} attempts), {measures} measures"
    )
    if people < PEOPLE or contacts < MIN_CONTACTS:
        print(f"FAIL: the store is smaller than {PEOPLE} people / {MIN_CONTACTS} contacts")
        return 1
    period = reports.Period(date(2025, 11, 1), TODAY)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = reports.caseload_report(db, period, TODAY)
        caseload_document(report)
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(
        f"caseload report {period.start} to {period.end} ({report.referrals_received} referrals, "
        f"{report.contacts_total} contacts): median {median:.3f} s of {args.runs} runs "
        f"(min {min(timings):.3f}, max {max(timings):.3f})"
    )
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        asked = CaseloadRequest(period, "html", Path(folder) / "report.html", TODAY, True)
        export_caseload(db, asked)
        print(f"identifiable HTML export: {time.perf_counter() - started:.3f} s")
    db.close()
    verdict = "PASS" if median < BUDGET_S else "FAIL"
    print(f"{verdict}: median {median:.3f} s against a budget of {BUDGET_S:.1f} s")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
