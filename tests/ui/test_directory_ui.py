"""The directory in the app: search as you type, filters, an activity's details, verifying,
hand edits, connecting people, suggestions, the shortlist and importing a feed."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text
from tests.factories import open_store
from textual.app import App
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, OptionList, Select, Static

from linkworker import directory
from linkworker.clock import Clock
from linkworker.models import ActivityDetails
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ConfirmDialog
from linkworker.tui.screens.activity import ActivityScreen
from linkworker.tui.screens.activity_form import ActivityFormScreen
from linkworker.tui.screens.connections import (
    ActivityPickerScreen,
    ConnectScreen,
    MoveConnectionScreen,
    PersonPickerScreen,
)
from linkworker.tui.screens.directory import DirectoryScreen
from linkworker.tui.screens.directory_files import ExportFeedScreen, ImportFeedScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.person_activities import (
    PersonActivitiesScreen,
    SaveShortlistScreen,
    ShortlistScreen,
    SuggestionsScreen,
)
from linkworker.tui.widgets.activity_search import ACTIVE, ActivitySearch

from pilots import (
    back_to_section,
    each_check,
    palette_offers,
    type_into,
    wait_for_screen,
    wait_until,
)

#: conftest's ``dialog_host`` fixture: ``async with dialog_host(dialog, db=db) as pilot``.
HostDialog = Callable[..., AbstractAsyncContextManager[Pilot[None]]]
#: conftest's ``start_app`` fixture: ``async with start_app(path) as pilot``.
StartApp = Callable[..., AbstractAsyncContextManager[Pilot[Any]]]
#: One check of a screen, run by a test that shares one start of the app among several.
Check = Callable[[Pilot[Any]], Awaitable[None]]


def make_app(path: Path, clock: Clock) -> LinkWorkerApp:
    return LinkWorkerApp(store_path=path, clock=clock)


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text (Rich renderables rendered, styles dropped)."""
    content = widget.content
    if isinstance(content, str):
        return content
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def prompts(app: LinkWorkerApp) -> list[Text]:
    results = app.screen.query_one("#activities", OptionList)
    return [o.prompt for o in results.options]  # type: ignore[misc]


def store(path: Path) -> Database:
    return open_store(path)


async def search_for(pilot: Pilot[Any], words: str, *, box: str = "search") -> None:
    """Put ``words`` in the search box ``#box``, which has the focus, as a paste would.

    For a test whose subject is what is found, not the typing (typing a key at a time,
    each key searched: test_search_as_you_type_shows_the_words_that_matched).
    """
    assert pilot.app.focused is pilot.app.screen.query_one(f"#{box}"), f"#{box} has the focus"
    await type_into(pilot, box, words)


@asynccontextmanager
async def dialog_on_store(
    dialog_host: HostDialog, dialog: Screen[Any], path: Path
) -> AsyncIterator[Pilot[None]]:
    """``dialog`` alone (conftest's dialog_host) on the store at ``path``: a dialog whose
    thread worker opens its own connection (import, export) finds it at ``store_path``."""
    db = store(path)
    try:
        async with dialog_host(dialog, db=db, store_path=path) as pilot:
            yield pilot
    finally:
        db.close()


def walks_id(path: Path) -> int:
    db = store(path)
    try:
        return int(
            db.execute(
                "SELECT id FROM activities WHERE name = 'Haverleigh Health Walks'"
            ).fetchone()[0]
        )
    finally:
        db.close()


# --- the Directory's search, filters and list: checks that share one start ------------------


async def back_to_the_directory(pilot: Pilot[Any]) -> None:
    """The Directory in front as F4 first shows it: the search box empty and focused, no
    filter chosen, Active activities shown (whatever the check before left open)."""
    screen = await back_to_section(pilot, DirectoryScreen, "f4")
    for name in ("category", "day", "time", "area", "cost"):
        screen.query_one(f"#{name}", Select).clear()
    screen.query_one("#show", Select).value = ACTIVE
    screen.query_one(ActivitySearch).clear_search()
    await pilot.pause()


async def each_on_the_directory(pilot: Pilot[Any], checks: list[Check]) -> None:
    """Run every check on the Directory of the one app, each from the same start
    (back_to_the_directory); pilots.each_check reports each that fails."""

    async def run(check: Check) -> None:
        await back_to_the_directory(pilot)
        await check(pilot)

    await each_check(checks, run)


