"""Booking or moving a follow-up to a time the clock change skips or repeats asks first
(the form's warn-once pattern): the warning names the time, the button says "anyway"."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.factories import open_store

from linkworker import followups
from linkworker.clock import fixed
from linkworker.tui.screens.followup_forms import BookFollowUpModal, RescheduleModal

from factories import add_person_with_referral
from pilots import asks_then_saves

CLOCK = fixed(date(2026, 11, 23))


async def test_a_time_that_does_not_exist_in_london_asks_before_booking(
    dialog_host: Any, tmp_path: Path
) -> None:
    db = open_store(tmp_path / "s.db")
    pid, _ = add_person_with_referral(db, CLOCK, status="accepted")
    async with dialog_host(BookFollowUpModal(pid), db=db, clock=CLOCK) as pilot:
        said = "Sun 28 Mar 2027 01:30 does not exist in London"
        await asks_then_saves(pilot, "28/03/2027", "01:30", said, "Book anyway")
    row = db.execute("SELECT due_on, due_time FROM followups").fetchone()
    assert tuple(row) == ("2027-03-28", "01:30")
    db.close()


async def test_moving_to_a_time_that_happens_twice_asks_first(
    dialog_host: Any, tmp_path: Path
) -> None:
    db = open_store(tmp_path / "s.db")
    pid, _ = add_person_with_referral(db, CLOCK, status="accepted")
    booking = followups.details({"due_on": "2027-10-30", "due_time": "10:00"}, CLOCK.today())
    fid = followups.schedule(db, pid, booking, CLOCK).followup_id
    async with dialog_host(RescheduleModal(fid), db=db, clock=CLOCK) as pilot:
        said = "Sun 31 Oct 2027 01:15 happens twice in London"
        await asks_then_saves(pilot, "31/10/2027", "01:15", said, "Move anyway")
    row = db.execute("SELECT due_on, due_time FROM followups WHERE id = ?", [fid]).fetchone()
    assert tuple(row) == ("2027-10-31", "01:15")
    db.close()
