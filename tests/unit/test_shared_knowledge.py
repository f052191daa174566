"""Shared directory knowledge (issue 17 item 4): notes, verified dates and what feeds lack,
sealed to colleagues; merged per activity and field, the newer dated value winning, shown
before anything is applied."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.factories import open_store

from linkworker import directory
from linkworker.cli import main
from linkworker.clock import Clock, fixed
from linkworker.directory import knowledge
from linkworker.formats.sealed import SealError
from linkworker.store.db import Database
from linkworker.team import keys
from linkworker.team import shared_knowledge as shared

import factories

EARLY, LATE = fixed(date(2026, 10, 1)), fixed(date(2026, 11, 20))
SERVICES = [
    {"id": "walk-1", "name": "Health walk", "status": "active"},
    {"id": "choir-2", "name": "Community choir", "status": "active"},
]


def _id(db: Database, source_id: str) -> int:
    return int(
        db.execute("SELECT id FROM activities WHERE source_id = ?", [source_id]).fetchone()[0]
    )


@pytest.fixture
def pair(tmp_path: Path, clock: Clock) -> Iterator[tuple[Database, Database]]:
    """Ann and Bea, each with the same two activities, knowing each other's keys."""
    ann, bea = open_store(tmp_path / "ann.db"), open_store(tmp_path / "bea.db")
    for db in (ann, bea):
        directory.import_services(db, SERVICES, clock, source="feed", complete=True)
    factories.exchange_keys(ann, bea, clock)
    # Ann's is older for the welcome person, newer for how demanding; only she has notes.
    knowledge.record_knowledge(ann, _id(ann, "walk-1"), {"welcome_person": "Sue"}, EARLY, "Ann")
    knowledge.record_knowledge(ann, _id(ann, "walk-1"), {"demand": "gentle"}, LATE, "Ann")
    directory.set_notes(ann, _id(ann, "choir-2"), "Ring Pat first", LATE)
    knowledge.record_knowledge(bea, _id(bea, "walk-1"), {"welcome_person": "Raj"}, LATE, "Bea")
    knowledge.record_knowledge(bea, _id(bea, "walk-1"), {"demand": "demanding"}, EARLY, "Bea")
    yield ann, bea
    ann.close()
    bea.close()


def test_the_newer_dated_value_wins_field_by_field(
    pair: tuple[Database, Database], clock: Clock
) -> None:
    ann, bea = pair
    blob, readers, count = shared.share_knowledge(ann, ["Bea Jones"], clock)
    assert count == 2 and [r.name for r in readers] == ["Bea Jones"]
    plan = shared.plan_merge(bea, blob, clock)
    seen = {(c.activity, c.label, c.theirs.value, c.yours.value if c.yours else None,
             c.theirs_win) for c in plan.changes}  # fmt: skip
    assert seen == {
        ("Health walk", "Welcome person", "Sue", "Raj", False),
        ("Health walk", "How demanding", "gentle", "demanding", True),
        ("Community choir", "Notes", "Ring Pat first", None, True),
    }
    before = bea.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert shared.apply_merge(bea, plan, clock) == 2
    held = knowledge.knowledge_of(
        bea.execute(
            "SELECT worker_knowledge FROM activities WHERE source_id = 'walk-1'"
        ).fetchone()[0]
    )
    assert (held["welcome_person"].value, held["demand"].value) == ("Raj", "gentle")
    assert held["demand"].recorded_by == "Ann" and held["demand"].recorded_on == "2026-11-20"
    notes = bea.execute("SELECT notes FROM activities WHERE source_id = 'choir-2'").fetchone()[0]
    assert notes == "Ring Pat first"
    assert bea.execute("SELECT count(*) FROM audit").fetchone()[0] == before + 2
    with pytest.raises(SealError, match="already received"):
        shared.plan_merge(bea, blob, clock)


def test_share_and_merge_from_the_command_line(
    pair: tuple[Database, Database], tmp_path: Path
) -> None:
    ann, bea = pair
    ann_path, bea_path = str(tmp_path / "ann.db"), str(tmp_path / "bea.db")
    ann.close()
    bea.close()
    out_file = str(tmp_path / "knowledge.sealed")
    runner = CliRunner()
    result = runner.invoke(
        main, ["directory", "knowledge", "share", "--to", "Bea Jones", "--output", out_file,
               "--db", ann_path],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("sealed what you know of 2 activities for Bea Jones\n")
    merge = ["directory", "knowledge", "merge", out_file, "--db", bea_path]
    result = runner.invoke(main, merge, input="n\n")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["activity", "field", "theirs", "yours", "wins"]
    assert any("How demanding" in line and line.endswith("theirs") for line in lines)
    assert any("Welcome person" in line and line.endswith("yours") for line in lines)
    assert "Apply the 2 changes where theirs is newer? [y/N]" in result.stdout
    assert lines[-1] == "nothing changed"
    result = runner.invoke(main, [*merge, "--yes"])
    assert result.exit_code == 0 and result.stdout.endswith("merged 2 fields from Ann Smith\n")
    result = runner.invoke(main, [*merge, "--yes"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "already received" in result.stderr


def test_nothing_to_share_is_said_plainly(db: Database, clock: Clock, tmp_path: Path) -> None:
    bea = open_store(tmp_path / "b.db")
    keys.add_key(db, "Bea", keys.my_identity(bea, clock).public().text, clock)
    bea.close()
    with pytest.raises(ValueError, match="nothing to share"):
        shared.share_knowledge(db, ["Bea"], clock)
