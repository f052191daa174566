"""Directory: the community activities, searchable as you type."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, Static

from linkworker import directory
from linkworker.display import short_date
from linkworker.screens.base import LinkWorkerScreen
from linkworker.widgets.text import plain

PAGE = 100


class DirectoryScreen(LinkWorkerScreen):
    """Search and browse activities."""

    TITLE = "Directory"
    HELP = "Type to search names, descriptions, organisations, categories and places."
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: handled before the keys after it are routed, so "/walk" typed fast all
        # lands in the search box.
        Binding("slash", "focus_search", "Search", id="directory.search", priority=True),
        Binding("escape", "clear_search", "Clear", id="directory.clear", show=False),
        Binding("question_mark", "app.help", "Help", id="directory.help", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search activities: e.g. walk, choir, debt, HV2", id="search")
        yield DataTable(id="activities", cursor_type="row", zebra_stripes=True)
        yield Static(id="directory-status", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Activity", key="name")
        table.add_column("When", key="when")
        table.add_column("Where", key="where")
        table.add_column("Cost", key="cost")
        table.add_column("Checked", key="checked")
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Run the search and repaint."""
        text = self.query_one("#search", Input).value
        rows = directory.search(self.db, text, limit=PAGE)
        months = self.lw.settings.stale_directory_months
        today = self.clock.today()
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            checked = directory.last_checked(row)
            stale = directory.is_stale(row, today, months)
            table.add_row(
                plain(row["name"]),
                plain(row["schedule_text"] or ""),
                plain(row["town"] or row["venue"] or ""),
                plain(row["cost"] or ("Free" if row["is_free"] else "")),
                Text((short_date(checked) or "never") + (" ⚠ stale" if stale else "")),
                key=str(row["id"]),
            )
        total = directory.activity_count(self.db)
        shown = f"{len(rows)} matching" if text.strip() else f"{len(rows)} of {total}"
        self.query_one("#directory-status", Static).update(
            f"{shown} activities · stale = not checked in {months} months"
        )

    @on(Input.Changed, "#search")
    def _changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.lw.open_activity(int(event.row_key.value))

    def action_focus_search(self) -> None:
        # Focus now, not after the queued keys: a fast typist's next letters belong in the box.
        self.set_focus(self.query_one("#search", Input))

    def action_clear_search(self) -> None:
        box = self.query_one("#search", Input)
        box.value = ""
        box.focus()
