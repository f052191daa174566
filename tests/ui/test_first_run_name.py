"""The first run asks for the worker's name (issue 13 item 6); skipped, once more only."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import StartApp

from linkworker.settings import Settings, load_settings
from linkworker.tui.screens.today import TodayScreen
from linkworker.tui.screens.worker_name import WorkerNameDialog

from pilots import press_save, type_into, wait_for_screen


async def test_the_first_run_asks_for_the_name_and_saves_it(
    empty_store_path: Path, tmp_path: Path, start_app: StartApp
) -> None:
    settings_file = tmp_path / "config" / "settings.toml"
    async with start_app(empty_store_path, ask_name_into=settings_file) as pilot:
        await wait_for_screen(pilot, WorkerNameDialog)
        await type_into(pilot, "worker_name", "Priya Shah")
        await press_save(pilot)
        await wait_for_screen(pilot, TodayScreen)
        assert pilot.app.settings.worker_name == "Priya Shah"
    settings, warnings = load_settings(settings_file)
    assert (settings.worker_name, warnings) == ("Priya Shah", [])
    async with start_app(empty_store_path, ask_name_into=settings_file, settings=settings) as pilot:
        await wait_for_screen(pilot, TodayScreen)  # named: never asked again


async def test_a_skipped_name_is_asked_once_more_at_the_next_start_only(
    empty_store_path: Path, tmp_path: Path, start_app: StartApp
) -> None:
    settings_file = tmp_path / "settings.toml"
    for _ in range(2):
        settings, _ = load_settings(settings_file)
        async with start_app(
            empty_store_path, ask_name_into=settings_file, settings=settings
        ) as pilot:
            await wait_for_screen(pilot, WorkerNameDialog)
            await pilot.press("escape")  # Skip
            await wait_for_screen(pilot, TodayScreen)
    settings, _ = load_settings(settings_file)
    assert settings.worker_name_asked == 2 and settings.worker_name == ""
    async with start_app(empty_store_path, ask_name_into=settings_file, settings=settings) as pilot:
        await wait_for_screen(pilot, TodayScreen)
        await pilot.pause()
        assert not isinstance(pilot.app.screen, WorkerNameDialog)
    assert Settings().worker_name_asked == 0
