"""Case handover (issue 17 item 2): one person's whole record sealed to a colleague, the
sender's copy read-only (store and core) or erased, and the receiver's import in one
transaction with every id remapped and its provenance in the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from tests.factories import open_store

from linkworker import corrections, people
from linkworker.clock import Clock
from linkworker.erasure import erase_person
from linkworker.formats.sealed import SealError
from linkworker.models import FlagDetails
from linkworker.store import driver
from linkworker.store.handed_over import HandedOverError, guard_suspended, handed_over
from linkworker.subject_access import subject_access
from linkworker.team import keys
from linkworker.team.handover import hand_over
from linkworker.team.receive import HandoverMatchError, read_handover, receive_handover

import factories


def richest_person(db: Database) -> int:
    """The demo person with the most rows across their record."""
    row = db.execute(
        "SELECT person_id, count(*) FROM ("
        "SELECT person_id FROM contacts UNION ALL SELECT person_id FROM connections "
        "UNION ALL SELECT person_id FROM goals UNION ALL SELECT person_id FROM followups "
        "UNION ALL SELECT person_id FROM measures) GROUP BY person_id ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    return int(row[0])


_IDS = {"id", "person_id", "record_id", "calendar_uid"}


def _without_ids(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(
        repr(sorted((k, v) for k, v in r.items() if k not in _IDS and not k.endswith("_id")))
        for r in rows
    )


def comparable(export: dict[str, Any]) -> dict[str, Any]:
    """A subject access export with ids aside, the handover's own bookkeeping left out."""
    tables = {
        name: _without_ids(rows)
        for name, rows in export["tables"].items()
        if name not in {"handovers", "audit"}
    }
    trail = [
        r
        for r in export["tables"]["audit"]
        if r["field"] != "handed_over" and not str(r["reason"] or "").startswith("received from")
    ]
    return {
        "tables": tables,
        "audit": _without_ids(trail),
        "activities": sorted(a["name"] for a in export["activities_referred_to"]),
    }


@pytest.fixture
def bea(tmp_path: Path) -> Database:
    database = open_store(tmp_path / "bea.db")
    yield database
    database.close()


def test_a_handover_carries_every_row_and_audit_entry(
    demo_db: Database, bea: Database, clock: Clock, tmp_path: Path
) -> None:
    factories.exchange_keys(demo_db, bea, clock)
    pid = richest_person(demo_db)
    contact = demo_db.execute("SELECT id FROM contacts WHERE person_id = ?", [pid]).fetchone()
    corrections.strike_out(demo_db, "contacts", int(contact[0]), "wrong person", clock, "Ann")
    before = subject_access(demo_db, pid, "now")
    result = hand_over(demo_db, pid, "bea jones", tmp_path / "case.sealed", clock)
    assert "read-only" in result.summary() and result.to.name == "Bea Jones"

    read = read_handover(bea, (tmp_path / "case.sealed").read_bytes(), clock)
    assert read.matches == [] and read.opened.sender_name == "Ann Smith"
    received = receive_handover(bea, read, clock)
    after = subject_access(bea, received.person_id, "now")
    assert comparable(after) == comparable(before)
    assert any(r["entered_in_error_reason"] == "wrong person" for r in after["tables"]["contacts"])
    provenance = [
        r for r in after["tables"]["audit"] if str(r["reason"] or "").startswith("received from")
    ]
    rows = sum(len(r) for n, r in before["tables"].items() if n not in {"audit", "person_summary"})
    assert len(provenance) == rows
    assert all(
        read.opened.sealed_id in r["reason"] and r["worker"] == "Ann Smith" for r in provenance
    )
    # Every link points at the receiver's own rows, never at the sender's ids.
    for row in after["tables"]["followups"]:
        if row["contact_id"] is not None:
            assert (
                bea.execute(
                    "SELECT person_id FROM contacts WHERE id = ?", [row["contact_id"]]
                ).fetchone()[0]
                == received.person_id
            )
    for row in after["tables"]["connections"]:
        assert bea.execute("SELECT 1 FROM activities WHERE id = ?", [row["activity_id"]]).fetchone()


def test_the_senders_record_is_read_only_in_the_core_and_the_store(
    db: Database, bea: Database, clock: Clock, tmp_path: Path
) -> None:
    factories.exchange_keys(db, bea, clock)
    pid, _ = factories.add_person_with_referral(db)
    hand_over(db, pid, "Bea Jones", tmp_path / "case.sealed", clock)
    lock = handed_over(db, pid)
    assert lock is not None and lock.words() == "handed over to Bea Jones on 23 Nov 2026"
    with pytest.raises(HandedOverError, match="handed over to Bea Jones on 23 Nov 2026"):
        people.update_person(db, pid, factories.person_details(given_name="Jo"), clock)
    with pytest.raises(HandedOverError):
        people.add_flag(db, pid, FlagDetails(kind="other", note="x"), clock)
    for sql in (
        "UPDATE people SET phone = '0' WHERE id = ?",
        "DELETE FROM referrals WHERE person_id = ?",
        "INSERT INTO flags (person_id, kind, raised_on, created_at) VALUES (?, 'other', 'x', 'x')",
    ):
        with pytest.raises(driver.IntegrityError, match="handed over to a colleague"):
            db.execute(sql, [pid])
    with pytest.raises(HandedOverError, match="handed over to Bea Jones"):
        hand_over(db, pid, "Bea Jones", tmp_path / "again.sealed", clock)
    with guard_suspended(db):  # as migrations run
        db.execute("UPDATE people SET phone = '0' WHERE id = ?", [pid])
    with pytest.raises(driver.IntegrityError):
        db.execute("UPDATE people SET phone = '1' WHERE id = ?", [pid])
    erase_person(db, pid, clock)  # erasure is never blocked by the lock
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM handovers").fetchone()[0] == 0


