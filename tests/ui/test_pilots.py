"""The shared UI fixtures and Pilot helpers do what the tests rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from linkworker.store.db import Database
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.today import TodayScreen

import factories
from pilots import open_person, press_save, type_into, wait_for_screen


class NoteDialog(ModalScreen[str]):
    """A dialog that reads the host's store and clock and returns what was typed."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save")]

    def compose(self) -> ComposeResult:
        people = self.app.db.execute("SELECT count(*) FROM people").fetchone()[0]  # type: ignore[attr-defined]
        yield Static(f"{people} on record on {self.app.clock.today():%d %b %Y}", id="said")  # type: ignore[attr-defined]
        yield Input(id="note")

    def action_save(self) -> None:
        self.dismiss(self.query_one("#note", Input).value)


async def test_a_dialog_runs_alone_on_the_host(db: Database, dialog_host: Any) -> None:
    factories.add_person(db)
    async with dialog_host(NoteDialog(), db=db, size=(60, 12)) as pilot:
        dialog = await wait_for_screen(pilot, NoteDialog)
        assert str(dialog.query_one("#said", Static).render()) == "1 on record on 23 Nov 2026"
        await type_into(pilot, "note", "[b]Rang[/b]", keys=True)
        await press_save(pilot)
        assert pilot.app.results == ["[b]Rang[/b]"]


async def test_start_app_and_open_person(empty_store_path: Path, start_app: Any) -> None:
    person_id, _ = factories.build_in(empty_store_path, factories.add_person_with_referral)
    async with start_app(empty_store_path) as pilot:
        assert isinstance(pilot.app.screen, TodayScreen)
        assert "Mon 23 Nov 2026" in pilot.app.sub_title
        person = await open_person(pilot, person_id)
        assert isinstance(person, PersonScreen) and person.person_id == person_id
