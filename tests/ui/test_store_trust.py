"""The app never starts a new store over a lost one, and a damaged store opens read-only
(issue 19 items 3 and 5)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.widgets import Static

from linkworker.clock import Clock
from linkworker.store.backups import take_backup
from linkworker.store.db import open_store
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import MessageDialog
from linkworker.tui.screens.today import TodayScreen

from factories import damage_an_index
from pilots import wait_for_screen


def fault_body(app: LinkWorkerApp) -> str:
    assert isinstance(app.screen, MessageDialog)
    return str(app.screen.query_one("#message-body", Static).render())


def _backed_up(path: Path) -> Path:
    db = open_store(path)
    try:
        return take_backup(db, path, None, datetime(2026, 11, 22, 9, 0), kind="auto")
    finally:
        db.close()


async def test_an_empty_store_is_a_fault_not_a_first_run(demo_path: Path, clock: Clock) -> None:
    backup = _backed_up(demo_path)
    demo_path.write_bytes(b"")
    app = LinkWorkerApp(store_path=demo_path, clock=clock, unencrypted=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        body = fault_body(app)
        assert "is empty (0 bytes)" in body and f"Newest good backup: {backup}" in body
        await pilot.press("enter")
    assert app.return_code == 1
    assert demo_path.stat().st_size == 0


async def test_a_missing_store_with_backups_is_a_fault(demo_path: Path, clock: Clock) -> None:
    backup = _backed_up(demo_path)
    demo_path.unlink()
    app = LinkWorkerApp(store_path=demo_path, clock=clock, unencrypted=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        body = fault_body(app)
        assert "the store is missing" in body and f"Newest good backup: {backup}" in body
    assert not demo_path.exists()


async def test_a_damaged_store_opens_read_only_naming_the_backup(
    demo_path: Path, clock: Clock
) -> None:
    backup = _backed_up(demo_path)
    index = damage_an_index(demo_path)
    before = demo_path.read_bytes()
    app = LinkWorkerApp(store_path=demo_path, clock=clock, unencrypted=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, TodayScreen)
        assert app.read_only
        assert index in app.damaged and f"Newest good backup: {backup}" in app.damaged
        assert "READ-ONLY" in app.store_label
        shown = [n.message for n in app._notifications]
        assert any("is damaged" in m and "nothing can be changed" in m for m in shown)
    assert demo_path.read_bytes() == before
