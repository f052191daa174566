"""A person's activities: their connections, suggestions that fit them, and a shortlist to
hand over on paper."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Header, Input, Select, Static

from linkworker import directory, information_needs
from linkworker.display import label, literal, table_date
from linkworker.formats import writer
from linkworker.formats.handout import HandoutStyle, Reading, style_of
from linkworker.models import ConnectionKind
from linkworker.tui.dialogs import (
    FormError,
    WriteFileDialog,
    choice_row,
    field_row,
    file_path,
)
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.screens.reports import default_export_dir
from linkworker.tui.widgets.activity_search import cell
from linkworker.tui.widgets.keys_footer import KeysFooter
from linkworker.tui.widgets.tables import RowTable, highlighted_key, show_table, table_page
from linkworker.tui.widgets.text import multiline, plain
from linkworker.validation import ValidationError, normalise_weekdays


def _context_line(context: directory.PersonContext) -> Text:
    from linkworker.models import Barrier, NeedDomain

    needs = ", ".join(label(NeedDomain, n).lower() for n in context.needs) or "none recorded"
    barriers = ", ".join(label(Barrier, b).lower() for b in context.barriers) or "none recorded"
    age = f"{context.age}" if context.age is not None else "age not known"
    area = context.outward or "no postcode"
    line = f"{context.name}: {age}, {area} · needs: {needs} · barriers: {barriers}"
    if context.languages:
        line += " · speaks " + ", ".join(context.languages)
    return Text(literal(line))


class _PersonActivityList(LinkWorkerScreen):
    """A list of activities for one person: what the directory goes by above (their age,
    area, needs and barriers), the rows, and more about the highlighted row below; Enter
    opens the row."""

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def show_person(self, facts_id: str) -> directory.PersonContext:
        """Put the person's name in the header and their facts above the table."""
        context = directory.person_context(self.db, self.person_id, self.clock.today())
        self.sub_title = literal(context.name)
        self.query_one(f"#{facts_id}", Static).update(_context_line(context))
        return context

    def highlighted(self) -> str | None:
        """The key of the highlighted row (None when there are no rows)."""
        return highlighted_key(self.query_one(DataTable))

    def say_more(self) -> None:
        """Say more about the highlighted row, on the line below the table."""

    def open_row(self, key: str) -> None:
        """Enter on a row."""

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.say_more()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.open_row(str(event.row_key.value))

    def action_back(self) -> None:
        self.app.pop_screen()


class PersonActivitiesScreen(_PersonActivityList, guide="person_activities"):
    """Everything linking one person to the directory."""

    def compose(self) -> ComposeResult:
        yield from table_page(
            "person-connections",
            above=Static(id="person-activities-facts", classes="facts"),
            below=Static(id="person-connection-feedback", classes="status-line"),
        )

    def on_mount(self) -> None:
        show_table(
            self.query_one(DataTable),
            {
                "activity": "Activity",
                "kind": "As",
                "status": "Status",
                "since": "Since",
                "suggested": "Suggested",
            },
        )

    def reload(self) -> None:
        """Read the person's connections again."""
        self.show_person("person-activities-facts")
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self._rows = {
            str(r["id"]): r for r in directory.connections_for_person(self.db, self.person_id)
        }
        for key, r in self._rows.items():
            name = plain(r["activity_name"])
            if r["activity_retired"]:
                name.append(" (retired)", style="italic")
            table.add_row(
                name,
                Text(label(ConnectionKind, r["kind"])),
                Text(directory.status_words(r["status"])),
                Text(table_date(r["status_changed_on"])),
                Text(table_date(r["suggested_on"])),
                key=key,
            )
        if self._rows:
            table.move_cursor(row=min(max(cursor, 0), len(self._rows) - 1))
        else:
            table.add_row(
                Text("Not connected to any activity yet: a connects, s suggests."),
                Text(""),
                Text(""),
                Text(""),
                Text(""),
                key="none",
            )
        self.say_more()

    def _current(self) -> directory.ConnectionWithActivity | None:
        return self._rows.get(str(self.highlighted()))

    def say_more(self) -> None:
        """The highlighted connection's feedback."""
        row = self._current()
        line = self.query_one("#person-connection-feedback", Static)
        if row is None or not row["feedback"]:
            line.update("")
            return
        line.update(multiline(row["feedback"]))

    def open_row(self, key: str) -> None:
        self.action_move()

    def action_connect(self) -> None:
        from linkworker.tui.screens.connections import connect_to_activity

        connect_to_activity(self, self.person_id)

    def action_suggest(self) -> None:
        self.app.push_screen(SuggestionsScreen(self.person_id))

    def action_move(self) -> None:
        from linkworker.tui.screens.connections import MoveConnectionScreen

        row = self._current()
        if row is None:
            self.notify("No connection is highlighted.", severity="warning", markup=False)
            return
        self.app.push_screen(MoveConnectionScreen(int(row["id"])))

    def action_open_activity(self) -> None:
        row = self._current()
        if row is not None:
            self.lw.open_activity(int(row["activity_id"]))

    def action_referral(self) -> None:
        """Write the referral to the highlighted activity's provider, with the person's
        communication needs (WriteFileModal: .md Markdown, else plain text)."""
        from linkworker.tui.screens.plan import WriteFileModal, name_slug

        row = self._current()
        if row is None:
            self.notify("Connect an activity first (a).", severity="warning", markup=False)
            return
        activity_id = int(row["activity_id"])
        today = self.clock.today()
        sender = self.lw.settings.signature()

        def render(style: str) -> str:
            chosen: HandoutStyle = "markdown" if style == "markdown" else "text"
            return directory.referral_note(
                self.db, self.person_id, activity_id, today, sender, chosen
            )

        slug = name_slug(str(row["activity_name"]))
        self.app.push_screen(
            WriteFileModal("referral", f"referral-{slug}-{today.isoformat()}.txt", render)
        )

    def action_shortlist(self) -> None:
        # Start from what is still in play (not stopped, not retired).
        chosen = [
            int(r["activity_id"])
            for r in self._rows.values()
            if r["status"] != "stopped" and not r["activity_retired"]
        ]
        self.app.push_screen(ShortlistScreen(self.person_id, chosen))


