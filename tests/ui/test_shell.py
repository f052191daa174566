"""The TUI shell: opens on Today, every section shows real rows, keys and help work."""

from __future__ import annotations

from pathlib import Path

from tests.factories import open_store
from textual.widgets import DataTable, Static

from linkworker.clock import Clock
from linkworker.settings import Settings
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.directory import DirectoryScreen
from linkworker.tui.screens.help import HelpScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.reports import ReportsScreen
from linkworker.tui.screens.today import TodayScreen
from linkworker.tui.widgets.activity_search import ActivitySearch


def make_app(path: Path, clock: Clock, **kwargs: object) -> LinkWorkerApp:
    return LinkWorkerApp(store_path=path, clock=clock, **kwargs)  # type: ignore[arg-type]


async def test_opens_on_today_with_the_agenda(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count > 3
        summary = str(app.screen.query_one("#today-summary", Static).render())
        assert "Due today:" in summary and "Overdue:" in summary
        assert "Mon 23 Nov 2026" in app.sub_title


async def test_every_section_lists_rows_from_the_store(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        assert app.screen.query_one(DataTable).row_count > 5
        assert "of 60" in str(app.screen.query_one("#caseload-status", Static).render())
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, DirectoryScreen)
        # The 74 active activities of the 77 in the starter, a screenful at a time.
        search = app.screen.query_one(ActivitySearch)
        assert search.total == 74
        assert 5 < search.row_count < 74
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReportsScreen)
        headline = str(app.screen.query_one("#reports-headline", Static).render())
        assert "60 people on record" in headline
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)


async def test_first_run_loads_the_starter_directory(store_path: Path, clock: Clock) -> None:
    app = make_app(store_path, clock, unencrypted=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")  # skips the lock passphrase offered to a plain store
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.query_one(ActivitySearch).total == 74  # the active ones
        assert app.db.execute("SELECT count(*) FROM activities").fetchone()[0] == 77
    # The starter directory was saved: it is there the next time the store is opened.
    db = open_store(store_path)
    assert db.execute("SELECT count(*) FROM activities").fetchone()[0] == 77
    db.close()


async def test_caseload_filters_as_you_type_and_opens_a_person(
    demo_path: Path, clock: Clock
) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.press("slash")
        name = app.db.execute("SELECT family_name FROM people ORDER BY id LIMIT 1").fetchone()[0]
        await pilot.press(*name.lower())
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        expected = app.db.execute(
            "SELECT count(*) FROM people WHERE family_name = ? OR given_name LIKE ?",
            [name, f"%{name}%"],
        ).fetchone()[0]
        assert table.row_count >= 1
        assert table.row_count <= expected + 5
        await pilot.press("enter")  # Enter in the filter opens the highlighted person
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        facts = str(app.screen.query_one("#person-facts", Static).render())
        assert name in facts
        await pilot.press("escape")
        assert isinstance(app.screen, CaseloadScreen)


async def test_help_lists_the_keys_of_the_screen_in_front(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"caseload.filter", "caseload.sort", "section.today", "help"} <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, CaseloadScreen)


async def test_keymap_from_settings_rebinds_by_id(demo_path: Path, clock: Clock) -> None:
    settings = Settings(keymap={"section.caseload": "f9"})
    app = make_app(demo_path, clock, settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)


async def test_settings_warnings_are_shown_and_the_app_still_opens(
    demo_path: Path, clock: Clock
) -> None:
    app = make_app(demo_path, clock, warnings=["settings.toml: gone_quiet_days = 'x' ignored"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert any("gone_quiet_days" in n.message for n in app._notifications)


async def test_a_file_that_is_not_a_store_shows_one_message(tmp_path: Path, clock: Clock) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\xff" * 5000)
    app = make_app(junk, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        body = str(app.screen.query_one("#message-body", Static).render())
        assert "not a readable linkworker store" in body
        await pilot.press("enter")
    assert app.return_code == 1
    assert junk.read_bytes() == b"\x00\xff" * 5000
