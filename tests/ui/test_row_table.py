"""A RowTable paints its cells again only when what they are painted with changed
(widgets/tables.py): coming back to a section keeps them, a theme or focus change does not."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from linkworker.tui.widgets.tables import RowTable


class Rows(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="filter")
        yield RowTable(id="rows", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.add_columns("Who", "When")
        table.add_rows([(Text(f"Person {n}"), Text(f"{n} days")) for n in range(30)])
        table.focus()


class Other(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("another section")


class Sections(App[None]):
    MODES = {"rows": Rows, "other": Other}
    DEFAULT_MODE = "rows"


def painted_cells(table: RowTable[Any]) -> list[int]:
    """A counter of the cells the table paints from now on."""
    count = [0]
    paint = table._render_cell

    def counted(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return paint(*args, **kwargs)

    table._render_cell = counted  # type: ignore[method-assign]
    return count


async def test_coming_back_to_a_section_keeps_its_painted_cells() -> None:
    app = Sections()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        painted = painted_cells(table)
        for _ in range(3):
            painted[0] = 0
            app.switch_mode("other")
            await pilot.pause()
            app.switch_mode("rows")
            await pilot.pause()
            # Restyled on each return, but nothing it paints with changed: only the cursor's
            # row (its focus went and came back, perhaps painted in between) of the 19 rows
            # x 2 columns on screen; a DataTable paints all 38 cells again.
            assert painted[0] <= 6
        assert app.screen.query_one(RowTable) is table
        painted[0] = 0
        table.move_cursor(row=5)
        table.render_line(6)  # row 5, below the header, now under the cursor
        assert painted[0] > 0  # the cursor's row is painted anew


async def test_a_theme_or_a_focus_change_paints_the_cells_again() -> None:
    app = Sections()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        before = table.render_line(1)  # the first row, under the cursor
        app.theme = "textual-light"
        await pilot.pause()
        after = table.render_line(1)
        assert after != before  # in the light theme's colours, not the cells kept from before
        app.screen.query_one(Input).focus()  # the cursor row's colours follow the focus
        await pilot.pause()
        assert table.render_line(1) != after


async def test_a_row_table_is_a_data_table_to_every_query_and_style() -> None:
    app = Sections()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen.query_one(DataTable), RowTable)
        assert app.screen.query_one("DataTable#rows") is app.screen.query_one(RowTable)
