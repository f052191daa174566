"""The demo caseload: deterministic, realistic, and never written over a real caseload."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from linkworker.demo import DemoError, write_demo
from linkworker.store.db import Database, open_store

USER_TABLES = (
    "people",
    "referrals",
    "contacts",
    "conversations",
    "goals",
    "actions",
    "measures",
    "activities",
    "connections",
    "followups",
    "flags",
)


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_store(path)
    try:
        return {t: db.execute(f"SELECT * FROM [{t}] ORDER BY id").fetchall() for t in USER_TABLES}
    finally:
        db.close()


def test_same_arguments_give_identical_rows(tmp_path: Path, today: date) -> None:
    for name in ("a.db", "b.db"):
        db = open_store(tmp_path / name)
        write_demo(db, people=40, seed=7, today=today)
        db.close()
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")
    c = open_store(tmp_path / "c.db")
    write_demo(c, people=40, seed=8, today=today)
    c.close()
    assert _dump(tmp_path / "a.db")["people"] != _dump(tmp_path / "c.db")["people"]


def test_demo_covers_every_state_a_link_worker_meets(demo_db: Database) -> None:
    statuses = {r[0] for r in demo_db.execute("SELECT DISTINCT status FROM referrals")}
    assert statuses == {
        "received",
        "contacting",
        "accepted",
        "declined",
        "not_reached",
        "discharged",
    }
    stages = {r[0] for r in demo_db.execute("SELECT DISTINCT stage FROM measures")}
    assert stages == {"baseline", "follow_up"}
    assert (
        demo_db.execute(
            "SELECT count(*) FROM followups WHERE due_on < '2026-11-23' AND status = 'planned'"
        ).fetchone()[0]
        > 0
    )
    for table in ("conversations", "goals", "actions", "connections", "contacts"):
        assert demo_db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    # Accepted and declined referrals carry their SNOMED CT codes.
    assert demo_db.execute(
        "SELECT DISTINCT snomed_code FROM referrals WHERE status = 'declined'"
    ).fetchall() == [("871711000000103",)]


def test_every_demo_measure_is_taken_in_its_referral_s_episode(demo_db: Database) -> None:
    """As outcomes.record_measure requires: on or after the day the referral was received
    and, once it is closed, on or before the day it was closed."""
    outside = demo_db.execute(
        "SELECT m.id, m.taken_on, r.received_on, r.status FROM measures m "
        "JOIN referrals r ON r.id = m.referral_id AND r.person_id = m.person_id "
        "WHERE m.taken_on < r.received_on OR m.taken_on > CASE r.status "
        "WHEN 'discharged' THEN r.discharged_on WHEN 'declined' THEN r.declined_on "
        "WHEN 'not_reached' THEN r.not_reached_on ELSE '9999-12-31' END"
    ).fetchall()
    assert outside == []
    unattached = "SELECT count(*) FROM measures WHERE referral_id IS NULL"
    assert demo_db.execute(unattached).fetchone() == (0,)
    assert demo_db.execute("SELECT count(*) FROM measures").fetchone()[0] > 100


def test_demo_refuses_a_store_that_holds_people(demo_db: Database, today: date) -> None:
    with pytest.raises(DemoError, match="already holds 60 people"):
        write_demo(demo_db, people=5, today=today)
    write_demo(demo_db, people=5, today=today, force=True)
    assert demo_db.execute("SELECT count(*) FROM people").fetchone()[0] == 5
