"""A section switch restyles the screen it shows only when something app-wide changed while
it was hidden (screens/base.ResumesWithItsStyles, issue 18). Never timed: what is counted is
how many widgets Textual restyled, and what is checked is the colours after the switch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.widgets import DataTable

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.today import TodayScreen

from pilots import wait_until


@pytest.fixture
def restyled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every node Textual restyles through its stylesheet, as it does it."""
    seen: list[Any] = []
    update_nodes = Stylesheet.update_nodes

    def counted(self: Stylesheet, nodes: Any, animate: bool = False) -> None:
        nodes = list(nodes)
        seen.extend(nodes)
        update_nodes(self, nodes, animate=animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    yield seen


async def _to(pilot: Any, app: LinkWorkerApp, section: str, kind: type) -> None:
    app.action_section(section)
    await wait_until(pilot, lambda: isinstance(app.screen, kind), f"{section} shown")
    await pilot.pause()


async def _caseload_hidden(pilot: Any, app: LinkWorkerApp) -> Any:
    """Caseload shown once and hidden again behind Today; the Caseload screen."""
    await wait_until(pilot, lambda: app.store_checked, "the store checked")
    await _to(pilot, app, "caseload", CaseloadScreen)
    await _to(pilot, app, "today", TodayScreen)
    return app.get_screen_stack("caseload")[0]


async def test_a_later_switch_restyles_no_widget_of_the_screen_it_shows(
    demo_path: Path, clock: Clock, restyled: list[Any]
) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        caseload = await _caseload_hidden(pilot, app)
        restyled.clear()
        await _to(pilot, app, "caseload", CaseloadScreen)
        whole = list(caseload.walk_children(with_self=True))
        assert len(whole) > 30
        assert sum(node in whole for node in restyled) < len(whole) // 5


async def test_a_theme_changed_in_another_section_restyles_the_screen_on_return(
    demo_path: Path, clock: Clock
) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.store_checked, "the store checked")
        await _to(pilot, app, "caseload", CaseloadScreen)
        table = app.screen.query_one(DataTable)
        dark = table.styles.background
        await _to(pilot, app, "today", TodayScreen)
        app.theme = "textual-light"
        await pilot.pause()
        await _to(pilot, app, "caseload", CaseloadScreen)
        assert table.styles.background != dark
        assert table.styles.background == app.screen.query_one(DataTable).styles.background


async def test_the_app_losing_focus_while_a_section_is_hidden_restyles_it_on_return(
    demo_path: Path, clock: Clock, restyled: list[Any]
) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        caseload = await _caseload_hidden(pilot, app)
        app.app_focus = False  # the terminal lost focus: Textual restyles Today only
        await pilot.pause()
        restyled.clear()
        await _to(pilot, app, "caseload", CaseloadScreen)
        whole = list(caseload.walk_children(with_self=True))
        assert all(node in restyled for node in whole)
