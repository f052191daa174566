"""Dialogs for the link worker's own edits of the directory: the activity form, private
notes, and a confirmation before anything is retired."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import ValidationError as PydanticValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from linkworker import directory
from linkworker.display import literal
from linkworker.models import ActivityDetails, field_errors
from linkworker.tui.screens.base import LinkWorkerModal
from linkworker.tui.widgets.text import multiline
from linkworker.validation import WEEKDAY_NAMES

#: (field, label, placeholder) in the order of the form.
FIELDS: list[tuple[str, str, str]] = [
    ("name", "Name *", "e.g. Knit and Natter"),
    ("organisation", "Organisation", "who runs it"),
    ("description", "What it is", "a sentence or two, in plain words"),
    ("categories", "Categories", "comma-separated, e.g. Befriending, Arts and music"),
    ("venue", "Venue", "e.g. St Mark's Church Hall"),
    ("address", "Address", "street"),
    ("town", "Town", ""),
    ("postcode", "Postcode", "e.g. HV2 4AB"),
    ("days", "Days", "e.g. Tue, Thu"),
    ("opens_at", "Opens", "HH:MM, e.g. 10:00"),
    ("closes_at", "Closes", "HH:MM, e.g. 12:00"),
    ("schedule_note", "When (words)", "e.g. term time only; first Thursday of the month"),
    ("cost", "Cost", "e.g. £2 a session, tea included"),
    ("is_free", "Free?", ""),
    ("eligibility", "Who for", "e.g. carers of someone with dementia"),
    ("min_age", "Minimum age", "years"),
    ("max_age", "Maximum age", "years"),
    ("languages", "Languages", "comma-separated"),
    ("accessibility", "Access", "e.g. step-free, hearing loop"),
    ("contact_name", "Contact", "who to ask for"),
    ("phone", "Phone", "e.g. 01632 960123"),
    ("email", "Email", ""),
    ("url", "Web", "e.g. www.example.org"),
    ("alert", "Alert", "anything urgent, e.g. closed in August"),
    ("status", "Status", ""),
]
STATUSES = [
    ("Active", "active"),
    ("Temporarily closed", "temporarily closed"),
    ("Inactive", "inactive"),
    ("Defunct", "defunct"),
]
FREE = [("Free", "yes"), ("Charges apply", "no")]


def _shown(name: str, value: Any) -> str:
    """A stored value as the text a form field shows."""
    if value is None:
        return ""
    if name == "days":
        return ", ".join(WEEKDAY_NAMES[d][:3] for d in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class ActivityFormScreen(LinkWorkerModal):
    """Add an activity by hand, or edit one. Dismisses with the activity's id (or None)."""

    HELP = (
        "Fill in what you know; only the name is required. Times are 24-hour HH:MM and "
        "need the days they apply to. Ctrl+S saves, Esc cancels. An imported activity's "
        "fields are replaced the next time its feed is imported: keep your own remarks "
        "in its private notes."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="activity_form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="activity_form.cancel"),
    ]

    class Saved(Message):
        """An activity was added or edited by hand."""

        def __init__(self, activity_id: int, added: bool) -> None:
            super().__init__()
            self.activity_id = activity_id
            self.added = added

    def __init__(self, activity_id: int | None) -> None:
        super().__init__()
        self.activity_id = activity_id
        self.origin = "hand"

    def compose(self) -> ComposeResult:
        title = "New activity" if self.activity_id is None else "Edit activity"
        with Vertical(classes="dialog activity-form"):
            yield Static(title, classes="dialog-title")
            yield Static(id="form-errors", classes="form-errors")
            with VerticalScroll(id="form-fields"):
                for name, text, placeholder in FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(text, classes="form-label")
                        if name == "status":
                            yield Select(
                                STATUSES, value="active", allow_blank=False, id=name, compact=True
                            )
                        elif name == "is_free":
                            yield Select(FREE, prompt="Not known", id=name, compact=True)
                        elif name == "description":
                            yield TextArea(id=name, compact=True, classes="form-text")
                        else:
                            yield Input(placeholder=placeholder, id=name, compact=True)
                    yield Static(id=f"{name}-error", classes="field-error")
            yield Static(id="form-hint", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            static.display = False
        self.query_one("#form-errors", Static).display = False
        hint = "Ctrl+S saves · Esc cancels · * is required"
        if self.activity_id is not None:
            row = directory.get_activity(self.db, self.activity_id)
            self.origin = row["origin"]
            values = directory.details_of(row)
            for name, _, _ in FIELDS:
                value = values.get(name)
                if name == "status":
                    self.query_one(f"#{name}", Select).value = value or "active"
                elif name == "is_free":
                    if value is not None:
                        self.query_one(f"#{name}", Select).value = "yes" if value else "no"
                elif name == "description":
                    self.query_one(f"#{name}", TextArea).text = value or ""
                else:
                    self.query_one(f"#{name}", Input).value = _shown(name, value)
            if self.origin == "import":
                hint += (
                    " · Imported: its next import replaces these fields; your notes, "
                    "favourite and verification are kept"
                )
        self.query_one("#form-hint", Static).update(hint)
        self.query_one("#name", Input).focus()

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, _, _ in FIELDS:
            if name in ("status", "is_free"):
                chosen = self.query_one(f"#{name}", Select).value
                if name == "is_free":
                    values[name] = None if chosen is Select.NULL else chosen == "yes"
                else:
                    values[name] = chosen
            elif name == "description":
                values[name] = self.query_one(f"#{name}", TextArea).text
            else:
                values[name] = self.query_one(f"#{name}", Input).value
        return values

    def _show_errors(self, errors: dict[str, str]) -> None:
        labels = {name: text.rstrip(" *") for name, text, _ in FIELDS}
        first = None
        for name, _, _ in FIELDS:
            box = self.query_one(f"#{name}-error", Static)
            if name in errors:
                box.update(multiline(f"↑ {errors[name]}"))
                box.display = True
                first = first or name
            else:
                box.display = False
        summary = self.query_one("#form-errors", Static)
        lines = [f"{labels.get(k, k or 'form')}: {msg}" for k, msg in errors.items()]
        summary.update(multiline("Not saved: " + "; ".join(lines)))
        summary.display = True
        if first:
            self.query_one(f"#{first}").focus()

    def action_save(self) -> None:
        try:
            details = ActivityDetails.model_validate(self._values())
        except PydanticValidationError as exc:
            self._show_errors(field_errors(exc))
            return
        try:
            if self.activity_id is None:
                activity_id = directory.add_activity(self.db, details, self.clock)
                added = True
            else:
                directory.update_activity(self.db, self.activity_id, details, self.clock)
                activity_id, added = self.activity_id, False
        except (directory.DirectoryError, LookupError) as exc:
            self._show_errors({"": str(exc)})
            return
        self.post_message(self.Saved(activity_id, added))
        self.notify(
            literal(f"{details.name}: {'added' if added else 'saved'}."),
            title="Directory",
            markup=False,
        )
        self.dismiss(activity_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class NotesScreen(LinkWorkerModal):
    """The link worker's private notes on an activity ("ask for Sue on Tuesdays")."""

    HELP = "Private notes: only you see them, and they are never exported unless you ask."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="notes.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="notes.cancel"),
    ]

    def __init__(self, activity_id: int) -> None:
        super().__init__()
        self.activity_id = activity_id

    def compose(self) -> ComposeResult:
        row = directory.get_activity(self.db, self.activity_id)
        with Vertical(classes="dialog"):
            yield Static(multiline(f"Your private notes: {row['name']}"), classes="dialog-title")
            yield TextArea(row["notes"] or "", id="notes-text", classes="notes-text")
            yield Static(id="notes-error", classes="field-error")
            yield Static(
                "Only you see these; imports never change them. Ctrl+S saves, Esc cancels.",
                classes="hint",
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#notes-error", Static).display = False
        self.query_one("#notes-text", TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one("#notes-text", TextArea).text
        try:
            directory.set_notes(self.db, self.activity_id, text, self.clock)
        except directory.DirectoryError as exc:
            error = self.query_one("#notes-error", Static)
            error.update(str(exc))
            error.display = True
            return
        self.notify("Notes saved.", markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


class ConfirmScreen(LinkWorkerModal):
    """Ask before doing something that takes effect at once. Dismisses True to go ahead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
    ]

    def __init__(self, title: str, body: str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(multiline(self.body), id="confirm-body")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.confirm, id="confirm", variant="error")

    def on_mount(self) -> None:
        # Focus starts on Cancel: Enter alone never confirms.
        self.query_one("#cancel", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)
