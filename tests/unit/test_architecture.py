"""DESIGN.md's rules that a test can hold: the core never imports Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "linkworker"
#: The TUI, and the CLI (test_cli_does_not_load_textual_for_plain_commands covers it: its
#: command modules are registered by linkworker.cli, and importing one first is a cycle).
UI_PACKAGES = {"tui", "cli"}


def core_modules() -> list[str]:
    """Every module of the core, packages' modules included (directory/, store/ ...)."""
    names = []
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[0] in UI_PACKAGES or parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("linkworker", *parts)))
    return sorted(names)


def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    assert "linkworker.caseload" in modules and "linkworker.measures" in modules
    assert "linkworker.reports.caseload" in modules and "linkworker.formats.writer" in modules
    assert "linkworker.directory.search" in modules and "linkworker.store.db" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"core imports Textual: {result.stdout.strip()}"


def test_cli_does_not_load_textual_for_plain_commands() -> None:
    code = "import sys, linkworker.cli\nprint('textual' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
