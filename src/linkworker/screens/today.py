"""Today: the agenda the app opens on."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from linkworker.display import short_date
from linkworker.followups import Agenda, build_agenda
from linkworker.screens.base import LinkWorkerScreen
from linkworker.widgets.text import plain


class TodayScreen(LinkWorkerScreen):
    """Due today, overdue, waiting for a first contact, gone quiet, later this week."""

    TITLE = "Today"
    HELP = "Everything that needs you today, most urgent first. Enter opens the person."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "app.help", "Help", id="today.help", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="today-summary", classes="summary")
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("When", key="when")
        table.add_column("Who", key="who")
        table.add_column("What", key="what")
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Rebuild the agenda from the store."""
        if self.lw._db is None:
            return
        agenda = build_agenda(self.db, self.clock.today(), self.lw.settings)
        self._show(agenda)

    def _show(self, agenda: Agenda) -> None:
        summary = "   ".join(f"{title}: {len(lines)}" for _, title, lines in agenda.buckets())
        self.query_one("#today-summary", Static).update(summary)
        table = self.query_one(DataTable)
        table.clear()
        for key, title, lines in agenda.buckets():
            if not lines:
                continue
            table.add_row(
                Text(f"{title} ({len(lines)})", style="bold"),
                Text(""),
                Text(""),
                key=f"heading:{key}",
            )
            for line in lines:
                when = line.when or ""
                if key == "due_today":
                    shown = when[11:16] if len(when) > 10 else "any time"
                elif key == "overdue":
                    shown = f"{line.days} days late"
                elif key in ("awaiting_first_contact",):
                    shown = f"{line.days} days waiting"
                elif key == "gone_quiet":
                    shown = f"{line.days} days" if line.days is not None else "never seen"
                else:
                    shown = short_date(when)
                table.add_row(
                    Text(shown),
                    plain(line.name),
                    plain(line.what),
                    key=f"{key}:{line.person_id}:{line.followup_id or line.referral_id}",
                )
        if table.row_count == 0:
            table.add_row(
                Text("Nothing due."),
                Text(""),
                Text("The caseload is up to date."),
                key="heading:empty",
            )

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value or "")
        if key.startswith("heading:"):
            return
        self.lw.open_person(int(key.split(":")[1]))
