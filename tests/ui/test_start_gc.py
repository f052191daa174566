"""The cycle collector, held by the command while the app starts, is let go (start_gc.py).

Never timed: what is checked is that it comes back on, after Today's first frame, or soon
after starting when Today is never painted, and that an app nobody held it for leaves it
alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkworker import start_gc
from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.passphrase import SetPassphraseScreen
from linkworker.tui.screens.today import TodayScreen


@pytest.fixture
def collector() -> Iterator[None]:
    """The test process's collector as it was, whatever a test did to it."""
    was_on = gc.isenabled()
    yield
    start_gc._held = False
    gc.unfreeze()
    if was_on:
        gc.enable()


def test_hold_and_resume(collector: None) -> None:
    start_gc.hold()
    assert not gc.isenabled()
    start_gc.resume()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    start_gc.resume()  # twice is once
    assert gc.isenabled()


def test_resume_leaves_alone_a_collector_it_did_not_hold(collector: None) -> None:
    gc.disable()  # someone else's choice
    start_gc.hold()
    start_gc.resume()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


async def test_the_app_lets_it_go_after_todays_first_frame(
    collector: None, demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(start_gc, "AT_THE_LATEST_SECONDS", 600.0)  # not the fallback
    start_gc.hold()
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        while not (isinstance(app.screen, TodayScreen) and app.store_checked):
            await pilot.pause()
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() > 0


async def test_the_app_lets_it_go_when_today_is_never_painted(
    collector: None, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(start_gc, "AT_THE_LATEST_SECONDS", 0.05)
    start_gc.hold()
    app = LinkWorkerApp(store_path=tmp_path / "new.db", clock=clock)  # asks for a passphrase
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, SetPassphraseScreen):
            await pilot.pause()
        for _ in range(400):  # the timer's 0.05 s, however busy the machine
            if gc.isenabled():
                break
            await pilot.pause(0.05)
        assert gc.isenabled() and isinstance(app.screen, SetPassphraseScreen)
