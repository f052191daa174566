"""A screen anyone can use: states shown by characters, monochrome, the high-contrast theme,
animations off, and the terminal cursor on the focused row for screen readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.filter import Monochrome, NoColor
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from conftest import StartApp
from linkworker.clock import Clock
from linkworker.settings import Settings
from linkworker.tui import accessibility
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.widgets.activity_search import ActivitySearch
from linkworker.tui.widgets.choices import RadioChoice, TickBox, TickList

from pilots import wait_for_report


class ChoicesApp(App[None]):
    CSS_PATH = LinkWorkerApp.CSS_PATH

    def compose(self) -> ComposeResult:
        yield TickBox("Identifiable", id="box")
        yield RadioChoice("Met", id="radio")
        yield TickList[str](("Flags", "flags", True), ("Notes", "notes"), id="parts")


async def test_ticks_and_radios_show_their_state_by_a_character() -> None:
    app = ChoicesApp()
    async with app.run_test() as pilot:
        box, radio = app.query_one(TickBox), app.query_one(RadioChoice)
        assert box.render().plain.startswith("[ ]") and radio.render().plain.startswith("( )")
        box.value = radio.value = True
        await pilot.pause()
        assert box.render().plain.startswith("[X]") and radio.render().plain.startswith("(•)")
        parts = app.query_one(TickList)
        assert parts.render_line(0).text.startswith("[X] Flags")
        assert parts.render_line(1).text.startswith("[ ] Notes")


def test_monochrome_and_animations_off_come_from_the_settings(clock: Clock) -> None:
    app = LinkWorkerApp(
        store_path=Path("unused.db"),
        clock=clock,
        settings=Settings(monochrome=True, animations=False),
    )
    assert app.no_color and any(isinstance(f, Monochrome) for f in app._filters)
    assert app.animation_level == "none"
    plain = LinkWorkerApp(store_path=Path("unused.db"), clock=clock)
    assert not plain.no_color and plain.animation_level != "none"


def test_no_color_in_the_environment_is_honoured(monkeypatch: Any, clock: Clock) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = LinkWorkerApp(
        store_path=Path("unused.db"), clock=clock, settings=Settings(monochrome=True)
    )
    # Textual's own NO_COLOR filter, and the setting does not add a second one.
    assert app.no_color and sum(isinstance(f, Monochrome) for f in app._filters) == 1


async def test_the_high_contrast_theme_is_there_to_choose(
    start_app: StartApp, store_path: Path
) -> None:
    settings = Settings(theme=accessibility.HIGH_CONTRAST)
    async with start_app(store_path, settings=settings) as pilot:
        assert pilot.app.theme == accessibility.HIGH_CONTRAST
        assert pilot.app.current_theme.background == "#000000"


def _on_cursor_row(app: Any) -> bool:
    table = app.focused
    assert isinstance(table, DataTable)
    region = table.content_region
    row = table.cursor_coordinate.row
    header = table.header_height if table.show_header else 0
    expected = (region.x, region.y + header + row - round(table.scroll_offset.y))
    return tuple(app.cursor_position) == expected


async def test_the_terminal_cursor_follows_the_focused_row(
    start_app: StartApp, demo_path: Path
) -> None:
    async with start_app(demo_path, size=(80, 24)) as pilot:
        await pilot.press("f3")  # Caseload: the table has the focus
        assert isinstance(pilot.app.focused, DataTable)
        assert _on_cursor_row(pilot.app)
        await pilot.press("down", "down", "down")
        assert pilot.app.focused.cursor_coordinate.row == 3
        assert _on_cursor_row(pilot.app)
        await pilot.press(*["down"] * 30)  # past the bottom of the screen: it scrolls
        assert pilot.app.focused.scroll_offset.y > 0 and _on_cursor_row(pilot.app)


def _on_highlighted_activity(app: Any) -> bool:
    """The terminal cursor is at the start of the directory's highlighted row (one line an
    activity), and that line shows the activity's name."""
    results = app.focused
    assert isinstance(results, OptionList) and results.highlighted is not None
    region = results.content_region
    row = results.highlighted
    expected = (region.x, region.y + row - round(results.scroll_offset.y))
    name = app.screen.query_one(ActivitySearch).row_names()[row]
    line = results.render_line(expected[1] - results.region.y).text
    return tuple(app.cursor_position) == expected and name[:15] in line


