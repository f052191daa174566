"""Tables of rows to move through: which row is highlighted, and the page one table makes.

Every list of linkworker (connections, suggestions, follow-ups, flags) is a DataTable with a
row cursor; the key of a row is the stored id of what it shows.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from linkworker.tui.widgets.keys_footer import KeysFooter


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
    yield DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    yield below
    yield KeysFooter()
