"""A series booked from the follow-up form: the form, check_booking and schedule read the
same repeat (followups.Repeat), so the days warned about are the days booked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual.widgets import Button, Input, Static

from linkworker.clock import fixed
from linkworker.store.db import open_store
from linkworker.tui.screens.followup_forms import BookFollowUpModal

from factories import add_person_with_referral
from pilots import press_save, wait_until

CLOCK = fixed(date(2026, 12, 1))


async def test_a_weekly_series_over_christmas_warns_of_the_move_then_books_it(
    dialog_host: Any, tmp_path: Path
) -> None:
    db = open_store(tmp_path / "s.db")
    pid, _ = add_person_with_referral(db, CLOCK, status="accepted")
    async with dialog_host(BookFollowUpModal(pid), db=db, clock=CLOCK) as pilot:
        screen = pilot.app.screen
        screen.query_one("#due_on", Input).value = "21/12/2026"
        screen.query_one("#every_weeks", Input).value = "1"
        screen.query_one("#until", Input).value = "04/01/2027"
        await press_save(pilot)
        warning = str(screen.query_one("#form-warning", Static).render())
        # Monday 28 December 2026 is the Boxing Day bank holiday (in lieu) in England.
        assert "booked on" in warning and "29" in warning, warning
        assert str(screen.query_one("#save", Button).label) == "Book anyway (Ctrl+S)"
        assert not pilot.app.results
        await press_save(pilot)
        await wait_until(pilot, lambda: bool(pilot.app.results), "the save")
    rows = db.execute("SELECT due_on, series_id FROM followups ORDER BY due_on").fetchall()
    assert [r[0] for r in rows] == ["2026-12-21", "2026-12-29", "2027-01-04"]
    assert len({r[1] for r in rows}) == 1 and rows[0][1] is not None
    db.close()


async def test_a_repeat_without_an_end_date_is_refused_and_nothing_booked(
    dialog_host: Any, tmp_path: Path
) -> None:
    db = open_store(tmp_path / "s.db")
    pid, _ = add_person_with_referral(db, CLOCK, status="accepted")
    async with dialog_host(BookFollowUpModal(pid), db=db, clock=CLOCK) as pilot:
        screen = pilot.app.screen
        screen.query_one("#due_on", Input).value = "21/12/2026"
        screen.query_one("#every_weeks", Input).value = "2"
        await press_save(pilot)
        said = str(screen.query_one("#form-message", Static).render())
        assert "give the date the reviews stop" in said, said
        assert not pilot.app.results
    assert db.execute("SELECT count(*) FROM followups").fetchone()[0] == 0
    db.close()
