"""import_services: fetched service records applied with the never-destructive rules."""

from __future__ import annotations

from typing import Any

from linkworker import directory
from linkworker.clock import Clock
from linkworker.store.db import Database


def services(count: int, *, prefix: str = "Walk") -> list[dict[str, Any]]:
    return [{"id": f"s{i}", "name": f"{prefix} {i}"} for i in range(count)]


def active_ids(db: Database) -> set[str]:
    rows = db.execute("SELECT source_id FROM activities WHERE retired = 0").fetchall()
    return {r[0] for r in rows}


def test_a_complete_pull_retires_what_the_feed_no_longer_lists(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    report = directory.import_services(
        db, services(19), clock, source="feed", complete=True, retire_missing=True
    )
    assert report.retired == 1
    assert "s19" not in active_ids(db)


def test_an_incomplete_pull_retires_nothing_and_says_so(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    report = directory.import_services(
        db, services(5), clock, source="feed", complete=False, retire_missing=True
    )
    assert report.retired == 0
    assert report.incomplete
    assert "incomplete, so nothing was retired" in report.summary()
    assert len(active_ids(db)) == 20


def test_a_large_change_is_asked_first_and_no_rolls_everything_back(
    db: Database, clock: Clock
) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    asked: list[str] = []

    def say_no(question: str) -> bool:
        asked.append(question)
        return False

    report = directory.import_services(
        db,
        services(20, prefix="Renamed"),
        clock,
        source="feed",
        complete=True,
        confirm_large=say_no,
    )
    assert asked and "would change 20 and retire 0 of the 20" in asked[0]
    assert not report.written
    assert "not confirmed" in report.summary()
    names = {r[0] for r in db.execute("SELECT name FROM activities").fetchall()}
    assert names == {f"Walk {i}" for i in range(20)}


def test_a_small_change_is_not_asked(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    changed = services(20)
    changed[0]["name"] = "Walk zero"

    def never(question: str) -> bool:
        raise AssertionError(question)

    report = directory.import_services(
        db, changed, clock, source="feed", complete=True, confirm_large=never
    )
    assert report.updated == 1 and report.written


def test_notes_and_favourites_survive_a_reimport(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(3), clock, source="feed", complete=True)
    activity_id = db.execute("SELECT id FROM activities WHERE source_id = 's0'").fetchone()[0]
    directory.set_notes(db, activity_id, "Ask for Jo at the door", clock)
    directory.toggle_favourite(db, activity_id, clock)
    changed = services(3)
    changed[0]["name"] = "Walk zero"
    directory.import_services(db, changed, clock, source="feed", complete=True)
    row = directory.get_activity(db, activity_id)
    assert row["name"] == "Walk zero"
    assert row["notes"] == "Ask for Jo at the door"
    assert row["favourite"]