async def search_as_you_type_shows_the_words_that_matched(pilot: Pilot[Any]) -> None:
    app = pilot.app
    search = app.screen.query_one(ActivitySearch)
    assert search.total == 74
    await pilot.press("w")
    await pilot.pause()
    after_one = search.total
    await pilot.press(*"alk")
    await pilot.pause()
    assert search.total == 12 < after_one
    assert search.row_names()[0] == "Haverleigh Health Walks"
    first = prompts(app)[0]
    assert first.plain.startswith("Haverleigh Health Walks")
    bold = [
        first.plain[s.start : s.end]
        for s in first.spans
        if "bold" in str(s.style) and "reverse" in str(s.style)
    ]
    assert "Walks" in bold
    match_line = text_of(app.screen.query_one("#match-line", Static))
    assert match_line.startswith("Matched description:") and "walks" in match_line
    status = text_of(app.screen.query_one("#directory-status", Static))
    assert status.startswith("1-12 of 12 activities")
    await pilot.press("escape")
    await pilot.pause()
    assert search.total == 74


async def filters_narrow_the_results(pilot: Pilot[Any]) -> None:
    app = pilot.app
    search = app.screen.query_one(ActivitySearch)
    app.screen.query_one("#day", Select).value = "TU"
    await pilot.pause()
    on_tuesdays = search.total
    assert 0 < on_tuesdays < 74
    app.screen.query_one("#time", Select).value = "evening"
    await pilot.pause()
    assert 0 < search.total < on_tuesdays
    app.screen.query_one("#cost", Select).value = "free"
    await pilot.pause()
    status = text_of(app.screen.query_one("#directory-status", Static))
    assert "Tuesdays, evenings, free" in status
    db = store(app.store_path)
    try:
        for name in search.row_names():
            row = db.execute(
                "SELECT days, is_free FROM activities WHERE name = ?", [name]
            ).fetchone()
            assert "TU" in json.loads(row[0]) and row[1] == 1
    finally:
        db.close()
    # Back to "Any day": the filter is dropped, not searched for.
    app.screen.query_one("#day", Select).clear()
    app.screen.query_one("#time", Select).clear()
    app.screen.query_one("#cost", Select).clear()
    await pilot.pause()
    assert search.total == 74
    app.screen.query_one("#show", Select).value = "everything"
    await pilot.pause()
    assert search.total == 77


async def down_from_the_search_box_goes_to_the_list(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await pilot.press(*"choir", "down")
    await pilot.pause()
    assert app.focused is app.screen.query_one("#activities", OptionList)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ActivityScreen)


async def test_the_directory_search_its_filters_and_its_list(
    demo_path: Path, start_app: StartApp
) -> None:
    """Three checks of the Directory as F4 shows it, on one start of the app: searching as
    you type, the filters, and Down from the search box (each fails alone)."""
    async with start_app(demo_path) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        await each_on_the_directory(
            pilot,
            [
                search_as_you_type_shows_the_words_that_matched,
                filters_narrow_the_results,
                down_from_the_search_box_goes_to_the_list,
            ],
        )


async def test_open_an_activity_and_mark_it_verified(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await search_for(pilot, "fennick stroll")
        await pilot.press("enter", "enter")  # to the list, then open
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)
        details = text_of(app.screen.query_one("#activity-details", Static))
        assert "Fennick Green Village Stroll" in details
        assert "⚠ STALE: last checked 18 Sep 2025" in details
        assert "never by you" in details
        await pilot.press("v")
        await pilot.pause()
        details = text_of(app.screen.query_one("#activity-details", Static))
        assert "✓ checked 23 Nov 2026" in details and "STALE" not in details
        db = store(demo_path)
        row = db.execute(
            "SELECT verified_on FROM activities WHERE name = 'Fennick Green Village Stroll'"
        ).fetchone()
        db.close()
        assert row[0] == "2026-11-23"
        # Favourite and a private note, from the same screen.
        await pilot.press("f")
        await pilot.press("n")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#notes-text")  # typing goes to the note
        await type_into(pilot, "notes-text", "ask for Sue")
        await pilot.press("ctrl+s")
        await pilot.pause()
        details = text_of(app.screen.query_one("#activity-details", Static))
        assert details.startswith("★ ") and "ask for Sue  (private)" in details


