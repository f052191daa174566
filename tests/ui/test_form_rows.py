"""The shared pieces forms and lists are built from: text_row / choice_row, save_with,
file_path, highlighted_key and PagedList, each tested alone in a bare host app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Select

from linkworker.tui.dialogs import (
    FormDialog,
    FormError,
    choice_row,
    file_path,
    text_row,
)
from linkworker.tui.widgets.paging import PagedList
from linkworker.tui.widgets.tables import highlighted_key

CHOICES = [("Phone", "phone"), ("Home visit", "home_visit")]


class CallForm(FormDialog[str]):
    """A form that saves through save_with: a refusal keeps it open, then is told."""

    TITLE = "Log a call"

    def __init__(self) -> None:
        super().__init__()
        self.told: list[str] = []

    def compose_fields(self) -> ComposeResult:
        yield text_row("minutes", "Minutes", "15", "how long", integer=True)
        yield text_row("who", "Who *", hint="their name")
        yield choice_row("how", "How", CHOICES, "home_visit")
        yield choice_row("kind", "Kind *", CHOICES, prompt="Choose")

    def save(self) -> None:
        def write() -> str:
            who = str(self.value("who") or "")
            if not who:
                raise FormError("who", "give a name")
            return f"{who} by {self.value('how')}"

        self.save_with(write, then=self.told.append)


async def test_rows_are_named_fields_with_their_start_values(dialog_host: Any) -> None:
    form = CallForm()
    async with dialog_host(form) as pilot:
        await pilot.pause()
        minutes = form.query_one("#minutes", Input)
        assert (minutes.value, minutes.placeholder, minutes.type) == ("15", "how long", "integer")
        assert form.query_one("#who-hint") is not None
        assert form.query_one("#how", Select).value == "home_visit"
        assert form.query_one("#kind", Select).is_blank()
        assert form.labels()["kind"] == "Kind *"


async def test_save_with_shows_a_refusal_on_its_field_and_keeps_the_form_open(
    dialog_host: Any,
) -> None:
    form = CallForm()
    async with dialog_host(form) as pilot:
        app: Any = pilot.app
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "give a name" in str(form.query_one("#who-error").render())
        assert app.screen is form and form.told == [] and app.results == []
        form.query_one("#who", Input).value = "Pat"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert form.told == ["Pat by home_visit"]
    assert app.results == ["Pat by home_visit"]


def test_a_typed_file_name_goes_in_the_folder_unless_it_names_one(tmp_path: Path) -> None:
    assert file_path(" plan.md ", "path", tmp_path) == tmp_path / "plan.md"
    assert file_path(str(tmp_path / "x" / "a.txt"), "path", Path("/elsewhere")) == (
        tmp_path / "x" / "a.txt"
    )
    assert file_path("~/a.txt", "path", tmp_path) == Path.home() / "a.txt"
    with pytest.raises(FormError) as refused:
        file_path("  ", "path", tmp_path)
    assert refused.value.field == "path"


class Rows(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")


async def test_highlighted_key_is_the_row_under_the_cursor_or_none() -> None:
    app = Rows()
    async with app.run_test() as pilot:
        table = app.query_one(DataTable)
        assert highlighted_key(table) is None
        table.add_column("Name")
        table.add_row("Ann", key="7")
        table.add_row("Bob", key="9")
        table.move_cursor(row=1)
        await pilot.pause()
        assert highlighted_key(table) == "9"


class Search:
    text = ""


class Pages(PagedList):
    """A list of 25 rows, ten a page, that counts its reloads."""

    def __init__(self) -> None:
        self.page_offset = 20
        self.total = 25
        self.reloads = 0
        self.search = Search()

    @property
    def page_size(self) -> int:
        return 10

    def reload(self) -> None:
        self.reloads += 1


def test_a_paged_list_turns_pages_and_searches_from_page_one() -> None:
    pages = Pages()
    pages.action_page(1)  # past the last page: nothing happens
    assert (pages.page_offset, pages.reloads) == (20, 0)
    pages.action_page(-1)
    assert (pages.page_offset, pages.reloads) == (10, 1)
    pages.search_for("walk", pages.search)
    assert (pages.search.text, pages.page_offset, pages.reloads) == ("walk", 0, 2)
