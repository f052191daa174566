"""Writing the demo caseload into a store: people, then their episodes, in one transaction."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from linkworker.clock import Clock, fixed
from linkworker.demo.bulk import BulkWriter
from linkworker.demo.episodes import Shape
from linkworker.demo.people import one_person
from linkworker.store.migrations import rebuild_copies, rebuild_summary
from linkworker.store.migrations_later import COPY_TRIGGERS

#: What --force clears, children before parents.
_PERSON_TABLES = (
    "followups",
    "connections",
    "measures",
    "actions",
    "goal_reviews",
    "goals",
    "conversations",
    "flags",
    "contacts",
    "referrals",
    "people",
    "audit",
)
#: What the counts returned by write_demo cover.
_COUNTED_TABLES = (
    "people",
    "referrals",
    "contacts",
    "conversations",
    "goals",
    "actions",
    "measures",
    "connections",
    "followups",
    "flags",
    "activities",
)


@dataclass(frozen=True)
class DemoSize:
    """How much to generate; the defaults give a normal year's caseload."""

    people: int = 250
    contacts_per_person: float | None = None  # None: realistic 1-12 per episode
    activities: int | None = None  # None: the shipped starter directory only


class DemoError(ValueError):
    """The demo cannot be written (the store already holds people, say)."""


def write_demo(
    db: Database,
    *,
    people: int = 250,
    seed: int = 7,
    today: date,
    force: bool = False,
    contacts_per_person: float | None = None,
    followups_per_person: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write a demo caseload into an open store; returns counts by table.

    Refuses a store that already holds people unless ``force`` (then people are replaced).
    The starter directory is loaded first if the store has no activities.
    """
    from linkworker import directory

    existing = db.execute("SELECT count(*) FROM people").fetchone()[0]
    if existing and not force:
        raise DemoError(f"the store already holds {existing} people; use --force to replace them")
    clock: Clock = fixed(today)
    rng = random.Random(seed)
    with db.atomic():
        if existing:
            for table in _PERSON_TABLES:
                db.execute(f"DELETE FROM [{table}]")
        if not db.execute("SELECT count(*) FROM activities").fetchone()[0]:
            directory.load_starter(db, clock)
        activity_rows = list(
            db.query(
                "SELECT id, category_codes FROM activities WHERE status = 'active' ORDER BY id"
            )
        )
        shape = Shape(activity_rows, contacts_per_person, followups_per_person)
        writer = BulkWriter(db, clock.stamp())
        used: set[str] = set()
        # The caseload row triggers would rebuild a person's row after every one of their
        # ~20 rows (and fold their names each time): off for the load, one rebuild after.
        # So would those keeping the report's copies (m022's pairs, m024's first contacts).
        patterns = ("%_summary", *COPY_TRIGGERS)
        off_for_load = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ("
            + " OR ".join("name LIKE ?" for _ in patterns)
            + ")",
            list(patterns),
        ).fetchall()
        for name, _sql in off_for_load:
            db.execute(f"DROP TRIGGER [{name}]")
        for index in range(people):
            one_person(writer, rng, today, used, shape)
            if progress and index % 500 == 0:
                progress(index, people)
        for _name, sql in off_for_load:
            db.execute(sql)
        rebuild_summary(db)
        rebuild_copies(db)
    return {
        table: int(db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
        for table in _COUNTED_TABLES
    }
