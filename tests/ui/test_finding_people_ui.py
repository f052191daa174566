"""Finding people on screen (issue 13 item 5): the caseload filter, the palette, the keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.factories import add_person, add_person_with_referral, build_in
from tests.ui.conftest import StartApp
from textual.command import CommandList
from textual.widgets import DataTable, Input

from linkworker.store.db import Database
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.today import TodayScreen

from pilots import palette_offers, wait_for_screen, wait_until


def _caseload(db: Database) -> None:
    add_person(db, given_name="Mary", family_name="O'Neill-Smith", date_of_birth="23/11/1950")
    add_person(db, given_name="Bob", family_name="Ambrose", postcode="LS1 4AB")
    add_person(db, given_name="Ann", family_name="Young", phone="07700 900123")


@pytest.fixture
def caseload_path(store_path: Path) -> Path:
    build_in(store_path, _caseload)
    return store_path


def names_in(table: DataTable[object]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_the_filter_finds_people_as_spoken_of_and_keys_act_after_esc(
    caseload_path: Path, start_app: StartApp
) -> None:
    async with start_app(caseload_path, size=(100, 30)) as pilot:
        await pilot.press("f3")
        screen = await wait_for_screen(pilot, CaseloadScreen)
        table = screen.query_one(DataTable)
        screen.caseload_filter.sort, screen.caseload_filter.descending = "name", False
        screen.reload()
        assert names_in(table) == ["Bob Ambrose", "Mary O'Neill-Smith", "Ann Young"]
        for typed, who in (
            ("oneill", "Mary O'Neill-Smith"),
            ("23/11/1950", "Mary O'Neill-Smith"),
            ("ls14ab", "Bob Ambrose"),
            ("07700 900123", "Ann Young"),
        ):
            await pilot.press("slash")
            screen.query_one("#filter", Input).value = ""
            await pilot.press(*typed)
            await wait_until(pilot, lambda: table.row_count == 1, f"{typed!r} to find one")
            assert names_in(table) == [who]
        # After Esc back from a person, Caseload's keys act as keys (the filter lost focus).
        screen.query_one("#filter", Input).value = ""
        await pilot.press(*"oneill")  # the filter still has focus
        await wait_until(pilot, lambda: table.row_count == 1, "oneill to find one")
        await pilot.press("enter")  # Enter opens the one match
        await wait_for_screen(pilot, PersonScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, CaseloadScreen)
        box = screen.query_one("#filter", Input)
        assert not box.has_focus
        sorted_by = screen.caseload_filter.sort
        await pilot.press("s")
        await pilot.pause()
        assert screen.caseload_filter.sort != sorted_by  # s sorted ...
        assert box.value == "oneill"  # ... and typed nothing into the filter
        descending = screen.caseload_filter.descending
        await pilot.press("r")
        await pilot.pause()
        assert screen.caseload_filter.descending != descending
        assert box.value == "oneill"


async def test_the_palette_finds_oneill_and_shows_the_date_of_birth(
    caseload_path: Path, start_app: StartApp
) -> None:
    async with start_app(caseload_path, size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"oneill")
        palette = await palette_offers(pilot, "O'Neill-Smith")
        prompts = [str(o.prompt) for o in palette.query_one(CommandList).options]
        assert any("Mary O'Neill-Smith" in p and "born 23 Nov 1950" in p for p in prompts)


def _namesakes(db: Database) -> None:
    for born in ("1950-11-23", "1961-05-02"):
        add_person_with_referral(db, given_name="John", family_name="Smith", date_of_birth=born)


async def test_today_tells_two_people_with_one_name_apart(
    store_path: Path, start_app: StartApp
) -> None:
    build_in(store_path, _namesakes)
    async with start_app(store_path, size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, TodayScreen)
        table = screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        people = [row for row in rows if row[1] == "John Smith"]
        assert len(people) == 2
        assert people[0][2].startswith("born 23 Nov 1950 · ")
        assert people[1][2].startswith("born 2 May 1961 · ")
