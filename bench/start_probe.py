"""One start of an app, headless, exiting as soon as its first screen is painted with data.

`python bench/start_probe.py empty` starts an empty Textual app the same way, as the
baseline the start-up target is a ratio against. `... linkworker STORE` starts linkworker on
STORE and exits once the Today screen has its agenda rows and has refreshed;
`... linkworker-tour STORE` also visits Caseload and Directory first (for peak memory).
"""

from __future__ import annotations

import sys


def run_empty() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Empty(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("ready")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Empty().run(headless=True)


def run_linkworker(store: str, tour: bool) -> None:
    from datetime import date
    from pathlib import Path

    from textual.widgets import DataTable, OptionList

    from linkworker.clock import Clock
    from linkworker.tui.app import LinkWorkerApp

    class Probe(LinkWorkerApp):
        steps = ["caseload", "directory"] if tour else []

        def on_mount(self) -> None:
            # Textual runs LinkWorkerApp.on_mount too (handlers run along the MRO), so no
            # super() call here: a second start would find its own lock taken.
            self._poll = self.set_interval(0.002, self._probe_ready)

        def _probe_ready(self) -> None:
            # A section is ready once its table (or the directory's result list) has rows.
            tables = self.screen.query(DataTable)
            lists = self.screen.query(OptionList)
            filled = (tables and tables.first().row_count) or (lists and lists.first().option_count)
            if not filled:
                return
            if self.steps:
                self.action_section(self.steps.pop(0))
                return
            self._poll.stop()
            self.call_after_refresh(self.exit)

    Probe(store_path=Path(store), clock=Clock(fixed_date=date(2026, 11, 23))).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "empty":
        run_empty()
    else:
        run_linkworker(sys.argv[2], tour=sys.argv[1] == "linkworker-tour")
