"""Reports: the commissioner's caseload report for a period, with charts, and its export;
and, chosen at the top, the gap report, referrer feedback and who is reached
(``reports.catalogue``), for the same period and exported the same way.

The screen is thin: it reads the period, format and path, and hands the work to
``reports.caseload_report`` / ``caseload_report.caseload_document`` (the summary) and
``reports.export.export_caseload`` (the files). Both run in a thread worker with a connection of
their own, so a report over 10,000 people never freezes the screen; what a worker returns comes
back the one way every screen's does (``worker_done``), and its failure to ``worker_refused``
(said in the status line) or the app's one handler (a store fault).
What the screen shows is what the export will hold: the same disclosure rule applies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import (
    Button,
    Checkbox,
    Header,
    Input,
    Label,
    ProgressBar,
    Select,
    Static,
)
from textual.worker import Worker

from linkworker import reports, supervision
from linkworker.display import short_date
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.report_document import ReportDocument, cell_text
from linkworker.formats.text import period_words
from linkworker.formats.writer import make_folder
from linkworker.reports import Period
from linkworker.reports.catalogue import REPORT_KINDS, ReportRequest, export_report
from linkworker.reports.export import CaseloadRequest, export_caseload
from linkworker.store.db import open_store
from linkworker.tui.dialogs import ConfirmDialog
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.widgets.choices import TickBox
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.report_tables import chart_text, table_renderable
from linkworker.tui.widgets.text import plain
from linkworker.validation import ValidationError, parse_date

CUSTOM = "custom"
FORMATS: list[tuple[str, str]] = [
    ("HTML page", "html"),
    ("CSV (zip)", "csv"),
    ("Markdown", "md"),
    ("JSON", "json"),
    ("Plain text", "txt"),
]
CASELOAD = "caseload"
#: The reports the screen makes: the commissioner's first, then the catalogue's.
KINDS: list[tuple[str, str]] = [
    ("Caseload (commissioner)", CASELOAD),
    *((kind.title, kind.key) for kind in REPORT_KINDS.values()),
]
CASELOAD_FORMAT_KEYS = ("html", "csv", "md", "json")
#: Seconds of no typing in a date before the report is worked out again.
TYPING_PAUSE = 0.3
COMPUTE = "report-compute"  # the worker groups: one report and one export at a time
EXPORT = "report-export"


@dataclass(frozen=True)
class Computed:
    """What the compute worker returns: the report and how long it took."""

    document: ReportDocument
    seconds: float


SUFFIX = {"html": ".html", "csv": ".zip", "md": ".md", "json": ".json", "txt": ".txt"}


def default_export_dir(store_path: Path) -> Path:
    """Where exports go unless the link worker says otherwise: `exports` beside the store."""
    return store_path.parent / "exports"


def default_output(store_path: Path, period: Period, fmt: str, kind: str = CASELOAD) -> Path:
    """The suggested file for a report: named by the report and its period (whole months)."""
    period = period.whole_months()
    name = f"{kind}-{period.start.isoformat()}-to-{period.end.isoformat()}{SUFFIX[fmt]}"
    return default_export_dir(store_path) / name


def format_choices(kind: str) -> list[tuple[str, str]]:
    """The formats a report can be exported in, in the screen's order."""
    allowed = CASELOAD_FORMAT_KEYS if kind == CASELOAD else REPORT_KINDS[kind].formats
    return [(name, key) for name, key in FORMATS if key in allowed]


class ReplaceFilesScreen(ConfirmDialog):
    """Asks before an export replaces files that are already there (focus on Cancel)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "Replace the existing export?",
            plain(f"{path} is already there. Replace it with this report?"),
            yes="Replace",
            no="Cancel",
            danger=True,
        )
        self.path = path


class IdentifiableExportScreen(ConfirmDialog):
    """Asks before an identifiable report leaves the app (focus on No)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "Export an identifiable report?",
            plain(
                f"This report holds names, NHS numbers, dates of birth and full postcodes, "
                f"and exact small numbers. It is special-category personal data: share it "
                f"only where a data sharing agreement allows. Write it to {path}?"
            ),
            yes="Export identifiable",
            no="No",
        )
        self.path = path


