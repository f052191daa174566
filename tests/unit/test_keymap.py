"""The keymap (tui/keymap.py) is the one owner of the TUI's keys: every binding of every
screen, dialog and widget comes from it, no table binds a key twice, and every binding id
names one key across the whole app (a user's [keymap] and the README rely on the ids).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode

import linkworker.tui
from linkworker.tui import keymap
from linkworker.tui.dialogs.base import BINDING_ALIASES


def tui_bindings() -> Iterator[tuple[str, Binding]]:
    """Every Binding a linkworker.tui Screen, Widget or App class sets, with the class."""
    for module in pkgutil.walk_packages(linkworker.tui.__path__, "linkworker.tui."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, DOMNode):
                for cls in value.__mro__:
                    if not cls.__module__.startswith("linkworker."):
                        continue  # Textual's own keys (Input's, DataTable's) are not ours
                    for binding in cls.__dict__.get("BINDINGS", []):
                        if isinstance(binding, Binding):
                            yield cls.__qualname__, binding


def test_every_binding_of_the_tui_comes_from_the_keymap() -> None:
    table = {key.binding() for keys in keymap.KEYS.values() for key in keys}
    found = dict(tui_bindings())
    assert {"LinkWorkerApp", "TodayScreen", "FormDialog", "ActivitySearch"} <= set(found)
    assert [(cls, b) for cls, b in tui_bindings() if b not in table] == []


def test_no_table_binds_the_same_key_twice() -> None:
    for name, keys in keymap.KEYS.items():
        pressed = Counter(k for key in keys for k in key.key.split(","))
        assert [k for k, times in pressed.items() if times > 1] == [], name


def test_every_binding_id_is_one_key_across_the_app() -> None:
    # A record may sit in several tables (Esc in every dialog): it is still one key.
    records = {key for keys in keymap.KEYS.values() for key in keys}
    ids = Counter(key.id for key in records)
    assert [i for i, times in ids.items() if times > 1] == []
    assert all(key.id for key in records)


def test_old_binding_ids_stand_for_keys_of_today() -> None:
    ids = {key.id for keys in keymap.KEYS.values() for key in keys}
    assert set(BINDING_ALIASES.values()) <= ids
    assert not set(BINDING_ALIASES) & ids


def test_a_key_becomes_the_binding_it_says() -> None:
    key = keymap.Key("ctrl+s", "save", "Save", "form.save", show=False, priority=True)
    assert key.binding() == Binding(
        "ctrl+s", "save", "Save", show=False, priority=True, id="form.save"
    )
    assert keymap.bindings("goal")[-1].id == "goal.add_action"


def test_every_guide_belongs_to_one_screen_or_dialog_and_sets_its_words() -> None:
    from linkworker.tui.guides import GUIDES, Guided

    classes = {
        value
        for module in pkgutil.walk_packages(linkworker.tui.__path__, "linkworker.tui.")
        for value in vars(importlib.import_module(module.name)).values()
        if isinstance(value, type) and issubclass(value, Guided)
    }
    named = [cls.__dict__["GUIDE"] for cls in classes if cls.__dict__.get("GUIDE")]
    assert sorted(named) == sorted(GUIDES)
    assert all(GUIDES[cls.GUIDE].help == cls.HELP for cls in classes if cls.GUIDE)
    sections = {cls.__name__ for cls in classes if cls.IS_SECTION}
    assert sections == {"TodayScreen", "CaseloadScreen", "DirectoryScreen", "ReportsScreen"}
