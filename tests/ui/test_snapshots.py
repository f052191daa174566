"""Snapshot tests of the main screens, with today fixed so they never drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp


def test_caseload_screen_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["f3"], terminal_size=(80, 24))


def test_person_screen_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["f3", "enter"], terminal_size=(80, 24))


def test_referral_form_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["f3", "n"], terminal_size=(80, 24))


def test_lock_screen_hides_the_caseload_80x24(
    snap_compare: Any, encrypted_demo_path: Path, clock: Clock, passphrase: str
) -> None:
    app = LinkWorkerApp(store_path=encrypted_demo_path, clock=clock, key=passphrase)
    assert snap_compare(app, press=["f3", "ctrl+l"], terminal_size=(80, 24))


def test_passphrase_screen_at_start_80x24(
    snap_compare: Any, encrypted_demo_path: Path, clock: Clock
) -> None:
    app = LinkWorkerApp(store_path=encrypted_demo_path, clock=clock)
    assert snap_compare(app, terminal_size=(80, 24))


def test_set_passphrase_screen_80x24(snap_compare: Any, store_path: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    assert snap_compare(app, terminal_size=(80, 24))
