"""The one dialog family: every modal of linkworker is one of these four.

- :class:`~linkworker.tui.dialogs.form.FormDialog`: fields by name, errors beside the field
  from one protocol (:func:`~linkworker.tui.dialogs.form.errors_of`), Ctrl+S saves, Esc on a
  changed form asks "Discard changes?".
- :class:`~linkworker.tui.dialogs.confirm.ConfirmDialog`: yes/no, focus on the safe answer.
- :class:`~linkworker.tui.dialogs.choice.ChoiceDialog`: pick one of a few things.
- :class:`~linkworker.tui.dialogs.message.MessageDialog`: something to read, then Close.

A form that writes a file the worker names is a
:class:`~linkworker.tui.dialogs.write_file.WriteFileDialog` (a ``FormDialog`` that never
replaces a file until its Replace is pressed for that name).

Confirm and message share :class:`~linkworker.tui.dialogs.base.WordsDialog` (a title and
words to read). All share :class:`~linkworker.tui.dialogs.base.Dialog` (Esc is
``form.cancel`` in every one) and ``styles/dialogs.tcss``. This package re-exports those names.
"""

from linkworker.tui.dialogs.base import (
    BINDING_ALIASES,
    Dialog,
    WordsDialog,
    button,
    current_binding_id,
    keymap_of,
)
from linkworker.tui.dialogs.choice import ChoiceDialog
from linkworker.tui.dialogs.confirm import ConfirmDialog
from linkworker.tui.dialogs.form import (
    FieldRow,
    FormDialog,
    FormError,
    choice_row,
    date_field,
    errors_of,
    field_row,
    file_path,
    text_row,
    typed_date,
    value_of,
    whole_number,
)
from linkworker.tui.dialogs.message import MessageDialog
from linkworker.tui.dialogs.write_file import WriteFileDialog

__all__ = [
    "BINDING_ALIASES",
    "ChoiceDialog",
    "ConfirmDialog",
    "Dialog",
    "FieldRow",
    "FormDialog",
    "FormError",
    "MessageDialog",
    "WordsDialog",
    "WriteFileDialog",
    "button",
    "choice_row",
    "current_binding_id",
    "date_field",
    "errors_of",
    "field_row",
    "file_path",
    "keymap_of",
    "text_row",
    "typed_date",
    "value_of",
    "whole_number",
]
