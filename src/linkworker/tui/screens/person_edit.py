"""The person's details (shared by intake and edit), the change history, and flags."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from linkworker import people
from linkworker.corrections import shown
from linkworker.display import label, literal, short_date
from linkworker.errors import CaseloadError
from linkworker.models import (
    FLAG_SYMBOLS,
    ContactPreference,
    EthnicGroup,
    Ethnicity,
    FlagDetails,
    FlagKind,
    PersonDetails,
    Sex,
)
from linkworker.store import audit
from linkworker.tui.dialogs import (
    ConfirmDialog,
    FormDialog,
    MessageDialog,
    choice_row,
    field_row,
    text_row,
)
from linkworker.tui.widgets.tables import RowTable
from linkworker.tui.widgets.text import filled, plain
from linkworker.validation import doubtful_dates, format_date, format_nhs_number

YES_NO = [("Yes", "yes"), ("No", "no")]

#: The person fields the edit form shows: the model's, in its order, but for the Census
#: heading ("ethnicity"), which only records made before the 19 groups hold.
ALL_PERSON_FIELDS = tuple(name for name in PersonDetails.model_fields if name != "ethnicity")
#: The person fields on the edit form only.
EDIT_ONLY_FIELDS = (
    "preferred_contact",
    "communication_needs",
    "consent_to_share_gp",
    "consent_date",
)
#: The person fields the intake form asks for.
INTAKE_PERSON_FIELDS = tuple(name for name in ALL_PERSON_FIELDS if name not in EDIT_ONLY_FIELDS)


def _shown(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in ("date_of_birth", "consent_date"):
        return format_date(str(value), "numeric")
    if name == "nhs_number":
        return format_nhs_number(str(value))
    return filled(value)


def person_field_rows(names: tuple[str, ...], person: dict[str, Any] | None = None) -> list[Any]:
    """Field rows for a person's details, filled from ``person`` (a people row) when editing."""
    p = person or {}

    def text(name: str, title: str, placeholder: str = "", hint: str = "") -> Horizontal:
        return text_row(name, title, _shown(name, p.get(name)), placeholder, hint=hint)

    def choice(
        name: str, title: str, options: list[tuple[str, str]], prompt: str, hint: str = ""
    ) -> Horizontal:
        current = p.get(name)
        if name == "consent_to_share_gp" and current is not None:
            current = "yes" if current else "no"
        select: Select[str] = Select(
            options,
            prompt=prompt,
            value=current if current in {v for _, v in options} else Select.NULL,
            id=name,
            compact=True,
        )
        return field_row(name, title, select, hint)

    makers: dict[str, Callable[[], Horizontal]] = {
        "given_name": lambda: text("given_name", "Given name *"),
        "family_name": lambda: text("family_name", "Family name *"),
        "preferred_name": lambda: text("preferred_name", "Preferred name"),
        "date_of_birth": lambda: text("date_of_birth", "Date of birth", "dd/mm/yyyy"),
        "nhs_number": lambda: text("nhs_number", "NHS number", "e.g. 943 476 5919"),
        "sex": lambda: choice("sex", "Sex", Sex.choices(), "Not recorded"),
        "ethnic_group": lambda: choice(
            "ethnic_group",
            "Ethnic group",
            EthnicGroup.choices(),
            "Not recorded",
            _heading_only_hint(p),
        ),
        "phone": lambda: text("phone", "Phone", "e.g. 07700 900123"),
        "email": lambda: text("email", "Email"),
        "address": lambda: text("address", "Address"),
        "postcode": lambda: text("postcode", "Postcode", "e.g. HV1 2AB"),
        "preferred_contact": lambda: choice(
            "preferred_contact", "Prefers contact by", ContactPreference.choices(), "No preference"
        ),
        "gp_practice": lambda: text("gp_practice", "GP practice"),
        "communication_needs": lambda: field_row(
            "communication_needs",
            "Communication needs",
            TextArea(
                filled(p.get("communication_needs"), lines=True),
                id="communication_needs",
                classes="short",
            ),
        ),
        "consent_to_share_gp": lambda: choice(
            "consent_to_share_gp", "Consent to share with GP", YES_NO, "Not recorded"
        ),
        "consent_date": lambda: text("consent_date", "Consent given on", "dd/mm/yyyy"),
    }
    return [makers[name]() for name in names]


def _heading_only_hint(person: dict[str, Any]) -> str:
    # Records made before the 19 groups were asked hold the Census heading only.
    if person.get("ethnicity") and not person.get("ethnic_group"):
        heading = label(Ethnicity, person["ethnicity"])
        return f"Recorded before as {heading} (heading only); choose a group to replace it."
    return ""


