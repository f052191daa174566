"""The shared builders (tests/factories.py) build what they say, through the core."""

from __future__ import annotations

import pytest

from linkworker import people, referrals
from linkworker.store.db import Database

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
