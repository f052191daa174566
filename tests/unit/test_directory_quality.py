"""Feed quality (issue 15 item 5): stale records sink, likely duplicates across feeds are one
row, and each source's figures; what the link worker knows (item 6): dated, signed, private
attributes that survive imports and travel in the annotations file, never in the feed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from tests.factories import open_store
from tests.feed_server import serving

from linkworker import directory
from linkworker.cli import main
from linkworker.clock import Clock, fixed
from linkworker.directory import annotations, knowledge, pull, quality
from linkworker.models import ActivityDetails
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)


def svc(sid: str, name: str, **fields: Any) -> dict[str, Any]:
    """A v3 service; ``postcode`` gives it a location there."""
    record: dict[str, Any] = {"id": sid, "name": name, "status": "active"}
    postcode = fields.pop("postcode", None)
    if postcode:
        record["service_at_locations"] = [
            {"location": {"name": "Hall", "addresses": [{"address_1": "1 High St",
             "city": "Hove", "postal_code": postcode, "country": "GB"}]}}
        ]  # fmt: skip
    return record | fields


def load(db: Database, clock: Clock, source: str, records: list[dict[str, Any]]) -> None:
    directory.import_services(db, records, clock, source=source, complete=True)


def aid(db: Database, source_id: str) -> int:
    return int(
        db.execute("SELECT id FROM activities WHERE source_id = ?", [source_id]).fetchone()[0]
    )


# --- freshness_rank -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("checked", "rank"),
    [
        ("2026-11-01", 0),
        ("2025-11-23", 0),  # exactly twelve months: still fresh
        ("2025-11-22", 1),
        ("2025-11-22T09:00:00Z", 1),
        (date(2026, 1, 5), 0),
        (None, 1),
        ("", 1),
    ],
)
def test_freshness_rank_is_0_fresh_and_1_stale_after_twelve_months(
    checked: str | date | None, rank: int
) -> None:
    assert quality.freshness_rank(checked, TODAY) == rank


def test_the_store_folds_a_name_and_its_postcode_into_the_duplicate_key(
    db: Database, clock: Clock
) -> None:
    spellings = [
        svc("a", "St. Mary's  WALK-group", postcode="hv2 1ab"),
        svc("b", "st marys walk group", postcode="HV2 1AB"),
        svc("c", "St Mary’s (Walk) Group!", postcode="HV21AB"),
        svc("d", "St Mary's Walk Group"),
    ]
    load(db, clock, "feed.json", spellings)
    keys = dict(db.execute("SELECT source_id, duplicate_key FROM activities").fetchall())
    assert keys == {
        "a": "stmaryswalkgroup|HV21AB",
        "b": "stmaryswalkgroup|HV21AB",
        "c": "stmaryswalkgroup|HV21AB",
        "d": None,  # no postcode: never a likely duplicate
    }
    # It follows an edit at once (computed by SQLite, never stale).
    db.execute("UPDATE activities SET name = 'Other' WHERE source_id = 'b'")
    assert db.execute("SELECT duplicate_key FROM activities WHERE source_id = 'b'").fetchone() == (
        "other|HV21AB",
    )


# --- search ---------------------------------------------------------------------------------


def test_a_stale_record_sinks_below_a_fresh_one_of_the_same_relevance(
    db: Database, clock: Clock
) -> None:
    load(
        db,
        clock,
        "feed.json",
        [
            svc("old", "Garden club", assured_date="2024-01-10"),
            svc("never", "Garden club"),
            svc("new", "Garden club", assured_date="2026-10-01"),
        ],
    )
    f = directory.SearchFilter(text="garden", today=TODAY)
    ids = [r["source_id"] for r in directory.search_page(db, f).rows]
    assert ids[0] == "new"
    assert set(ids[1:]) == {"old", "never"}
    # Verified by the worker makes it fresh again.
    directory.mark_verified(db, aid(db, "never"), clock)
    ids = [r["source_id"] for r in directory.search_page(db, f).rows]
    assert ids[-1] == "old"


def test_a_stale_record_never_sinks_below_a_less_relevant_one(db: Database, clock: Clock) -> None:
    load(
        db,
        clock,
        "feed.json",
        [
            svc("stale", "Choir", description="Choir choir choir", assured_date="2020-01-01"),
            svc("fresh", "Lunch club", description="Lunch, a choir", assured_date="2026-11-01"),
        ],
    )  # fmt: skip
    rows = directory.search_page(db, directory.SearchFilter(text="choir", today=TODAY)).rows
    assert [r["source_id"] for r in rows] == ["stale", "fresh"]


def test_likely_duplicates_across_feeds_are_one_row_naming_the_other_feed(
    db: Database, clock: Clock
) -> None:
    load(db, clock, "council.json", [svc("c1", "St. Mary's Walk", postcode="HV2 1AB")])
    load(db, clock, "hub.json", [svc("h1", "st marys  walk", postcode="hv21ab")])
    load(db, clock, "hub.json", [svc("h1", "st marys  walk", postcode="hv21ab"),
                                  svc("h2", "St Mary's Walk", postcode="HV3 1AB")])  # fmt: skip
    page = directory.search_page(db, directory.SearchFilter(text="walk", today=TODAY))
    shown = [r["source_id"] for r in page.rows]
    assert len(shown) == 2 and "h2" in shown  # another postcode: another activity
    first = next(r for r in page.rows if r["source_id"] in ("c1", "h1"))
    other = "hub.json" if first["source_id"] == "c1" else "council.json"
    assert page.also_listed == {first["id"]: [other]}
    assert page.total == 2
    assert quality.also_listed_words(["A", "B", "C"]) == "also listed by A, B and C"


# --- the panel's figures --------------------------------------------------------------------


def test_each_source_counts_stale_missing_and_duplicates(db: Database, clock: Clock) -> None:
    load(
        db,
        clock,
        "council.json",
        [
            svc("c1", "Walk", postcode="HV2 1AB", assured_date="2026-10-01",
                phones=[{"number": "01273 000000"}],
                schedules=[{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00"}]),
            svc("c2", "Choir", assured_date="2020-01-01"),
            svc("c3", "Lunch", email="lunch@example.org"),
        ],
    )  # fmt: skip
    load(db, clock, "hub.json", [svc("h1", "walk", postcode="HV21AB", assured_date="2026-11-01")])
    directory.add_activity(db, ActivityDetails(name="My own group"), clock)
    by_name = {q.source: q for q in quality.source_quality(db, TODAY)}
    council = by_name["council.json"]
    assert (council.kind, council.records, council.stale, council.stale_percent) == (
        "file", 3, 2, 67,
    )  # fmt: skip
    assert (council.no_contact, council.no_location, council.no_schedule) == (1, 2, 2)
    assert council.duplicates == 1 and by_name["hub.json"].duplicates == 1
    assert by_name["added by you"].kind == "hand"
    assert [q.source for q in quality.source_quality(db, TODAY)][-1] == "added by you"
    assert json.loads(json.dumps(council.as_json()))["stale_percent"] == 67


def test_a_pull_keeps_its_paging_problems_apart_for_the_panel(db: Database, clock: Clock) -> None:
    with serving() as (served, url):
        served.total_pages = 9
        with httpx.Client(timeout=httpx.Timeout(5.0)) as client:
            pull.pull(db, url, clock, name="Council API", client=client, sleep=lambda _: None,
                      per_page=2)  # fmt: skip
    (council,) = [q for q in quality.source_quality(db, TODAY) if q.kind == "pull"]
    assert council.source == "Council API" and council.records == 5
    assert council.paging_problems == ["page 3 ended the feed, but total_pages said 9"]
    assert council.errors == []
    assert council.last_pulled


# --- what the link worker knows -------------------------------------------------------------


def test_knowledge_is_dated_signed_kept_when_unchanged_and_audited(
    db: Database, clock: Clock
) -> None:
    load(db, clock, "feed.json", [svc("walk", "Walk")])
    walk = aid(db, "walk")
    held = knowledge.record_knowledge(
        db, walk, {"welcome_person": " Sue ", "demand": "Gentle", "complex_needs": "yes"},
        clock, "Asha Patel",
    )  # fmt: skip
    assert held["welcome_person"] == knowledge.Known("Sue", "2026-11-23", "Asha Patel")
    assert held["demand"].value == "gentle"
    later = fixed(date(2026, 12, 1))
    held = knowledge.record_knowledge(
        db, walk, {"welcome_person": "Sue", "demand": None, "access_checked": "no"}, later, "Bo"
    )
    assert held["welcome_person"].recorded_on == "2026-11-23"  # unchanged: its date kept
    assert "demand" not in held  # a blank clears it
    assert held["access_checked"] == knowledge.Known("no", "2026-12-01", "Bo")
    lines = knowledge.knowledge_lines(directory.get_activity(db, walk)["worker_knowledge"])
    assert lines[0] == "Welcome person: Sue (recorded 23 Nov 2026 by Asha Patel)"
    audited = "SELECT field FROM audit WHERE table_name = 'activities' AND record_id = ?"
    fields = [r[0] for r in db.execute(audited, [walk])]
    assert fields.count("worker_knowledge") == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"demand": "very"}, "How demanding: one of gentle, some effort, demanding"),
        ({"complex_needs": "maybe"}, "Copes with complex needs: one of yes, no"),
        ({"welcome_person": "Sue\x1b[31m"}, "Welcome person:"),
        ({"welcome_person": "x" * 101}, "Welcome person: at most 100 characters"),
        ({"shoe_size": "9"}, "'shoe_size' is not something"),
    ],
)
def test_bad_knowledge_is_refused_naming_the_attribute_and_nothing_saved(
    db: Database, clock: Clock, values: dict[str, object], message: str
) -> None:
    load(db, clock, "feed.json", [svc("walk", "Walk")])
    walk = aid(db, "walk")
    with pytest.raises(directory.DirectoryError, match="^" + message.replace("(", r"\(")[:30]):
        knowledge.record_knowledge(db, walk, {"welcome_person": "Sue", **values}, clock, "A")
    assert directory.get_activity(db, walk)["worker_knowledge"] == "{}"


def test_knowledge_survives_reimports_stays_out_of_the_feed_and_travels_in_annotations(
    db: Database, clock: Clock, tmp_path: Path
) -> None:
    load(db, clock, "feed.json", [svc("walk", "Walk")])
    walk = aid(db, "walk")
    knowledge.record_knowledge(
        db, walk, {"welcome_person": "Sue", "safeguarding_seen": "yes"}, clock, "Asha"
    )
    load(db, clock, "feed.json", [svc("walk", "Walk (new)", description="Longer")])
    assert "Sue" in directory.get_activity(db, walk)["worker_knowledge"]
    # Not in the public feed, not even with the notes asked for.
    feed = json.dumps(directory.export_directory(db, include_notes=True), ensure_ascii=False)
    assert "Sue" not in feed and "safeguarding" not in feed
    document = annotations.annotations_document(db)
    entry = document["annotations"][0]
    assert entry["knowledge"]["welcome_person"] == {
        "value": "Sue",
        "on": "2026-11-23",
        "by": "Asha",
    }
    # A fresh store: the feed, then the annotations file.
    fresh = open_store(tmp_path / "fresh.db")
    load(fresh, clock, "feed.json", [svc("walk", "Walk")])
    report = annotations.apply_annotations(
        fresh, json.loads(annotations.annotations_json(document)), clock
    )
    assert report.applied == 1
    held = knowledge.knowledge_of(
        directory.get_activity(fresh, aid(fresh, "walk"))["worker_knowledge"]
    )
    assert held["safeguarding_seen"] == knowledge.Known("yes", "2026-11-23", "Asha")
    # A bad entry refuses the file, naming it.
    entry["knowledge"] = {"demand": {"value": "very", "on": "2026-11-23", "by": "A"}}
    with pytest.raises(directory.DirectoryError, match=r"annotation 1 \(walk\): How demanding"):
        annotations.apply_annotations(fresh, document, clock)
    fresh.close()


# --- the CLI --------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--unencrypted", "--create", "--today", "2026-11-23"])
    return result.exit_code, result.stdout, result.stderr


def test_the_cli_prints_each_sources_quality_and_search_names_the_other_feed(
    tmp_path: Path,
) -> None:
    store = str(tmp_path / "s.db")
    council = tmp_path / "council.json"
    hub = tmp_path / "hub.json"
    council.write_text(json.dumps([svc("c1", "Walk", postcode="HV2 1AB", assured_date="2026-10-01"),
                                   svc("c2", "Choir")]))  # fmt: skip
    hub.write_text(json.dumps([svc("h1", "WALK.", postcode="HV2 1AB")]))
    for feed in (council, hub):
        assert run("directory", "import", str(feed), "--db", store)[0] == 0
    code, out, _ = run("directory", "quality", "--db", store)
    assert code == 0
    assert "council.json (imported file)" in out
    assert "2 records, 50% not checked in 12 months (1); no contact 2, no place 1, no times 2; " \
        "1 also listed by another feed" in out  # fmt: skip
    code, out, _ = run("directory", "quality", "--json", "--db", store)
    figures = {q["source"]: q for q in json.loads(out)}
    assert figures["hub.json"]["stale_percent"] == 100 and figures["hub.json"]["duplicates"] == 1
    code, out, _ = run("directory", "search", "walk", "--db", store)
    assert "1 match for" in out and "also listed by" in out
    code, out, _ = run("directory", "search", "walk", "--json", "--db", store)
    (row,) = json.loads(out)
    assert row["also_listed_by"] in (["hub.json"], ["council.json"])