async def test_markup_and_escapes_from_a_feed_are_shown_literally(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.json"
    name = "[bold]FREE[/] \x1b[31mlunch"
    feed.write_text(
        json.dumps(
            {
                "contents": [
                    {
                        "id": "x1",
                        "name": name,
                        "description": "[red]Soup[/] and \x1b[2Jbread",
                        "assured_date": "2026-11-01",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    db = store(demo_path)
    directory.import_feed(db, feed, clock)
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await search_for(pilot, "free soup")
        [line] = prompts(app)
        assert line.plain.startswith("[bold]FREE[/] ␛[31mlunch")
        assert "\x1b" not in line.plain
        await pilot.press("enter", "enter")
        await pilot.pause()
        details = text_of(app.screen.query_one("#activity-details", Static))
        assert "[bold]FREE[/] ␛[31mlunch" in details
        assert "[red]Soup[/] and ␛[2Jbread" in details
        assert app.screen.sub_title == "[bold]FREE[/] ␛[31mlunch"


async def test_connect_a_person_and_move_the_connection_to_attended(
    demo_path: Path, clock: Clock
) -> None:
    db = store(demo_path)
    pid = int(
        db.execute(
            "SELECT id FROM people WHERE id NOT IN (SELECT person_id FROM connections) LIMIT 1"
        ).fetchone()[0]
    )
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_person(pid)
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ActivityPickerScreen)
        await search_for(pilot, "health walks")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen)
        app.screen.query_one("#kind", Select).value = "referral"
        app.screen.query_one("#note", Input).value = "gave a leaflet"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        db = store(demo_path)
        conn = db.execute(
            "SELECT id, kind, status, feedback FROM connections WHERE person_id = ?", [pid]
        ).fetchone()
        db.close()
        assert conn[1:] == ("referral", "suggested", "23 Nov 2026 suggested: gave a leaflet")
        timeline = app.screen.query_one("#timeline")
        cells = [str(timeline.get_row_at(i)[1]) for i in range(timeline.row_count)]  # type: ignore[attr-defined]
        assert any("Connected to Haverleigh Health Walks (referral)" in c for c in cells)
        # Move it on from the person's activities.
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, PersonActivitiesScreen)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoveConnectionScreen)
        await pilot.press("enter")  # open the status list
        await pilot.press("down", "enter")  # referred -> attended
        await pilot.pause()
        assert app.screen.query_one("#status", Select).value == "attended"
        app.screen.query_one("#feedback", Input).value = "loved it"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonActivitiesScreen)
        db = store(demo_path)
        status = db.execute(
            "SELECT status, attended_on, feedback FROM connections WHERE id = ?", [conn[0]]
        ).fetchone()
        db.close()
        assert status[:2] == ("attended", "2026-11-23")
        assert status[2].endswith("23 Nov 2026 attended: loved it")
        feedback = text_of(app.screen.query_one("#person-connection-feedback", Static))
        assert "attended: loved it" in feedback
        # An illegal move is refused with the core's words, and nothing changes.
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#on", Input).value = "01/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MoveConnectionScreen)
        error = text_of(app.screen.query_one("#form-message", Static))
        assert "is before the last change" in error


async def test_connect_from_an_activity_by_picking_a_person(demo_path: Path, clock: Clock) -> None:
    activity = walks_id(demo_path)
    db = store(demo_path)
    pid, family = db.execute(
        "SELECT id, family_name FROM people WHERE id NOT IN "
        "(SELECT person_id FROM connections WHERE activity_id = ?) ORDER BY id LIMIT 1",
        [activity],
    ).fetchone()
    given = db.execute("SELECT given_name FROM people WHERE id = ?", [pid]).fetchone()[0]
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_activity(activity)
        await pilot.pause()
        before = app.screen.query_one("#activity-connections").row_count  # type: ignore[attr-defined]
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PersonPickerScreen)
        await search_for(pilot, f"{given} {family}".lower(), box="who")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConnectScreen)
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)
        table = app.screen.query_one("#activity-connections")
        assert table.row_count == before + 1  # type: ignore[attr-defined]
        title = text_of(app.screen.query_one("#activity-connections-title", Static))
        assert "for your eyes only" in title