class ReportsScreen(LinkWorkerScreen, guide="reports"):
    """The caseload report for a period: summary, charts, tables, export."""

    def __init__(self) -> None:
        super().__init__()
        self.document: ReportDocument | None = None
        self.last_written: list[Path] = []
        self._suggested = ""
        self._timer: Timer | None = None

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="reports-headline", classes="summary")
        yield Static(id="reports-tasks", classes="summary")
        with Horizontal(classes="report-row"):
            yield Label("Report", classes="report-label")
            yield Select[str](
                KINDS, id="report-kind", value=CASELOAD, allow_blank=False, compact=True
            )
        with Horizontal(classes="report-row"):
            yield Label("Period", classes="report-label")
            presets = reports.period_presets(self.clock.today())
            yield Select[str](
                [(name, key) for key, name, _ in presets] + [("Custom", CUSTOM)],
                id="report-preset",
                value=presets[0][0],
                allow_blank=False,
                compact=True,
            )
            yield Label("from", classes="report-label")
            yield Input(id="report-from", placeholder="dd/mm/yyyy", compact=True)
            yield Label("to", classes="report-label")
            yield Input(id="report-to", placeholder="dd/mm/yyyy", compact=True)
        with Horizontal(classes="report-row"):
            yield Label("Export", classes="report-label")
            yield Select[str](
                format_choices(CASELOAD),
                id="report-format",
                value="html",
                allow_blank=False,
                compact=True,
            )
            yield Input(id="report-output", compact=True)
            yield TickBox("Identifiable", id="report-identifiable", compact=True)
            yield Button("Export", id="report-export", compact=True, variant="primary")
        yield Static(id="report-status", classes="status-line")
        yield ProgressBar(id="report-progress", show_eta=False)
        with VerticalScroll(id="report-body"):
            yield Static(id="report-summary")
            yield Static(id="report-charts")
            yield Static(id="report-tables")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#report-progress", ProgressBar).display = False
        self._apply_preset(reports.period_presets(self.clock.today())[0][0])

    def reload(self) -> None:
        """Back on the screen after work elsewhere: the figures may have changed."""
        self._show_headline()
        if self.document is not None:
            self._period_changed(at_once=True)

    def action_scroll_report(self, pages: int) -> None:
        """Scroll the report a page down (1) or up (-1)."""
        body = self.query_one("#report-body", VerticalScroll)
        if pages > 0:
            body.scroll_page_down()
        else:
            body.scroll_page_up()

    def _show_headline(self) -> None:
        snap = reports.snapshot(self.db, self.clock.today())
        self.query_one("#reports-headline", Static).update(
            f"As of {short_date(snap.today)}: {snap.people} people on record, "
            f"{snap.contacts_last_30_days} contacts in the last 30 days, "
            f"{snap.activities} activities in the directory. "
            f"{supervision.last_session_words(self.db, snap.today)}."
        )
        tasks = self.query_one("#reports-tasks", Static)
        words = supervision.open_tasks_words(supervision.open_tasks(self.db), snap.today)
        tasks.display = bool(words)
        tasks.update(Text(f"{words} Ctrl+D marks one done." if words else ""))

    def action_pack(self) -> None:
        """Write the supervision pack, its figures for the period shown."""
        from linkworker.tui.screens.care import write_pack

        period = self.period()
        if period is not None:
            write_pack(self, period)

    def action_supervision(self) -> None:
        """Record a supervision session and the actions agreed."""
        from linkworker.tui.screens.care import SupervisionSessionDialog

        self.app.push_screen(SupervisionSessionDialog(), lambda _: self._show_headline())

    def action_task_done(self) -> None:
        """Mark a general task agreed in supervision done."""
        from linkworker.tui.screens.care import mark_task_done

        mark_task_done(self, self._show_headline)

    def action_community_work(self) -> None:
        """Log community development time."""
        from linkworker.tui.screens.care import CommunityWorkDialog

        self.app.push_screen(CommunityWorkDialog())

    # --- the period ------------------------------------------------------------------

    def _apply_preset(self, key: str) -> None:
        for preset, _, period in reports.period_presets(self.clock.today()):
            if preset == key:
                self.query_one("#report-from", Input).value = period.start.isoformat()
                self.query_one("#report-to", Input).value = period.end.isoformat()
                self._period_changed(at_once=True)
                return

    @on(Select.Changed, "#report-preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        if event.value != CUSTOM:
            self._apply_preset(str(event.value))

    @on(Input.Changed, "#report-from")
    @on(Input.Changed, "#report-to")
    def _date_typed(self, event: Input.Changed) -> None:
        # The preset follows the dates: the one they match, or Custom.
        typed = (
            self.query_one("#report-from", Input).value.strip(),
            self.query_one("#report-to", Input).value.strip(),
        )
        matching = [
            key
            for key, _, p in reports.period_presets(self.clock.today())
            if (p.start.isoformat(), p.end.isoformat()) == typed
        ]
        select = self.query_one("#report-preset", Select)
        wanted = matching[0] if matching else CUSTOM
        if select.value != wanted and not (matching and select.value in matching):
            # Its Changed message reselects the same dates (a preset) or does nothing (Custom).
            select.value = wanted
        # Someone typing changes a date a key at a time: wait for a pause. A date filled in
        # by a preset is complete at once.
        self._period_changed(at_once=not event.input.has_focus)

    @on(Input.Submitted, "#report-from")
    @on(Input.Submitted, "#report-to")
    def _date_entered(self) -> None:
        self._period_changed(at_once=True)

    @on(Checkbox.Changed, "#report-identifiable")
    def _identifiable_changed(self) -> None:
        self._period_changed(at_once=True)

    @on(Select.Changed, "#report-format")
    def _format_changed(self) -> None:
        self._suggest_output()

    @property
    def kind(self) -> str:
        """The report chosen: 'caseload' or a key of REPORT_KINDS."""
        return str(self.query_one("#report-kind", Select).value)

    @on(Select.Changed, "#report-kind")
    def _kind_changed(self) -> None:
        # Only the commissioner report has an identifiable form, and each its own formats.
        identifiable = self.query_one("#report-identifiable", Checkbox)
        identifiable.disabled = self.kind != CASELOAD
        if self.kind != CASELOAD:
            identifiable.value = False
        formats = self.query_one("#report-format", Select)
        choices = format_choices(self.kind)
        keep = formats.value if formats.value in [key for _, key in choices] else "html"
        formats.set_options(choices)
        formats.value = keep
        self._suggest_output()
        self._period_changed(at_once=True)

    def period(self) -> Period | None:
        """The period typed, or None (with the reason shown beside the fields)."""
        problems = []
        days: list[date] = []
        for field_id, name in (("#report-from", "From"), ("#report-to", "To")):
            box_ = self.query_one(field_id, Input)
            try:
                days.append(parse_date(box_.value))
                box_.remove_class("-invalid")
            except ValidationError as exc:
                problems.append(f"{name}: {exc}")
                box_.add_class("-invalid")
        if problems:
            self._status("; ".join(problems), error=True)
            return None
        try:
            return Period(days[0], days[1])
        except ValueError as exc:
            self.query_one("#report-to", Input).add_class("-invalid")
            self._status(f"To: {exc}", error=True)
            return None

    def _period_changed(self, at_once: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
        # Typing a date changes it a key at a time: wait for a pause before recomputing.
        self._timer = self.set_timer(0.01 if at_once else TYPING_PAUSE, self.action_refresh)

    def _suggest_output(self) -> None:
        period = self.period()
        output = self.query_one("#report-output", Input)
        # A path the link worker typed stays put; only the screen's own suggestion follows
        # the period and the format.
        if period is None or output.value.strip() not in ("", self._suggested):
            return
        fmt = str(self.query_one("#report-format", Select).value)
        self._suggested = str(default_output(self.lw.store_path, period, fmt, self.kind))
        output.value = self._suggested

    @property
    def identifiable(self) -> bool:
        return self.query_one("#report-identifiable", Checkbox).value

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#report-status", Static)
        status.update(Text(text, style="bold" if error else ""))
        status.set_class(error, "-error")

    # --- working out the report (thread worker) ----------------------------------------

    def action_refresh(self) -> None:
        """Work out the report for the period shown."""
        period = self.period()
        if period is None:
            return
        self._suggest_output()
        self._status(f"Working out the report for {period_words(period)}…")
        self.compute(period, self.identifiable, self.kind)

    @work(
        thread=True,
        exclusive=True,
        group=COMPUTE,
        name="working out the report",
        exit_on_error=False,
    )
    def compute(self, period: Period, identifiable: bool, kind: str = CASELOAD) -> Computed:
        """Compute in a thread, on a connection of its own; the result comes to worker_done."""
        started = time.perf_counter()
        # A connection of its own: the app's belongs to the UI thread.
        db = open_store(self.lw.store_path, self.lw.key, create=False)
        try:
            if kind == CASELOAD:
                report = reports.caseload_report(
                    db, period, self.clock.today(), with_episodes=identifiable
                )
                document = caseload_document(report, identifiable=identifiable)
            else:
                document = REPORT_KINDS[kind].build(db, period, self.clock.today(), (), None)
        finally:
            db.close()
        return Computed(document, time.perf_counter() - started)

    def worker_done(self, worker: Worker[Any]) -> None:
        if worker.is_cancelled:  # a newer period's report is on its way
            return
        if isinstance(worker.result, Computed):
            self._show_report(worker.result)
        elif worker.group == EXPORT and worker.result is not None:
            self._exported(worker.result)

    def worker_refused(self, worker: Worker[Any]) -> bool:
        error = worker.error
        if error is None:
            return False
        if worker.group == EXPORT and isinstance(error, (ValueError, OSError)):
            # A bad path or a full memory stick: the export's own failure, not the store's.
            self._export_failed(str(error))
            return True
        if worker.group == COMPUTE and self.lw.store_fault(error) is None:
            self._status(f"The report could not be worked out: {error}", error=True)
            return True
        return False  # a store fault (the file gone, the disk full): the app's handler

    def _show_report(self, computed: Computed) -> None:
        doc = computed.document
        self.document = doc
        mode = (
            "IDENTIFIABLE: names, NHS numbers and exact small numbers"
            if doc.identifiable
            else "Pseudonymised: counts of 1-4 show as <5, others are rounded to 5; "
            "statistics only for groups of 10 or more"
        )
        summary = Text()
        summary.append(period_words(doc.period), style="bold")
        summary.append(f"  ·  {mode}\n", style="bold reverse" if doc.identifiable else "")
        widened = doc.period.widened_words()
        if widened:
            summary.append(widened + "\n", style="italic")
        summary.append("  ·  ".join(f"{name}: {cell_text(v) or 'n/a'}" for name, v in doc.headline))
        self.query_one("#report-summary", Static).update(summary)
        self.query_one("#report-charts", Static).update(chart_text(doc, self.size.width))
        parts: list[RenderableType] = []
        for number_, (group, tables) in enumerate(doc.groups(), start=1):
            parts.append(Text(f"\n{number_}. {group}", style="bold underline"))
            parts += [table_renderable(t) for t in tables]
        if doc.footer:
            parts.append(Text(doc.footer, style="italic"))
        self.query_one("#report-tables", Static).update(Group(*parts))
        # Seconds only when they are worth knowing (and so a snapshot never holds a timing).
        took = f" in {computed.seconds:.1f} s" if computed.seconds >= 1 else ""
        widened = " (widened to whole months)" if doc.period.asked else ""
        self._status(
            f"Report for {period_words(doc.period)}{widened} worked out{took}. Ctrl+S exports it."
        )

    # --- exporting (thread worker) -----------------------------------------------------

    def action_export(self) -> None:
        """Export the report for the period to the path shown (asks before replacing)."""
        period = self.period()
        if period is None:
            return
        fmt = str(self.query_one("#report-format", Select).value)
        text = self.query_one("#report-output", Input).value.strip()
        if not text:
            self._status("Export to: give a file name", error=True)
            return
        output = Path(text).expanduser()
        if self.identifiable:
            self.app.push_screen(
                IdentifiableExportScreen(output),
                lambda go_ahead: self._export_to(period, fmt, output) if go_ahead else None,
            )
            return
        self._export_to(period, fmt, output)

    def _export_to(self, period: Period, fmt: str, output: Path) -> None:
        """Export to ``output``, asking first when files are there already."""
        if output.parent == default_export_dir(self.lw.store_path):
            make_folder(output.parent, parents=True)
        taken = output.exists() and (not output.is_dir() or any(output.iterdir()))
        if taken:
            self.app.push_screen(
                ReplaceFilesScreen(output),
                lambda replace: self._start_export(period, fmt, output, True) if replace else None,
            )
            return
        self._start_export(period, fmt, output, False)

    @on(Button.Pressed, "#report-export")
    def _export_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    def _start_export(self, period: Period, fmt: str, output: Path, force: bool) -> None:
        bar = self.query_one("#report-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#report-export", Button).disabled = True
        self._status(f"Exporting to {output}…")
        self.export(period, fmt, output, self.identifiable, force, self.kind)

    @work(thread=True, exclusive=True, group=EXPORT, name="the export", exit_on_error=False)
    def export(
        self,
        period: Period,
        fmt: str,
        output: Path,
        identifiable: bool,
        force: bool,
        kind: str = CASELOAD,
    ) -> list[Path]:
        """Write the export in a thread, on a connection of its own; returns the files."""

        def progress(done: int, total: int, what: str) -> None:
            self.app.call_from_thread(self._export_progressed, done, total)

        today, signed = self.clock.today(), self.settings.signature()
        db = open_store(self.lw.store_path, self.lw.key, create=False)
        try:
            if kind != CASELOAD:
                kind_of = REPORT_KINDS[kind]
                report = ReportRequest(kind_of, period, fmt, output, today, force, signed)
                return export_report(db, report)
            caseload = CaseloadRequest(period, fmt, output, today, identifiable, force, signed)
            return export_caseload(db, caseload, progress=progress)
        finally:
            db.close()

    def _export_progressed(self, done: int, total: int) -> None:
        self.query_one("#report-progress", ProgressBar).update(total=total, progress=done)

    def _exported(self, paths: list[Path]) -> None:
        self.last_written = list(paths)
        self.query_one("#report-export", Button).disabled = False
        self.query_one("#report-progress", ProgressBar).display = False
        where = paths[0] if len(paths) == 1 else paths[0].parent
        count = f"{len(paths)} files to " if len(paths) > 1 else ""
        self._status(f"Wrote {count}{where}")
        self.notify(f"Wrote {count}{where}", title="Export")

    def _export_failed(self, reason: str) -> None:
        self.query_one("#report-export", Button).disabled = False
        self.query_one("#report-progress", ProgressBar).display = False
        self._status(f"Not exported: {reason}", error=True)
