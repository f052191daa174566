"""Paging through a long list a screenful at a time (the caseload, the directory search).

One owner for the arithmetic: which offset is the last page, where a page turn lands, and
the "11-20 of 57 · page 2/3" words the status lines show.
"""

from __future__ import annotations


def last_page_offset(total: int, size: int) -> int:
    """The offset of the last page of `total` rows (0 when there are none)."""
    return max(0, (total - 1) // size * size)


def turned_page(offset: int, step: int, size: int, total: int) -> int | None:
    """Where turning `step` pages from `offset` lands, or None past either end."""
    new = offset + step * size
    return new if 0 <= new < max(total, 1) else None


def page_numbers(offset: int, size: int, total: int) -> tuple[int, int]:
    """This page's number and how many pages there are, counting from 1."""
    return offset // size + 1, (total - 1) // size + 1


def shown_span(offset: int, shown: int, total: int) -> str:
    """Which rows of how many are on screen, e.g. "11-20 of 57"."""
    return f"{offset + 1}-{offset + shown} of {total}"
