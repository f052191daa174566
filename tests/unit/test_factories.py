"""The shared builders (tests/factories.py) build what they say, through the core."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from tests import factories as factories_module

from linkworker import people, referrals
from linkworker.store.db import Database, applied_names, open_store

import factories


@pytest.mark.parametrize("status", factories.STATUSES)
def test_a_referral_can_be_built_in_each_status(db: Database, status: str) -> None:
    person_id, referral_id = factories.add_person_with_referral(db, status=status)
    referral = referrals.get_referral(db, referral_id)
    assert referral["status"] == status and referral["person_id"] == person_id
    # Built through the core: the person's change is in the audit trail.
    audited = db.execute(
        "SELECT count(*) FROM audit WHERE table_name = 'people' AND record_id = ?", [person_id]
    ).fetchone()[0]
    assert audited >= 1


def test_overrides_reach_the_record(db: Database) -> None:
    person_id = factories.add_person(db, given_name="Ray", nhs_number="943 476 5919")
    person = people.get_person(db, person_id)
    assert (person["given_name"], person["family_name"]) == ("Ray", "Smith")
    assert person["nhs_number"] == "9434765919"
    with pytest.raises(ValueError, match="status must be one of"):
        factories.add_referral(db, person_id, status="lost")


def test_an_episode_has_contacts_measures_and_follow_ups(db: Database) -> None:
    episode = factories.add_episode(
        db,
        contacts=3,
        follow_up={"life_satisfaction": 7, "worthwhile": 7, "happiness": 6, "anxiety": 3},
    )
    assert len(episode.contact_ids) == 3 and len(episode.measure_ids) == 2
    assert len(episode.followup_ids) == 1
    row = db.execute(
        "SELECT status, contacts, next_followup_on FROM person_summary WHERE person_id = ?",
        [episode.person_id],
    ).fetchone()
    assert row == ("accepted", 3, "2026-11-30")


def test_a_store_a_test_makes_is_what_creating_one_leaves(tmp_path: Path) -> None:
    """factories.open_store copies the session's template; it must match a real new store."""
    made = factories_module.open_store(tmp_path / "private" / "copied.db")
    real = open_store(tmp_path / "real.db")  # the core's own creation and migration
    try:
        assert factories_module._template is not None, "new stores are not copies"
        assert schema_of(made) == schema_of(real)
        assert applied_names(made) == applied_names(real)
        meta = dict(made.execute("SELECT key, value FROM meta").fetchall())
        real_meta = dict(real.execute("SELECT key, value FROM meta").fetchall())
        assert set(meta) == set(real_meta)
        assert meta["encryption"] == real_meta["encryption"]
        # Its own identity: backups of two stores in one folder are told apart by it.
        template = open_store(factories_module._template)
        try:
            template_id = template.execute(
                "SELECT value FROM meta WHERE key = 'store_id'"
            ).fetchone()[0]
        finally:
            template.close()
        assert meta["store_id"] not in {template_id, real_meta["store_id"]}
        assert len(meta["store_id"]) == 32
        # Made as privately as the core makes it.
        assert stat.S_IMODE((tmp_path / "private" / "copied.db").stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o700
    finally:
        made.close()
        real.close()
    # A store that exists is opened, never replaced by a copy.
    again = factories_module.open_store(tmp_path / "private" / "copied.db")
    try:
        assert (
            again.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0]
            == (meta["store_id"])
        )
    finally:
        again.close()


def schema_of(db: Database) -> list[tuple[str, str, str]]:
    return [
        (str(r[0]), str(r[1]), str(r[2]))
        for r in db.execute(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    ]
