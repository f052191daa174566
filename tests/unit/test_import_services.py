"""import_services: fetched service records applied with the never-destructive rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linkworker import directory
from linkworker.clock import Clock
from linkworker.models import ActivityDetails
from linkworker.store.db import Database


def services(count: int, *, prefix: str = "Walk") -> list[dict[str, Any]]:
    return [{"id": f"s{i}", "name": f"{prefix} {i}"} for i in range(count)]


def active_ids(db: Database) -> set[str]:
    rows = db.execute("SELECT source_id FROM activities WHERE retired = 0").fetchall()
    return {r[0] for r in rows}


def test_a_complete_pull_retires_what_the_feed_no_longer_lists(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    first = directory.import_services(
        db, services(19), clock, source="feed", complete=True, retire_missing=True
    )
    # Missing from one complete pull: kept, and the report says so.
    assert first.retired == 0 and first.missing == 1 and "s19" in active_ids(db)
    assert "1 not listed (retired if the next full import misses them too)" in first.summary()
    second = directory.import_services(
        db, services(19), clock, source="feed", complete=True, retire_missing=True
    )
    assert second.retired == 1
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


EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "hsds-v3-examples"


def _example(name: str) -> list[dict[str, Any]]:
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return list(data["contents"]) if "contents" in data else [data]


def test_a_summary_page_after_the_full_record_keeps_the_full_fields(
    db: Database, clock: Clock
) -> None:
    directory.import_services(db, _example("service_full.json"), clock, source="f", complete=True)
    before = db.execute("SELECT * FROM activities").fetchone()
    report = directory.import_services(
        db, _example("service_list.json"), clock, source="f", complete=True
    )
    after = db.execute("SELECT * FROM activities").fetchone()
    row = next(iter(db.query("SELECT * FROM activities")))
    # The list page carries no place, times, phone or categories: none of them is blanked.
    assert row["venue"] == "MyCity Civic Center"
    assert row["schedule_text"] and row["phone"] == "+44 1234 234567"
    assert json.loads(row["categories"]) == ["name"]
    assert len(json.loads(row["locations"])) == 1 and json.loads(row["contacts"])
    assert report.new == 0
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert report.updated == (1 if changed else 0)


def test_retired_by_the_feed_then_listed_again_comes_back(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    for _ in range(2):
        directory.import_services(
            db, services(19), clock, source="feed", complete=True, retire_missing=True
        )
    assert "s19" not in active_ids(db)
    report = directory.import_services(db, services(20), clock, source="feed", complete=True)
    assert report.returned == 1 and "s19" in active_ids(db)
    assert "1 back (listed again)" in report.summary()


def test_a_retirement_by_the_worker_is_never_undone_by_a_feed(db: Database, clock: Clock) -> None:
    directory.import_services(db, services(3), clock, source="feed", complete=True)
    walk = db.execute("SELECT id FROM activities WHERE source_id = 's1'").fetchone()[0]
    directory.retire_activity(db, walk, clock)
    directory.import_services(db, services(3), clock, source="feed", complete=True)
    assert "s1" not in active_ids(db)


def test_missing_then_listed_then_missing_retires_nothing(db: Database, clock: Clock) -> None:
    """Only two *consecutive* complete pulls without a record retire it."""
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    for count in (19, 20, 19):
        directory.import_services(
            db, services(count), clock, source="feed", complete=True, retire_missing=True
        )
    assert len(active_ids(db)) == 20


def test_a_broken_paging_pull_retires_nothing_even_after_a_complete_one(
    db: Database, clock: Clock
) -> None:
    directory.import_services(db, services(20), clock, source="feed", complete=True)
    directory.import_services(
        db, services(19), clock, source="feed", complete=True, retire_missing=True
    )
    report = directory.import_services(
        db, services(5), clock, source="feed", complete=False, retire_missing=True
    )
    assert report.retired == 0 and report.incomplete and len(active_ids(db)) == 20


def test_hand_edits_notes_favourites_and_verification_survive_a_reimport(
    db: Database, clock: Clock
) -> None:
    feed = [
        {
            "id": "walk",
            "name": "Health walk",
            "description": "A walk",
            "url": "https://walks.example.org/a",
        }
    ]
    directory.import_services(db, feed, clock, source="feed", complete=True)
    walk = db.execute("SELECT id FROM activities WHERE source_id = 'walk'").fetchone()[0]
    details = directory.details_of(directory.get_activity(db, walk))
    details["description"] = "Meet at the café, Thursdays"
    directory.update_activity(db, walk, ActivityDetails.model_validate(details), clock)
    directory.set_notes(db, walk, "Ask for Maureen", clock)
    directory.toggle_favourite(db, walk, clock)
    changed = [{**feed[0], "description": "A new walk", "url": "https://walks.example.org/b"}]
    directory.import_services(db, changed, clock, source="feed", complete=True)
    row = directory.get_activity(db, walk)
    assert row["description"] == "Meet at the café, Thursdays"  # the worker's edit stays
    assert (
        row["url"] == "https://walks.example.org/b"
    )  # what the worker did not edit follows the feed
    assert row["notes"] == "Ask for Maureen" and row["favourite"] == 1
    assert row["verified_on"] is not None


def test_every_hsds_example_round_trips_through_the_store(db: Database, clock: Clock) -> None:
    """import -> export -> import into a fresh store loses no value of the kept fields."""
    from linkworker.formats import oruk

    for name in ("service_full.json", "service_list.json", "organization_full.json"):
        feed = oruk.load_feed(EXAMPLES / name)
        directory.import_services(
            db, [_as_service(a) for a in feed.activities], clock, source=name, complete=True
        )
    page = directory.export_directory(db)
    kept = {r.source_id: r for r in oruk.parse_services(page["contents"]).activities}
    stored = {
        row["source_id"]: oruk.ActivityRecord.from_row(row)
        for row in db.query("SELECT * FROM activities WHERE origin = 'import'")
    }
    assert kept == stored


def _as_service(record: Any) -> dict[str, Any]:
    from linkworker.formats import oruk

    return dict(oruk.export_page([record])["contents"][0])


def test_a_record_without_a_status_keeps_the_status_held(db: Database, clock: Clock) -> None:
    closed = [{"id": "s0", "name": "Walk 0", "status": "temporarily closed"}]
    directory.import_services(db, closed, clock, source="feed", complete=True)
    directory.import_services(db, services(1), clock, source="feed", complete=True)
    status = db.execute("SELECT status FROM activities WHERE source_id = 's0'").fetchone()[0]
    assert status == "temporarily closed"
    reopened = [{**closed[0], "status": "active"}]
    directory.import_services(db, reopened, clock, source="feed", complete=True)
    assert db.execute("SELECT status FROM activities WHERE source_id = 's0'").fetchone()[0] == (
        "active"
    )
