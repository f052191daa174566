"""Scale stores for the benchmarks, built with the demo generator and cached between runs.

Two sizes (issue 9): a five-year caseload (1,250 people, ~15,000 contacts) and a large one
(10,000 people, ~100,000 contacts, ~20,000 follow-ups, 10,000 activities). Building the large
one takes about 40 s, so each store is cached in bench/.cache keyed by its recipe; delete the
folder to rebuild. Run as a script to build both and print their row counts.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import linkworker  # noqa: F401  (registers the SQLite driver before sqlite_utils loads)
from linkworker.clock import fixed
from linkworker.demo import write_demo
from linkworker.directory import ImportReport, starter_path, store_activities
from linkworker.formats import oruk
from linkworker.store.db import Database, open_store

TODAY = date(2026, 11, 23)
CACHE = Path(__file__).resolve().parent / ".cache"


@dataclass(frozen=True)
class Recipe:
    """What goes into a scale store."""

    name: str
    people: int
    contacts_per_person: float
    followups_per_person: float
    activities: int
    seed: int = 2026

    def key(self) -> str:
        blob = json.dumps(asdict(self), sort_keys=True).encode()
        return hashlib.sha1(blob).hexdigest()[:10]


# contacts_per_person applies to people in an episode of support (about 78% of a caseload);
# these values land on the totals.
FIVE_YEAR = Recipe(
    "five-year", people=1_250, contacts_per_person=15.4, followups_per_person=2.0, activities=77
)
LARGE = Recipe(
    "large", people=10_000, contacts_per_person=12.6, followups_per_person=4.5, activities=10_000
)


def add_activities(db: Database, total: int) -> None:
    """Grow the directory to ``total`` activities by varying the starter services."""
    have = int(db.execute("SELECT count(*) FROM activities").fetchone()[0])
    if have >= total:
        return
    base = oruk.load_feed(starter_path()).activities
    towns = [
        "Haverleigh",
        "Fennick Green",
        "Lower Wendle",
        "Saxby Cross",
        "Marlow End",
        "Upper Wendle",
        "Kettering Hythe",
        "Ashby Vale",
    ]
    records = []
    for i in range(total - have):
        template = base[i % len(base)]
        town = towns[(i // len(base)) % len(towns)]
        district = 1 + (i % 9)
        records.append(
            template.model_copy(
                update={
                    "source_id": f"bench-{i:06d}",
                    "name": f"{template.name} ({town} {i // len(base) + 1})",
                    "town": town,
                    "postcode": f"HV{district} {1 + i % 9}AB",
                }
            )
        )
    report = ImportReport(source="bench")
    with db.atomic():
        store_activities(db, records, fixed(TODAY), report)


def build(recipe: Recipe, *, quiet: bool = False) -> Path:
    """The path of a store built to ``recipe`` (from the cache when it is there)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{recipe.name}-{recipe.key()}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    if not quiet:
        print(f"building the {recipe.name} store (cached in {CACHE})...", file=sys.stderr)
    db = open_store(partial)
    write_demo(
        db,
        people=recipe.people,
        seed=recipe.seed,
        today=TODAY,
        contacts_per_person=recipe.contacts_per_person,
        followups_per_person=recipe.followups_per_person,
    )
    add_activities(db, recipe.activities)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.move(partial, path)
    return path


def counts(path: Path) -> dict[str, int]:
    """Rows per table of a store."""
    db = open_store(path)
    try:
        return {
            t: int(db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0])
            for t in ("people", "contacts", "followups", "activities", "measures")
        }
    finally:
        db.close()


def copy_of(recipe: Recipe, folder: Path) -> Path:
    """A private copy of a scale store (benchmarks that write must not touch the cache)."""
    target = folder / f"{recipe.name}.db"
    shutil.copyfile(build(recipe), target)
    return target


if __name__ == "__main__":
    for r in (FIVE_YEAR, LARGE):
        print(r.name, counts(build(r)))
