"""README.md against the code (like sqlite-utils' tests/test_docs.py): every key id the
README names is the id of a real binding, and every command the CLI has is in the README.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from linkworker.cli import main
from linkworker.tui import keymap
from linkworker.tui.dialogs.base import BINDING_ALIASES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
#: A name in backticks with one dot and no file extension: a key id, or a code reference
#: such as `reports.caseload_report` (told apart in named_binding_ids).
DOTTED = re.compile(r"`([a-z_]+)\.([a-z_]+)`")
FILE_ENDINGS = {"py", "md", "json", "toml", "tcss", "lock", "csv", "ics", "txt", "html", "db"}


def binding_ids() -> set[str]:
    """The id of every default key of the TUI (tui/keymap.py, which every screen's BINDINGS
    comes from: tests/unit/test_keymap.py)."""
    return {key.id for keys in keymap.KEYS.values() for key in keys}


def _is_code(module: str, name: str) -> bool:
    # `reports.caseload_report`: a function of a core module, named for developers.
    try:
        found = importlib.import_module(f"linkworker.{module}")
    except ImportError:
        return False
    return hasattr(found, name)


def named_binding_ids(known: set[str]) -> set[str]:
    """The key ids the README names: dotted names whose first part is a binding's."""
    prefixes = {i.split(".")[0] for i in known if "." in i}
    return {
        f"{first}.{second}"
        for first, second in DOTTED.findall(README)
        if first in prefixes and second not in FILE_ENDINGS and not _is_code(first, second)
    }


def test_every_key_id_the_readme_names_is_a_binding() -> None:
    current = binding_ids()
    assert {"section.today", "form.save", "person.accept"} <= current  # the walk found them
    # An id of before the dialog family is still a name a keymap may use, while the id it
    # stands for exists (tui/dialogs/base.py BINDING_ALIASES).
    known = current | {old for old, new in BINDING_ALIASES.items() if new in current}
    named = named_binding_ids(known)
    assert len(named) > 50, "the README's key ids were not found: has their format changed?"
    assert sorted(named - known) == []


def commands(group: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand under ``group``, as the words typed after linkworker."""
    if path:
        yield path
    if isinstance(group, click.Group):
        # Through click's own listing: the top group imports its commands on first use.
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is not None and not command.hidden:
                yield from commands(command, (*path, name))


@pytest.mark.parametrize("words", list(commands(main)), ids=" ".join)
def test_every_command_is_in_the_readme(words: tuple[str, ...]) -> None:
    assert f"linkworker {' '.join(words)}" in README


def test_the_command_walk_reaches_subcommands() -> None:
    found = list(commands(main))
    assert ("directory", "import") in found and ("export", "caseload") in found


def test_every_report_csv_file_the_readme_names_has_its_number() -> None:
    from linkworker.formats.report_files import CSV_ORDER

    named = re.findall(r"`(\d\d)_([a-z_]+)\.csv`", README)
    assert named, "the README names the report's CSV files"
    numbered = {name: f"{n:02d}" for n, name in enumerate(CSV_ORDER, start=1)}
    numbered["about"] = "00"
    assert [(n, name) for n, name in named if numbered.get(name) != n] == []


def _bullet(title: str) -> str:
    """The README bullet that starts with **title**, its lines joined."""
    found = re.search(rf"^- \*\*{re.escape(title)}\*\*:(.*?)(?=^- |^$)", README, re.M | re.S)
    assert found, title
    return " ".join(found.group(1).split())


def test_the_readme_says_how_the_highlighted_row_shows_without_colour() -> None:
    """The No colour bullet names the text styles of the stylesheet's :nocolor cursor rows."""
    sheet = Path(__file__).resolve().parents[2] / "src/linkworker/tui/styles/app.tcss"
    rule = re.search(r"OptionList:nocolor[^{]*\{([^}]*)\}", sheet.read_text(encoding="utf-8"))
    assert rule is not None
    styles = re.search(r"text-style:\s*([^;]+);", rule.group(1))
    assert styles is not None and styles.group(1).split() == ["bold", "underline"]
    words = _bullet("No colour")
    assert "**bold and underlined**" in words
    assert "reverse" not in words  # no row is drawn with the reverse style


def test_the_readme_spells_out_collaborate_s_items_and_licence() -> None:
    from linkworker import measures

    collaborate = measures.definition("collaborate")
    for n, item in enumerate(collaborate.items, start=1):
        assert f"\n{n}. {item.wording}\n" in README  # the authors' wording, unmodified
    assert f"\n> {collaborate.copyright}\n" in README
    licence = " ".join(README.split("\n> CollaboRATE: Elwyn G", 1)[1].split("\n\n")[1].split())
    assert "Creative Commons Attribution-NonCommercial-NoDerivs 3.0" in licence
    for term in ("**with attribution**", "**not for commercial use**", "**unmodified**"):
        assert term in licence, term
    assert f'"{collaborate.intro}"' in licence  # the tool's own note, told apart
