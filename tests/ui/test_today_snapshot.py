"""Snapshot of Today at 80x24 over the demo caseload, with today fixed so it never drifts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp


def test_today_screen_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, terminal_size=(80, 24))


def test_book_follow_up_dialog_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["b"], terminal_size=(80, 24))
