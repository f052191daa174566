"""DESIGN.md's rules that a test can hold: the core never imports Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "linkworker"
UI_MODULES = {"app", "commands", "__main__", "cli"}


def core_modules() -> list[str]:
    return sorted(
        f"linkworker.{p.stem}"
        for p in SRC.glob("*.py")
        # cli_<area> modules are the command line (registered by cli.py), not the core.
        if p.stem not in UI_MODULES and p.stem != "__init__" and not p.stem.startswith("cli_")
    )


def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    assert "linkworker.caseload" in modules and "linkworker.measures" in modules
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
