"""`linkworker directory import / export / search`: every HSDS example, messy feeds, round trips."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.factories import open_store

from linkworker import directory
from linkworker.cli import main
from linkworker.clock import Clock, fixed
from linkworker.formats import oruk
from linkworker.models import ActivityDetails
from linkworker.store.db import Database

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "hsds-v3-examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
#: The examples that hold a service, and those that hold none (with the reason given).
IMPORTABLE = [
    "service_full.json",
    "service_list.json",
    "organization_full.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "csv",
    "csv/datapackage.json",
]
NOT_SERVICES = {
    "location.json": "an HSDS location, not a services feed",
    "organization_list.json": "a list of HSDS organization objects, not services",
    "taxonomy.json": "an HSDS taxonomy, not a services feed",
    "taxonomy_list.json": "a list of HSDS taxonomy objects, not services",
    "taxonomy_term.json": "an HSDS taxonomy term, not a services feed",
    "taxonomy_term_list.json": "a list of HSDS taxonomy term objects, not services",
}


def run(*args: str) -> tuple[int, str, str]:
    # These stores are plain SQLite by explicit choice (the security tests cover encryption).
    result = CliRunner().invoke(main, [*args, "--unencrypted", "--create"])
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def rows(store: Path) -> list[dict[str, Any]]:
    db = open_store(store)
    try:
        return list(db.query("SELECT * FROM activities ORDER BY source_id"))
    finally:
        db.close()


def test_every_example_in_the_shared_folder_is_accounted_for() -> None:
    files = {p.name for p in EXAMPLES.glob("*.json")} | {"csv"}
    assert files == {Path(n).parts[0] for n in IMPORTABLE} | set(NOT_SERVICES)


@pytest.mark.parametrize("name", IMPORTABLE)
def test_each_hsds_example_imports(tmp_path: Path, name: str) -> None:
    store = tmp_path / "s.db"
    code, out, err = run("directory", "import", str(EXAMPLES / name), "--db", str(store))
    assert code == 0, err
    assert out.splitlines()[0].endswith("imported: 1 new, 0 updated, 0 unchanged, 0 skipped")
    [row] = rows(store)
    assert row["source_id"] == SERVICE_ID and row["name"]
    # Importing the same feed again changes nothing.
    code, out, _ = run("directory", "import", str(EXAMPLES / name), "--db", str(store))
    assert code == 0 and "0 new, 0 updated, 1 unchanged, 0 skipped" in out


@pytest.mark.parametrize(("name", "reason"), sorted(NOT_SERVICES.items()))
def test_examples_without_services_are_one_line_and_change_nothing(
    tmp_path: Path, name: str, reason: str
) -> None:
    store = tmp_path / "s.db"
    run("directory", "import", str(EXAMPLES / "service_full.json"), "--db", str(store))
    before = rows(store)
    code, out, err = run("directory", "import", str(EXAMPLES / name), "--db", str(store))
    assert code == 1 and out == ""
    assert err == f"linkworker: {name}: {reason}\n"
    assert rows(store) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "feed.json: not valid JSON"),
        ("", "feed.json: the file is empty"),
        ('{"people": [1, 2]}', "feed.json: not an Open Referral feed"),
        ("[1, 2, 3]", None),  # an array of non-services: each record skipped, not a feed error
    ],
)
def test_files_that_are_not_feeds(tmp_path: Path, content: str, expected: str | None) -> None:
    store = tmp_path / "s.db"
    path = tmp_path / "feed.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run("directory", "import", str(path), "--db", str(store))
    if expected is None:
        assert code == 0 and "0 new, 0 updated, 0 unchanged, 3 skipped" in out
        return
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"linkworker: {expected}")
    assert "Traceback" not in err


def messy_feed(tmp_path: Path) -> Path:
    return write(
        tmp_path / "messy.json",
        {
            "contents": [
                {"id": "a1", "name": "Good Walk", "status": "active"},
                {"id": "a2", "description": "a record without a name"},
                {"id": "a3", "name": "Wrong Types", "minimum_age": "old", "phones": "0123"},
                {"id": "a1", "name": "Good Walk again"},
                {"id": "a4", "name": "\x1b[31m[bold]FREE[/]\x1b[0m lunch"},
            ]
        },
    )


def test_a_messy_feed_imports_what_is_usable_and_names_each_problem(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    code, out, err = run("directory", "import", str(messy_feed(tmp_path)), "--db", str(store))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "messy.json: imported: 3 new, 0 updated, 0 unchanged, 2 skipped"
    assert "  skipped: record 2 (id a2 (no name)): name: missing name" in lines
    assert (
        '  skipped: record 4 (id a1 "Good Walk again"): id: duplicate id (first seen at record 1)'
        in lines
    )
    assert any(
        line.startswith('  warning: record 3 (id a3 "Wrong Types"): minimum_age:') for line in lines
    )
    # Escape codes from the feed never reach the terminal.
    assert "\x1b" not in out
    assert {r["source_id"]: r["name"] for r in rows(store)} == {
        "a1": "Good Walk",
        "a3": "Wrong Types",
        "a4": "␛[31m[bold]FREE[/]␛[0m lunch",  # escape codes stored made visible (issue 19)
    }


def test_strict_refuses_the_whole_import(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    code, out, err = run(
        "directory", "import", str(messy_feed(tmp_path)), "--strict", "--db", str(store)
    )
    assert code == 1
    assert "checked (nothing written)" in out and "skipped: record 2" in out
    assert err == "linkworker: --strict: 2 bad records in messy.json; nothing was imported\n"
    assert rows(store) == []


def test_import_report_as_json(tmp_path: Path) -> None:
    code, out, _ = run(
        "directory", "import", str(messy_feed(tmp_path)), "--json", "--db", str(tmp_path / "s.db")
    )
    report = json.loads(out)
    assert code == 0
    assert (report["new"], report["skipped"], report["written"]) == (3, 2, True)
    skipped = [p for p in report["problems"] if p["skipped"]]
    assert skipped[0] == {
        "record": 2,
        "id": "a2",
        "name": None,
        "field": "name",
        "reason": "missing name",
        "skipped": True,
    }


def test_export_then_import_gives_back_the_same_activities(tmp_path: Path) -> None:
    store, other = tmp_path / "s.db", tmp_path / "o.db"
    run("directory", "import", str(EXAMPLES / "service_full.json"), "--db", str(store))
    run("directory", "import", str(messy_feed(tmp_path)), "--db", str(store))
    db = open_store(store)
    clock = fixed(date(2026, 11, 23))
    directory.add_activity(db, ActivityDetails(name="Knit and Natter", days=["TU"]), clock)
    directory.set_notes(db, 1, "ask for Sue on Tuesdays", clock)
    db.close()
    out_file = tmp_path / "directory.json"
    code, out, err = run("directory", "export", str(out_file), "--db", str(store))
    assert code == 0, err
    assert out.startswith(f"wrote 5 activities (1 added by hand, 0 retired) to {out_file}")
    assert "ask for Sue" not in out_file.read_text(encoding="utf-8")
    code, out, _ = run("directory", "import", str(out_file), "--db", str(other))
    assert code == 0 and "5 new" in out

    def records(path: Path) -> list[oruk.ActivityRecord]:
        return [oruk.ActivityRecord.from_row(r) for r in rows(path)]

    assert records(other) == records(store)


def test_export_never_overwrites_without_force(tmp_path: Path) -> None:
    store, target = tmp_path / "s.db", tmp_path / "out.json"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run("directory", "export", str(target), "--db", str(store))
    assert code == 1 and "already exists; use --force" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    code, out, _ = run(
        "directory", "export", str(target), "--force", "--include-notes", "--db", str(store)
    )
    assert code == 0 and "with your private notes" in out
    page = json.loads(target.read_text(encoding="utf-8"))
    # A fresh store has the starter directory, as the app gives it on first run.
    assert page["total_items"] == 77 and "x_linkworker" in page["contents"][0]
    code, _, err = run("directory", "export", str(tmp_path / "no" / "x.json"), "--db", str(store))
    assert code == 1 and "does not exist" in err


def test_search_with_filters(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    code, out, _ = run("directory", "search", "walk", "--db", str(store), "--today", "2026-11-23")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == '12 matches for "walk"'
    assert "Haverleigh Health Walks" in lines[1] and "Free" in lines[1]
    code, out, _ = run(
        "directory", "search", "--day", "tuesday", "--free", "--category", "Befriending",
        "--db", str(store), "--today", "2026-11-23",
    )  # fmt: skip
    assert code == 0 and "(Befriending, Tuesdays, free)" in out.splitlines()[0]
    code, out, _ = run(
        "directory", "search", "walk", "--time", "morning", "--area", "HV2", "--age", "70",
        "--json", "--db", str(store), "--today", "2026-11-23",
    )  # fmt: skip
    found = json.loads(out)
    assert found and all(r["postcode"].startswith("HV2 ") for r in found)
    assert {"name", "when", "stale", "last_checked", "favourite"} <= set(found[0])
    code, _, err = run("directory", "search", "x", "--day", "Funday", "--db", str(store))
    assert code == 2 and "'Funday' is not a day of the week" in err


def test_search_shows_feed_text_literally(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    run("directory", "import", str(messy_feed(tmp_path)), "--db", str(store))
    code, out, _ = run("directory", "search", "lunch", "--db", str(store))
    assert code == 0
    assert "␛[31m[bold]FREE[/]␛[0m lunch" in out and "\x1b" not in out


def test_import_retire_missing(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    run("directory", "search", "", "--db", str(store))  # the starter is loaded
    args = ("directory", "import", str(EXAMPLES / "service_full.json"), "--retire-missing")
    # Missing from one full import: kept (a broken feed one day retires nothing).
    code, out, _ = run(*args, "--db", str(store))
    assert code == 0 and "77 not listed (retired if the next full import" in out
    # Missed again: retiring 77 of 78 is a large change, so without --yes one line says so.
    code, out, err = run(*args, "--db", str(store))
    assert code == 1 and out == ""
    assert err.startswith("linkworker: service_full.json would change 0 and retire 77 of the 78")
    assert err.endswith("nothing written; run again with --yes to go ahead\n")
    assert err.count("\n") == 1
    code, out, _ = run(*args, "--yes", "--db", str(store))
    assert code == 0 and "77 retired (no longer in the feed)" in out
    code, out, _ = run("directory", "search", "", "--db", str(store))
    assert out.splitlines()[0] == "1 match for all activities"


def test_search_on_an_empty_folder_feed_and_a_missing_path(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    code, _, err = run("directory", "import", str(tmp_path / "nope.json"), "--db", str(store))
    assert code == 1 and err == "linkworker: nope.json: no such file or folder\n"
    (tmp_path / "empty").mkdir()
    code, _, err = run("directory", "import", str(tmp_path / "empty"), "--db", str(store))
    assert code == 1 and "the folder is empty" in err
    db: Database = open_store(store)
    assert db.execute("SELECT count(*) FROM activities").fetchone()[0] == 0
    db.close()


def test_annotations_go_to_a_private_file_and_come_back_after_a_fresh_import(
    tmp_path: Path, clock: Clock
) -> None:
    import json as _json
    import stat

    from linkworker import directory as d
    from linkworker.store.db import open_store

    first, fresh = tmp_path / "a.db", tmp_path / "b.db"
    feed = str(EXAMPLES / "service_full.json")
    run("directory", "import", feed, "--db", str(first))
    db = open_store(first)
    walk = db.execute("SELECT id FROM activities").fetchone()[0]
    d.set_notes(db, walk, "Ask for Ann at reception", clock)
    d.toggle_favourite(db, walk, clock)
    db.close()
    out_file = tmp_path / "mine.json"
    code, out, _ = run("directory", "annotations", "export", str(out_file), "--db", str(first))
    assert code == 0 and "annotations of 1 activities" in out
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    saved = _json.loads(out_file.read_text())
    assert saved["annotations"][0]["notes"] == "Ask for Ann at reception"
    # The public feed never carries them.
    run("directory", "export", str(tmp_path / "feed.json"), "--db", str(first))
    assert "Ask for Ann" not in (tmp_path / "feed.json").read_text()
    # A fresh store: import the feed, read the annotations back.
    run("directory", "import", feed, "--db", str(fresh))
    code, out, _ = run("directory", "annotations", "import", str(out_file), "--db", str(fresh))
    assert code == 0 and "read back onto 1 activities" in out
    db = open_store(fresh)
    row = db.execute("SELECT notes, favourite FROM activities WHERE origin = 'import'").fetchall()
    db.close()
    assert ("Ask for Ann at reception", 1) in row
    (tmp_path / "bad.json").write_text('{"format": "other"}')
    code, _, err = run("directory", "annotations", "import", str(tmp_path / "bad.json"),
                       "--db", str(fresh))  # fmt: skip
    assert code == 1 and "not a linkworker annotations file" in err and "nothing was read" in err
