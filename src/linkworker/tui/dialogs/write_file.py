"""A form that writes the file named in its ``#path`` field, never replacing one unasked.

Enter writes but never replaces a file. When the file exists the form says so and its save
button becomes Replace; only that second press (the button or Ctrl+S), for the same name,
replaces it. Changing the name takes the Replace back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, TypeVar

from textual.widgets import Button, Input

from linkworker.tui.dialogs.form import FormDialog

ResultT = TypeVar("ResultT")


class _Writes(Protocol):
    def __call__(self, *, replace: bool) -> None: ...


class WriteFileDialog(FormDialog[ResultT]):
    """A :class:`FormDialog` whose ``write(replace=...)`` writes the file it names."""

    #: Each form writes its file here, asking :meth:`overwrite` whether it may replace it.
    write: _Writes

    def __init__(self) -> None:
        super().__init__()
        #: The file the worker was shown exists: Replace (Ctrl+S) now replaces it.
        self.replace_ok: Path | None = None

    def told_exists(self, path: Path) -> None:
        """Tell the worker ``path`` exists and how to replace it."""
        self.warn([f"{path} already exists. Press Replace to overwrite it, or change the name."])

    def path_edited(self) -> None:
        """The name changed: a Replace offered for the old name no longer holds."""
        self.replace_ok = None
        self.query_one("#save", Button).label = f"{self.SAVE_LABEL} (Ctrl+S)"

    def overwrite(self, path: Path, *, replace: bool) -> bool | None:
        """Whether writing ``path`` replaces it; None when it exists and the worker has just
        been shown Replace (the button is renamed, nothing is written)."""
        overwrite = replace and self.replace_ok == path
        if path.exists() and not path.is_dir() and not overwrite:
            self.replace_ok = path
            self.query_one("#save", Button).label = "Replace (Ctrl+S)"
            self.told_exists(path)
            return None
        return overwrite

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter writes but never replaces a file: only Replace (button or Ctrl+S) does.
        event.stop()
        event.prevent_default()
        self.write(replace=False)

    def save(self) -> None:
        self.write(replace=True)
