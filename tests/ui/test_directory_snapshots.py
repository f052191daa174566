"""Snapshots of the directory at 80x24, with today fixed so they never drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp


def test_directory_screen_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    # Enter moves from the search box to the list, so no blinking cursor is in the picture.
    assert snap_compare(app, press=["f4", "enter"], terminal_size=(80, 24))


def test_directory_search_shows_matched_words_80x24(
    snap_compare: Any, demo_path: Path, clock: Clock
) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["f4", *"walk", "enter"], terminal_size=(80, 24))
