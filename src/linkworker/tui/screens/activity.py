"""One activity of the directory, in full: details, freshness, your notes, who is connected."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from linkworker import directory
from linkworker.directory import knowledge
from linkworker.display import label, literal, short_date, table_date
from linkworker.models import ConnectionKind
from linkworker.tui.dialogs import ConfirmDialog
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.tables import RowTable
from linkworker.tui.widgets.text import plain


class ActivityScreen(LinkWorkerScreen, guide="activity"):
    """Everything the directory knows about one activity, and what the link worker adds."""

    def __init__(self, activity_id: int) -> None:
        super().__init__()
        self.activity_id = activity_id
        self.activity: directory.ActivityRow | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="activity-body"):
            yield Static(id="activity-details")
            yield Static(id="activity-connections-title", classes="section-title")
            yield RowTable(id="activity-connections", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#activity-connections", DataTable)
        table.add_column("Person", key="person")
        table.add_column("As", key="kind")
        table.add_column("Status", key="status")
        table.add_column("Since", key="since")
        table.add_column("Feedback", key="feedback")

    def reload(self) -> None:
        """Read the activity and repaint."""
        a = directory.get_activity(self.db, self.activity_id)
        self.activity = a
        self.query_one("#activity-details", Static).update(self._details(a))
        self._show_connections()
        self.sub_title = literal(a["name"])

    def _details(self, a: directory.ActivityRow) -> Group:
        today = self.clock.today()
        fresh = directory.freshness(a, today, self.lw.settings.stale_directory_months)
        head = Text()
        if a["favourite"]:
            head.append("★ ")
        head.append(literal(a["name"]), style="bold")
        if a["organisation"] and a["organisation"] != a["name"]:
            head.append(literal(f"  ·  {a['organisation']}"))
        status = literal(a["status"])
        if a["retired"]:
            status += "  (RETIRED: out of search; kept on people's records)"
        origin = "added by you" if a["origin"] == "hand" else "imported"
        head.append(f"\nStatus: {status}  ·  {origin}")
        if a["alert"]:
            head.append("\n⚠ " + literal(a["alert"]), style="bold")
        if a["description"]:
            head.append("\n\n" + literal(a["description"], single_line=False))
        facts = [
            ("Categories", ", ".join(directory.decode_list(a["categories"]))),
            ("When", "\n".join(directory.when_lines(a)) or a["schedule_text"]),
            (
                "Where",
                ", ".join(x for x in (a["venue"], a["address"], a["town"], a["postcode"]) if x),
            ),
            ("Cost", a["cost"]),
            ("Who for", a["eligibility"]),
            ("Ages", _ages(a["min_age"], a["max_age"])),
            ("Access", a["accessibility"]),
            ("Languages", ", ".join(directory.decode_list(a["languages"]))),
            ("Contact", a["contact_name"]),
            ("Phone", a["phone"]),
            ("Email", a["email"]),
            ("Web", a["url"]),
        ]
        # A two-column grid, so a long value wraps under itself, not under the labels.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", width=12, no_wrap=True)
        grid.add_column(ratio=1)
        for title, value in facts:
            if value:
                grid.add_row(Text(title + ":"), Text(literal(value, single_line=False)))
        grid.add_row(Text(""), Text(""))
        grid.add_row(
            Text("Assured:"),
            Text(
                (short_date(fresh.assured_date) or "no date") + " (checked by whoever publishes it)"
            ),
        )
        grid.add_row(
            Text("Verified:"),
            Text(short_date(fresh.verified_on) or "never by you  (v: verified today)"),
        )
        grid.add_row(Text("Freshness:"), Text(fresh.words(), style="bold" if fresh.stale else ""))
        if a["notes"]:
            notes = Text(literal(a["notes"], single_line=False))
            notes.append("  (private)", style="italic")
        else:
            notes = Text("none  (n: add a private note, e.g. who to ask for)", style="italic")
        grid.add_row(Text("Your notes:"), notes)
        known = knowledge.knowledge_lines(a["worker_knowledge"])
        grid.add_row(
            Text("You know:"),
            Text(literal("\n".join(known), single_line=False))
            if known
            else Text("nothing yet  (k: welcome person, how demanding, ...)", style="italic"),
        )
        return Group(head, Text(""), grid)

    def _show_connections(self) -> None:
        rows = directory.connections_for_activity(self.db, self.activity_id)
        title = self.query_one("#activity-connections-title", Static)
        title.update(
            f"People connected ({len(rows)}), for your eyes only"
            if rows
            else "Nobody connected yet (c: connect a person)"
        )
        table = self.query_one("#activity-connections", DataTable)
        cursor = table.cursor_row
        table.clear()
        table.display = bool(rows)
        for r in rows:
            last_note = (r["feedback"] or "").split("\n")[-1]
            table.add_row(
                plain(r["person_name"]),
                Text(label(ConnectionKind, r["kind"])),
                Text(directory.status_words(r["status"])),
                Text(table_date(r["status_changed_on"])),
                plain(last_note),
                key=str(r["id"]),
            )
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

    def _selected_connection(self) -> directory.ConnectionWithActivity | None:
        table = self.query_one("#activity-connections", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return directory.get_connection(self.db, int(str(key))) if key else None

    @on(DataTable.RowSelected, "#activity-connections")
    def _open_person(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return
        connection = directory.get_connection(self.db, int(event.row_key.value))
        self.lw.open_person(int(connection["person_id"]))

    # --- actions -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_verified(self) -> None:
        on = directory.mark_verified(self.db, self.activity_id, self.clock)
        self.reload()
        self.notify(f"Verified by you today ({short_date(on)}).", title="Verified", markup=False)
        self.app.post_message(CaseloadChanged())

    def action_favourite(self) -> None:
        now = directory.toggle_favourite(self.db, self.activity_id, self.clock)
        self.reload()
        self.notify("★ A favourite." if now else "No longer a favourite.", markup=False)

    def action_notes(self) -> None:
        from linkworker.tui.screens.activity_form import NotesScreen

        self.app.push_screen(NotesScreen(self.activity_id))

    def action_knowledge(self) -> None:
        from linkworker.tui.screens.activity_knowledge import KnowledgeDialog

        activity = directory.get_activity(self.db, self.activity_id)
        self.app.push_screen(KnowledgeDialog(activity))

    def action_edit(self) -> None:
        from linkworker.tui.screens.activity_form import ActivityFormScreen

        self.app.push_screen(ActivityFormScreen(self.activity_id))

    def action_connect(self) -> None:
        from linkworker.tui.screens.connections import ConnectScreen, PersonPickerScreen

        if self.activity and self.activity["retired"]:
            self.notify(
                "This activity is retired; restore it (R) before connecting anyone.", markup=False
            )
            return

        def picked(person_id: int | None) -> None:
            if person_id is not None:
                self.app.push_screen(ConnectScreen(person_id, self.activity_id))

        self.app.push_screen(PersonPickerScreen(), picked)

    def action_move(self) -> None:
        from linkworker.tui.screens.connections import MoveConnectionScreen

        connection = self._selected_connection()
        if connection is None:
            self.notify(
                "Nobody is connected to this activity yet.", severity="warning", markup=False
            )
            return
        self.app.push_screen(MoveConnectionScreen(int(connection["id"])))

    def action_retire(self) -> None:
        a = directory.get_activity(self.db, self.activity_id)
        name = literal(a["name"])
        if a["retired"]:
            directory.restore_activity(self.db, self.activity_id, self.clock)
            self.reload()
            self.notify(f"{name} is back in search.", title="Restored", markup=False)
            return
        still = directory.open_connection_count(self.db, self.activity_id)
        body = (
            f"Retire {name}?\n\nIt drops out of search and suggestions. People's records keep "
            "it"
            + (
                f" ({still} connection{'s are' if still != 1 else ' is'} still open)"
                if still
                else ""
            )
            + ". You can restore it later (show Everything in the Directory, open it, press R)."
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                directory.retire_activity(self.db, self.activity_id, self.clock)
                self.reload()
                self.notify(f"{name} retired.", title="Retired", markup=False)

        self.app.push_screen(
            ConfirmDialog("Retire this activity?", body, yes="Retire", no="Cancel", danger=True),
            confirmed,
        )


def _ages(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"{low}+"
    if low is None:
        return f"up to {high}"
    return f"{low}-{high}"
