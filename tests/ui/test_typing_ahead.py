"""Keys typed ahead (all in the app's queue at once, as a fast typist or a slow machine
delivers them) reach the screen they were meant for."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.intake import IntakeScreen

import steady


async def type_ahead(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    await steady.settle(pilot)  # steady.settle waits for keys the app holds, too


async def test_f3_then_n(demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await type_ahead(pilot, "f3", "n")
        assert isinstance(app.screen, IntakeScreen)


async def test_f3_slash_ah(demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await type_ahead(pilot, "f3", "slash", "a", "h")
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(Input).value == "ah"
