"""The cycle collector, held by the command while the app starts, is let go (collector.py).

Never timed: what is checked is that it comes back on, after Today's first frame, or soon
after starting when Today is never painted, and that an app nobody held it for leaves it
alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkworker import collector
from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.passphrase import SetPassphraseScreen
from linkworker.tui.screens.today import TodayScreen


@pytest.fixture
def collector_state() -> Iterator[None]:
    """The test process's collector on again, whatever a test did to it (what a test froze
    stays frozen, as it would in the app)."""
    was_on = gc.isenabled()
    yield
    collector._held = False
    if was_on:
        gc.enable()


def test_hold_and_resume(collector_state: None) -> None:
    collector.hold_for_start()
    assert not gc.isenabled()
    collector.resume_after_start()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    collector.resume_after_start()  # twice is once
    assert gc.isenabled()


def test_resume_leaves_alone_a_collector_it_did_not_hold(collector_state: None) -> None:
    frozen = gc.get_freeze_count()
    gc.disable()  # someone else's choice
    collector.hold_for_start()
    collector.resume_after_start()
    assert not gc.isenabled() and gc.get_freeze_count() == frozen


async def test_the_app_lets_it_go_after_todays_first_frame(
    collector_state: None, demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collector, "AT_THE_LATEST_SECONDS", 600.0)  # not the fallback
    collector.hold_for_start()
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        while not (isinstance(app.screen, TodayScreen) and app.store_checked):
            await pilot.pause()
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() > 0


async def test_the_app_lets_it_go_when_today_is_never_painted(
    collector_state: None, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collector, "AT_THE_LATEST_SECONDS", 0.05)
    collector.hold_for_start()
    app = LinkWorkerApp(store_path=tmp_path / "new.db", clock=clock)  # asks for a passphrase
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, SetPassphraseScreen):
            await pilot.pause()
        for _ in range(400):  # the timer's 0.05 s, however busy the machine
            if gc.isenabled():
                break
            await pilot.pause(0.05)
        assert gc.isenabled() and isinstance(app.screen, SetPassphraseScreen)
