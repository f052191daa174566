"""The "what matters to you" conversation form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from linkworker import plans
from linkworker.display import literal
from linkworker.models import Barrier, ConversationDetails, NeedDomain
from linkworker.tui.screens.forms import FormModal, TickBox, field_lines, typed_date


class ConversationRecorded(Message):
    """A conversation was saved."""

    def __init__(self, person_id: int, conversation_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.conversation_id = conversation_id


class ConversationForm(FormModal):
    """Date, what matters (their words), strengths, needs by domain with notes, barriers."""

    HELP = (
        "Write what matters in the person's own words. Tick each need and add a note "
        "(typing a note ticks it). Ctrl+S saves, Esc cancels."
    )

    def __init__(self, person_id: int, name: str, needs: Iterable[str] = ()) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = name
        # The referral's needs are the starting point; the conversation may change them.
        self.preset_needs = set(needs)

    def compose(self) -> ComposeResult:
        today = self.clock.today()
        with Vertical(classes="dialog form-dialog"):
            yield Static(
                Text(f'"What matters to you" conversation: {literal(self.person_name)}'),
                classes="dialog-title",
            )
            with VerticalScroll(classes="form-body"):
                with Horizontal(classes="form-row"):
                    yield Label("Date", classes="form-label")
                    yield Input(typed_date(today), id="held_on", compact=True, classes="date")
                yield Label("What matters to the person, in their own words")
                yield TextArea(id="what_matters", classes="form-text", compact=True)
                yield Label("Strengths and assets: people, skills, interests")
                yield TextArea(id="strengths", classes="form-text short", compact=True)
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
                with Horizontal(classes="form-row"):
                    yield Label("Barrier note", classes="form-label")
                    yield Input(id="barriers_note", compact=True)
            yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#what_matters", TextArea).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        # Writing a note about a need means the need is there.
        if event.input.id and event.input.id.startswith("note-") and event.value.strip():
            box = self.query_one(f"#need-{event.input.id.removeprefix('note-')}", Checkbox)
            box.value = True

    def values(self) -> dict[str, Any]:
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

    def action_save(self) -> None:
        try:
            details = ConversationDetails.model_validate(
                self.values(), context={"today": self.clock.today()}
            )
        except ValidationError as exc:
            self.show_errors(field_lines(exc, {"held_on": "date", "barriers_note": "barrier note"}))
            return
        try:
            cid = plans.record_conversation(self.db, self.person_id, details, self.clock)
        except (plans.PlanError, LookupError) as exc:
            self.show_errors([str(exc)])
            return
        self.app.post_message(ConversationRecorded(self.person_id, cid))
        self.notify("Conversation saved.", title="What matters")
        self.dismiss(cid)
