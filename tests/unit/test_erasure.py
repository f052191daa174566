"""Erasure: every row about a person goes, in one transaction, leaving one anonymous audit row."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkworker import erasure, people, referrals
from linkworker.clock import Clock
from linkworker.models import ContactDetails, ContactMode, FlagDetails, FlagKind, PersonDetails
from linkworker.store.db import Database

MARKER = "Quuxworthy"


def _richest_person(db: Database) -> int:
    """The demo person with the most kinds of record (goals, measures, connections...)."""
    row = db.execute(
        """SELECT p.id FROM people p ORDER BY
             (SELECT count(*) FROM goals g WHERE g.person_id = p.id
                AND EXISTS (SELECT 1 FROM actions a WHERE a.goal_id = g.id)) > 0 DESC,
             (SELECT count(*) FROM measures m WHERE m.person_id = p.id) > 0 DESC,
             (SELECT count(*) FROM connections c WHERE c.person_id = p.id) > 0 DESC,
             (SELECT count(*) FROM followups f WHERE f.person_id = p.id) > 0 DESC,
             (SELECT count(*) FROM referrals r WHERE r.person_id = p.id) DESC, p.id
           LIMIT 1"""
    ).fetchone()
    return int(row[0])


def _tables_with_person_id(db: Database) -> list[str]:
    return [
        t
        for t in db.table_names()
        if "person_id" in db.table(t).columns_dict and t not in ("audit",)
    ]


def _counts(db: Database, person_id: int, *, other: bool) -> dict[str, int]:
    op = "!=" if other else "="
    return {
        t: int(
            db.execute(
                f"SELECT count(*) FROM [{t}] WHERE person_id {op} ?", [person_id]
            ).fetchone()[0]
        )
        for t in _tables_with_person_id(db)
    }


def test_erase_removes_everything_about_the_person_and_nothing_else(
    demo_db: Database, demo_path: Path, clock: Clock
) -> None:
    db = demo_db
    pid = _richest_person(db)
    person = people.get_person(db, pid)
    # Give them audit history holding old values, a flag and a contact note.
    details = PersonDetails.model_validate(
        {k: v for k, v in person.items() if k in PersonDetails.model_fields}
        | {"family_name": MARKER}
    )
    people.update_person(db, pid, details, clock)
    people.update_person(
        db, pid, details.model_copy(update={"family_name": person["family_name"]}), clock
    )
    people.add_flag(db, pid, FlagDetails(kind=FlagKind.SAFEGUARDING, note=MARKER), clock)
    referrals.log_contact(
        db,
        pid,
        ContactDetails(contact_at="2026-11-20T10:00", mode=ContactMode.PHONE, note=MARKER),
        clock,
    )
    goal_ids = [r[0] for r in db.execute("SELECT id FROM goals WHERE person_id = ?", [pid])]
    marks = ", ".join("?" for _ in goal_ids) or "NULL"
    assert db.execute(f"SELECT count(*) FROM actions WHERE goal_id IN ({marks})", goal_ids)
    mine = _counts(db, pid, other=False)
    assert all(mine[t] > 0 for t in ("referrals", "contacts", "flags", "person_summary"))
    others_before = _counts(db, pid, other=True)
    others_audit = db.execute("SELECT count(*) FROM audit WHERE person_id IS NOT ?", [pid])
    others_audit_before = others_audit.fetchone()[0]
    activities_before = db.execute("SELECT count(*) FROM activities").fetchone()[0]

    result = erasure.erase_person(db, pid, clock)

    assert set(_counts(db, pid, other=False).values()) == {0}
    assert _counts(db, pid, other=True) == others_before
    for table in ("actions", "goal_reviews"):
        left = db.execute(f"SELECT count(*) FROM {table} WHERE goal_id IN ({marks})", goal_ids)
        assert left.fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM activities").fetchone()[0] == activities_before
    assert result.rows["people"] == 1 and result.rows["contacts"] == mine["contacts"]
    assert result.compacted
    # The audit trail: their rows are gone; one 'erase' row with nothing identifying remains.
    assert db.execute("SELECT count(*) FROM audit WHERE person_id = ?", [pid]).fetchone()[0] == 0
    erased = list(db.query("SELECT * FROM audit WHERE action = 'erase'"))
    assert len(erased) == 1
    row = erased[0]
    assert (row["person_id"], row["record_id"], row["field"], row["old"]) == (None,) * 4
    assert person["given_name"] not in row["new"] and MARKER not in row["new"]
    assert (
        db.execute("SELECT count(*) FROM audit WHERE person_id IS NOT NULL").fetchone()[0]
        == others_audit_before
    )
    hits = db.execute(
        "SELECT count(*) FROM audit WHERE old LIKE ? OR new LIKE ?", [f"%{MARKER}%"] * 2
    ).fetchone()[0]
    assert hits == 0
    # Deleted content is overwritten in the file and the write-ahead log is emptied.
    for path in (demo_path, demo_path.with_name(demo_path.name + "-wal")):
        if path.exists():
            assert MARKER.encode() not in path.read_bytes(), path


def test_erasing_someone_who_is_not_there_changes_nothing(db: Database, clock: Clock) -> None:
    with pytest.raises(LookupError, match="no person with id 42"):
        erasure.erase_person(db, 42, clock)
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == 0


def test_erasure_is_one_transaction(db: Database, clock: Clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pid = people.add_person(db, PersonDetails(given_name="Ann", family_name="Lee"), clock)
    people.add_flag(db, pid, FlagDetails(kind=FlagKind.OTHER), clock)
    before = db.execute("SELECT count(*) FROM audit").fetchone()[0]

    def broken(*_args: object) -> erasure.ErasureResult:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(erasure.ErasureResult, "summary", broken)
    with pytest.raises(RuntimeError):
        erasure.erase_person(db, pid, clock)
    assert people.get_person(db, pid)["given_name"] == "Ann"
    assert db.execute("SELECT count(*) FROM flags").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == before
