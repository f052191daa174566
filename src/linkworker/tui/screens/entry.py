"""One timeline entry opened: the whole of it and its history; correct it or strike it out.

Enter on the person screen's timeline opens :class:`EntryDialog`. From there ``e`` opens
:class:`CorrectEntryDialog` (the entry's fields, filled in, with a reason) and ``x``
:class:`StrikeOutDialog` (a reason, with Cancel as the safe choice). :class:`ReopenDialog`
undoes a referral's closing decision. Every change goes through linkworker.corrections.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static, TextArea

from linkworker import corrections
from linkworker.display import label, literal
from linkworker.models import (
    AttemptOutcome,
    ContactMode,
    DischargeReason,
    Initiator,
    Labelled,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from linkworker.tui.dialogs import FormDialog, MessageDialog, field_row, text_row
from linkworker.tui.dialogs.form import FormError, date_field, whole_number
from linkworker.tui.widgets.text import plain

#: The fields a correction may change, per table, in the order the form shows them.
EDITABLE: dict[str, tuple[str, ...]] = {
    "contacts": ("contact_at", "mode", "outcome", "duration_minutes", "initiated_by", "note"),
    "referrals": (
        "received_on",
        "source",
        "referrer_name",
        "referrer_organisation",
        "urgency",
        "reason",
    ),
    "conversations": ("held_on", "what_matters", "strengths", "barriers_note"),
    "goals": ("description", "set_on", "review_on"),
    "goal_reviews": ("reviewed_on", "note"),
    "actions": ("description", "owner_name", "due_on", "done_on"),
    "measures": ("taken_on",),
    "connections": ("suggested_on", "referred_on", "attended_on", "stopped_on", "feedback"),
    "followups": ("due_on", "due_time", "duration_minutes", "location", "purpose"),
    "flags": ("note", "raised_on", "cleared_on"),
    "gaps": ("recorded_on", "note"),
}
_CHOICES: dict[str, type[Labelled]] = {
    "mode": ContactMode,
    "outcome": AttemptOutcome,
    "initiated_by": Initiator,
    "source": ReferralSource,
    "urgency": Urgency,
    "discharge_reason": DischargeReason,
}
_NUMBERS = frozenset({"duration_minutes"})
_LONG = frozenset({"note", "what_matters", "strengths", "barriers_note", "feedback", "reason"})
#: Fields that are never shown in the detail view (ties and bookkeeping).
_HIDDEN = frozenset({"id", "person_id", "referral_id", "goal_id", "followup_id", "contact_id"})


def _words(field: str) -> str:
    text = field.replace("_", " ")
    return text[:1].upper() + text[1:]


def entry_text(entry: corrections.Entry, trail: list[dict[str, Any]]) -> Text:
    """The whole entry, field by field as the forms show them, then its history."""
    out = Text()
    if entry.struck_out:
        out.append("Entered in error", style="bold reverse")
        out.append(f": {literal(entry.row.get('entered_in_error_reason') or '')}\n\n")
    for field, value in entry.row.items():
        if field in _HIDDEN or field.startswith("entered_in_error") or field == "person_id":
            continue
        words = corrections.shown(entry.table, field, value)
        if not words:
            continue
        out.append(f"{_words(field)}: ", style="bold")
        out.append(
            literal(words, single_line=False) + "\n", style="strike" if entry.struck_out else ""
        )
    out.append("\nHistory\n", style="bold")
    for row in trail:
        when = corrections.shown("audit", "at", row["at"])
        field = str(row["field"] or "")
        if row["action"] == "insert":
            change = "recorded"
        elif field == "entered_in_error_at":
            change = "struck out (entered in error)"
        else:
            old = corrections.shown(entry.table, field, row["old"]) or "(blank)"
            new = corrections.shown(entry.table, field, row["new"]) or "(blank)"
            change = f"{field.replace('_', ' ')}: {old} → {new}"
        why = " · ".join(str(x) for x in (row.get("reason"), row.get("worker")) if x)
        out.append(literal(f"{when}  {change}" + (f"  ({why})" if why else "")) + "\n")
    return out


class EntryDialog(MessageDialog, guide="entry"):
    """One entry of the timeline: all of it, its history; e corrects, x strikes out."""

    def __init__(self, table: str, record_id: int) -> None:
        super().__init__("Entry", "")
        self.table = table
        self.record_id = record_id

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="entry-scroll"):
            yield Static(id="entry-body")
        yield Static(
            Text("e correct  ·  x strike out (entered in error)  ·  Esc close"),
            classes="dialog-hint",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.show_entry()

    def show_entry(self) -> None:
        """Read the entry and its audit trail again and show them."""
        entry = corrections.get_entry(self.db, self.table, self.record_id)
        trail = list(
            self.db.query(
                "SELECT * FROM audit WHERE table_name = ? AND record_id = ? ORDER BY at, id",
                [self.table, self.record_id],
            )
        )
        self.query_one("#entry-body", Static).update(entry_text(entry, trail))
        self.query_one("#dialog-title", Static).update(
            Text(f"{corrections.ENTRY_WORDS[self.table].capitalize()} {self.record_id}")
        )

    def _done(self, result: str | None) -> None:
        if result:
            self.notify(result, markup=False)
            self.show_entry()
            self.changed = True

    changed = False

    def action_correct(self) -> None:
        """Correct the entry in a form filled in with what it holds."""
        self.app.push_screen(CorrectEntryDialog(self.table, self.record_id), self._done)

    def action_strike_out(self) -> None:
        """Mark the entry entered in error, with a reason."""
        self.app.push_screen(StrikeOutDialog(self.table, self.record_id), self._done)

    def close(self) -> None:
        self.dismiss(None)


def _shown_for_editing(table: str, field: str, value: object) -> str:
    if value is None:
        return ""
    if field == "contact_at":
        try:
            return datetime.fromisoformat(str(value)).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return str(value)
    if field.endswith("_on"):
        return corrections.shown(table, field, value)
    return str(value)


class _EntryForm(FormDialog[str]):
    """A form about one timeline entry: the row ``record_id`` of ``table``. Dismisses with
    a line saying what was done."""

    def __init__(self, table: str, record_id: int) -> None:
        super().__init__()
        self.table = table
        self.record_id = record_id

    @property
    def entry_words(self) -> str:
        """What the entry is, in words: "contact", "referral"."""
        return corrections.ENTRY_WORDS[self.table]


class CorrectEntryDialog(_EntryForm, guide="correct_entry"):
    """The entry's fields, filled in; what is changed is saved with the reason."""

    def heading(self) -> str:
        return f"Correct {self.entry_words} {self.record_id}"

    def compose_fields(self) -> ComposeResult:
        entry = corrections.get_entry(self.db, self.table, self.record_id)
        for field in EDITABLE[self.table]:
            if field not in entry.row:
                continue
            value = entry.row[field]
            enum = _CHOICES.get(field)
            control: Input | Select[str] | TextArea
            if enum is not None:
                control = Select(
                    [(member.label, member.value) for member in enum],
                    value=value if value else Select.NULL,
                    id=field,
                    compact=True,
                )
            elif field in _LONG:
                control = TextArea(str(value or ""), id=field, compact=True)
            else:
                control = Input(
                    _shown_for_editing(self.table, field, value), id=field, compact=True
                )
            hint = "23/11/2026 10:30" if field == "contact_at" else ""
            hint = "23/11/2026" if field.endswith("_on") else hint
            yield field_row(field, _words(field), control, hint)
        yield text_row(
            "correction_reason", "Why", hint="needed when the entry was saved more than a day ago"
        )

    def _changes(self) -> dict[str, object]:
        entry = corrections.get_entry(self.db, self.table, self.record_id)
        changes: dict[str, object] = {}
        for field in EDITABLE[self.table]:
            if field not in entry.row:
                continue
            typed = self.value(field)
            new: object = typed
            if field == "contact_at":
                new = _moment(typed)
            elif field.endswith("_on"):
                day = date_field(typed, field, required=field in ("received_on", "held_on"))
                new = day.isoformat() if day else None
            elif field in _NUMBERS:
                new = whole_number(typed, field)
            if new != entry.row[field] and not (new is None and entry.row[field] in ("", None)):
                changes[field] = new
        return changes

    def save(self) -> None:
        try:
            changes = self._changes()
            if not changes:
                self.say("Nothing was changed.", error=True)
                return
            changed = corrections.amend(
                self.db,
                self.table,
                self.record_id,
                changes,
                self.value("correction_reason"),
                self.clock,
                self.lw.settings.worker_name,
            )
        except (ValueError, LookupError) as exc:
            if getattr(exc, "field", None) == "reason":
                exc = FormError("correction_reason", str(exc))
            self.show_exception(exc)
            return
        words = ", ".join(f.replace("_", " ") for f in changed) or "nothing"
        self.saved(f"Corrected: {words}.")


