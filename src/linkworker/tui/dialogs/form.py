"""The form dialog: labelled fields by name, errors beside the field, Ctrl+S saves, Esc asks.

A form gathers values by field name (each control's id is the model's field name), hands them
to a pydantic model of :mod:`linkworker.models` and then to one core function. Whatever the core
or the model refuses comes back through one protocol, :func:`errors_of`, as ``{field: reason}``
and is shown beside the field it belongs to (anything without a field goes on the message line
above the buttons). Nothing is saved while an error shows. Esc on a form whose fields were
changed asks "Discard changes?" (focus on No) rather than throwing away what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pydantic import ValidationError as PydanticError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from linkworker.models import field_errors
from linkworker.tui import keymap
from linkworker.tui.dialogs.base import Dialog, button
from linkworker.tui.dialogs.confirm import ConfirmDialog
from linkworker.tui.widgets.text import plain
from linkworker.validation import ValidationError, parse_date

ResultT = TypeVar("ResultT")

#: Shown before an error so that it is not told by colour alone.
ERROR_MARK = "✗ "
#: Shown before a warning (a clash, a date far back) that a second Save goes past.
WARNING_MARK = "! "


class FormError(ValueError):
    """A field that cannot be read as typed; ``field`` names it, the message says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def errors_of(exc: BaseException, labels: dict[str, str] | None = None) -> dict[str, str]:
    """The one error protocol: what went wrong as ``{field name: reason}`` ("" for no field).

    Pydantic errors are worded by :func:`linkworker.models.field_errors` (the same words on
    every form); an error with a ``field`` attribute (the core's refusals, :class:`FormError`)
    goes to that field; a message starting "<label>: " whose label is one of ``labels``
    ({field: label}) goes to that field; anything else is a message for the whole form.
    """
    if isinstance(exc, PydanticError):
        return field_errors(exc)
    field = getattr(exc, "field", None)
    message = str(exc)
    if isinstance(field, str) and field:
        return {field: message}
    head, sep, rest = message.partition(": ")
    if sep:
        for name, label in (labels or {}).items():
            if head.lower() in (label.lower().rstrip(" *"), name.replace("_", " ")):
                return {name: rest}
    return {"": message}


class FieldRow(Horizontal):
    """One labelled field of a form; remembers its label so errors can name it."""

    def __init__(self, *children: Widget, name: str, label: str) -> None:
        super().__init__(*children, id=f"{name}-row", classes="field-row")
        self.field_label = label


def field_row(name: str, label: str, control: Widget, hint: str = "") -> FieldRow:
    """A labelled field: the control, its hint and its error line (hidden until needed).

    ``control`` must have ``id=name``; the error line is ``#{name}-error``, the row
    ``#{name}-row``. A label ending in " *" marks a field that must be filled in.
    """
    parts: list[Widget] = [control]
    if hint:
        parts.append(Static(Text(hint), id=f"{name}-hint", classes="field-hint"))
    parts.append(Static(id=f"{name}-error", classes="field-error"))
    return FieldRow(
        Label(Text(label), classes="field-label"),
        Vertical(*parts, classes="field-body"),
        name=name,
        label=label,
    )


def text_row(
    name: str,
    label: str,
    value: str = "",
    placeholder: str = "",
    *,
    hint: str = "",
    integer: bool = False,
) -> FieldRow:
    """A labelled one-line field (an :class:`Input` with ``id=name``); ``integer`` lets
    only digits be typed."""
    box = Input(
        value,
        placeholder=placeholder,
        id=name,
        type="integer" if integer else "text",
        compact=True,
    )
    return field_row(name, label, box, hint)


def choice_row(
    name: str,
    label: str,
    choices: list[tuple[str, str]],
    value: str | None = None,
    *,
    prompt: str = "Select",
) -> FieldRow:
    """A labelled drop-down of ``choices`` (``id=name``): starting at ``value``, and then
    always holding one; without a ``value`` it starts blank, showing ``prompt``."""
    select: Select[str] = Select(
        choices,
        prompt=prompt,
        value=Select.NULL if value is None else value,
        allow_blank=value is None,
        id=name,
        compact=True,
    )
    return field_row(name, label, select)


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
    if isinstance(widget, RadioSet):
        pressed = widget.pressed_button
        return None if pressed is None else pressed.id
    raise TypeError(f"not a form control: {widget!r}")


FORM_CONTROLS = (Input, TextArea, Select, SelectionList, Checkbox, RadioSet)


