"""The five main screens at 120x40 (a large terminal), as the 80x24 snapshots show them small.

Today is fixed, so the pictures never drift. Update with ``--snapshot-update`` only after
looking at the new picture (``snapshot_report.html``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp

from pilots import wait_for_report

LARGE = (120, 40)


class TestSectionsAt120x40:
    """Today, Caseload, a person, Directory and Reports, each as a user first sees it."""

    def test_today(self, snap_compare: Any, demo_path: Path, clock: Clock) -> None:
        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        assert snap_compare(app, terminal_size=LARGE)

    def test_caseload(self, snap_compare: Any, demo_path: Path, clock: Clock) -> None:
        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        assert snap_compare(app, press=["f3"], terminal_size=LARGE)

    def test_person(self, snap_compare: Any, demo_path: Path, clock: Clock) -> None:
        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        assert snap_compare(app, press=["f3", "enter"], terminal_size=LARGE)

    def test_directory(self, snap_compare: Any, demo_path: Path, clock: Clock) -> None:
        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        assert snap_compare(app, press=["f4", "enter"], terminal_size=LARGE)

    def test_reports(self, snap_compare: Any, demo_path: Path, clock: Clock) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press("f5")
            await wait_for_report(pilot)  # the figures are worked out in a worker
            # The default path holds the test's temporary folder: show a fixed one instead.
            pilot.app.screen.query_one("#report-output", Input).value = "exports/caseload.html"
            await pilot.pause()

        app = LinkWorkerApp(store_path=demo_path, clock=clock)
        assert snap_compare(app, run_before=run_before, terminal_size=LARGE)