def ask_if_doubtful(
    form: FormDialog[Any], doubts: dict[str, str], go_ahead: Callable[[], None]
) -> None:
    """Go ahead at once, or first ask "are you sure?" about dates that are seldom true.

    ``doubts`` is :func:`~linkworker.validation.doubtful_dates`. The question opens on
    "Check the date" (No), so Enter alone never saves an unlikely date; No puts the focus
    on the first doubtful field.
    """
    if not doubts:
        go_ahead()
        return
    lines = [f"{why[0].upper()}{why[1:]}." for why in doubts.values()]

    def answered(sure: bool | None) -> None:
        if sure:
            go_ahead()
            return
        form.query_one(f"#{next(iter(doubts))}").focus()
        form.say("Nothing saved yet: check the date, then save again.")

    form.app.push_screen(
        ConfirmDialog(
            "Are you sure?",
            "\n".join([*lines, "", "Save it as typed?"]),
            yes="Save as typed",
            no="Check the date",
        ),
        answered,
    )


class PersonEditScreen(FormDialog[list[str]], guide="person_edit"):
    """Edit a person's details, with the same validation as intake; changes are audited."""

    SAVE_LABEL = "Save changes"
    FIELDS = ALL_PERSON_FIELDS

    def __init__(self, person_id: int, *, review: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.person_id = person_id
        #: Fields a referral gave differently, for the worker to check (intake's "same person").
        self.review = review

    def heading(self) -> Text:
        p = people.get_person(self.db, self.person_id)
        return Text("Edit details: ") + plain(f"{p['given_name']} {p['family_name']}")

    def subtitle(self) -> str:
        if not self.review:
            return ""
        fields = " and ".join(name.replace("_", " ") for name in self.review)
        return f"The referral gave a different {fields}: check them and put right what is wrong."

    def compose_fields(self) -> ComposeResult:
        person = people.get_person(self.db, self.person_id)
        yield from person_field_rows(ALL_PERSON_FIELDS, dict(person))

    def save(self) -> None:
        person = people.get_person(self.db, self.person_id)
        values = self.values()
        if "ethnic_group" not in values and person["ethnicity"]:
            values["ethnicity"] = person["ethnicity"]  # a heading-only record keeps it
        try:
            details = PersonDetails.model_validate(values, context={"today": self.clock.today()})
        except ValidationError as exc:
            self.show_exception(exc)
            return
        born = details.date_of_birth
        doubts = {}
        if born is not None and born.isoformat() != person["date_of_birth"]:
            doubts = doubtful_dates(self.clock.today(), date_of_birth=born)
        ask_if_doubtful(self, doubts, lambda: self._update(details))

    def _update(self, details: PersonDetails) -> None:
        self.save_with(
            lambda: sorted(people.update_person(self.db, self.person_id, details, self.clock)),
            refused=(CaseloadError,),
        )


# --- Change history -------------------------------------------------------------------------

TABLE_WORDS = {
    "people": "details",
    "referrals": "referral",
    "contacts": "contact",
    "flags": "flag",
    "conversations": "conversation",
    "goals": "goal",
    "actions": "action",
    "measures": "measure",
    "connections": "connection",
    "followups": "follow-up",
    "information_needs": "communication needs",
    "plan_signoffs": "plan sign-off",
}

ACTION_WORDS = {"insert": "added", "delete": "deleted"}


def history_cells(row: dict[str, Any]) -> tuple[Text, Text, Text, Text, Text]:
    """One audit row as the history shows it: values as the form showed them, and why."""
    table_name = str(row["table_name"])
    record = f"{TABLE_WORDS.get(table_name, table_name)} {row['record_id']}"
    field = str(row["field"] or "")
    if field == "entered_in_error_at" and row["action"] == "update":
        change = Text("Struck out (entered in error)", style="strike")
    elif row["action"] == "update":
        old = literal(shown(table_name, field, row["old"])) or "(blank)"
        new = literal(shown(table_name, field, row["new"])) or "(blank)"
        change = plain(f"{old} → {new}")
    else:
        change = Text(ACTION_WORDS.get(row["action"], row["action"]))
    why = " · ".join(str(x) for x in (row.get("reason"), row.get("worker")) if x)
    return (
        Text(f"{short_date(row['at'])} {row['at'][11:16]}"),
        plain(record),
        plain(field.replace("_", " ")),
        change,
        plain(why),
    )


class HistoryScreen(MessageDialog, guide="history"):
    """Every change to the person's record, from the audit trail, newest first."""

    def __init__(self, person_id: int) -> None:
        super().__init__(self.TITLE, "")
        self.person_id = person_id

    def compose_body(self) -> ComposeResult:
        yield RowTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="history-count", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "Record", "Field", "Change", "Why")
        rows = audit.history(self.db, self.person_id)
        for row in rows:
            table.add_row(*history_cells(row))
        self.query_one("#history-count", Static).update(
            f"{len(rows)} change{'s' if len(rows) != 1 else ''}.  Esc closes."
        )
        table.focus()