async def test_add_an_activity_by_hand_with_validation(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "enter", "n")
        await pilot.pause()
        assert isinstance(app.screen, ActivityFormScreen)
        form = app.screen
        form.query_one("#name", Input).value = "Knit and Natter"
        form.query_one("#postcode", Input).value = "XX1"
        form.query_one("#days", Input).value = "Tue"
        form.query_one("#opens_at", Input).value = "14:00"
        form.query_one("#closes_at", Input).value = "13:00"
        form.query_one("#email", Input).value = "knit@"
        await pilot.pause()  # the fields' Changed messages arrive before Save
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActivityFormScreen)
        assert "'XX1' is not a UK postcode" in text_of(form.query_one("#postcode-error", Static))
        assert "13:00 is not after the opening time 14:00" in text_of(
            form.query_one("#closes_at-error", Static)
        )
        assert text_of(form.query_one("#email-error", Static)).strip()
        assert form.query_one("#postcode-row").has_class("-has-error")  # its error line shows
        db = store(demo_path)
        assert (
            db.execute("SELECT count(*) FROM activities WHERE origin = 'hand'").fetchone()[0] == 0
        )
        db.close()
        form.query_one("#postcode", Input).value = "hv2 4ab"
        form.query_one("#closes_at", Input).value = "16:00"
        form.query_one("#email", Input).value = "knit@example.org"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)
        details = text_of(app.screen.query_one("#activity-details", Static))
        assert "Knit and Natter" in details and "added by you" in details
        assert "Tuesdays, 2pm to 4pm" in details and "HV2 4AB" in details
        # Edit it: the form comes back filled in.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#days", Input).value == "Tue"
        app.screen.query_one("#cost", Input).value = "£2 with tea"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "£2 with tea" in text_of(app.screen.query_one("#activity-details", Static))


async def test_retiring_asks_first_and_keeps_peoples_histories(
    demo_path: Path, clock: Clock
) -> None:
    activity = walks_id(demo_path)
    db = store(demo_path)
    pid = int(
        db.execute(
            "SELECT person_id FROM connections WHERE activity_id = ? LIMIT 1", [activity]
        ).fetchone()[0]
    )
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_activity(activity)
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "People's records keep it" in text_of(app.screen.query_one("#confirm-body", Static))
        await pilot.press("enter")  # Enter on the focused Cancel: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)
        db = store(demo_path)
        assert (
            db.execute("SELECT retired FROM activities WHERE id = ?", [activity]).fetchone()[0] == 0
        )
        db.close()
        await pilot.press("R")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        details = text_of(app.screen.query_one("#activity-details", Static))
        assert "RETIRED" in details
        await pilot.press("escape")
        app.open_person(pid)
        await pilot.pause()
        timeline = app.screen.query_one("#timeline")
        cells = [str(timeline.get_row_at(i)[1]) for i in range(timeline.row_count)]  # type: ignore[attr-defined]
        assert any("Haverleigh Health Walks (retired)" in c for c in cells)
        await pilot.press("f4")
        await search_for(pilot, "health walks")
        assert "Haverleigh Health Walks" not in app.screen.query_one(ActivitySearch).row_names()


async def test_import_a_feed_from_the_app_in_a_worker(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    feed = tmp_path / "council.json"
    feed.write_text(
        json.dumps(
            {
                "contents": [
                    {"id": "c1", "name": "Saxby Cross Book Club", "status": "active"},
                    {"id": "c2", "description": "no name here"},
                ]
            }
        ),
        encoding="utf-8",
    )
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4", "enter", "i")
        await pilot.pause()
        assert isinstance(app.screen, ImportFeedScreen)
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.json")
        await pilot.click("#save")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = text_of(app.screen.query_one("#import-result", Static))
        assert result == "Nothing imported. missing.json: no such file or folder"
        app.screen.query_one("#path", Input).value = str(feed)
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = text_of(app.screen.query_one("#import-result", Static))
        assert "council.json: imported: 1 new, 0 updated, 0 unchanged, 1 skipped" in result
        assert "record 2 (c2): skipped: name: missing name" in result
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DirectoryScreen)
        # x opens the export dialog (the dialog itself: test_the_export_dialog_alone_...).
        await pilot.press("x")
        await wait_for_screen(pilot, ExportFeedScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, DirectoryScreen)
        await pilot.press("slash")
        await search_for(pilot, "saxby book")
        assert app.screen.query_one(ActivitySearch).row_names() == ["Saxby Cross Book Club"]


async def test_suggestions_then_a_shortlist_written_to_a_file(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    db = store(demo_path)
    pid = int(
        db.execute(
            "SELECT person_id FROM referrals WHERE needs LIKE '%loneliness%' LIMIT 1"
        ).fetchone()[0]
    )
    db.close()
    target = tmp_path / "shortlist.md"
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_person(pid)
        await pilot.pause()
        await pilot.press("A", "s")
        await pilot.pause()
        assert isinstance(app.screen, SuggestionsScreen)
        why = text_of(app.screen.query_one("#suggest-why", Static))
        assert why.startswith("Why: matches: ") and " → " in why
        await pilot.press("space", "space")
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, ShortlistScreen)
        assert len(app.screen.activity_ids) == 2
        preview = text_of(app.screen.query_one("#shortlist-text", Static))
        assert preview.startswith("ACTIVITIES FOR ") and "HOW TO GET IN TOUCH" in preview
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, SaveShortlistScreen)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# Activities for ")
        # The same name again: never replaced on Enter; the Replace button does it.
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.pause()  # a .md name picks Markdown; then choose plain text
        app.screen.query_one("#format", Select).value = "text"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveShortlistScreen)
        assert "already exists" in text_of(app.screen.query_one("#form-warning", Static))
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# Activities")
        assert str(app.screen.query_one("#save", Button).label) == "Replace (Ctrl+S)"
        await pilot.click("#save")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("ACTIVITIES FOR ")