class SuggestionsScreen(_PersonActivityList, guide="suggestions"):
    """Activities that fit a person, best first, each with why."""

    def __init__(self, person_id: int) -> None:
        super().__init__(person_id)
        self.picked: list[int] = []
        self.days: list[str] = []
        self._why: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="suggest-facts", classes="facts")
        with Horizontal(classes="filters"):
            yield Input(
                placeholder="d: days that suit them, e.g. Tue Thu (Enter applies)",
                id="days",
                compact=True,
            )
        yield RowTable(id="suggestions", cursor_type="row", zebra_stripes=True)
        yield Static(id="suggest-why", classes="why-line")
        yield Static(id="suggest-status", classes="status-line")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="picked", width=1)
        table.add_column("Activity", key="name", width=28)
        table.add_column("When", key="when", width=15)
        table.add_column("Why", key="why")
        table.focus()

    def reload(self) -> None:
        """Work the suggestions out again (needs, days and connections may have changed)."""
        today = self.clock.today()
        context = self.show_person("suggest-facts")
        found = directory.suggest_activities(
            self.db,
            self.person_id,
            today,
            days=self.days,
            stale_months=self.lw.settings.stale_directory_months,
            limit=40,
        )
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self._why = {}
        for s in found:
            key = str(s.activity["id"])
            self._why[key] = s.why
            table.add_row(
                Text("✓" if int(key) in self.picked else ""),
                cell(s.activity["name"]),
                cell(directory.when_short(s.activity)),
                cell(s.why.removeprefix("matches: ")),
                key=key,
            )
        if found:
            table.move_cursor(row=min(max(cursor, 0), len(found) - 1))
        status = f"{len(found)} suggestions" if found else "Nothing fits yet."
        if not context.needs:
            status += " · No needs recorded yet: suggestions by age and area only"
        status += f" · {len(self.picked)} picked (space) · c connects · l shortlist"
        self.query_one("#suggest-status", Static).update(status)
        self.say_more()

    def _current_id(self) -> int | None:
        key = self.highlighted()
        return None if key is None else int(key)

    def say_more(self) -> None:
        """Why the highlighted activity is suggested."""
        current = self._current_id()
        why = self._why.get(str(current), "") if current is not None else ""
        self.query_one("#suggest-why", Static).update(Text(literal(f"Why: {why}" if why else "")))

    def open_row(self, key: str) -> None:
        self.lw.open_activity(int(key))

    @on(Input.Submitted, "#days")
    def _days(self, event: Input.Submitted) -> None:
        try:
            self.days = normalise_weekdays(event.value)
        except ValidationError as exc:
            self.notify(f"Days: {exc}", severity="error", markup=False)
            return
        self.reload()
        self.query_one(DataTable).focus()

    def action_focus_days(self) -> None:
        self.query_one("#days", Input).focus()

    def action_pick(self) -> None:
        current = self._current_id()
        if current is None:
            return
        if current in self.picked:
            self.picked.remove(current)
        else:
            self.picked.append(current)
        row = self.query_one(DataTable).cursor_row
        self.reload()
        self.query_one(DataTable).move_cursor(
            row=min(row + 1, max(0, self.query_one(DataTable).row_count - 1))
        )

    def action_connect(self) -> None:
        from linkworker.tui.screens.connections import ConnectScreen

        current = self._current_id()
        if current is not None:
            self.app.push_screen(ConnectScreen(self.person_id, current))

    def action_shortlist(self) -> None:
        chosen = self.picked or ([c] if (c := self._current_id()) is not None else [])
        self.app.push_screen(ShortlistScreen(self.person_id, list(chosen)))