def _on_the_search_box(app: Any) -> bool:
    box = app.focused
    assert isinstance(box, Input) and box.id == "search"
    region = box.content_region
    at = app.cursor_position
    return at == box.cursor_screen_offset and at.y == region.y and region.x <= at.x < region.right


async def test_the_terminal_cursor_follows_the_directory_s_highlighted_activity(
    start_app: StartApp, demo_path: Path
) -> None:
    async with start_app(demo_path, size=(80, 24)) as pilot:
        await pilot.press("f4")  # the directory: the search box has the focus
        await pilot.pause()
        assert _on_the_search_box(pilot.app)
        await pilot.press("enter")  # to the list of activities
        await pilot.pause()
        assert _on_highlighted_activity(pilot.app)
        await pilot.press("down", "down")
        await pilot.pause()
        assert pilot.app.focused.highlighted == 2
        assert _on_highlighted_activity(pilot.app)
        await pilot.press(*["down"] * 25)  # past the page's last row: on to the next page
        await pilot.pause()
        assert pilot.app.focused.highlighted not in (None, 2)
        assert _on_highlighted_activity(pilot.app)
        await pilot.press("slash", *"walk")  # back to the box, typing: the cursor is there
        await pilot.pause()
        assert _on_the_search_box(pilot.app)


async def test_the_ansi_theme_by_its_old_name_still_opens(
    start_app: StartApp, store_path: Path
) -> None:
    async with start_app(store_path, settings=Settings(theme="textual-ansi")) as pilot:
        assert pilot.app.theme == "ansi-dark"
        assert not any("theme" in w for w in pilot.app.startup_warnings)


async def test_no_color_on_the_ansi_theme_leaves_the_terminal_its_own_colours(
    start_app: StartApp, store_path: Path, monkeypatch: Any
) -> None:
    # Greying an ANSI theme's "default" colours made every letter black on black.
    monkeypatch.setenv("NO_COLOR", "1")
    async with start_app(store_path, settings=Settings(theme="ansi-dark")) as pilot:
        app = pilot.app
        assert [type(f) for f in app._filters if isinstance(f, (NoColor, Monochrome))] == [NoColor]
        app.theme = "textual-dark"
        await pilot.pause()
        assert any(isinstance(f, Monochrome) for f in app._filters)
        assert not any(isinstance(f, NoColor) for f in app._filters)


class TestNoColourInTheAnsiTheme:
    """80x24, the ANSI theme, NO_COLOR: every state readable without colour."""

    def _app(self, path: Path, clock: Clock, monkeypatch: Any) -> LinkWorkerApp:
        monkeypatch.setenv("NO_COLOR", "1")
        return LinkWorkerApp(store_path=path, clock=clock, settings=Settings(theme="ansi-dark"))

    def test_today(
        self, snap_compare: Any, demo_path: Path, clock: Clock, monkeypatch: Any
    ) -> None:
        app = self._app(demo_path, clock, monkeypatch)
        assert snap_compare(app, press=["down"], terminal_size=(80, 24))

    def test_caseload(
        self, snap_compare: Any, demo_path: Path, clock: Clock, monkeypatch: Any
    ) -> None:
        app = self._app(demo_path, clock, monkeypatch)
        assert snap_compare(app, press=["f3", "down"], terminal_size=(80, 24))

    def test_reports_identifiable_switch(
        self, snap_compare: Any, demo_path: Path, clock: Clock, monkeypatch: Any
    ) -> None:
        async def run_before(pilot: Pilot[None]) -> None:
            await pilot.press("f5")
            await wait_for_report(pilot)
            pilot.app.screen.query_one("#report-output", Input).value = "exports/caseload.html"
            await pilot.pause()

        app = self._app(demo_path, clock, monkeypatch)
        assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
