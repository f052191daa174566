"""Keys typed ahead of a screen change reach the screen they were meant for.

The keys go into the app's queue all at once, as a fast typist (or any typist on a busy
machine) delivers them before the new screen has mounted: before tui/typed_ahead.py the
keys after F3 or F4 went to a screen with nothing focused yet and were lost.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.activity_form import ActivityFormScreen
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.intake import IntakeScreen

import steady


async def type_ahead(pilot: Pilot[None], *keys: str) -> None:
    """Put every key in the app's queue at once, then wait until the app has settled."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    await steady.settle(pilot)  # it waits for the keys the app holds, too


async def test_f3_then_n_opens_a_new_referral(demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await type_ahead(pilot, "f3", "n")
        assert isinstance(app.screen, IntakeScreen)


async def test_f3_then_the_filter_gets_every_letter(demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await type_ahead(pilot, "f3", "slash", "a", "h")
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(Input).value == "ah"


async def test_f4_enter_n_adds_an_activity(demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_ahead(pilot, "f4", "enter", "n")
        assert isinstance(app.screen, ActivityFormScreen)
