"""Every change to a person's record is written to the audit trail in the same transaction."""

from __future__ import annotations

import json
from datetime import date

import pytest

from linkworker import people, referrals
from linkworker.clock import Clock
from linkworker.models import PersonDetails, ReferralDetails
from linkworker.store import audit
from linkworker.store.db import Database

import factories

#: Joan, with the NHS number and birthday the audit entries are checked against.
JOAN = {"nhs_number": "943 476 5919", "date_of_birth": date(1950, 3, 1)}


def test_insert_and_update_are_audited_field_by_field(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **JOAN)
    changed = audit.update(
        db,
        "people",
        pid,
        {"family_name": "Smyth", "given_name": "Joan"},
        person_id=pid,
        clock=clock,
    )
    assert changed == {"family_name": ("Smith", "Smyth")}
    rows = list(
        db.query(
            "SELECT action, table_name, record_id, person_id, field, old, new "
            "FROM audit ORDER BY id"
        )
    )
    assert rows[0] == {
        "action": "insert",
        "table_name": "people",
        "record_id": pid,
        "person_id": pid,
        "field": None,
        "old": None,
        "new": None,
    }
    assert rows[1] == {
        "action": "update",
        "table_name": "people",
        "record_id": pid,
        "person_id": pid,
        "field": "family_name",
        "old": "Smith",
        "new": "Smyth",
    }
    assert len(rows) == 2  # the unchanged given name wrote nothing


def test_referral_insert_is_audited_against_the_person(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **JOAN)
    rid = referrals.add_referral(
        db, pid, ReferralDetails(source="gp_practice", received_on=date(2026, 11, 20)), clock
    )
    row = db.execute(
        "SELECT table_name, record_id, person_id FROM audit WHERE table_name = 'referrals'"
    ).fetchone()
    assert row == ("referrals", rid, pid)


def test_a_failed_write_leaves_neither_the_change_nor_its_audit(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **JOAN)
    before = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(Exception, match="UNIQUE"), db.atomic():
        other = people.add_person(db, PersonDetails(given_name="Ann", family_name="Lee"), clock)
        audit.update(
            db, "people", other, {"nhs_number": "9434765919"}, person_id=other, clock=clock
        )
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == before
    assert db.execute("SELECT family_name FROM people WHERE id = ?", [pid]).fetchone()[0] == "Smith"


def test_history_lists_a_persons_entries_newest_first(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **JOAN)
    audit.update(db, "people", pid, {"phone": "07700 900123"}, person_id=pid, clock=clock)
    history = audit.history(db, pid)
    assert [h["action"] for h in history] == ["update", "insert"]


def test_nested_lists_and_dicts_are_stored_as_one_json_document() -> None:
    scores = {"values": {"metric": 19.98}, "missing": ["relaxed"], "on": date(2026, 11, 2)}
    stored = audit.to_db(scores)
    assert json.loads(str(stored)) == {
        "values": {"metric": 19.98},
        "missing": ["relaxed"],
        "on": "2026-11-02",
    }
