"""The person's communication and information needs (the Accessible Information Standard):
the form rows intake asks and the dialog the record opens (i), both saving through
:mod:`linkworker.information_needs` (audited)."""

from __future__ import annotations

from functools import cached_property

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from linkworker import information_needs, people
from linkworker.display import short_date
from linkworker.errors import CaseloadError
from linkworker.models import ContactPreference, InformationNeeds, Interpreter
from linkworker.tui.dialogs import FieldRow, FormDialog, field_row, text_row, typed_date
from linkworker.tui.widgets.choices import TickBox
from linkworker.tui.widgets.text import plain

#: The needs' fields, in the order the forms ask them.
NEED_FIELDS = tuple(InformationNeeds.model_fields)


def _tick(name: str, label: str, words: str, value: bool) -> FieldRow:
    return field_row(name, label, TickBox(words, value, id=name, compact=True))


def _choice(
    name: str, label: str, choices: list[tuple[str, str]], value: str | None, prompt: str
) -> FieldRow:
    # Blank is allowed even when a value is recorded: "none" must be choosable again.
    select: Select[str] = Select(
        choices, prompt=prompt, value=value or Select.NULL, id=name, compact=True
    )
    return field_row(name, label, select)


def need_rows(needs: InformationNeeds | None = None) -> list[FieldRow]:
    """The rows of the needs, filled from ``needs`` when they are recorded."""
    n = needs or InformationNeeds()
    size = str(n.large_print_size) if n.large_print_size else ""
    return [
        _tick("large_print", "Large print", "Needs large print", n.large_print),
        text_row("large_print_size", "Print size (pt)", size, "16 or more, e.g. 18", integer=True),
        _tick("easy_read", "Easy read", "Needs easy read", n.easy_read),
        _choice("interpreter", "Interpreter", Interpreter.choices(), n.interpreter, "None needed"),
        text_row("interpreter_language", "Language", n.interpreter_language or "", "e.g. Polish"),
        _tick("braille", "Braille", "Needs braille", n.braille),
        _tick("audio", "Audio", "Needs audio", n.audio),
        text_row("advocate_name", "Carer or advocate", n.advocate_name or "", "name"),
        text_row("advocate_contact", "How to reach them", n.advocate_contact or ""),
        _choice(
            "contact_method",
            "Contact by",
            ContactPreference.choices(),
            n.contact_method,
            "No preference",
        ),
        text_row("contact_times", "Best times", n.contact_times or "", "e.g. mornings"),
        text_row(
            "review_on",
            "Review on",
            typed_date(n.review_on) if n.review_on else "",
            "dd/mm/yyyy",
            hint="Blank: a year from the day they are checked with the person.",
        ),
    ]


class InformationNeedsDialog(FormDialog[list[str]], guide="information_needs"):
    """Record or correct the person's needs; "checked with them today" sets last checked."""

    SAVE_LABEL = "Save needs"
    FIELDS = NEED_FIELDS

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    @cached_property
    def recorded(self) -> information_needs.RecordedNeeds:
        """The needs as recorded when the dialog opened (read once the app is there)."""
        return information_needs.recorded_needs(self.db, self.person_id)

    def heading(self) -> Text:
        p = people.get_person(self.db, self.person_id)
        return Text("Communication needs: ") + plain(f"{p['given_name']} {p['family_name']}")

    def subtitle(self) -> str:
        checked = short_date(self.recorded.last_checked_on) or "never"
        return f"Last checked with them: {checked}."

    def compose_fields(self) -> ComposeResult:
        yield from need_rows(self.recorded.needs)
        if self.recorded.other:
            yield Static(plain(f"Also noted: {self.recorded.other}"), classes="field-hint")
        yield _tick("checked", "Checked", "Checked with them today", False)

    def save(self) -> None:
        try:
            needs = InformationNeeds.model_validate(
                self.values(), context={"today": self.clock.today()}
            )
        except ValidationError as exc:
            self.show_exception(exc)
            return
        months = self.lw.settings.needs_review_months
        checked = bool(self.value("checked"))
        self.save_with(
            lambda: sorted(
                information_needs.save_needs(
                    self.db,
                    self.person_id,
                    needs,
                    self.clock,
                    checked=checked,
                    review_months=months,
                )
            ),
            refused=(CaseloadError, LookupError),
        )
