"""Tables of rows to move through: which row is highlighted, and the page one table makes.

Every list of linkworker (connections, suggestions, follow-ups, flags) is a :class:`RowTable`,
a DataTable with a row cursor; the key of a row is the stored id of what it shows.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import CellType

from linkworker.tui.widgets.keys_footer import KeysFooter


class RowTable(DataTable[CellType]):
    """A DataTable that paints its cells again only when what they are painted with changed.

    Textual restyles a screen each time it comes back into view, and DataTable then throws
    away every cell it has painted, though nothing about them changed: switching back to
    Caseload painted all of its ~300 cells again (issue 18, later switches at 3-4x their
    floor). Here a restyle only marks the table for a check, and before it paints, the
    table compares what its cells are painted with (its own styles, those of its parts such
    as the cursor and header, its pseudo-classes and the theme) with what they were painted
    with, and throws its cells away only when something differs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the cells were last painted with: the table's own styles, and its parts'.
        self._painted_own: tuple[Any, ...] | None = None
        self._painted_parts: tuple[Any, ...] | None = None

    def notify_style_update(self) -> None:
        # Widget's part (its style caches) but not DataTable's: render_lines decides. Its
        # own styles unchanged, nothing needs painting again (a change to its parts' styles
        # refreshes it, as Textual works them out next).
        Widget.notify_style_update(self)
        if self._own_painting() != self._painted_own:
            self.refresh()

    def _own_painting(self) -> tuple[Any, ...]:
        """The table's own styles, pseudo-classes and the app's theme and colour."""
        styles = self.styles
        return (
            self.app.theme,
            self.app.no_color,
            dict(styles.base._rules),
            dict(styles.inline._rules),
            frozenset(self.pseudo_classes),
        )

    def _parts_painting(self) -> tuple[Any, ...]:
        """Its parts' styles (cursor, header, stripes...), as Textual last worked them out."""
        parts = {
            part: (dict(style.base._rules), dict(style.inline._rules))
            for part, style in self._component_styles.items()
        }
        return (parts, self.get_pseudo_class_state())

    def render_lines(self, crop: Region) -> list[Strip]:
        own, parts = self._own_painting(), self._parts_painting()
        if (own, parts) != (self._painted_own, self._painted_parts):
            self._painted_own, self._painted_parts = own, parts
            DataTable.notify_style_update(self)  # what DataTable does on every restyle
        return super().render_lines(crop)


def highlighted_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor; None when the table has no rows."""
    if table.row_count == 0:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    return None if key is None else str(key)


def show_table(table: DataTable[Any], columns: dict[str, str]) -> None:
    """Give an empty table its columns ({key: heading}, left to right) and the keyboard."""
    for key, heading in columns.items():
        table.add_column(heading, key=key)
    table.focus()


def table_page(table_id: str, *, above: Static, below: Static) -> ComposeResult:
    """A screen that is one table: the header, a line above the table (who or what it is
    about), the rows, a line below (more about the highlighted row) and the keys."""
    yield Header()
    yield above
    yield RowTable(id=table_id, cursor_type="row", zebra_stripes=True)
    yield below
    yield KeysFooter()
