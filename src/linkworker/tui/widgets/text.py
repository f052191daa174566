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


def filled(value: object, *, lines: bool = False) -> str:
    """Stored text as an edit field is filled with it: control characters made visible.

    An old store or feed may hold an escape code; put raw into an Input or TextArea the
    terminal would obey it. The field shows the visible stand-in (ESC -> ␛) instead, so what
    the link worker sees is exactly what is saved if they keep it. ``lines`` keeps line
    breaks and tabs for a TextArea.
    """
    return literal(value, single_line=not lines)
