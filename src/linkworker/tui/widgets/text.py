"""Cells and labels that show stored text literally (never as markup or escape codes)."""

from __future__ import annotations

from rich.text import Text

from linkworker.display import literal


def plain(value: object, style: str = "") -> Text:
    """A Rich Text of the value, control characters made visible, markup left as characters."""
    return Text(literal(value), style=style)


def multiline(value: object, style: str = "") -> Text:
    """Like :func:`plain` but keeps line breaks (notes, descriptions)."""
    return Text(literal(value, single_line=False), style=style)
