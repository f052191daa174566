"""DESIGN.md's rules that a test can hold: the core never imports Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "linkworker"
UI_MODULES = {"app", "commands", "__main__", "cli"}


def core_modules() -> list[str]:
    modules = [
        f"linkworker.{p.stem}"
        for p in SRC.glob("*.py")
        if p.stem not in UI_MODULES and p.stem != "__init__"
        # cli_<area> modules are the CLI's, registered by cli.py (importing one first is a
        # cycle); test_cli_does_not_load_textual_for_plain_commands covers them through it.
        and not p.stem.startswith("cli_")
    ]
    # The core's packages, every module of them (tui/ is the UI; cli/ is covered above).
    for init in SRC.glob("*/__init__.py"):
        if init.parent.name not in UI_MODULES | {"tui"}:
            modules += [
                "linkworker." + ".".join(p.relative_to(SRC).with_suffix("").parts)
                for p in init.parent.rglob("*.py")
                if p.name != "__init__.py"
            ]
    return sorted(modules)


def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    assert "linkworker.caseload" in modules and "linkworker.measures" in modules
    assert "linkworker.reports.caseload" in modules and "linkworker.formats.writer" in modules
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
