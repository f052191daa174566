"""The person screen does everything for that person (issue 13 item 4): every follow-up,
"did they go?", the GP message to a file or the clipboard, the subject access export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from tests import factories
from tests.ui.pilots import open_person, press_save, type_into, wait_for_screen
from textual.widgets import Checkbox, DataTable, Input

from linkworker import directory, followups
from linkworker.models import ActivityDetails, ConnectionKind
from linkworker.tui.dialogs import ChoiceDialog, ConfirmDialog
from linkworker.tui.screens.connections import MoveConnectionScreen
from linkworker.tui.screens.contact_forms import CompleteFollowUpModal
from linkworker.tui.screens.followup_forms import RescheduleModal
from linkworker.tui.screens.gp_message import GPMessagePreview
from linkworker.tui.screens.person_followups import PersonFollowUpsScreen
from linkworker.tui.screens.plan import WriteFileModal

TODAY = factories.TODAY


def _person_with_series(path: Path) -> tuple[int, list[int]]:
    """An accepted referral with weekly reviews, Mondays 30 Nov to 21 Dec 2026 at 10:00."""
    with factories.store_at(path) as db:
        pid, _ = factories.add_person_with_referral(db, status="accepted")
        booking = followups.details({"due_on": "2026-11-30", "due_time": "10:00"}, TODAY)
        ids = followups.schedule(
            db, pid, booking, factories.CLOCK, every_weeks=1, until=date(2026, 12, 21)
        ).followup_ids
    return pid, ids


async def _choose(pilot: Any, words: str) -> None:
    """Pick the line of the ChoiceDialog in front that holds ``words``."""
    dialog = await wait_for_screen(pilot, ChoiceDialog)
    index = next(n for n, (text, _) in enumerate(dialog.choices) if words in str(text))
    dialog.dismiss(dialog.choices[index][1])
    await pilot.pause()


async def test_every_follow_up_is_listed_and_a_series_is_moved_from_the_person_screen(
    store_path: Path, start_app: Any
) -> None:
    pid, series = _person_with_series(store_path)
    async with start_app(store_path, size=(80, 24)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("b")
        listing = await wait_for_screen(pilot, PersonFollowUpsScreen)
        table = listing.query_one(DataTable)
        assert table.row_count == 4
        assert str(table.get_row_at(1)[3]) == "2 of 4 in a series"
        table.move_cursor(row=1)
        await pilot.press("r")
        moving = await wait_for_screen(pilot, RescheduleModal)
        await type_into(pilot, "due_on", "8/12/2026")
        moving.query_one("#rest_of_series", Checkbox).value = True
        await press_save(pilot)
        await wait_for_screen(pilot, PersonFollowUpsScreen)
        # Completing one two weeks ahead: recorded now, not in the future.
        table.move_cursor(row=0)
        await pilot.press("c")
        completing = await wait_for_screen(pilot, CompleteFollowUpModal)
        assert completing.query_one("#contact_on", Input).value == "23 Nov 2026"
    with factories.store_at(store_path) as db:
        days = [followups.get_followup(db, fid)["due_on"] for fid in series]
    assert days == ["2026-11-30", "2026-12-08", "2026-12-15", "2026-12-22"]


async def test_did_they_go_is_asked_of_a_connection_from_the_person_screen(
    store_path: Path, start_app: Any
) -> None:
    with factories.store_at(store_path) as db:
        pid, _ = factories.add_person_with_referral(db, status="accepted")
        walk = ActivityDetails(name="Walking group")
        activity = directory.add_activity(db, walk, factories.CLOCK)
        directory.connect(db, pid, activity, ConnectionKind.SIGNPOST, factories.CLOCK)
    async with start_app(store_path, size=(80, 24)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("D")
        asking = await wait_for_screen(pilot, MoveConnectionScreen)
        assert asking.query_one("#status").value == "attended"
        await press_save(pilot)
    with factories.store_at(store_path) as db:
        assert [r["status"] for r in directory.connections_for_person(db, pid)] == ["attended"]


async def test_the_subject_access_export_asks_first_and_goes_to_the_export_folder(
    store_path: Path, start_app: Any
) -> None:
    pid, _ = factories.build_in(store_path, factories.add_person_with_referral, status="accepted")
    async with start_app(store_path, size=(80, 24)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("s")
        await _choose(pilot, "Subject access")
        warning = await wait_for_screen(pilot, ConfirmDialog)
        assert pilot.app.focused is warning.query_one("#no")
        await pilot.click("#yes")
        writing = await wait_for_screen(pilot, WriteFileModal)
        name = writing.query_one("#path", Input).value
        assert name == "subject-access-joan-smith-2026-11-23.json"
        await press_save(pilot)
        await pilot.pause()
        # The GP message to a file: the same folder, never the current one.
        await pilot.press("s")
        await _choose(pilot, "GP: write")
        # The person can read it: the preview comes first, then the file name.
        await wait_for_screen(pilot, GPMessagePreview)
        await press_save(pilot)
        await wait_for_screen(pilot, WriteFileModal)
        await press_save(pilot)
        await pilot.pause()
    folder = store_path.parent / "exports"
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    assert data and (folder / name).with_suffix(".md").exists()
    # Signed by the worker (no name set here: the role alone, as Settings.signature() gives).
    assert data["export"]["prepared_by"] == ["Social prescribing link worker"]
    assert (folder / "gp-message-joan-smith-2026-11-23.txt").exists()
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
