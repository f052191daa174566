"""A person's follow-ups as a list (every status, series shown as such), and moving or
cancelling the rest of a series from any one of it (issue 13)."""

from __future__ import annotations

from datetime import date

from linkworker import followups
from linkworker.clock import Clock
from linkworker.models import AttemptOutcome
from linkworker.settings import Settings
from linkworker.store.db import Database

import factories

TODAY = factories.TODAY


def weekly_series(db: Database, clock: Clock, person_id: int) -> list[int]:
    """Mondays 30 Nov to 21 Dec 2026 at 10:00: four reviews."""
    booking = followups.details({"due_on": "2026-11-30", "due_time": "10:00"}, TODAY)
    return followups.schedule(
        db, person_id, booking, clock, every_weeks=1, until=date(2026, 12, 21)
    ).followup_ids


def test_the_list_holds_every_status_in_date_order_with_the_series_places(
    db: Database, clock: Clock
) -> None:
    pid, _ = factories.add_person_with_referral(db, clock, status="accepted")
    one_off = followups.schedule(
        db, pid, followups.details({"due_on": "2026-11-24"}, TODAY), clock
    ).followup_id
    series = weekly_series(db, clock, pid)
    followups.cancel(db, series[3], "Moved to monthly", clock)
    followups.record_missed(db, one_off, AttemptOutcome.NO_ANSWER, clock, Settings())
    listed = followups.followups_of(db, pid)
    assert [x.row["id"] for x in listed] == [one_off, *series]
    assert [x.row["status"] for x in listed] == [
        "missed",
        "planned",
        "planned",
        "planned",
        "cancelled",
    ]
    assert [x.series_words for x in listed] == [
        "",
        "1 of 4 in a series",
        "2 of 4 in a series",
        "3 of 4 in a series",
        "4 of 4 in a series",
    ]


def test_moving_one_of_a_series_can_move_the_rest_by_as_many_days(
    db: Database, clock: Clock
) -> None:
    pid, _ = factories.add_person_with_referral(db, clock, status="accepted")
    first, second, third, fourth = weekly_series(db, clock, pid)
    followups.reschedule(db, second, date(2026, 12, 8), "14:00", clock, rest_of_series=True)
    moved = {
        x.row["id"]: (x.row["due_on"], x.row["due_time"]) for x in followups.followups_of(db, pid)
    }
    assert moved == {
        first: ("2026-11-30", "10:00"),  # before the one moved: stays
        second: ("2026-12-08", "14:00"),
        third: ("2026-12-15", "14:00"),
        fourth: ("2026-12-22", "14:00"),
    }


def test_a_series_moved_onto_a_bank_holiday_goes_to_the_next_working_day(
    db: Database, clock: Clock
) -> None:
    pid, _ = factories.add_person_with_referral(db, clock, status="accepted")
    *_, third, fourth = weekly_series(db, clock, pid)
    # Monday 14 Dec to Friday 18 Dec: the last would be Christmas Day.
    followups.reschedule(db, third, date(2026, 12, 18), "10:00", clock, rest_of_series=True)
    assert followups.get_followup(db, fourth)["due_on"] == "2026-12-29"


def test_without_the_rest_of_the_series_only_the_one_moves(db: Database, clock: Clock) -> None:
    pid, _ = factories.add_person_with_referral(db, clock, status="accepted")
    first, second, *_ = weekly_series(db, clock, pid)
    followups.reschedule(db, first, date(2026, 12, 1), "10:00", clock)
    assert followups.get_followup(db, second)["due_on"] == "2026-12-07"
