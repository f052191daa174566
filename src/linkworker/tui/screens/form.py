"""What every form dialog shares: labelled fields, errors shown beside the field, save/cancel.

A form gathers values by field name (the widget id is the model's field name), hands them to
a pydantic model from :mod:`linkworker.models` and then to one core function. Errors come
back as ``{field: reason}`` and are shown on the field they belong to; anything without a
field goes to the message line above the buttons. Nothing is saved while any error shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static, TextArea
from textual.widgets.button import ButtonVariant

from linkworker.errors import CaseloadError
from linkworker.models import field_errors
from linkworker.tui.screens.base import LinkWorkerModal
from linkworker.tui.widgets.text import plain

#: Shown before an error so that it is not told by colour alone.
ERROR_MARK = "✗ "


def field_row(name: str, label: str, control: Widget, hint: str = "") -> Horizontal:
    """A labelled field: the control with its error line (hidden until needed) beside the label.

    ``control`` must have ``id=name``; the error line is ``#{name}-error``.
    """
    parts: list[Widget] = [control]
    if hint:
        parts.append(Static(hint, id=f"{name}-hint", classes="field-hint"))
    parts.append(Static(id=f"{name}-error", classes="field-error"))
    return Horizontal(
        Label(label, classes="field-label"),
        Vertical(*parts, classes="field-body"),
        id=f"{name}-row",
        classes="field-row",
    )


def value_of(widget: Widget) -> Any:
    """The value a form control holds, with blanks as None."""
    if isinstance(widget, Input):
        return widget.value.strip() or None
    if isinstance(widget, TextArea):
        return widget.text.strip() or None
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    if isinstance(widget, Checkbox):
        return widget.value
    raise TypeError(f"not a form control: {widget!r}")


class FormModal(LinkWorkerModal):
    """A dialog with a scrolling form, a message line and Save / Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    TITLE = "Form"
    SAVE_LABEL = "Save"
    SAVE_VARIANT: ButtonVariant = "primary"
    CANCEL_LABEL = "Cancel"
    #: Field names (widget ids) this form collects.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Each form validates its fields and calls one core function here.
    save: Callable[[], None]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog rec-form-dialog"):
            yield Static(self.heading(), classes="dialog-title", id="form-title")
            with VerticalScroll(classes="form", can_focus=False):
                yield from self.compose_fields()
            yield Static(id="form-message", classes="form-message")
            with Horizontal(classes="buttons"):
                yield Button(
                    f"{self.SAVE_LABEL} (Ctrl+S)",
                    id="save",
                    variant=self.SAVE_VARIANT,
                    compact=True,
                )
                yield Button(f"{self.CANCEL_LABEL} (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        # Start in the first field, so typing goes straight into the form.
        for widget in self.query_one(".form").query("*"):
            if widget.focusable:
                widget.focus()
                break

    def heading(self) -> str | Text:
        return self.TITLE

    def compose_fields(self) -> ComposeResult:
        """The form's fields, made with :func:`field_row`."""
        yield from ()

    # --- values and errors ---------------------------------------------------------------

    def values(self, names: tuple[str, ...] | None = None) -> dict[str, Any]:
        """{field: value} for the named fields (default: FIELDS); blanks are left out."""
        result: dict[str, Any] = {}
        for name in names or self.FIELDS:
            value = value_of(self.query_one(f"#{name}"))
            if value is not None:
                result[name] = value
        return result

    def clear_errors(self) -> None:
        for row in self.query(".field-row.-has-error"):
            row.remove_class("-has-error")
        for line in self.query(".field-error"):
            if isinstance(line, Static):
                line.update("")
        self.say("")

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show each reason beside its field; focus the first field that is wrong."""
        general: list[str] = []
        first: Widget | None = None
        for name, reason in errors.items():
            try:
                line = self.query_one(f"#{name}-error", Static)
                row = self.query_one(f"#{name}-row")
            except NoMatches:
                general.append(f"{name.replace('_', ' ')}: {reason}" if name else reason)
                continue
            line.update(plain(ERROR_MARK + reason))
            row.add_class("-has-error")
            if first is None:
                first = self.query_one(f"#{name}")
        count = len(errors)
        summary = f"{count} thing{'s' if count != 1 else ''} to put right before saving."
        self.say("\n".join([summary, *general]), error=True)
        if first is not None:
            first.focus()
            first.scroll_visible()

    def show_exception(self, exc: Exception) -> None:
        """Show a validation or core error on its field (or on the message line)."""
        if isinstance(exc, CaseloadError):
            self.show_errors({exc.field or "": str(exc)})
        else:
            self.show_errors(field_errors(exc))

    def say(self, text: str, *, error: bool = False) -> None:
        line = self.query_one("#form-message", Static)
        line.update(plain(text) if not error else Text(text, style="bold"))
        line.set_class(error and bool(text), "-error")

    # --- actions -------------------------------------------------------------------------

    def action_save(self) -> None:
        self.clear_errors()
        self.save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    def _field_edited(self, event: Message) -> None:
        # Once a field is being put right, its old error no longer applies.
        control = getattr(event, "control", None)
        name = getattr(control, "id", None)
        if name:
            for row in self.query(f"#{name}-row.-has-error"):
                row.remove_class("-has-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves on to the next field; Ctrl+S saves the whole form.
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()
