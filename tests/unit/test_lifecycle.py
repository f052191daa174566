"""The referral lifecycle rules live in the core; illegal moves get a clear message."""

from __future__ import annotations

from datetime import date

import pytest

from linkworker import referrals
from linkworker.clock import Clock
from linkworker.errors import CaseloadError
from linkworker.models import (
    ContactDetails,
    ContactMode,
    DischargeReason,
    ReferralDetails,
)
from linkworker.store.db import Database

import factories

RECEIVED = date(2026, 11, 2)


def _attempt(db: Database, rid: int, clock: Clock, day: int) -> referrals.AttemptResult:
    details = ContactDetails(contact_at=f"2026-11-{day:02d}T10:00:00", mode=ContactMode.PHONE)
    return referrals.log_attempt(db, rid, details, clock, threshold=3)


def test_accept_records_the_snomed_code(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    code, term = referrals.accept(db, rid, date(2026, 11, 5), clock)
    assert (code, term) == ("871731000000106", "Referral to social prescribing service (procedure)")
    row = referrals.get_referral(db, rid)
    assert (row["status"], row["snomed_code"], row["accepted_on"]) == (
        "accepted",
        "871731000000106",
        "2026-11-05",
    )


def test_decline_records_the_snomed_code_and_reason(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    code, _ = referrals.decline(db, rid, date(2026, 11, 5), clock, "Managing for now")
    row = referrals.get_referral(db, rid)
    assert code == "871711000000103"
    assert (row["status"], row["decline_reason"]) == ("declined", "Managing for now")


def test_attempts_move_to_contacting_and_reach_the_threshold(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    first = _attempt(db, rid, clock, 3)
    assert referrals.get_referral(db, rid)["status"] == "contacting"
    assert (first.attempts, first.threshold_reached) == (1, False)
    with pytest.raises(CaseloadError, match="only 1 of 3 contact attempts"):
        referrals.mark_not_reached(db, rid, date(2026, 11, 6), clock, threshold=3)
    _attempt(db, rid, clock, 5)
    third = _attempt(db, rid, clock, 9)
    assert third.threshold_reached
    referrals.mark_not_reached(db, rid, date(2026, 11, 9), clock, threshold=3)
    assert referrals.get_referral(db, rid)["status"] == "not_reached"


def test_cannot_discharge_a_referral_never_accepted(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    with pytest.raises(CaseloadError, match="never accepted cannot be discharged"):
        referrals.discharge(db, rid, date(2026, 11, 5), DischargeReason.GOALS_MET, None, clock)
    assert referrals.get_referral(db, rid)["status"] == "received"


def test_cannot_accept_a_discharged_referral(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    referrals.accept(db, rid, date(2026, 11, 5), clock)
    referrals.discharge(db, rid, date(2026, 11, 20), DischargeReason.GOALS_MET, "Done", clock)
    with pytest.raises(CaseloadError, match="discharged; a new referral opens a new episode"):
        referrals.accept(db, rid, date(2026, 11, 21), clock)


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        ("decline", "accept", "was declined"),
        ("accept", "decline", "discharge it"),
        ("accept", "accept", "already accepted"),
    ],
)
def test_other_illegal_moves(
    db: Database, clock: Clock, first: str, then: str, message: str
) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    getattr(referrals, first)(db, rid, date(2026, 11, 5), clock)
    with pytest.raises(CaseloadError, match=message):
        getattr(referrals, then)(db, rid, date(2026, 11, 6), clock)


def test_dates_before_the_referral_or_in_the_future_are_refused(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    with pytest.raises(CaseloadError, match="before the referral was received"):
        referrals.accept(db, rid, date(2026, 11, 1), clock)
    with pytest.raises(CaseloadError, match="in the future"):
        referrals.accept(db, rid, date(2026, 11, 24), clock)


def test_every_move_is_audited(db: Database, clock: Clock) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    referrals.accept(db, rid, date(2026, 11, 5), clock)
    fields = {
        r[0]
        for r in db.execute(
            "SELECT field FROM audit WHERE table_name = 'referrals' AND action = 'update'"
        )
    }
    assert {"status", "accepted_on", "snomed_code"} <= fields


def test_a_second_open_referral_is_refused_but_a_new_episode_after_discharge_is_not(
    db: Database, clock: Clock
) -> None:
    rid = factories.add_person_with_referral(db, clock)[1]
    pid = referrals.get_referral(db, rid)["person_id"]
    again = ReferralDetails(source="self", received_on=date(2026, 11, 10))
    with pytest.raises(CaseloadError, match="already has an open referral"):
        referrals.add_referral(db, pid, again, clock)
    referrals.accept(db, rid, date(2026, 11, 5), clock)
    referrals.discharge(db, rid, date(2026, 11, 9), DischargeReason.GOALS_MET, None, clock)
    new = referrals.add_referral(db, pid, again, clock)
    assert new != rid
    assert referrals.latest_referral(db, pid)["id"] == new
