"""A caseload filter keystroke (issue 18): the rows come with the letter, and a page that
does not change is not refilled."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.factories import add_person, build_in, stored_raw
from tests.ui.conftest import StartApp
from textual.widgets import DataTable, Input, Static

from linkworker import collector
from linkworker.store.db import Database
from linkworker.tui.screens.caseload import CaseloadScreen

from pilots import wait_for_screen


def _three(db: Database) -> dict[str, int]:
    return {
        "mary": add_person(db, given_name="Mary", family_name="O'Neill-Smith"),
        "bob": add_person(db, given_name="Bob", family_name="Ambrose"),
        "ann": add_person(db, given_name="Ann", family_name="Young"),
    }


@pytest.fixture
def three(store_path: Path) -> dict[str, int]:
    return build_in(store_path, _three)


def names_in(table: DataTable[Any]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


@asynccontextmanager
async def on_the_caseload(
    start_app: StartApp, path: Path
) -> AsyncIterator[tuple[Any, CaseloadScreen, DataTable[Any]]]:
    """The app open on the caseload of the store at ``path``: its pilot, screen and table."""
    async with start_app(path, size=(100, 30)) as pilot:
        await pilot.press("f3")
        screen = await wait_for_screen(pilot, CaseloadScreen)
        yield pilot, screen, screen.query_one(DataTable)


def counted_clears(table: DataTable[Any], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one each time the table is emptied to be filled again."""
    clears: list[int] = []
    clear = table.clear

    def counting(columns: bool = False) -> Any:
        clears.append(1)
        return clear(columns)

    monkeypatch.setattr(table, "clear", counting)
    return clears


async def test_the_rows_change_as_the_letter_goes_into_the_box(
    store_path: Path, three: dict[str, int], start_app: StartApp
) -> None:
    async with on_the_caseload(start_app, store_path) as (_pilot, screen, table):
        assert table.row_count == 3
        # No pause: the refill is part of the change itself, not a message handled later
        # (which would let Textual paint the letter alone first).
        screen.query_one("#filter", Input).value = "bob"
        assert names_in(table) == ["Bob Ambrose"]
        assert "matching" in str(screen.query_one("#caseload-status", Static).render())


async def test_a_letter_that_changes_no_row_leaves_the_table_alone(
    store_path: Path, three: dict[str, int], start_app: StartApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with on_the_caseload(start_app, store_path) as (pilot, screen, table):
        clears = counted_clears(table, monkeypatch)
        await pilot.press("slash", "b")
        await pilot.pause()
        assert names_in(table) == ["Bob Ambrose"] and len(clears) == 1
        await pilot.press("o")  # "bo" finds Bob alone too
        await pilot.pause()
        assert names_in(table) == ["Bob Ambrose"] and len(clears) == 1
        status = str(screen.query_one("#caseload-status", Static).render())
        assert 'matching "bo"' in status  # the status line still says what is matched
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert len(names_in(table)) == 3 and len(clears) == 2


async def test_a_row_whose_facts_changed_is_shown_again(
    store_path: Path, three: dict[str, int], start_app: StartApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with on_the_caseload(start_app, store_path) as (_pilot, screen, table):
        clears = counted_clears(table, monkeypatch)
        screen.reload()  # the same people, the same facts: nothing to repaint
        assert clears == []
        stored_raw(screen.db, "people", three["bob"], given_name="Robert")
        screen.reload()
        assert "Robert Ambrose" in names_in(table) and len(clears) == 1


def test_long_lived_objects_are_set_aside_once_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    froze: list[int] = []
    monkeypatch.setattr(collector, "_set_aside", False)
    monkeypatch.setattr(gc, "freeze", lambda: froze.append(1))
    collector.set_aside_long_lived()
    collector.set_aside_long_lived()
    assert froze == [1]