def test_handing_over_with_erase_leaves_nothing_here(
    db: Database, bea: Database, clock: Clock, tmp_path: Path
) -> None:
    factories.exchange_keys(db, bea, clock)
    pid, _ = factories.add_person_with_referral(db)
    result = hand_over(db, pid, "Bea Jones", tmp_path / "case.sealed", clock, erase=True)
    assert result.erased is not None and "erased here" in result.summary()
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    received = receive_handover(
        bea, read_handover(bea, (tmp_path / "case.sealed").read_bytes(), clock), clock
    )
    assert people.get_person(bea, received.person_id)["family_name"] == "Smith"


def test_a_file_that_is_not_written_records_no_handover(
    db: Database, bea: Database, clock: Clock, tmp_path: Path
) -> None:
    factories.exchange_keys(db, bea, clock)
    pid, _ = factories.add_person_with_referral(db)
    (tmp_path / "case.sealed").write_bytes(b"there already")
    with pytest.raises(ValueError, match="exists"):
        hand_over(db, pid, "Bea Jones", tmp_path / "case.sealed", clock)
    assert handed_over(db, pid) is None


def test_a_match_on_record_needs_merge_or_new_and_a_case_can_come_back(
    db: Database, bea: Database, clock: Clock, tmp_path: Path
) -> None:
    factories.exchange_keys(db, bea, clock)
    pid, _ = factories.add_person_with_referral(db, nhs_number="9434765919")
    hand_over(db, pid, "Bea Jones", tmp_path / "to-bea.sealed", clock)
    bea_pid = receive_handover(
        bea, read_handover(bea, (tmp_path / "to-bea.sealed").read_bytes(), clock), clock
    ).person_id
    blob = hand_over(bea, bea_pid, "Ann Smith", tmp_path / "back.sealed", clock).path.read_bytes()

    read = read_handover(db, blob, clock)
    assert [m.person_id for m in read.matches] == [pid]
    with pytest.raises(HandoverMatchError, match=r"--merge-into PERSON_ID or --as-new"):
        receive_handover(db, read, clock)
    with pytest.raises(HandoverMatchError, match="NHS number belongs to one person"):
        receive_handover(db, read, clock, as_new=True)
    came_back = receive_handover(db, read, clock, merge_into=pid)
    assert came_back.merged and handed_over(db, pid) is None
    people.update_person(
        db, pid, factories.person_details(given_name="Jo", nhs_number="9434765919"), clock
    )
    referrals = db.execute("SELECT count(*) FROM referrals WHERE person_id = ?", [pid]).fetchone()
    assert referrals[0] == 2  # theirs (a copy of the first) beside the one kept here
    with pytest.raises(SealError, match="already received"):
        read_handover(db, blob, clock)


def test_a_handover_for_someone_else_or_from_a_stranger_is_refused(
    db: Database, bea: Database, clock: Clock, tmp_path: Path
) -> None:
    factories.exchange_keys(db, bea, clock)
    cat = open_store(tmp_path / "cat.db")
    keys.add_key(db, "Cat", keys.my_identity(cat, clock).public().text, clock)
    pid, _ = factories.add_person_with_referral(db)
    blob = hand_over(db, pid, "Cat", tmp_path / "cat.sealed", clock).path.read_bytes()
    with pytest.raises(SealError, match="for someone else"):
        read_handover(bea, blob, clock)
    with pytest.raises(SealError, match="a key you have not added"):
        read_handover(cat, blob, clock)
    cat.close()


def test_a_later_schema_step_runs_past_a_handed_over_record(
    db: Database, bea: Database, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """open_store runs pending steps with the guard aside: a later step that rewrites every
    person's row (as m011 rebuilt every caseload row) is not refused by a handed-over one."""
    # open_store reads the migrations where they live, on first use (store/db.py).
    import linkworker.store.migrations as store_migrations

    factories.exchange_keys(db, bea, clock)
    pid, _ = factories.add_person_with_referral(db)
    hand_over(db, pid, "Bea Jones", tmp_path / "case.sealed", clock)
    path = Path(db.execute("PRAGMA database_list").fetchone()[2])
    db.close()
    real = store_migrations.migrations

    class WithALaterStep:
        def pending(self, database: Database) -> list[str]:
            return ["m999_a_later_step"]

        def apply(self, database: Database) -> None:
            with database.atomic():
                database.execute("UPDATE people SET phone = coalesce(phone, '') || ''")
                database.execute("UPDATE referrals SET reason = coalesce(reason, 'r')")

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(store_migrations, "migrations", WithALaterStep())
    reopened = open_store(path)
    assert reopened.execute("SELECT reason FROM referrals").fetchone()[0] == "r"
    monkeypatch.undo()
    with pytest.raises(driver.IntegrityError, match="handed over to a colleague"):
        reopened.execute("UPDATE referrals SET reason = 'x'")
    reopened.close()
