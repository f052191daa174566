"""Closing a referral, whichever way, cancels its planned follow-ups in the same transaction.

Each close path of :mod:`linkworker.referrals` leaves no planned follow-up on the episode,
no "Next due" date on the caseload list, and an audited reason on every cancelled one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest

from linkworker import caseload, followups, people, referrals
from linkworker.caseload import CaseloadFilter
from linkworker.clock import Clock, fixed
from linkworker.models import ContactDetails, DischargeReason, PersonDetails, ReferralDetails
from linkworker.settings import Settings
from linkworker.store import audit
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)


def _episode(db: Database, clock: Clock, *, accepted: bool) -> tuple[int, int]:
    pid = people.add_person(db, PersonDetails(given_name="Joan", family_name="Smith"), clock)
    details = ReferralDetails.model_validate(
        {"source": "gp_practice", "received_on": "2026-11-02"}, context={"today": TODAY}
    )
    rid = referrals.add_referral(db, pid, details, clock)
    if accepted:
        referrals.accept(db, rid, date(2026, 11, 4), clock)
    return pid, rid


def _book(db: Database, clock: Clock, pid: int, *days: str) -> list[int]:
    return [
        followups.schedule(
            db, pid, followups.details({"due_on": day, "kind": "phone"}, TODAY), clock
        ).followup_id
        for day in days
    ]


def _three_attempts(db: Database, clock: Clock, rid: int) -> None:
    for day in (17, 18, 19):
        referrals.log_attempt(
            db,
            rid,
            ContactDetails(contact_at=f"2026-11-{day}T10:00:00", mode="phone"),
            clock,
            threshold=3,
        )


def _row(db: Database, pid: int) -> caseload.CaseloadRow:
    rows = caseload.caseload_page(db, CaseloadFilter(), TODAY)
    return next(r for r in rows if r.person_id == pid)


def _decline(db: Database, rid: int, clock: Clock) -> object:
    return referrals.decline(db, rid, TODAY, clock, "Managing for now")


def _not_reached(db: Database, rid: int, clock: Clock) -> object:
    _three_attempts(db, clock, rid)
    return referrals.mark_not_reached(db, rid, TODAY, clock, threshold=3)


def _discharge(db: Database, rid: int, clock: Clock) -> object:
    return referrals.discharge(db, rid, TODAY, DischargeReason.GOALS_MET, "Done", clock)


CLOSE_PATHS: list[tuple[str, bool, Callable[[Database, int, Clock], object], str]] = [
    ("declined", False, _decline, "referral closed: declined"),
    ("not_reached", False, _not_reached, "referral closed: not reached"),
    ("discharged", True, _discharge, "referral closed: discharged"),
]


@pytest.mark.parametrize(("status", "accepted", "close", "reason"), CLOSE_PATHS)
def test_closing_cancels_the_planned_follow_ups_and_clears_next_due(
    db: Database,
    clock: Clock,
    status: str,
    accepted: bool,
    close: Callable[[Database, int, Clock], object],
    reason: str,
) -> None:
    pid, rid = _episode(db, clock, accepted=accepted)
    booked = _book(db, clock, pid, "2026-11-30", "2026-12-14")
    assert _row(db, pid).next_followup_on == "2026-11-30"

    close(db, rid, clock)

    assert referrals.get_referral(db, rid)["status"] == status
    left = db.execute(
        "SELECT count(*) FROM followups WHERE person_id = ? AND status = 'planned'", [pid]
    ).fetchone()[0]
    assert left == 0
    assert _row(db, pid).next_followup_on is None
    for fid in booked:
        row = followups.get_followup(db, fid)
        assert (row["status"], row["cancel_reason"]) == ("cancelled", reason)
    changes = [
        (e["record_id"], e["field"], e["new"])
        for e in audit.history(db, pid)
        if e["table_name"] == "followups" and e["field"] == "status"
    ]
    assert sorted(changes) == [(fid, "status", "cancelled") for fid in booked]


def test_discharge_and_not_reached_say_how_many_follow_ups_they_cancelled(
    db: Database, clock: Clock
) -> None:
    pid, rid = _episode(db, clock, accepted=True)
    _book(db, clock, pid, "2026-11-30", "2026-12-07", "2026-12-14")
    assert _discharge(db, rid, clock) == 3
    _, other_rid = _episode(db, clock, accepted=False)
    assert _not_reached(db, other_rid, clock) == 0  # nothing booked: nothing cancelled


def test_a_closed_referral_keeps_its_done_and_missed_follow_ups(db: Database, clock: Clock) -> None:
    pid, rid = _episode(db, clock, accepted=True)
    done, later = _book(db, clock, pid, "2026-11-23", "2026-12-14")
    contact = ContactDetails(contact_at="2026-11-23T09:00:00", mode="phone")
    followups.complete(db, done, contact, fixed(TODAY, time(10, 0)), Settings())
    _discharge(db, rid, clock)
    assert followups.get_followup(db, done)["status"] == "done"
    assert followups.get_followup(db, later)["status"] == "cancelled"


def test_closing_is_one_transaction_with_the_cancellations(
    db: Database, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, rid = _episode(db, clock, accepted=True)
    (fid,) = _book(db, clock, pid, "2026-11-30")
    real_update = audit.update

    def failing(db: Database, table: str, *args: Any, **kwargs: Any) -> Any:
        if table == "followups":
            raise RuntimeError("disk full")
        return real_update(db, table, *args, **kwargs)

    monkeypatch.setattr(audit, "update", failing)
    with pytest.raises(RuntimeError):
        _discharge(db, rid, clock)
    assert referrals.get_referral(db, rid)["status"] == "accepted"
    assert followups.get_followup(db, fid)["status"] == "planned"
    assert _row(db, pid).next_followup_on == "2026-11-30"