async def test_the_picker_from_a_person_filters_by_their_age(demo_path: Path, clock: Clock) -> None:
    db = store(demo_path)
    details = ActivityDetails(name="Teen Art Club", min_age=11, max_age=17)
    directory.add_activity(db, details, clock)
    pid = int(
        db.execute("SELECT id FROM people WHERE date_of_birth < '1990-01-01' LIMIT 1").fetchone()[0]
    )
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_person(pid)
        await pilot.pause()
        await pilot.press("l")
        await search_for(pilot, "teen art")
        search = app.screen.query_one(ActivitySearch)
        assert search.total == 0
        app.screen.query_one("#age", Select).value = "any"
        await pilot.pause()
        assert search.row_names() == ["Teen Art Club"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)


async def test_the_command_palette_opens_an_activity_by_name(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        box = palette.query_one(CommandInput)
        assert app.focused is box  # typing goes to the palette's search
        box.insert_text_at_cursor("health walks")  # as a paste: the palette searches once
        await palette_offers(pilot, "health walks")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)
        assert app.screen.activity_id == walks_id(demo_path)


async def test_the_export_dialog_alone_never_replaces_a_file_on_enter(
    demo_path: Path, tmp_path: Path, dialog_host: HostDialog
) -> None:
    target = tmp_path / "directory.json"
    target.write_text("keep me", encoding="utf-8")
    async with dialog_on_store(dialog_host, ExportFeedScreen(), demo_path) as pilot:
        app = pilot.app
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in text_of(app.screen.query_one("#export-result", Static))
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert target.read_text(encoding="utf-8") == "keep me"
        app.screen.query_one("#save", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrote 77 activities" in text_of(app.screen.query_one("#export-result", Static))
    page = json.loads(target.read_text(encoding="utf-8"))
    assert page["total_items"] == 77 and "x_linkworker" not in page["contents"][0]


def focus_on_no(app: App[Any]) -> bool:
    """A ConfirmDialog is up, composed, with the focus on its No button."""
    screen = app.screen
    return (
        isinstance(screen, ConfirmDialog)
        and bool(screen.query("#no"))
        and (app.focused is screen.query_one("#no", Button))
    )


async def test_a_whole_directory_import_asks_first_and_a_large_change_asks_again(
    demo_path: Path, tmp_path: Path, dialog_host: HostDialog
) -> None:
    """The import dialog alone (F4 then i opens it: test_import_a_feed_from_the_app_in_a_worker)."""
    feed = tmp_path / "council.json"
    feed.write_text(json.dumps({"contents": [{"id": "c1", "name": "Book Club"}]}), "utf-8")
    db = store(demo_path)
    held = directory.activity_count(db)
    db.close()
    form = ImportFeedScreen()
    async with dialog_on_store(dialog_host, form, demo_path) as pilot:
        app = pilot.app
        assert app.screen is form
        form.query_one("#path", Input).value = str(feed)
        form.query_one("#retire-missing", Checkbox).value = True
        await pilot.click("#save")
        await wait_until(pilot, lambda: focus_on_no(app), "the question, focus on No")
        await pilot.press("enter")  # No: nothing runs
        await wait_until(pilot, lambda: app.screen is form, "back to the form")
        assert not form.running
        for _ in range(2):  # yes twice: missed by two full imports in a row
            await pilot.click("#save")
            await wait_until(pilot, lambda: focus_on_no(app), "the question")
            await pilot.click("#yes")
            await wait_until(
                pilot,
                lambda: isinstance(app.screen, ConfirmDialog) or not form.running,
                "the import to finish or ask",
            )
        # The second would retire nearly every imported activity: asked, focus on No.
        await wait_until(pilot, lambda: focus_on_no(app), "the large-change question")
        assert "would change 0 and retire" in text_of(app.screen.query_one("#confirm-body"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not form.running, "the import to end")
        result = text_of(form.query_one("#import-result", Static))
        assert "nothing written: a large change was not confirmed" in result
    db = store(demo_path)
    assert directory.activity_count(db) == held + 1
    db.close()
