"""Erasing a person (UK GDPR right to erasure), confirmed by typing their full name."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from linkworker import erasure, people
from linkworker.erasure import ErasureResult
from linkworker.tui.dialogs import FormDialog, field_row
from linkworker.tui.widgets.text import plain


def same_name(typed: str, name: str) -> bool:
    """The typed confirmation matches the name, ignoring case and extra spaces."""
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold() != ""


class EraseScreen(FormDialog[ErasureResult], guide="erase"):
    """Type the person's full name to erase every record about them."""

    SAVE_LABEL = "Erase everything"
    SAVE_DANGER = True
    SUBMIT_ON_ENTER = True
    FIELDS = ("confirm_name",)

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id
        self.name_to_type = ""

    def heading(self) -> Text:
        return Text("Erase this person: ") + plain(self.full_name())

    def full_name(self) -> str:
        if not self.name_to_type:
            p = people.get_person(self.db, self.person_id)
            self.name_to_type = f"{p['given_name']} {p['family_name']}"
        return self.name_to_type

    def compose_fields(self) -> ComposeResult:
        warning = Text()
        warning.append("⚠ This cannot be undone. ", style="bold")
        warning.append(
            "Every record about this person is removed: details, referrals, contacts, "
            "conversations, goals, measures, connections, follow-ups, flags and their change "
            "history. Only a note that an erasure happened is kept, with nothing that identifies "
            "them. Every backup linkworker made of this store is rewritten without them at once, "
            "and restoring a backup re-applies this erasure. Copies you saved elsewhere "
            "(backup --output, exports) are not changed: erase them yourself.\n\n"
            "To confirm, type the person's full name: "
        )
        warning.append_text(plain(self.full_name()))
        yield Static(warning, id="erase-warning")
        yield field_row(
            "confirm_name", "Full name", Input(placeholder="as shown above", id="confirm_name")
        )

    def save(self) -> None:
        typed = self.query_one("#confirm_name", Input).value
        if not same_name(typed, self.full_name()):
            self.show_errors(
                {"confirm_name": "does not match the person's full name; nothing was erased"}
            )
            return
        result = erasure.erase_person(self.db, self.person_id, self.clock, self.lw.key)
        self.saved(result)
