"""DESIGN.md's rule for formats/: pure writers and readers that know no store.

Every module under src/linkworker/formats is read as source (an AST walk, so a lazy
import inside a function counts too): none may import linkworker.store or sqlite_utils,
nor take a Database, and from the reports package only its pure modules (the period,
the disclosure rule and the content the gatherers fill).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FORMATS = Path(__file__).resolve().parents[2] / "src" / "linkworker" / "formats"
FORBIDDEN = ("linkworker.store", "sqlite_utils", "sqlite3", "sqlcipher3")
PURE_REPORTS = {
    "linkworker.reports.period",
    "linkworker.reports.disclosure",
    "linkworker.reports.content",
    # The gap, referrer and reach reports' plain data (dataclasses, no store), as content.
    "linkworker.reports.shapes",
}


def imported(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


MODULES = sorted(FORMATS.rglob("*.py"))


def test_every_formats_module_is_checked() -> None:
    names = {p.relative_to(FORMATS).as_posix() for p in MODULES}
    assert {"writer.py", "gp_message.py", "report_files.py", "oruk/mapping.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(FORMATS).as_posix())
def test_formats_import_no_store(path: Path) -> None:
    for name in imported(path):
        assert not name.startswith(FORBIDDEN), f"{name} imported"
        if name == "linkworker.reports" or name.startswith("linkworker.reports."):
            assert name in PURE_REPORTS, f"{name}: formats may read reports' content only"
    assert "Database" not in path.read_text(encoding="utf-8")
