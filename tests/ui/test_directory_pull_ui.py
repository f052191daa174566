"""`p` on the Directory screen pulls an ORUK API (a local server on 127.0.0.1) in a worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.factories import open_store
from tests.feed_server import serving
from tests.ui.pilots import wait_for_screen, wait_until
from tests.ui.test_directory_ui import focus_on_no
from textual.widgets import Button, Checkbox, Input, Static

from linkworker.clock import Clock
from linkworker.directory import pull
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.directory import DirectoryScreen
from linkworker.tui.screens.directory_pull import PullFeedScreen


def shown(app: LinkWorkerApp) -> str:
    return str(app.screen.query_one("#import-result", Static).content)


async def test_pull_a_feed_from_the_directory_screen(
    demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pull, "wait", lambda seconds: None)  # no real sleeping
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    with serving() as (served, url):
        served.faults[1] = ["500"] * 9
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f4", "enter", "p")
            await wait_for_screen(pilot, PullFeedScreen)
            app.screen.query_one("#url", Input).value = "ftp://council.example/api"
            await pilot.click("#save")
            await pilot.pause()
            error = str(app.screen.query_one("#url-error", Static).content)
            assert "not an http:// or https:// URL" in error
            # A feed that keeps failing: one line, nothing written.
            app.screen.query_one("#url", Input).value = url
            await pilot.click("#save")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert shown(app) == "Nothing pulled: page 1: HTTP 500 after 4 tries"
            served.faults.clear()
            await pilot.click("#save")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "imported: 5 new, 0 updated, 0 unchanged, 0 skipped" in shown(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DirectoryScreen)
    db = open_store(demo_path)
    try:
        assert len(pull.sources(db)) == 1
        assert db.execute("SELECT count(*) FROM activities WHERE name = 'Activity 3'").fetchone()
    finally:
        db.close()


async def test_a_whole_directory_pull_asks_first_and_a_large_change_asks_again(
    demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pull dialog asks what the import dialog asks: the whole-directory box before it
    starts, and (from the worker) before a pull that changes over 10% of the source."""
    monkeypatch.setattr(pull, "wait", lambda seconds: None)
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    with serving() as (served, url):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f4", "enter", "p")
            form = await wait_for_screen(pilot, PullFeedScreen)
            form.query_one("#url", Input).value = url
            form.query_one("#full", Checkbox).value = True
            form.query_one("#save", Button).press()  # not a click: one could land on a notice
            await pilot.pause()
            await wait_until(pilot, lambda: not form.running and "imported" in shown(app), "pull")
            form.query_one("#retire-missing", Checkbox).value = True
            form.query_one("#save", Button).press()  # not a click: one could land on a notice
            await pilot.pause()
            await wait_until(pilot, lambda: focus_on_no(app), "the whole-directory question")
            await pilot.press("enter")  # No: nothing runs
            await wait_until(pilot, lambda: app.screen is form, "back to the form")
            assert not form.running and served.requests[-1].find("page=1") >= 0
            asked_before = len(served.requests)
            form.query_one("#retire-missing", Checkbox).value = False
            for entry in served.services:  # the council renames every activity
                entry["name"] += " (new)"
            form.query_one("#save", Button).press()  # not a click: one could land on a notice
            await pilot.pause()
            await wait_until(
                pilot, lambda: focus_on_no(app) or not form.running, "the question or the end"
            )
            assert focus_on_no(app), shown(app)
            assert len(served.requests) > asked_before
            await pilot.press("enter")
            await wait_until(pilot, lambda: not form.running, "the pull to end")
            assert "nothing written: a large change was not confirmed" in shown(app)
    db = open_store(demo_path)
    try:
        query = "SELECT name FROM activities WHERE name LIKE 'Activity %'"
        names = [row[0] for row in db.execute(query)]
        assert names and not any(name.endswith("(new)") for name in names)
    finally:
        db.close()
