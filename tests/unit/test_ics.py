"""The .ics calendar of a fixed small store, compared byte for byte with a golden file.

Run ``pytest tests/unit/test_ics.py --snapshot-update`` after a deliberate change to the
calendar, and read the diff of ``__snapshots__/test_ics/*.ics`` before committing it.
"""

from __future__ import annotations

import time as system_time
from collections.abc import Iterator
from datetime import date, time

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from linkworker import followups, people, referrals
from linkworker.clock import fixed
from linkworker.models import DischargeReason, PersonDetails, ReferralDetails
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)  # a Monday
BOOKED = fixed(TODAY, time(9, 0))


class IcsSnapshot(SingleFileSnapshotExtension):
    """One .ics file per test, kept as the exact bytes (CRLF line ends and all)."""

    _file_extension = "ics"


@pytest.fixture
def ics_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(IcsSnapshot)


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Stored stamps are local time; pin the zone so DTSTAMP is the same on every machine."""
    monkeypatch.setenv("TZ", "Europe/London")
    system_time.tzset()
    yield
    monkeypatch.undo()
    system_time.tzset()


def _referral(db: Database, given: str, family: str, *, accept: bool = True) -> tuple[int, int]:
    pid = people.add_person(db, PersonDetails(given_name=given, family_name=family), BOOKED)
    details = ReferralDetails.model_validate(
        {"source": "gp_practice", "received_on": "2026-11-02"}, context={"today": TODAY}
    )
    rid = referrals.add_referral(db, pid, details, BOOKED)
    if accept:
        referrals.accept(db, rid, date(2026, 11, 4), BOOKED)
    return pid, rid


def _book(db: Database, pid: int, **values: object) -> int:
    booking = followups.details({"kind": "phone", **values}, TODAY)
    return followups.schedule(db, pid, booking, BOOKED).followup_id


@pytest.fixture
def small_store(db: Database, london: None) -> Database:
    """Two people with follow-ups of every shape, and two that must stay off the calendar."""
    joan, _ = _referral(db, "Joan", "Smith")
    _book(
        db,
        joan,
        due_on="2026-11-24",
        due_time="10:00",
        duration_minutes=45,
        kind="home_visit",
        location="12 Mill Road",
        purpose="Review plan; bring the leaflet",
    )
    moved = _book(db, joan, due_on="2026-11-26")  # all day, then moved to a time
    followups.reschedule(
        db, moved, date(2026, 11, 27), "14:30", fixed(TODAY, time(11, 15)), keep_duration=True
    )
    dropped = _book(db, joan, due_on="2026-12-01", due_time="09:00")
    followups.cancel(db, dropped, "Joan is away", BOOKED)
    amir, _ = _referral(db, "Amir", "O'Brien")
    _book(db, amir, due_on="2026-12-03", kind="video", purpose="Check in")
    closed, closed_rid = _referral(db, "Edith", "Crawley")
    _book(db, closed, due_on="2026-11-25", due_time="11:00")
    referrals.discharge(db, closed_rid, TODAY, DischargeReason.GOALS_MET, None, BOOKED)
    _book(db, amir, due_on="2027-01-15")  # beyond the 28 days
    # UIDs are random when booked; fixed here so the file compares byte for byte.
    db.execute("UPDATE followups SET calendar_uid = 'followup-' || id || '@linkworker.test'")
    return db


def test_the_calendar_says_initials_and_kind_only(
    small_store: Database, ics_snapshot: SnapshotAssertion
) -> None:
    export = followups.calendar(small_store, TODAY)
    assert (export.events, export.first, export.last) == (3, TODAY, date(2026, 12, 20))
    # Joan's cancelled one and Edith's, cancelled when she was discharged, go as cancelled.
    assert export.cancelled == 2 and export.data.count(b"STATUS:CANCELLED") == 2
    assert b"Joan" not in export.data and b"Mill Road" not in export.data
    assert export.data == ics_snapshot


def test_the_identifiable_calendar_names_people_places_and_purposes(
    small_store: Database, ics_snapshot: SnapshotAssertion
) -> None:
    export = followups.calendar(small_store, TODAY, identifiable=True)
    assert (export.events, export.cancelled) == (3, 2)
    assert b"Joan Smith" in export.data and b"12 Mill Road" in export.data
    assert export.data == ics_snapshot
