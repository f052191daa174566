"""What you know of an activity that its feed lacks (`k` on the activity screen).

A form of the dialog family: a named welcome person, how demanding it is, whether it copes
with complex needs, whether you saw its safeguarding policy and checked its accessibility
in person. Each answer you change is dated today and signed with your name (Settings);
a blank clears it. Private: never in the public feed, carried by the annotations file.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Select

from linkworker import directory
from linkworker.directory import knowledge
from linkworker.display import literal
from linkworker.tui.dialogs import FormDialog, field_row
from linkworker.tui.messages import CaseloadChanged


def _control(key: str, held: knowledge.Known | None) -> Widget:
    value = held.value if held else None
    if key == "welcome_person":
        return Input(value or "", placeholder="e.g. Sue, the group leader", id=key, compact=True)
    choices = knowledge.DEMAND_LEVELS if key == "demand" else knowledge.ANSWERS
    return Select(
        [(c, c) for c in choices],
        prompt="Not known",
        value=value if value in choices else Select.NULL,
        id=key,
        compact=True,
    )


class KnowledgeDialog(FormDialog[bool], guide="activity_knowledge"):
    """Record what you know of one activity; each changed answer is dated and signed."""

    FIELDS = tuple(key for key, _ in knowledge.ATTRIBUTES)

    def __init__(self, activity: directory.ActivityRow) -> None:
        super().__init__()
        self.activity_id = activity["id"]
        # What is held when the form opens: the hints say when and by whom.
        self.held = knowledge.knowledge_of(activity["worker_knowledge"])
        self.activity_name = activity["name"]

    def heading(self) -> Text:
        return Text(literal(f"What you know: {self.activity_name}"))

    def compose_fields(self) -> ComposeResult:
        held = self.held
        for key, label in knowledge.ATTRIBUTES:
            known = held.get(key)
            hint = literal(f"recorded {known.recorded()}") if known else ""
            yield field_row(key, label, _control(key, known), hint=hint)

    def save(self) -> None:
        values = {key: self.value(key) for key in self.FIELDS}
        try:
            knowledge.record_knowledge(
                self.db, self.activity_id, values, self.clock, self.lw.settings.worker_name
            )
        except directory.DirectoryError as exc:
            self.show_exception(exc)
            return
        self.notify("What you know is saved (private: never in the feed).", markup=False)
        self.app.post_message(CaseloadChanged())
        self.saved(True)
