"""One start of an app, headless, timed from the moment the bench spawned it.

`python bench/start_probe.py empty` starts an empty Textual app the same way, as the
baseline the start-up target is a ratio against; `... today-widgets` starts Textual alone
with the widgets Today shows, filled from memory (what linkworker could at best come to).
`... linkworker STORE` starts linkworker on STORE; `... linkworker-tour STORE` also visits
Caseload and Directory first (for peak memory).

With ``BENCH_T0`` (the spawning process's ``time.time()``) and ``BENCH_OUT`` (a file) set,
the probe writes two figures in seconds since the spawn: when the first frame showing the
screen with its rows was displayed (for the empty app: its first frame), and when keys
typed at start are acted on (linkworker: once the store's checks, which run right after
the first paint with typed keys held, are done; the empty app: its first frame).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, ClassVar


class Stamps:
    """The first frame displayed with rows, and the moment keys flow, as the bench reads them."""

    def __init__(self, app: Any, filled: Any) -> None:
        self.painted: float | None = None
        self.ready: float | None = None
        shown = app._display

        def display(screen: Any, renderable: Any) -> None:
            # A frame asked for inside one of Textual's batches is dropped: not a paint.
            batched = app._batch_count
            shown(screen, renderable)
            if renderable is not None and not batched and self.painted is None and filled(screen):
                self.painted = time.time()

        app._display = display

    def write(self) -> None:
        out, start = os.environ.get("BENCH_OUT"), os.environ.get("BENCH_T0")
        if out and start and self.painted is not None:
            ready = self.ready if self.ready is not None else self.painted
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(f"{self.painted - float(start)} {ready - float(start)}\n")


def _exit_once_painted(app: Any, stamps: Stamps) -> None:
    """Write the stamps and end the app once a frame has reached the terminal."""

    def done() -> None:
        if stamps.painted is None:  # not displayed yet: look again after the next frame
            app.call_after_refresh(done)
            return
        stamps.write()
        app.exit()

    app.call_after_refresh(done)


def run_empty() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    class Empty(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("ready")
            yield Footer()

        def on_mount(self) -> None:
            _exit_once_painted(self, stamps)

    app = Empty()
    stamps = Stamps(app, lambda screen: True)
    app.run(headless=True)


def run_today_widgets() -> None:
    """Textual alone with the widgets Today shows (a header, two lines of text, a table of
    the rows an 80x24 terminal shows, a footer of Today's keys), filled from memory: what
    the start-up ratio would be if linkworker itself took no time at all (context for the
    target, not a floor the bench divides by)."""
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import DataTable, Footer, Header, Static

    # Today's footer: the app's 7 keys and Today's 10.
    keys = ["f1", "f2", "f3", "f4", "f5", "enter", "q", *"acdemnoprs"]

    class TodayWidgets(App[None]):
        BINDINGS: ClassVar = [Binding(key, "bell", f"Key {key}") for key in keys]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("No lone visit is late.")
            yield Static("12 due today, 40 overdue, 8 waiting for a first contact")
            yield DataTable(cursor_type="row")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_column("When", width=17)
            table.add_column("Who", width=24)
            table.add_column("What", width=34)
            for row in range(24):
                table.add_row(
                    Text(f"{row + 1} days late", style="bold"),
                    Text(f"Person number {row}"),
                    Text("Follow-up: see how the walking group went"),
                    key=str(row),
                )
            table.focus()
            _exit_once_painted(self, stamps)

    app = TodayWidgets()
    stamps = Stamps(app, lambda screen: True)
    app.run(headless=True)


def _rows(screen: Any) -> int:
    from textual.widgets import DataTable, OptionList

    tables = list(screen.query(DataTable))
    lists = list(screen.query(OptionList))
    return (tables[0].row_count if tables else 0) or (lists[0].option_count if lists else 0)


def run_linkworker(store: str, tour: bool) -> None:
    from datetime import date
    from pathlib import Path

    from linkworker import start_up
    from linkworker.clock import Clock

    clock = Clock(fixed_date=date(2026, 11, 23))
    # As the `linkworker` command starts it (start_up.py).
    started = start_up.before_the_app(Path(store), clock, None, None)
    from linkworker.tui.app import LinkWorkerApp

    class Probe(LinkWorkerApp):
        steps = ["caseload", "directory"] if tour else []

        def on_mount(self) -> None:
            # Textual runs LinkWorkerApp.on_mount too (handlers run along the MRO), so no
            # super() call here: a second start would find its own lock taken.
            self._poll = self.set_interval(0.002, self._probe_ready)

        def _probe_ready(self) -> None:
            # A section is ready once its table (or the directory's result list) has rows
            # and the store's checks are done (until then typed keys are held; an older
            # linkworker without them checks before it paints).
            checked = getattr(self, "store_checked", True)
            if not _rows(self.screen) or not checked or stamps.painted is None:
                return
            if stamps.ready is None:
                stamps.ready = time.time()
            if self.steps:
                self.action_section(self.steps.pop(0))
                return
            self._poll.stop()
            stamps.write()
            self.call_after_refresh(self.exit)

    app = Probe(store_path=Path(store), clock=clock, **started)
    stamps = Stamps(app, _rows)
    app.run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "empty":
        run_empty()
    elif sys.argv[1] == "today-widgets":
        run_today_widgets()
    else:
        run_linkworker(sys.argv[2], tour=sys.argv[1] == "linkworker-tour")
