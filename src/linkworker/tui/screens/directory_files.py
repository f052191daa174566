"""Import an Open Referral UK feed into the directory, or export the directory, from the app.

Both run in a thread worker with their own connection to the store, so a large feed never
freezes the screen; progress and the result come back to the dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import get_current_worker

from linkworker import directory
from linkworker.display import literal
from linkworker.formats import oruk, writer
from linkworker.store.db import open_store
from linkworker.tui.screens.base import LinkWorkerModal
from linkworker.tui.widgets.text import multiline


def report_text(report: directory.ImportReport) -> str:
    """What an import did, with every skipped record (and warning) on its own line."""
    lines = [report.summary()]
    skipped = [p for p in report.problems if p.skipped]
    warnings = [p for p in report.problems if not p.skipped]
    if skipped:
        lines.append("")
        lines.append(f"Skipped ({len(skipped)}):")
        lines += [f"  {p}" for p in skipped]
    if warnings:
        lines.append("")
        lines.append(f"Imported with a field dropped ({len(warnings)}):")
        lines += [f"  {p}" for p in warnings]
    if not report.written:
        lines.append("")
        lines.append("Strict import: nothing was written because of the skipped records.")
    return "\n".join(lines)


class ImportFeedScreen(LinkWorkerModal):
    """Ask for a feed, import it in the background, show the report."""

    HELP = (
        "A JSON file (a service, a list page, an array of services), a folder of JSON "
        "pages, or an HSDS CSV data package (its folder or datapackage.json)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="import.close"),
    ]

    class Imported(Message):
        """An import finished (whether or not it wrote anything)."""

        def __init__(self, report: directory.ImportReport) -> None:
            super().__init__()
            self.report = report

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial = path
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Import an Open Referral UK feed", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Feed", classes="form-label")
                yield Input(
                    self.initial,
                    placeholder="path to a .json file, a folder, or a datapackage.json",
                    id="path",
                    compact=True,
                )
            yield Checkbox(
                "Strict: refuse the whole import if any record is bad", id="strict", compact=True
            )
            yield Checkbox(
                "This feed is my whole directory: retire activities it no longer lists",
                id="retire-missing",
                compact=True,
            )
            with VerticalScroll(id="import-result-box"):
                yield Static(id="import-result")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Import", id="import", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#import-result-box").display = False
        self.query_one("#path", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#import-result-box").display = True
        self.query_one("#import-result", Static).update(multiline(text))

    def action_import(self) -> None:
        if self.running:
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._say("Feed: give the path of a file or folder.")
            return
        self.running = True
        self.query_one("#import", Button).disabled = True
        self._say("Reading the feed…")
        self._import(
            Path(raw).expanduser(),
            self.query_one("#strict", Checkbox).value,
            self.query_one("#retire-missing", Checkbox).value,
        )

    @work(thread=True, exclusive=True, group="directory-import")
    def _import(self, path: Path, strict: bool, retire_missing: bool) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._say, f"Writing activity {done} of {total}…")

        # A connection of its own: the app's belongs to the UI thread.
        db = open_store(self.lw.store_path, self.lw.key, now=self.clock.now())
        try:
            report = directory.import_feed(
                db,
                path,
                self.clock,
                strict=strict,
                retire_missing=retire_missing,
                progress=progress,
            )
        except oruk.FeedError as exc:
            self.app.call_from_thread(self._failed, f"Nothing imported. {exc}")
            return
        except Exception as exc:  # a store problem: say it in one line, keep the app alive
            self.app.call_from_thread(self._failed, f"Nothing imported: {exc}")
            return
        finally:
            db.close()
        self.app.call_from_thread(self._done, report)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#import", Button).disabled = False
        self._say(literal(message))

    def _done(self, report: directory.ImportReport) -> None:
        self.running = False
        self.query_one("#import", Button).disabled = False
        self._say(literal(report_text(report), single_line=False))
        self.post_message(self.Imported(report))
        self.query_one("#close", Button).focus()

    def action_close(self) -> None:
        if self.running:
            self.notify("The import is still running; it will finish in a moment.", markup=False)
            return
        self.dismiss(None)

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        self.action_import()

    @on(Button.Pressed, "#import")
    def _import_pressed(self) -> None:
        self.action_import()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()


class ExportFeedScreen(LinkWorkerModal):
    """Write the directory as an HSDS v3 list page to a file the user names."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="export.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.replace_ok: Path | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        default = Path.home() / f"directory-{self.clock.today().isoformat()}.json"
        with Vertical(classes="dialog"):
            yield Static("Export the directory (Open Referral UK)", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("File", classes="form-label")
                yield Input(str(default), id="path", compact=True)
            yield Checkbox(
                "Include my private notes, favourites and verified dates", id="notes", compact=True
            )
            yield Static(id="export-result")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Export", id="export", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def _say(self, text: str) -> None:
        self.query_one("#export-result", Static).update(multiline(text))

    @on(Input.Changed, "#path")
    def _changed(self) -> None:
        self.replace_ok = None
        self.query_one("#export", Button).label = "Export"

    def action_export(self, *, replace: bool = False) -> None:
        """Export; an existing file is replaced only with ``replace`` (the Replace button)."""
        if self.running:
            return
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self._say("File: give a file name.")
            return
        path = Path(raw).expanduser()
        overwrite = replace and self.replace_ok == path
        if path.exists() and not path.is_dir() and not overwrite:
            self.replace_ok = path
            self.query_one("#export", Button).label = "Replace"
            self._say(
                f"{path} already exists. Press the Replace button to overwrite it, "
                "or change the name."
            )
            return
        self.running = True
        self._say("Exporting…")
        self._export(path, self.query_one("#notes", Checkbox).value, overwrite)

    @work(thread=True, exclusive=True, group="directory-export")
    def _export(self, path: Path, include_notes: bool, overwrite: bool) -> None:
        db = open_store(self.lw.store_path, self.lw.key, now=self.clock.now())
        try:
            page = directory.export_directory(db, include_notes=include_notes)
            writer.write_text(path, oruk.page_json(page), force=overwrite)
        except writer.ExportError as exc:
            self.app.call_from_thread(self._finished, f"Not exported: {exc}")
            return
        finally:
            db.close()
        notes = "with" if include_notes else "without"
        self.app.call_from_thread(
            self._finished, f"Wrote {page['total_items']} activities to {path} ({notes} notes)."
        )

    def _finished(self, message: str) -> None:
        self.running = False
        self._say(message)

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(None)

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        # Only the button, once it says Replace, replaces a file; Enter never does.
        self.action_export(replace=True)

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()
