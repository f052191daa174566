"""Dialogs for the link worker's own edits of the directory: the activity form and private
notes (retiring asks with a :class:`~linkworker.tui.dialogs.ConfirmDialog`)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as PydanticValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from linkworker import directory
from linkworker.display import literal
from linkworker.models import ActivityDetails
from linkworker.tui.dialogs import FormDialog, field_row
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.widgets.text import filled
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
        return ", ".join(filled(v) for v in value)
    return filled(value)


def _control(name: str, placeholder: str) -> Widget:
    """The control for one field of the activity form."""
    if name == "status":
        return Select(STATUSES, value="active", allow_blank=False, id=name, compact=True)
    if name == "is_free":
        return Select(FREE, prompt="Not known", id=name, compact=True)
    if name == "description":
        return TextArea(id=name, compact=True, classes="short")
    return Input(placeholder=placeholder, id=name, compact=True)


class ActivityFormScreen(FormDialog[int], guide="activity_form"):
    """Add an activity by hand, or edit one. Dismisses with the activity's id (or None)."""

    def __init__(self, activity_id: int | None) -> None:
        super().__init__()
        self.activity_id = activity_id
        self.origin = "hand"

    def heading(self) -> Text:
        return Text("New activity" if self.activity_id is None else "Edit activity")

    def compose_fields(self) -> ComposeResult:
        for name, text, placeholder in FIELDS:
            yield field_row(name, text, _control(name, placeholder))
        yield Static(id="form-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        hint = "Ctrl+S saves · Esc cancels · * is required"
        if self.activity_id is not None:
            row = directory.get_activity(self.db, self.activity_id)
            self.origin = row["origin"]
            self._fill(directory.details_of(row))
            if self.origin == "import":
                hint += (
                    " · Imported: its next import replaces these fields; your notes, "
                    "favourite and verification are kept"
                )
        self.query_one("#form-hint", Static).update(Text(hint))
        super().on_mount()

    def _fill(self, values: dict[str, Any]) -> None:
        for name, _, _ in FIELDS:
            value = values.get(name)
            if name == "status":
                self.query_one(f"#{name}", Select).value = value or "active"
            elif name == "is_free":
                if value is not None:
                    self.query_one(f"#{name}", Select).value = "yes" if value else "no"
            elif name == "description":
                self.query_one(f"#{name}", TextArea).text = filled(value, lines=True)
            else:
                self.query_one(f"#{name}", Input).value = _shown(name, value)

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

    def save(self) -> None:
        try:
            details = ActivityDetails.model_validate(self._values())
            if self.activity_id is None:
                activity_id = directory.add_activity(self.db, details, self.clock)
                added = True
            else:
                directory.update_activity(self.db, self.activity_id, details, self.clock)
                activity_id, added = self.activity_id, False
        except (PydanticValidationError, directory.DirectoryError, LookupError) as exc:
            self.show_exception(exc)
            return
        self.app.post_message(CaseloadChanged())
        self.notify(
            literal(f"{details.name}: {'added' if added else 'saved'}."),
            title="Directory",
            markup=False,
        )
        self.saved(activity_id)


class NotesScreen(FormDialog[bool], guide="notes"):
    """The link worker's private notes on an activity ("ask for Sue on Tuesdays")."""

    def __init__(self, activity_id: int) -> None:
        super().__init__()
        self.activity_id = activity_id

    def heading(self) -> Text:
        row = directory.get_activity(self.db, self.activity_id)
        return Text(literal(f"Your private notes: {row['name']}"))

    def compose_fields(self) -> ComposeResult:
        row = directory.get_activity(self.db, self.activity_id)
        yield field_row(
            "notes-text",
            "Notes",
            TextArea(
                filled(row["notes"], lines=True), id="notes-text", compact=True, classes="long"
            ),
            hint="Only you see these; imports never change them.",
        )

    def save(self) -> None:
        text = self.query_one("#notes-text", TextArea).text
        try:
            directory.set_notes(self.db, self.activity_id, text, self.clock)
        except directory.DirectoryError as exc:
            self.show_errors({"notes-text": str(exc)})
            return
        self.notify("Notes saved.", markup=False)
        self.saved(True)