def date_field(text: str | None, field: str, *, required: bool = True) -> date | None:
    """A date typed in a form (23/11/2026 or 2026-11-23); a FormError names the field."""
    if not (text or "").strip():
        if required:
            raise FormError(field, "enter a date (like 23/11/2026)")
        return None
    try:
        return parse_date(str(text))
    except ValidationError as exc:
        raise FormError(field, str(exc)) from None


def whole_number(text: str | None, field: str) -> int | None:
    """A whole number typed in a form, or None when blank; a FormError names the field."""
    if not (text or "").strip():
        return None
    value = str(text).strip()
    if not value.isdigit():
        raise FormError(field, f"'{value}' is not a whole number")
    return int(value)


def file_path(text: str | None, field: str, folder: Path) -> Path:
    """Where a file name typed in a form points: ``~`` expanded, and a name without a folder
    in ``folder`` (never the folder linkworker happened to be started in). A FormError names
    the field when nothing was typed."""
    typed = (text or "").strip()
    if not typed:
        raise FormError(field, "enter a file name")
    path = Path(typed).expanduser()
    return path if path.is_absolute() else folder / path


def typed_date(day: date) -> str:
    """A date as the forms show it for editing: 23/11/2026."""
    return day.strftime("%d/%m/%Y")


class FormDialog(Dialog[ResultT]):
    """A dialog with a scrolling form, a message line and Save / Cancel.

    Subclasses list their ``FIELDS``, yield rows made with :func:`field_row` from
    ``compose_fields`` and implement ``save``: validate, call one core function, then
    :meth:`saved` with the result. On an error, :meth:`show_exception` and return.
    """

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("form")
    # Short terminals scroll the form inside a fixed box; tall ones fit it.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    SAVE_LABEL: ClassVar[str] = "Save"
    #: Draw Save as destructive (erasure): it then never has focus first.
    SAVE_DANGER: ClassVar[bool] = False
    CANCEL_LABEL: ClassVar[str] = "Cancel"
    #: What Esc asks when the form was changed, before throwing away what was typed.
    DISCARD_QUESTION: ClassVar[str] = "What you typed in this form has not been saved. Discard it?"
    #: Field names (control ids) this form collects with :meth:`values`.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    #: Enter in a one-line field saves (short forms) rather than moving to the next field.
    SUBMIT_ON_ENTER: ClassVar[bool] = False
    #: Each form validates its fields and calls one core function here.
    save: Callable[[], None]

    def __init__(self) -> None:
        super().__init__()
        self._initial: tuple[Any, ...] | None = None
        self._warned: object = None
        self._finished = False

    # --- layout ----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="form", id="form", can_focus=False):
            yield from self.compose_fields()
        yield Static(id="form-warning", classes="form-warning")
        yield Static(id="form-message", classes="form-message")

    def compose_fields(self) -> ComposeResult:
        """The form's fields, made with :func:`field_row`."""
        yield from ()

    def compose_buttons(self) -> ComposeResult:
        yield button(
            f"{self.SAVE_LABEL} (Ctrl+S)",
            "save",
            default=not self.SAVE_DANGER,
            danger=self.SAVE_DANGER,
        )
        yield button(f"{self.CANCEL_LABEL} (Esc)", "cancel")

    def on_mount(self) -> None:
        self.query_one("#form-warning", Static).display = False
        self.focus_first_field()
        # Selects and text areas settle their values during mount: remember them after.
        self.call_after_refresh(self.remember_values)

    def focus_first_field(self) -> None:
        """Start in the first field, so typing goes straight into the form."""
        for widget in self.query_one("#form").query("*"):
            if widget.focusable:
                widget.focus()
                return

    # --- values ----------------------------------------------------------------------------

    def controls(self) -> Iterable[Widget]:
        """Every form control with an id inside the form."""
        for widget in self.query_one("#form").query("*"):
            if isinstance(widget, FORM_CONTROLS) and widget.id:
                yield widget

    def snapshot(self) -> tuple[Any, ...]:
        """What the form holds now, to tell whether anything was changed."""
        return tuple((w.id, repr(value_of(w))) for w in self.controls())

    def remember_values(self) -> None:
        """Take what the form holds now as its unchanged state."""
        self._initial = self.snapshot()

    @property
    def changed(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self._initial is not None and self.snapshot() != self._initial

    def values(self, names: tuple[str, ...] | None = None) -> dict[str, Any]:
        """{field: value} for the named fields (default: FIELDS); blanks are left out."""
        result: dict[str, Any] = {}
        for name in names or self.FIELDS:
            value = value_of(self.query_one(f"#{name}"))
            if value is not None:
                result[name] = value
        return result

    def value(self, name: str) -> Any:
        """One field's value (None when blank)."""
        return value_of(self.query_one(f"#{name}"))

    # --- errors and warnings -----------------------------------------------------------------

    def labels(self) -> dict[str, str]:
        """{field name: label shown}, for errors that name a field by its label."""
        return {
            str(row.id).removesuffix("-row"): row.field_label
            for row in self.query(FieldRow)
            if row.id
        }

    def clear_errors(self) -> None:
        """Hide every error and warning."""
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
        labels = self.labels()
        for name, reason in errors.items():
            try:
                line = self.query_one(f"#{name}-error", Static)
                row = self.query_one(f"#{name}-row")
            except NoMatches:
                shown = labels.get(name, name.replace("_", " ")).rstrip(" *")
                general.append(f"{shown}: {reason}" if name else reason)
                continue
            line.update(plain(ERROR_MARK + reason))
            row.add_class("-has-error")
            if first is None:
                first = self.query_one(f"#{name}")
        count = len(errors)
        summary = f"{count} thing{'s' if count != 1 else ''} to put right before saving."
        self.say("\n".join([summary, *general]), error=True)
        self.query_one("#form-warning", Static).display = False
        if first is not None:
            first.focus()
            first.scroll_visible()

    def show_exception(self, exc: BaseException) -> None:
        """Show an error from a model or the core on its field (or on the message line)."""
        self.show_errors(errors_of(exc, self.labels()))

    def say(self, text: str, *, error: bool = False) -> None:
        """Put a line above the buttons (bold when it is an error)."""
        line = self.query_one("#form-message", Static)
        line.update(Text(text, style="bold") if error else plain(text))
        line.set_class(error and bool(text), "-error")

    def warn(self, lines: list[str]) -> None:
        """Show a warning above the buttons (a clash, a date that looks wrong)."""
        box = self.query_one("#form-warning", Static)
        box.update(Text("\n".join(WARNING_MARK + line for line in lines)))
        box.display = bool(lines)

    def warn_once(self, signature: object, lines: list[str], save_label: str) -> bool:
        """Warn about ``signature`` the first time; True when the user has seen it already.

        The Save button's label becomes ``save_label`` ("Book anyway"), so the second Save
        is a deliberate choice.
        """
        if self._warned == signature:
            return True
        self._warned = signature
        self.warn(lines)
        self.query_one("#save", Button).label = f"{save_label} (Ctrl+S)"
        return False

    # --- actions ---------------------------------------------------------------------------

    def action_save(self) -> None:
        """Check the fields and save (the form's ``save``)."""
        self.clear_errors()
        self.save()

    def saved(self, result: ResultT) -> None:
        """The core saved what the form holds: close with ``result``."""
        self._finished = True
        self.dismiss(result)

    def save_with(
        self,
        write: Callable[[], ResultT],
        *,
        refused: tuple[type[Exception], ...] = (ValueError, LookupError),
        then: Callable[[ResultT], None] | None = None,
    ) -> None:
        """Save by calling ``write`` (the one core function, with the form's values).

        What the core ``refused`` (a model's or the core's error) shows beside its field and
        the form stays open; otherwise ``then`` (tell the app, say what was done) runs with
        what ``write`` returned and the form closes with it.
        """
        try:
            result = write()
        except refused as exc:
            self.show_exception(exc)
            return
        if then is not None:
            then(result)
        self.saved(result)

    def closed_without_saving(self) -> ResultT | None:
        """What Esc (or Cancel) hands back: nothing, unless the form saved as it went."""
        return None

    def action_cancel(self) -> None:
        """Close without saving; if anything was changed, ask first."""
        if not self.changed or self._finished:
            self._finished = True
            self.dismiss(self.closed_without_saving())
            return
        self.app.push_screen(
            ConfirmDialog(
                "Discard changes?",
                self.DISCARD_QUESTION,
                yes="Discard",
                no="Keep editing",
                danger=True,
            ),
            self._discard_answered,
        )

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self._finished = True
            self.dismiss(self.closed_without_saving())

    def button_pressed(self, button_id: str) -> None:
        if button_id == "save":
            self.action_save()
        elif button_id == "cancel":
            self.action_cancel()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    def _field_edited(self, event: Message) -> None:
        # Once a field is being put right, its old error no longer applies.
        control = getattr(event, "control", None)
        name = getattr(control, "id", None)
        if name:
            for row in self.query(f"#{name}-row.-has-error"):
                row.remove_class("-has-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.SUBMIT_ON_ENTER:
            self.action_save()
        else:
            self.focus_next()
