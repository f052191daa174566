"""Connecting people to activities: pick a person or an activity, connect as a signpost or
a referral, and move a connection on (referred, attended, still attending, stopped)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from linkworker import caseload, directory, people
from linkworker.display import label, literal, short_date
from linkworker.models import ConnectionKind, ConnectionStatus, ReferralStatus
from linkworker.tui.screens.base import LinkWorkerModal, LinkWorkerScreen
from linkworker.tui.widgets.activity_search import ActivitySearch
from linkworker.tui.widgets.text import multiline, plain
from linkworker.validation import ValidationError, parse_date


def _parse_day(text: str, today: date) -> date:
    """A date typed in a dialog: blank means today."""
    return parse_date(text) if text.strip() else today


class ActivityPickerScreen(LinkWorkerScreen):
    """Find an activity for a person: the directory search, with their age and area at hand.
    Dismisses with the activity id (or None)."""

    TITLE = "Pick an activity"
    HELP = (
        "Search as in the Directory; activities that do not fit the person's age are left "
        "out (change the age filter to see them). Enter picks the highlighted activity, "
        "Esc goes back without one."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("slash", "focus_search", "Search", id="picker.search"),
    ]

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        context = directory.person_context(self.db, self.person_id, self.clock.today())
        self.sub_title = literal(f"for {context.name}")
        yield Header()
        yield ActivitySearch(person_age=context.age, person_area=context.outward)
        yield Footer()

    def on_screen_resume(self) -> None:
        self.query_one(ActivitySearch).reload()

    @on(ActivitySearch.Chosen)
    def _chosen(self, event: ActivitySearch.Chosen) -> None:
        event.stop()
        self.dismiss(event.activity_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one(ActivitySearch).focus_search()


class PersonPickerScreen(LinkWorkerModal):
    """Find a person by name or NHS number. Dismisses with their id (or None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="person_picker.cancel"),
    ]
    LIMIT = 12

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static("Connect which person?", classes="dialog-title")
            yield Input(placeholder="Name or NHS number (Enter: go to the list)", id="who")
            yield DataTable(id="people", cursor_type="row", zebra_stripes=True)
            yield Static("Enter picks the highlighted person · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Name", key="name")
        table.add_column("Age", key="age")
        table.add_column("Referral", key="status")
        self.reload("")
        self.query_one("#who", Input).focus()

    def reload(self, text: str) -> None:
        f = caseload.CaseloadFilter(text=text, sort="name", descending=False)
        rows = caseload.caseload_page(self.db, f, self.clock.today(), limit=self.LIMIT)
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                plain(row.name),
                Text("" if row.age is None else str(row.age)),
                Text(label(ReferralStatus, row.status) or "no referral"),
                key=str(row.person_id),
            )

    @on(Input.Changed, "#who")
    def _typed(self, event: Input.Changed) -> None:
        self.reload(event.value)

    @on(Input.Submitted, "#who")
    def _to_list(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def _picked(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.dismiss(int(event.row_key.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConnectScreen(LinkWorkerModal):
    """Connect a person to an activity as a signpost or a referral. Dismisses with the new
    connection's id (or None)."""

    HELP = (
        "A signpost: you told the person about it. A referral: you referred them to it. "
        "Either starts as 'suggested'; move it on from the person's activities (A) or the "
        "activity's screen (m)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Connect", id="connect.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="connect.cancel"),
    ]

    class Connected(Message):
        """A person was connected to an activity."""

        def __init__(self, connection_id: int, person_id: int, activity_id: int) -> None:
            super().__init__()
            self.connection_id = connection_id
            self.person_id = person_id
            self.activity_id = activity_id

    def __init__(self, person_id: int, activity_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.activity_id = activity_id

    def compose(self) -> ComposeResult:
        person = people.get_person(self.db, self.person_id)
        activity = directory.get_activity(self.db, self.activity_id)
        who = f"{person['given_name']} {person['family_name']}"
        with Vertical(classes="dialog"):
            yield Static("Connect to an activity", classes="dialog-title")
            yield Static(multiline(f"{who}  →  {activity['name']}"), id="connect-what")
            with Horizontal(classes="form-row"):
                yield Label("As", classes="form-label")
                yield Select(
                    ConnectionKind.choices(),
                    value=ConnectionKind.SIGNPOST.value,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label("On", classes="form-label")
                yield Input(
                    placeholder=f"blank for today ({short_date(self.clock.today())})",
                    id="on",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label("Note", classes="form-label")
                yield Input(placeholder="optional, e.g. gave a leaflet", id="note", compact=True)
            yield Static(id="connect-error", classes="form-errors")
            yield Static("Ctrl+S connects · Esc cancels", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Connect", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#connect-error", Static).display = False
        self.query_one("#kind", Select).focus()

    def _error(self, message: str) -> None:
        box = self.query_one("#connect-error", Static)
        box.update(multiline(f"Not connected: {message}"))
        box.display = True

    def action_save(self) -> None:
        try:
            on = _parse_day(self.query_one("#on", Input).value, self.clock.today())
        except ValidationError as exc:
            self._error(f"date: {exc}")
            return
        kind = ConnectionKind(str(self.query_one("#kind", Select).value))
        try:
            connection_id = directory.connect(
                self.db,
                self.person_id,
                self.activity_id,
                kind,
                self.clock,
                on=on,
                note=self.query_one("#note", Input).value,
            )
        except (directory.DirectoryError, LookupError) as exc:
            self._error(str(exc))
            return
        self.post_message(self.Connected(connection_id, self.person_id, self.activity_id))
        self.notify(
            f"Connected as a {kind.label.lower()} (suggested).", title="Connected", markup=False
        )
        self.dismiss(connection_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class MoveConnectionScreen(LinkWorkerModal):
    """Move a connection on: referred, attended, still attending or stopped, with a date and
    a feedback note. Dismisses with the new status (or None)."""

    HELP = (
        "suggested → referred → attended → still attending, or stopped at any point. "
        "Steps can be skipped forwards, never taken back."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="move_connection.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="move_connection.cancel"),
    ]

    class Moved(Message):
        """A connection changed status."""

        def __init__(self, connection_id: int, status: ConnectionStatus) -> None:
            super().__init__()
            self.connection_id = connection_id
            self.status = status

    def __init__(self, connection_id: int) -> None:
        super().__init__()
        self.connection_id = connection_id

    def compose(self) -> ComposeResult:
        conn = directory.get_connection(self.db, self.connection_id)
        person = people.get_person(self.db, conn["person_id"])
        steps = directory.next_statuses(conn["status"])
        with Vertical(classes="dialog"):
            yield Static("Move the connection on", classes="dialog-title")
            yield Static(
                multiline(
                    f"{person['given_name']} {person['family_name']}  →  "
                    f"{conn['activity_name']}\n"
                    f"{label(ConnectionKind, conn['kind'])}, now "
                    f"{directory.status_words(conn['status'])} since "
                    f"{short_date(conn['status_changed_on'])}"
                ),
                id="move-what",
            )
            if conn["feedback"]:
                yield Static(multiline(conn["feedback"]), classes="hint")
            with Horizontal(classes="form-row"):
                yield Label("Now", classes="form-label")
                yield Select(
                    [(s.label, s.value) for s in steps],
                    value=steps[0].value if steps else Select.NULL,
                    allow_blank=not steps,
                    prompt="No further step",
                    id="status",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label("On", classes="form-label")
                yield Input(
                    placeholder=f"blank for today ({short_date(self.clock.today())})",
                    id="on",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label("Feedback", classes="form-label")
                yield Input(
                    placeholder="optional, e.g. enjoyed it, going again Tuesday",
                    id="feedback",
                    compact=True,
                )
            yield Static(id="move-error", classes="form-errors")
            yield Static("Ctrl+S saves · Esc cancels", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        error = self.query_one("#move-error", Static)
        error.display = False
        conn = directory.get_connection(self.db, self.connection_id)
        if not directory.next_statuses(conn["status"]):
            error.update("This connection has stopped; connect the person again to start afresh.")
            error.display = True
        self.query_one("#status", Select).focus()

    def _error(self, message: str) -> None:
        box = self.query_one("#move-error", Static)
        box.update(multiline(f"Not saved: {message}"))
        box.display = True

    def action_save(self) -> None:
        chosen = self.query_one("#status", Select).value
        if chosen is Select.NULL:
            self._error("there is no further step for this connection")
            return
        try:
            on = _parse_day(self.query_one("#on", Input).value, self.clock.today())
        except ValidationError as exc:
            self._error(f"date: {exc}")
            return
        target = ConnectionStatus(str(chosen))
        try:
            directory.move_connection(
                self.db,
                self.connection_id,
                target,
                self.clock,
                on=on,
                feedback=self.query_one("#feedback", Input).value,
            )
        except (directory.DirectoryError, LookupError) as exc:
            self._error(str(exc))
            return
        self.post_message(self.Moved(self.connection_id, target))
        self.notify(f"Now {directory.status_words(target)}.", title="Connection", markup=False)
        self.dismiss(target)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
