"""The "what matters to you" conversation form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.widgets import Checkbox, Input, Static, TextArea

from linkworker import plans
from linkworker.models import Barrier, ConversationDetails, NeedDomain
from linkworker.tui.dialogs import FormDialog, field_row, typed_date
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.widgets.choices import TickBox


class ConversationForm(FormDialog[int], guide="conversation"):
    """Date, what matters (their words), strengths, needs by domain with notes, barriers."""

    def __init__(self, person_id: int, name: str, needs: Iterable[str] = ()) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = name
        # The referral's needs are the starting point; the conversation may change them.
        self.preset_needs = set(needs)

    def heading(self) -> Text:
        return Text(f'"What matters to you" conversation: {self.person_name}')

    def compose_fields(self) -> ComposeResult:
        today = self.clock.today()
        yield field_row(
            "held_on", "Date", Input(typed_date(today), id="held_on", compact=True, classes="date")
        )
        yield field_row(
            "what_matters",
            "What matters, in their own words",
            TextArea(id="what_matters", compact=True),
        )
        yield field_row(
            "strengths",
            "Strengths and assets",
            TextArea(id="strengths", compact=True, classes="short"),
            hint="people, skills, interests",
        )
        yield Static("Needs: tick each one, with a note", classes="form-section")
        for domain in NeedDomain:
            with Horizontal(classes="need-row"):
                yield TickBox(
                    domain.label,
                    domain.value in self.preset_needs,
                    id=f"need-{domain.value}",
                    compact=True,
                )
                yield Input(placeholder="note", id=f"note-{domain.value}", compact=True)
        yield Static("Barriers: what gets in the way", classes="form-section")
        with Grid(classes="barrier-grid"):
            for barrier in Barrier:
                yield TickBox(barrier.label, id=f"barrier-{barrier.value}", compact=True)
        yield field_row("barriers_note", "Barrier note", Input(id="barriers_note", compact=True))

    def focus_first_field(self) -> None:
        self.query_one("#what_matters", TextArea).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        # Writing a note about a need means the need is there.
        if event.input.id and event.input.id.startswith("note-") and event.value.strip():
            box = self.query_one(f"#need-{event.input.id.removeprefix('note-')}", Checkbox)
            box.value = True

    def details_input(self) -> dict[str, Any]:
        """What the form holds, as ConversationDetails input."""
        needs = {
            d.value: self.query_one(f"#note-{d.value}", Input).value
            for d in NeedDomain
            if self.query_one(f"#need-{d.value}", Checkbox).value
        }
        return {
            "held_on": self.query_one("#held_on", Input).value,
            "what_matters": self.query_one("#what_matters", TextArea).text,
            "strengths": self.query_one("#strengths", TextArea).text,
            "needs": needs,
            "barriers": [
                b.value for b in Barrier if self.query_one(f"#barrier-{b.value}", Checkbox).value
            ],
            "barriers_note": self.query_one("#barriers_note", Input).value,
        }

    def save(self) -> None:
        try:
            details = ConversationDetails.model_validate(
                self.details_input(), context={"today": self.clock.today()}
            )
            cid = plans.record_conversation(self.db, self.person_id, details, self.clock)
        except (ValidationError, plans.PlanError, LookupError) as exc:
            self.show_exception(exc)
            return
        self.app.post_message(CaseloadChanged(self.person_id))
        self.notify("Conversation saved.", title="What matters")
        self.saved(cid)