# --- Flags ------------------------------------------------------------------------------------


class FlagsScreen(FormDialog[list[tuple[int, bool]]], guide="flags"):
    """The person's open flags: clear one, or raise a new one."""

    SAVE_LABEL = "Raise flag"
    CANCEL_LABEL = "Close"
    FIELDS = ("kind", "note")
    DISCARD_QUESTION = "The flag you started has not been raised. Discard it?"

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.changes: list[tuple[int, bool]] = []

    def compose_fields(self) -> ComposeResult:
        yield Static("Open flags", classes="form-section")
        yield Static("None open.", id="flags-empty")
        yield RowTable(id="flags-table", cursor_type="row")
        yield Button("Clear the highlighted flag (Del)", id="clear-flag", compact=True)
        yield Static("Raise a flag:", classes="form-section")
        yield choice_row("kind", "Kind *", FlagKind.choices(), prompt="Choose")
        yield text_row("note", "Note")

    def on_mount(self) -> None:
        table = self.query_one("#flags-table", DataTable)
        table.add_columns("Flag", "Raised", "Note")
        self._fill()
        super().on_mount()
        if table.row_count:
            # Open on the first flag (safeguarding leads), ready to read or clear.
            table.move_cursor(row=0)
            table.focus()

    def _fill(self) -> None:
        table = self.query_one("#flags-table", DataTable)
        table.clear()
        for flag in people.open_flags(self.db, self.person_id):
            table.add_row(
                Text(label(FlagKind, flag["kind"])),
                Text(short_date(flag["raised_on"])),
                plain(flag["note"] or ""),
                key=str(flag["id"]),
            )
        empty = table.row_count == 0
        self.query_one("#clear-flag", Button).display = not empty
        self.query_one("#flags-empty").display = empty
        table.display = not empty

    def save(self) -> None:
        try:
            details = FlagDetails.model_validate(self.values())
            flag_id = people.add_flag(self.db, self.person_id, details, self.clock)
        except ValidationError as exc:
            self.show_exception(exc)
            return
        self.changes.append((flag_id, True))
        self.query_one("#note", Input).value = ""
        self.query_one("#kind", Select).clear()
        self._fill()
        self.call_after_refresh(self.remember_values)
        self.say(f"{details.kind.label} flag raised.")

    def action_clear_flag(self) -> None:
        table = self.query_one("#flags-table", DataTable)
        if table.row_count == 0:
            self.say("There are no open flags to clear.")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return
        flag = next(f for f in people.open_flags(self.db, self.person_id) if f["id"] == int(key))
        self.app.push_screen(ClearFlagDialog(flag), partial(self._cleared, flag))

    def _cleared(self, flag: people.FlagRow, reason: str | None) -> None:
        if reason is None:
            self.say("The flag is still open.")
            return
        self.changes.append((int(flag["id"]), False))
        self._fill()
        kept = f" with the reason \u201c{reason}\u201d" if reason else ""
        self.say(f"{label(FlagKind, flag['kind'])} flag cleared; it stays in the history{kept}.")

    def button_pressed(self, button_id: str) -> None:
        if button_id == "clear-flag":
            self.action_clear_flag()
        else:
            super().button_pressed(button_id)

    def closed_without_saving(self) -> list[tuple[int, bool]]:
        """The flags raised and cleared: each was saved as it was done."""
        return self.changes


class ClearFlagDialog(FormDialog[str], guide="clear_flag"):
    """ "Clear this flag?": why, then Clear (never focused first); dismisses the reason given.

    A safeguarding or lone-working flag needs a reason (the core refuses a blank one); the
    flag and the reason stay on record. Esc keeps the flag open.
    """

    SAVE_LABEL = "Clear the flag"
    SAVE_DANGER = True
    CANCEL_LABEL = "Keep it open"
    FIELDS = ("reason",)

    def __init__(self, flag: people.FlagRow) -> None:
        super().__init__()
        self.flag = flag
        self.needs_reason = flag["kind"] in people.REASON_TO_CLEAR

    def heading(self) -> Text:
        return Text(f"Clear the {label(FlagKind, self.flag['kind']).lower()} flag?")

    def compose_fields(self) -> ComposeResult:
        note = f": {self.flag['note']}" if self.flag["note"] else ""
        raised = short_date(self.flag["raised_on"])
        yield Static(
            plain(f"{FLAG_SYMBOLS[self.flag['kind']]}, raised {raised}{note}"),
            id="clear-flag-what",
        )
        title = "Why it is cleared *" if self.needs_reason else "Why it is cleared"
        yield text_row("reason", title)

    def save(self) -> None:
        reason = str(self.value("reason") or "")

        def clear() -> str:
            people.clear_flag(self.db, int(self.flag["id"]), self.clock, reason=reason)
            return reason.strip()

        self.save_with(clear, refused=(CaseloadError, LookupError))
