"""Import an Open Referral UK feed into the directory, or export the directory, from the app.

Both run in a thread worker with their own connection to the store, so a large feed never
freezes the screen; progress and the result come back to the dialog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Checkbox, Input, Static
from textual.worker import get_current_worker

from linkworker import directory
from linkworker.display import literal
from linkworker.formats import oruk, writer
from linkworker.store.db import open_store
from linkworker.tui.dialogs import ConfirmDialog, FormDialog, WriteFileDialog, field_row
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.widgets.choices import TickBox
from linkworker.tui.widgets.text import multiline

T = TypeVar("T")


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


def _path_when_idle(dialog: FormDialog[T], running: bool, missing: str) -> Path | None:
    """The file typed in ``#path`` (``~`` expanded), or None: the dialog is still busy with
    the last one (``running``), or nothing was typed (``missing`` says so beside the field)."""
    if running:
        return None
    raw = dialog.query_one("#path", Input).value.strip()
    if not raw:
        dialog.show_errors({"path": missing})
        return None
    return Path(raw).expanduser()


class ImportFeedScreen(FormDialog[None], guide="import_feed"):
    """Ask for a feed, import it in the background, show the report."""

    SAVE_LABEL = "Import"
    CANCEL_LABEL = "Close"
    SUBMIT_ON_ENTER = True
    FAILED = "Nothing imported: {}"

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial = path
        self.running = False

    def compose_fields(self) -> ComposeResult:
        yield field_row(
            "path",
            "Feed",
            Input(
                self.initial,
                placeholder="path to a .json file, a folder, or a datapackage.json",
                id="path",
                compact=True,
            ),
        )
        # Tick boxes take the whole width: their words are the label.
        yield TickBox(
            "Strict: refuse the whole import if any record is bad", id="strict", compact=True
        )
        yield from self.retire_and_report()

    def retire_and_report(self) -> ComposeResult:
        """The "whole directory" tick box and the box the report is shown in."""
        yield TickBox(
            "This feed is my whole directory: retire activities it no longer lists",
            id="retire-missing",
            compact=True,
        )
        with VerticalScroll(id="import-result-box"):
            yield Static(id="import-result")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#import-result-box").display = False

    def _say(self, text: str) -> None:
        self.query_one("#import-result-box").display = True
        self.query_one("#import-result", Static).update(multiline(text))

    def save(self) -> None:
        path = _path_when_idle(self, self.running, "give the path of a file or folder")
        if path is None:
            return
        self.when_sure_of_retiring(lambda retire: self._start(path, retire_missing=retire))

    def when_sure_of_retiring(self, start: Callable[[bool], None]) -> None:
        """``start(retire_missing)`` at once when the whole-directory box is not ticked; when
        it is, only after the worker says yes to retiring (focus on No)."""
        if not self.query_one("#retire-missing", Checkbox).value:
            start(False)
            return
        self.app.push_screen(
            ConfirmDialog(
                "Is this feed your whole directory?",
                "Imported activities this feed does not list will be retired from search "
                "once two full imports in a row have missed them (people's histories keep "
                "them; listed again, they come back). Activities you added by hand are kept.",
                "Yes, retire what it no longer lists",
                "No",
                danger=True,
            ),
            lambda yes: start(True) if yes else None,
        )

    def _start(self, path: Path, *, retire_missing: bool) -> None:
        self.running = True
        self.query_one("#save", Button).disabled = True
        self._say("Reading the feed…")
        self._import(path, self.query_one("#strict", Checkbox).value, retire_missing)

    def _ask_large(self, question: str) -> bool:
        """Asked from the import's thread: the question in a ConfirmDialog (focus on No),
        the import waiting (its transaction open) for the answer."""
        answered = threading.Event()
        answer: list[bool] = []

        def done(result: bool | None) -> None:
            answer.append(bool(result))
            answered.set()

        def show() -> None:
            dialog = ConfirmDialog(
                "A large change", question, "Go ahead", "Do not import", danger=True
            )
            self.app.push_screen(dialog, done)

        self.app.call_from_thread(show)
        worker = get_current_worker()
        while not answered.wait(0.1):
            if worker.is_cancelled:  # the app is closing: nothing is written
                return False
        return answer[0]

    @work(thread=True, exclusive=True, group="directory-import")
    def _import(self, path: Path, strict: bool, retire_missing: bool) -> None:
        def run(db: Database, progress: directory.Progress) -> directory.ImportReport:
            return directory.import_feed(
                db,
                path,
                self.clock,
                strict=strict,
                retire_missing=retire_missing,
                confirm_large=self._ask_large,
                progress=progress,
            )

        self.in_own_store(run, "Writing activity {done} of {total}…", self._done)

    def in_own_store(
        self,
        run: Callable[[Database, directory.Progress], T],
        saying: str,
        done: Callable[[T], None],
    ) -> None:
        """In a thread worker: ``run`` on a connection of its own (the app's belongs to the
        UI thread), its progress said with ``saying``, its result to ``done``; a refusal
        or failure is one line in the dialog."""
        worker = get_current_worker()

        def progress(n: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._say, saying.format(done=n, total=total))

        db = open_store(self.lw.store_path, self.lw.key, now=self.clock.now())
        try:
            result = run(db, progress)
        except oruk.FeedError as exc:
            self.app.call_from_thread(self._failed, f"Nothing imported. {exc}")
            return
        except Exception as exc:  # a feed or store problem: one line, keep the app alive
            self.app.call_from_thread(self._failed, self.FAILED.format(exc))
            return
        finally:
            db.close()
        self.app.call_from_thread(done, result)

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#save", Button).disabled = False
        self._say(literal(message))

    def _done(self, report: directory.ImportReport) -> None:
        self.running = False
        self.query_one("#save", Button).disabled = False
        self._say(literal(report_text(report), single_line=False))
        # The import ran on its own connection: tell the app the directory changed.
        self.app.post_message(CaseloadChanged())
        # What was typed has been acted on: closing now loses nothing.
        self.remember_values()
        self.query_one("#cancel", Button).focus()

    def action_cancel(self) -> None:
        if self.running:
            self.notify("The import is still running; it will finish in a moment.", markup=False)
            return
        super().action_cancel()


class ExportFeedScreen(WriteFileDialog[None], guide="export_feed"):
    """Write the directory as an HSDS v3 list page to a file the user names."""

    SAVE_LABEL = "Export"
    CANCEL_LABEL = "Close"

    def __init__(self) -> None:
        super().__init__()
        self.running = False

    def compose_fields(self) -> ComposeResult:
        default = Path.home() / f"directory-{self.clock.today().isoformat()}.json"
        yield field_row("path", "File", Input(str(default), id="path", compact=True))
        yield TickBox(
            "Include my private notes, favourites and verified dates", id="notes", compact=True
        )
        yield Static(id="export-result")

    def _say(self, text: str) -> None:
        self.query_one("#export-result", Static).update(multiline(text))

    @on(Input.Changed, "#path")
    def _changed(self) -> None:
        self.path_edited()

    def told_exists(self, path: Path) -> None:
        self._say(
            f"{path} already exists. Press the Replace button to overwrite it, or change the name."
        )

    def write(self, *, replace: bool) -> None:
        """Export; an existing file is replaced only with ``replace`` once it was shown."""
        path = _path_when_idle(self, self.running, "give a file name")
        if path is None:
            return
        overwrite = self.overwrite(path, replace=replace)
        if overwrite is None:
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
            self.app.call_from_thread(self._export_finished, f"Not exported: {exc}")
            return
        finally:
            db.close()
        notes = "with" if include_notes else "without"
        self.app.call_from_thread(
            self._export_finished,
            f"Wrote {page['total_items']} activities to {path} ({notes} notes).",
        )

    def _export_finished(self, message: str) -> None:
        self.running = False
        self._say(message)
        self.remember_values()

    def action_cancel(self) -> None:
        if not self.running:
            super().action_cancel()
