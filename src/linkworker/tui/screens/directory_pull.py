"""Pulling a council's Open Referral UK API from the Directory screen (`p`).

The same dialog as an import (ImportFeedScreen): the pull runs in a thread worker on its own
connection, says which page it is reading (call_from_thread), and shows the report. Close
(Esc) while it runs stops it between requests: nothing is written.
"""

from __future__ import annotations

import threading

from sqlite_utils import Database
from textual import work
from textual.app import ComposeResult
from textual.widgets import Button, Checkbox, Input

from linkworker.directory import pull
from linkworker.display import literal
from linkworker.tui.dialogs import field_row
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.directory_files import ImportFeedScreen, report_text
from linkworker.tui.widgets.choices import TickBox


class PullFeedScreen(ImportFeedScreen, guide="pull_feed"):
    """Ask for an API URL, pull it in the background, show what it did."""

    SAVE_LABEL = "Pull"
    FAILED = "Nothing pulled: {}"

    def __init__(self, url: str = "") -> None:
        super().__init__(url)
        self.stop = threading.Event()

    def compose_fields(self) -> ComposeResult:
        yield field_row(
            "url",
            "API URL",
            Input(self.initial, placeholder="https://…/api", id="url", compact=True),
        )
        yield field_row("name", "Name", Input(placeholder="(optional)", id="name", compact=True))
        yield TickBox("Read every page, not just what changed", id="full", compact=True)
        yield from self.retire_and_report()

    def save(self) -> None:
        if self.running:
            return
        url = self.query_one("#url", Input).value.strip()
        try:
            pull.check_url(url)
        except pull.PullError as exc:
            self.show_errors({"url": str(exc)})
            return
        name = self.query_one("#name", Input).value.strip() or None
        full = self.query_one("#full", Checkbox).value
        self.when_sure_of_retiring(lambda retire: self._start_pull(url, name, full, retire))

    def _start_pull(self, url: str, name: str | None, full: bool, retire_missing: bool) -> None:
        self.running = True
        self.stop.clear()
        self.query_one("#save", Button).disabled = True
        self._say("Reading the first page…")
        self._pull(url, name, full, retire_missing)

    @work(thread=True, exclusive=True, group="directory-pull")
    def _pull(self, url: str, name: str | None, full: bool, retire_missing: bool) -> None:
        def run(db: Database, progress: pull.Progress) -> pull.PullReport | None:
            try:
                return pull.pull(
                    db,
                    url,
                    self.clock,
                    name=name,
                    incremental=not full,
                    retire_missing=retire_missing,
                    # Over 10% of the source changed or retired: asked first (focus on No).
                    confirm_large=self._ask_large,
                    stop=self.stop,
                    progress=progress,
                )
            except pull.PullStopped:
                return None

        self.in_own_store(run, "Read page {done} of {total}…", self._pulled)

    def _pulled(self, report: pull.PullReport | None) -> None:
        if report is None:
            self._failed("Stopped: nothing was written.")
            return
        self._done(report.imported)
        errors = [f"Problem: {e}" for e in report.fetched.errors]
        if errors:
            errors.append("The pull was incomplete, so nothing was retired.")
        text = "\n".join([report_text(report.imported), *errors])
        self._say(literal(text, single_line=False))
        self.app.post_message(CaseloadChanged())

    def action_cancel(self) -> None:
        if self.running:
            self.stop.set()
            self._say("Stopping…")
            return
        super().action_cancel()
