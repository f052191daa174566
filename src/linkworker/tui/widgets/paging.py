"""Paging through a long list a screenful at a time (the caseload, the directory search).

One owner for the arithmetic: which offset is the last page, where a page turn lands, and
the "11-20 of 57 · page 2/3" words the status lines show; and for what a paged list does
when a page is turned or its search changes (:class:`PagedList`).
"""

from __future__ import annotations

from typing import Protocol


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


class _Typed(Protocol):
    """A list's filter: what was typed is among what it matches."""

    text: str


class _Pages(Protocol):
    """What a paged list keeps and does itself (:class:`PagedList` does the rest)."""

    page_offset: int
    total: int

    @property
    def page_size(self) -> int: ...

    def reload(self) -> None: ...

    def reload_from_first_page(self) -> None: ...


class PagedList:
    """Mixin of a list shown a page at a time (the caseload, the directory search).

    The list keeps ``page_offset`` (where its page starts) and ``total`` (how many rows
    match), knows its ``page_size`` (what fits) and how to ``reload`` its page.
    """

    def reload_from_first_page(self: _Pages) -> None:
        """Back to page one and repaint: what a changed filter or sort order wants."""
        self.page_offset = 0
        self.reload()

    def search_for(self: _Pages, typed: str, search: _Typed) -> None:
        """What was typed in the list's search box is the text to match: from page one."""
        search.text = typed
        self.reload_from_first_page()

    def action_page(self: _Pages, step: int) -> None:
        """Turn ``step`` pages (back when negative); nothing past either end."""
        new = turned_page(self.page_offset, step, self.page_size, self.total)
        if new is not None:
            self.page_offset = new
            self.reload()
