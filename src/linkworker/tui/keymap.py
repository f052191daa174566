"""Every default key of the TUI, in one place (as harlequin keeps its keymap).

Each screen, dialog and widget has an entry in :data:`KEYS`: its keys as :class:`Key` records,
in the order the footer shows them, read from ``keymap.toml`` beside this module (a table, so
it is data). A class says ``BINDINGS = keymap.bindings("today")``.
The binding ids are what a user's ``[keymap]`` in settings.toml and the README name, so they
never change; ids of before the dialog family live on as aliases (tui/dialogs/base.py
``BINDING_ALIASES``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from textual.binding import Binding, BindingType

from linkworker.package_toml import read_package_toml


# A NamedTuple, not a frozen dataclass: made at every start, and a dataclass is
# compiled as it is made (~0.5 ms against ~0.07; issue 18).
class Key(NamedTuple):
    """One default key: what is pressed, what it does, the footer's word, the keymap's id."""

    key: str
    action: str
    description: str
    id: str
    show: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        """This key as a Textual binding."""
        return Binding(
            self.key,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            id=self.id,
        )


def _help(screen: str) -> Key:
    # "?" opens the help screen from every main screen; F1 (the app's) works everywhere.
    return Key("question_mark", "app.help", "Help", f"{screen}.help", show=False)


def _back(screen: str) -> Key:
    # The screens opened from another: Esc goes back to it.
    return Key("escape", "back", "Back", f"{screen}.back")


def _entries(table: str, entries: list[Any], shared: dict[str, Key]) -> tuple[Key, ...]:
    """One table of keymap.toml as keys: "help", "back" and shared ids stand for their key."""
    keys = []
    for entry in entries:
        if entry == "help":
            keys.append(_help(table))
        elif entry == "back":
            keys.append(_back(table))
        elif isinstance(entry, str):
            keys.append(shared[entry])
        else:
            keys.append(Key(**entry))
    return tuple(keys)


def _read_keymap() -> tuple[dict[str, Key], dict[str, tuple[Key, ...]]]:
    # Package data (keymap.toml, beside this module): a table of keys, not code.
    data = read_package_toml(Path(__file__).with_name("keymap.toml"))
    shared = {id: Key(id=id, **fields) for id, fields in data["shared"].items()}
    keys = {table: _entries(table, entries, shared) for table, entries in data["keys"].items()}
    return shared, keys


_SHARED, KEYS = _read_keymap()
#: Esc backs out of every dialog; what that means is the dialog's ``action_cancel``.
DIALOG_CANCEL = _SHARED["form.cancel"]
#: Ctrl+S saves every form, whichever field has focus (priority: fields take most keys).
FORM_SAVE = _SHARED["form.save"]


def bindings(table: str) -> list[BindingType]:
    """The Textual bindings of one entry of :data:`KEYS` (a screen, dialog or widget)."""
    return [key.binding() for key in KEYS[table]]