def _moment(typed: str | None) -> str:
    text = (typed or "").strip()
    for pattern in ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).isoformat(timespec="seconds")
        except ValueError:
            continue
    raise FormError("contact_at", "enter the day and time, like 23/11/2026 10:30")


class _UndoWithReason(FormDialog[str]):
    """Undo something on record, with why: one reason field, the undoing drawn as
    destructive (never focused first); what the core refuses is shown beside the reason.
    Dismisses with a line saying what was done."""

    SAVE_DANGER = True
    #: The reason field's id and the example under it.
    REASON: ClassVar[str] = ""
    REASON_HINT: ClassVar[str] = ""
    #: Make the change through linkworker.corrections; returns the line saying what was done.
    undo: Callable[[str], str]

    def compose_fields(self) -> ComposeResult:
        yield text_row(self.REASON, "Why *", hint=self.REASON_HINT)

    def save(self) -> None:
        try:
            done = self.undo(self.value(self.REASON) or "")
        except (ValueError, LookupError) as exc:
            self.show_exception(FormError(self.REASON, str(exc)))
            return
        self.saved(done)


class StrikeOutDialog(_EntryForm, _UndoWithReason, guide="strike_out"):
    """Strike an entry out as entered in error: it stays, struck through, and counts nowhere."""

    SAVE_LABEL = "Strike out"
    CANCEL_LABEL = "Keep it"
    REASON = "strike_reason"
    REASON_HINT = "for example: logged on the wrong person"
    FIELDS = (REASON,)
    SUBMIT_ON_ENTER = False

    def heading(self) -> str:
        return f"Strike out this {self.entry_words} as entered in error?"

    def undo(self, reason: str) -> str:
        corrections.strike_out(
            self.db, self.table, self.record_id, reason, self.clock, self.lw.settings.worker_name
        )
        return "Struck out as entered in error."


class ReopenDialog(_UndoWithReason, guide="reopen"):
    """Undo a referral's closing decision (accept, decline, not reached, discharge)."""

    SAVE_LABEL = "Reopen"
    CANCEL_LABEL = "Leave it"
    REASON = "reopen_reason"
    REASON_HINT = "for example: discharged in error; the person has now answered"
    FIELDS = (REASON,)

    def __init__(self, referral_id: int, status: str) -> None:
        super().__init__()
        self.referral_id = referral_id
        self.status = status

    def heading(self) -> str:
        return f"Reopen this referral ({label(ReferralStatus, self.status).lower()})?"

    def undo(self, reason: str) -> str:
        back = corrections.reopen(
            self.db, self.referral_id, reason, self.clock, self.lw.settings.worker_name
        )
        return f"Reopened: the referral is {back.label.lower()} again."


def struck_text(summary: str, reason: str | None) -> Text:
    """A timeline line for an entry struck out: struck through, with why."""
    text = plain(summary)
    text.stylize("strike")
    text.append(f"  (entered in error: {literal(reason or '')})", style="italic")
    return text
