"""Connecting people to activities: pick a person or an activity, connect as a signpost or
a referral, and move a connection on (referred, attended, still attending, stopped)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Select, Static

from linkworker import caseload, directory, people
from linkworker.display import label, literal, short_date
from linkworker.models import ConnectionKind, ConnectionStatus, ReferralStatus
from linkworker.tui.dialogs import (
    Dialog,
    FormDialog,
    FormError,
    button,
    choice_row,
    field_row,
    text_row,
)
from linkworker.tui.dialogs.form import FieldRow
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.widgets.activity_search import ActivitySearch
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.tables import RowTable
from linkworker.tui.widgets.text import multiline, plain
from linkworker.validation import ValidationError, parse_date


def _parse_day(text: str, today: date) -> date:
    """A date typed in a dialog (the "on" field): blank means today."""
    try:
        return parse_date(text) if text.strip() else today
    except ValidationError as exc:
        raise FormError("on", str(exc)) from None


class ActivityPickerScreen(LinkWorkerScreen, guide="picker"):
    """Find an activity for a person: the directory search, with their age and area at hand.
    Dismisses with the activity id (or None)."""

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        context = directory.person_context(self.db, self.person_id, self.clock.today())
        self.sub_title = literal(f"for {context.name}")
        yield Header()
        yield ActivitySearch(person_age=context.age, person_area=context.outward)
        yield KeysFooter()

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

    def action_nothing_fits(self) -> None:
        """Nothing in the directory fits: record the unmet need, with what was searched."""
        from linkworker.tui.screens.gap_form import GapScreen

        searched = self.query_one(ActivitySearch).search_text()
        self.app.push_screen(GapScreen(self.person_id, searched=searched))


def connect_to_activity(screen: Screen[Any], person_id: int) -> None:
    """Find an activity for the person (the directory search, with their age and area),
    then connect them to it."""

    def picked(activity_id: int | None) -> None:
        if activity_id is not None:
            screen.app.push_screen(ConnectScreen(person_id, activity_id))

    screen.app.push_screen(ActivityPickerScreen(person_id), picked)


class PersonPickerScreen(Dialog[int], guide="person_picker"):
    """Find a person by name or NHS number. Dismisses with their id (or None)."""

    LIMIT = 12

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Name or NHS number (Enter: go to the list)", id="who")
        yield RowTable(id="people", cursor_type="row", zebra_stripes=True)
        yield Static("Enter picks the highlighted person · Esc cancels", classes="dialog-hint")

    def compose_buttons(self) -> ComposeResult:
        yield button("Cancel (Esc)", "cancel")

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


ResultT = TypeVar("ResultT")


class _ConnectionForm(FormDialog[ResultT]):
    """A form that makes or moves on a connection: Enter saves; the day it happens is blank
    for today; what the directory refuses shows on the form; once saved, the app hears of it
    and the worker is told what was done."""

    SUBMIT_ON_ENTER = True

    def on_row(self) -> FieldRow:
        """The day the connection is made or moved on: blank for today."""
        today = short_date(self.clock.today())
        return text_row("on", "On", placeholder=f"blank for today ({today})")

    def day(self) -> date:
        """The day typed in the "on" row (today when blank)."""
        return _parse_day(self.query_one("#on", Input).value, self.clock.today())

    def save_and_tell(
        self, write: Callable[[], ResultT], person_id: int | None, words: str, title: str
    ) -> None:
        """Save with ``write``; once saved, the person's caseload views refresh and ``words``
        are shown."""

        def told(_result: ResultT) -> None:
            self.app.post_message(CaseloadChanged(person_id))
            self.notify(words, title=title, markup=False)

        self.save_with(write, refused=(FormError, directory.DirectoryError, LookupError), then=told)


class ConnectScreen(_ConnectionForm[int], guide="connect"):
    """Connect a person to an activity as a signpost or a referral. Dismisses with the new
    connection's id (or None)."""

    SAVE_LABEL = "Connect"

    def __init__(self, person_id: int, activity_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.activity_id = activity_id

    def subtitle(self) -> str:
        person = people.get_person(self.db, self.person_id)
        activity = directory.get_activity(self.db, self.activity_id)
        return f"{person['given_name']} {person['family_name']}  →  {activity['name']}"

    def compose_fields(self) -> ComposeResult:
        yield choice_row("kind", "As", ConnectionKind.choices(), ConnectionKind.SIGNPOST.value)
        yield self.on_row()
        yield text_row("note", "Note", placeholder="optional, e.g. gave a leaflet")

    def save(self) -> None:
        kind = ConnectionKind(str(self.query_one("#kind", Select).value))
        self.save_and_tell(
            lambda: directory.connect(
                self.db,
                self.person_id,
                self.activity_id,
                kind,
                self.clock,
                on=self.day(),
                note=self.query_one("#note", Input).value,
            ),
            self.person_id,
            f"Connected as a {kind.label.lower()} (suggested).",
            "Connected",
        )


#: Asked as "did they go?": the answers in the link worker's words, in the order offered.
#: "Not yet" changes nothing and leaves the connection for Today to ask about again.
NOT_YET = "not_yet"
DID_THEY_GO_ANSWERS: dict[str, str] = {
    ConnectionStatus.ATTENDED: "Went (attended)",
    ConnectionStatus.STOPPED: "Did not go (stopped)",
    NOT_YET: "Not yet: ask again later",
}


def _choices(steps: list[ConnectionStatus], did_they_go: bool) -> list[tuple[str, str]]:
    """The statuses offered; as "did they go?", went / did not go / not yet come first."""
    plain = [(s.label, s.value) for s in steps]
    if not did_they_go or not steps:
        return plain
    answers = [(words, key) for key, words in DID_THEY_GO_ANSWERS.items() if key in steps]
    return [*answers, (DID_THEY_GO_ANSWERS[NOT_YET], NOT_YET)] + [
        (words, key) for words, key in plain if key not in DID_THEY_GO_ANSWERS
    ]


class MoveConnectionScreen(_ConnectionForm[ConnectionStatus | None], guide="move_connection"):
    """Move a connection on: referred, attended, still attending or stopped, with a date and
    a feedback note. Dismisses with the new status (None for "not yet" or cancel)."""

    def __init__(self, connection_id: int, *, did_they_go: bool = False) -> None:
        super().__init__()
        self.connection_id = connection_id
        self.person_id: int | None = None
        # Asked as "did they go?" (the person screen's and Today's D): went / did not go /
        # not yet are offered first.
        self.did_they_go = did_they_go

    def heading(self) -> Text:
        return Text("Did they go?" if self.did_they_go else self.TITLE)

    def compose_fields(self) -> ComposeResult:
        conn = directory.get_connection(self.db, self.connection_id)
        self.person_id = int(conn["person_id"])
        person = people.get_person(self.db, conn["person_id"])
        choices = _choices(directory.next_statuses(conn["status"]), self.did_they_go)
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
            yield Static(multiline(conn["feedback"]), classes="dialog-hint")
        yield field_row(
            "status",
            "Now",
            Select(
                choices,
                value=choices[0][1] if choices else Select.NULL,
                allow_blank=not choices,
                prompt="No further step",
                id="status",
                compact=True,
            ),
        )
        yield self.on_row()
        yield text_row(
            "feedback", "Feedback", placeholder="optional, e.g. enjoyed it, going again Tuesday"
        )

    def on_mount(self) -> None:
        super().on_mount()
        conn = directory.get_connection(self.db, self.connection_id)
        if not directory.next_statuses(conn["status"]):
            self.say("This connection has stopped; connect the person again to start afresh.")

    def save(self) -> None:
        chosen = self.query_one("#status", Select).value
        if chosen is Select.NULL:
            self.show_errors({"status": "there is no further step for this connection"})
            return
        if chosen == NOT_YET:
            self.notify("Nothing changed: Today asks again.", title="Not yet", markup=False)
            self.saved(None)
            return
        target = ConnectionStatus(str(chosen))

        def move() -> ConnectionStatus:
            directory.move_connection(
                self.db,
                self.connection_id,
                target,
                self.clock,
                on=self.day(),
                feedback=self.query_one("#feedback", Input).value,
            )
            return target

        self.save_and_tell(
            move, self.person_id, f"Now {directory.status_words(target)}.", "Connection"
        )
