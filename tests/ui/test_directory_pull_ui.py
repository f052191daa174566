"""`p` on the Directory screen pulls an ORUK API (a local server on 127.0.0.1) in a worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.feed_server import serving
from tests.ui.pilots import wait_for_screen
from textual.widgets import Input, Static

from linkworker.clock import Clock
from linkworker.directory import pull
from linkworker.store.db import open_store
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
