"""Correcting from the person screen: Enter opens an entry, e corrects it, x strikes it out,
R reopens a closing decision (issue 13 items 1 and 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.factories import add_episode, open_store
from tests.ui.pilots import open_person, press_save, type_into, wait_for_screen, wait_until
from textual.widgets import DataTable, Input, Static

from linkworker import referrals
from linkworker.tui.screens.entry import (
    CorrectEntryDialog,
    EntryDialog,
    ReopenDialog,
    StrikeOutDialog,
)
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.person_edit import HistoryScreen


def _episode(path: Path) -> tuple[int, int, int]:
    db = open_store(path)
    try:
        episode = add_episode(db, contacts=2)
        return episode.person_id, episode.referral_id, episode.contact_ids[0]
    finally:
        db.close()


async def _open_entry(pilot: Any, screen: PersonScreen, table: str, record_id: int) -> EntryDialog:
    grid = screen.query_one("#timeline", DataTable)
    for row, key in enumerate(grid.rows):
        if str(key.value).startswith(f"{table}:{record_id}:"):
            grid.move_cursor(row=row)
            break
    else:
        raise AssertionError(f"{table} {record_id} is not on the timeline")
    await pilot.pause()
    await pilot.press("enter")
    return await wait_for_screen(pilot, EntryDialog)


async def test_a_contact_is_corrected_and_another_struck_out(
    store_path: Path, start_app: Any
) -> None:
    pid, _, contact = _episode(store_path)
    async with start_app(store_path, size=(80, 24)) as pilot:
        screen = await open_person(pilot, pid)
        entry = await _open_entry(pilot, screen, "contacts", contact)
        body = str(entry.query_one("#entry-body", Static).render())
        assert "02/11/2026 10:00" in body and "History" in body
        await pilot.press("e")
        form = await wait_for_screen(pilot, CorrectEntryDialog)
        assert form.query_one("#contact_at", Input).value == "02/11/2026 10:00"
        await type_into(pilot, "contact_at", "03/11/2026 10:00")
        await press_save(pilot)
        entry = await wait_for_screen(pilot, EntryDialog)
        body = str(entry.query_one("#entry-body", Static).render())
        assert "02/11/2026 10:00 → 03/11/2026 10:00" in body
        await pilot.press("x")
        strike = await wait_for_screen(pilot, StrikeOutDialog)
        await press_save(pilot)  # no reason: refused beside the field
        assert "say why" in str(strike.query_one("#strike_reason-error", Static).render())
        await type_into(pilot, "strike_reason", "logged on the wrong person")
        await press_save(pilot)
        await wait_for_screen(pilot, EntryDialog)
        await pilot.press("escape")
        screen = await wait_for_screen(pilot, PersonScreen)
        await wait_until(
            pilot,
            lambda: any(
                "entered in error" in str(screen.query_one("#timeline", DataTable).get_row(k)[1])
                for k in screen.query_one("#timeline", DataTable).rows
            ),
            "the struck-out contact marked on the timeline",
        )
        await pilot.press("h")
        history = await wait_for_screen(pilot, HistoryScreen)
        cells = [
            " ".join(str(c) for c in history.query_one(DataTable).get_row(k))
            for k in history.query_one(DataTable).rows
        ]
        assert any("logged on the wrong person" in c for c in cells)
        assert any("02/11/2026 10:00 → 03/11/2026 10:00" in c for c in cells)
    db = open_store(store_path)
    try:
        assert referrals.referral_progress(db, 1)[0] == 1
    finally:
        db.close()


async def test_a_discharge_in_error_is_reopened(
    store_path: Path, start_app: Any, clock: Any
) -> None:
    pid, rid, _ = _episode(store_path)
    db = open_store(store_path)
    try:
        referrals.discharge(db, rid, clock.today(), "goals_met", None, clock)
    finally:
        db.close()
    async with start_app(store_path, size=(80, 24)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("R")
        dialog = await wait_for_screen(pilot, ReopenDialog)
        assert not dialog.query_one("#save").has_focus
        await type_into(pilot, "reopen_reason", "discharged the wrong person")
        await press_save(pilot)
        await wait_for_screen(pilot, PersonScreen)
    db = open_store(store_path)
    try:
        assert referrals.get_referral(db, rid)["status"] == "accepted"
    finally:
        db.close()
