"""The 6-12 contact norm is written once (linkworker.norms) and every screen and export uses it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from linkworker.display import contacts_against_norm
from linkworker.norms import CONTACT_NORM

SRC = Path(__file__).resolve().parents[2] / "src" / "linkworker"
WRITTEN_OUT = re.compile(r"\b6 ?(-|–|to) ?12\b")


def test_the_norm_is_six_to_twelve_contacts() -> None:
    assert (CONTACT_NORM.fewest, CONTACT_NORM.most, CONTACT_NORM.words()) == (6, 12, "6-12")
    assert contacts_against_norm(4) == "4/6-12"
    assert contacts_against_norm(12) == "12/6-12"
    assert contacts_against_norm(13) == "13 ▲12"


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the constant nodes that are docstrings (words about the code, not output)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def test_no_text_the_app_shows_writes_the_norm_out_by_hand() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "norms.py":
            continue
        tree = ast.parse(path.read_text())
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and WRITTEN_OUT.search(node.value)
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {node.value!r}")
    assert offenders == [], "use linkworker.norms.CONTACT_NORM:\n" + "\n".join(offenders)
