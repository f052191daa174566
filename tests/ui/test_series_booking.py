"""A series booked from the follow-up form: the form, check_booking and schedule read the
same repeat (followups.Repeat), so the days warned about are the days booked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from tests.factories import open_store
from textual.widgets import Input, Static

from linkworker.clock import fixed
from linkworker.tui.screens.followup_forms import BookFollowUpModal

from factories import add_person_with_referral
from pilots import asks_then_saves, press_save

CLOCK = fixed(date(2026, 12, 1))


@asynccontextmanager
async def series_form(
    dialog_host: Any, tmp_path: Path, every: str, until: str
) -> AsyncIterator[tuple[Any, Database]]:
    """The booking form for an accepted person, repeat every ``every`` weeks ``until``."""
    db = open_store(tmp_path / "s.db")
    pid, _ = add_person_with_referral(db, CLOCK, status="accepted")
    try:
        async with dialog_host(BookFollowUpModal(pid), db=db, clock=CLOCK) as pilot:
            pilot.app.screen.query_one("#every_weeks", Input).value = every
            pilot.app.screen.query_one("#until", Input).value = until
            yield pilot, db
    finally:
        db.close()


async def test_a_weekly_series_over_christmas_warns_of_the_move_then_books_it(
    dialog_host: Any, tmp_path: Path
) -> None:
    async with series_form(dialog_host, tmp_path, "1", "04/01/2027") as (pilot, db):
        # Monday 28 December 2026 is the Boxing Day bank holiday (in lieu) in England.
        await asks_then_saves(pilot, "21/12/2026", "", "booked on", "Book anyway")
        rows = db.execute("SELECT due_on, series_id FROM followups ORDER BY due_on").fetchall()
    assert [r[0] for r in rows] == ["2026-12-21", "2026-12-29", "2027-01-04"]
    assert len({r[1] for r in rows}) == 1 and rows[0][1] is not None


async def test_a_repeat_without_an_end_date_is_refused_and_nothing_booked(
    dialog_host: Any, tmp_path: Path
) -> None:
    async with series_form(dialog_host, tmp_path, "2", "") as (pilot, db):
        pilot.app.screen.query_one("#due_on", Input).value = "21/12/2026"
        await press_save(pilot)
        said = str(pilot.app.screen.query_one("#form-message", Static).render())
        assert "give the date the reviews stop" in said, said
        assert not pilot.app.results
        assert db.execute("SELECT count(*) FROM followups").fetchone()[0] == 0