class ShortlistScreen(LinkWorkerScreen, guide="shortlist"):
    """A shortlist of activities to hand over, previewed as it will print."""

    def __init__(self, person_id: int, activity_ids: list[int]) -> None:
        super().__init__()
        self.person_id = person_id
        self.activity_ids = list(dict.fromkeys(activity_ids))

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(id="shortlist", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="shortlist-preview"):
            yield Static(id="shortlist-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        show_table(self.query_one(DataTable), {"name": "On the shortlist", "when": "When"})

    @property
    def person_name(self) -> str:
        return directory.person_context(self.db, self.person_id, self.clock.today()).name

    @property
    def reading(self) -> Reading:
        """How the person reads it: large print or easy read when their needs say so."""
        return information_needs.recorded_needs(self.db, self.person_id).reading

    def reload(self) -> None:
        """Show the chosen activities and the text as it will be written."""
        self.sub_title = literal(f"for {self.person_name} · {self.reading.words()}")
        table = self.query_one(DataTable)
        table.clear()
        for activity_id in self.activity_ids:
            row = directory.get_activity(self.db, activity_id)
            table.add_row(
                plain(row["name"]), plain(row["schedule_text"] or ""), key=str(activity_id)
            )
        preview = self.query_one("#shortlist-text", Static)
        if not self.activity_ids:
            preview.update("Nothing on the shortlist yet: a adds an activity.")
            return
        preview.update(multiline(self.text("text")))

    def text(self, style: HandoutStyle) -> str:
        """The shortlist, from the core, as the person's needs say it is to be read."""
        return directory.shortlist_document(
            self.db,
            self.activity_ids,
            for_name=self.person_name,
            today=self.clock.today(),
            style=style,
            reading=self.reading,
            signed=self.lw.settings.sign_off(),
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add(self) -> None:
        from linkworker.tui.screens.connections import ActivityPickerScreen

        def picked(activity_id: int | None) -> None:
            if activity_id is not None and activity_id not in self.activity_ids:
                self.activity_ids.append(activity_id)
                self.reload()

        self.app.push_screen(ActivityPickerScreen(self.person_id), picked)

    def action_remove(self) -> None:
        key = highlighted_key(self.query_one(DataTable))
        if key is not None:
            self.activity_ids.remove(int(key))
            self.reload()

    def action_write(self) -> None:
        if not self.activity_ids:
            self.notify("Add an activity first (a).", severity="warning", markup=False)
            return
        name = "".join(c for c in self.person_name.lower() if c.isalnum()) or "person"
        # The exports folder beside the store, as for every other file written from the app.
        folder = default_export_dir(self.lw.store_path)
        # A page in their point size prints in large print; plain text is for a standard one.
        ending = "txt" if self.reading.standard else "html"
        default = folder / f"shortlist-{name}-{self.clock.today().isoformat()}.{ending}"
        self.app.push_screen(SaveShortlistScreen(self, default))


class SaveShortlistScreen(WriteFileDialog[Path], guide="save_shortlist"):
    """Where to write the shortlist, in which format; never replaces a file without asking."""

    SAVE_LABEL = "Write"

    def __init__(self, shortlist: ShortlistScreen, default: Path) -> None:
        super().__init__()
        self.shortlist = shortlist
        self.default = default

    def compose_fields(self) -> ComposeResult:
        yield field_row("path", "File", Input(str(self.default), id="path", compact=True))
        yield choice_row(
            "format",
            "Format",
            [
                ("Plain text (print it)", "text"),
                ("Markdown", "markdown"),
                ("Printable page (HTML)", "html"),
            ],
            style_of(self.default),
        )

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        typed = Path(event.value.strip())
        if typed.suffix.lower() in (".md", ".markdown", ".html", ".htm"):
            self.query_one("#format", Select).value = style_of(typed)
        self.path_edited()
        self.warn([])

    def write(self, *, replace: bool) -> None:
        """Write the file; an existing one only with ``replace`` once it was shown."""
        try:
            path = file_path(self.query_one("#path", Input).value, "path", self.default.parent)
        except FormError as exc:
            self.show_exception(exc)
            return
        chosen = self.query_one("#format", Select).value
        style: HandoutStyle = chosen if chosen in ("markdown", "html") else "text"
        overwrite = self.overwrite(path, replace=replace)
        if overwrite is None:
            return
        try:
            written = writer.write_files(
                [(path, self.shortlist.text(style).encode("utf-8"))],
                force=overwrite,
                make_folders=path.parent == self.default.parent,
            )[0]
        except writer.ExportError as exc:
            self.show_errors({"path": f"not written: {exc}"})
            return
        self.notify(f"Wrote the shortlist to {written}.", title="Shortlist", markup=False)
        self.saved(written)
