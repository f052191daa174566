"""What the plan and measure forms share: save and cancel keys, an error area, a chooser."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from pydantic import ValidationError as PydanticError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from linkworker.tui.screens.base import LinkWorkerModal
from linkworker.tui.widgets.choices import RadioChoice, TickBox
from linkworker.validation import ValidationError, parse_date

__all__ = ["RadioChoice", "TickBox"]


class FormError(ValueError):
    """A form field that cannot be read; the message starts with the field's name."""


def form_date(value: str, field: str, *, required: bool = True) -> date | None:
    """Read a date typed in a form (23/11/2026 or 2026-11-23); FormError names the field."""
    if not value.strip():
        if required:
            raise FormError(f"{field}: enter a date (like 23/11/2026)")
        return None
    try:
        return parse_date(value)
    except ValidationError as exc:
        raise FormError(f"{field}: {exc}") from None


def field_lines(exc: PydanticError, names: dict[str, str], prefix: str = "") -> list[str]:
    """Pydantic errors as 'field: reason' using the labels the form shows ('what', 'by when')."""
    lines = []
    for err in exc.errors():
        loc = err.get("loc", ())
        field = str(loc[0]) if loc else ""
        if err.get("type") == "missing" or (
            err.get("type") == "string_type" and err.get("input") is None
        ):
            message = "is required"
        else:
            message = str(err.get("msg", "is not valid"))
            for start in ("Value error, ", "Assertion failed, "):
                message = message.removeprefix(start)
        shown = names.get(field, field.replace("_", " "))
        lines.append(f"{prefix}{shown}: {message}" if shown else f"{prefix}{message}")
    return lines


def typed_date(day: date) -> str:
    """A date as the forms show it for editing: 23/11/2026."""
    return day.strftime("%d/%m/%Y")


class FormModal(LinkWorkerModal):
    """A dialog with a form: Ctrl+S saves, Esc cancels, errors show above the buttons."""

    # Short terminals give the form a fixed 90% height that scrolls; tall ones fit the form.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def compose_footer(self) -> ComposeResult:
        """The error area and the Save / Cancel buttons."""
        yield Static(id="form-errors", classes="form-errors")
        with Horizontal(classes="buttons"):
            yield Button("Save (Ctrl+S)", id="save", variant="primary", compact=True)
            yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#form-errors", Static).display = False

    def show_errors(self, lines: Sequence[str]) -> None:
        """Show what is wrong, one line a problem, each naming the field."""
        box = self.query_one("#form-errors", Static)
        box.update(Text("\n".join(f"✖ {line}" for line in lines)))
        box.display = bool(lines)
        if lines:
            self.app.bell()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_save(self) -> None:  # pragma: no cover - every form overrides it
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceModal(LinkWorkerModal):
    """Pick one of a few things (a goal to review, an action to tick off, a measure)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choose.cancel"),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[Text | str, Any]], hint: str = ""):
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice-dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield OptionList(
                *[
                    Option(label if isinstance(label, Text) else Text(label), id=str(n))
                    for n, (label, _) in enumerate(self.choices)
                ],
                id="choices",
                markup=False,
            )
            if self.hint:
                yield Static(Text(self.hint), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(None)
