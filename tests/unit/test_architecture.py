"""DESIGN.md's rules that a test can hold: boundaries between packages, module and function size."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
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


def core_names() -> set[str]:
    """The core's top-level modules and packages, and the CLI's command modules."""
    names = {
        f"linkworker.{p.stem}"
        for p in SRC.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists())
        and p.stem not in {"__init__", "__main__", "__pycache__"} | UI_PACKAGES
    }
    names |= {
        f"linkworker.cli.{p.stem}"
        for p in (SRC / "cli").glob("*.py")
        if p.stem not in {"__init__", "entry"}
    }
    return names


def test_the_boundary_contracts_hold() -> None:
    """DESIGN.md's boundaries as import-linter contracts (pyproject.toml [tool.importlinter]):
    the core never imports Textual or the TUI; formats import no store; the store imports no
    domain module; only the CLI's app entry imports the TUI."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--config", str(SRC.parents[1] / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=SRC.parents[1],
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def test_every_core_module_is_under_the_textual_contract() -> None:
    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    listed = set(contracts[0]["source_modules"])
    assert core_names() - listed == set(), "add these modules to the first contract"


def _python_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _python_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert long == {}


def test_no_function_is_over_80_lines() -> None:
    long = {}
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 80:
                    long[f"{path.relative_to(SRC)}:{node.name}"] = lines
    assert long == {}
