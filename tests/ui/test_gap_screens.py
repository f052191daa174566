"""Recording an unmet need (the gap dialog alone, from the record's N and from the
activity search's "nothing fits"), and the Reports screen's other reports (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from tests.factories import CLOCK, add_person_with_referral, open_store
from textual.widgets import Checkbox, Input, Select, Static

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.connections import ActivityPickerScreen
from linkworker.tui.screens.gap_form import GapScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.reports import ReportsScreen

from pilots import open_person, press_save, type_into, wait_for_report, wait_for_screen, wait_until


async def test_the_dialog_alone_starts_from_the_referral_and_names_what_is_missing(
    dialog_host: Any, tmp_path: Path
) -> None:
    db = open_store(tmp_path / "s.db")
    pid, _ = add_person_with_referral(db, CLOCK, postcode="HV3 4CD", referral={"needs": "housing"})
    async with dialog_host(GapScreen(pid), db=db, clock=CLOCK) as pilot:
        screen = pilot.app.screen
        assert screen.query_one("#need", Select).value == "housing"
        assert screen.query_one("#barrier", Select).value is Select.NULL
        await press_save(pilot)
        assert "is required" in str(screen.query_one("#barrier-error", Static).render())
        assert not pilot.app.results
        screen.query_one("#barrier", Select).value = "transport"
        await type_into(pilot, "note", "no bus to the centre after 4pm")
        await press_save(pilot)
        await wait_until(pilot, lambda: bool(pilot.app.results), "the save")
    row = db.execute("SELECT need, barrier, area, note, searched FROM gaps").fetchone()
    assert tuple(row) == ("housing", "transport", "HV3", "no bus to the centre after 4pm", None)
    db.close()


async def test_n_on_the_record_records_one_and_the_timeline_shows_it(
    demo_path: Path, clock: Clock
) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_person(pilot, 3)
        await pilot.press("N")
        gap = await wait_for_screen(pilot, GapScreen)
        gap.query_one("#barrier", Select).value = "cost"
        await press_save(pilot)
        await wait_for_screen(pilot, PersonScreen)
        timeline = screen.query_one("#timeline")
        cells = [str(timeline.get_row_at(i)[1]) for i in range(timeline.row_count)]  # type: ignore[attr-defined]
        assert any(c.startswith("Unmet need: ") and "(cost)" in c for c in cells)


async def test_nothing_fits_in_the_activity_search_records_what_was_searched(
    demo_path: Path, clock: Clock
) -> None:
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_person(pilot, 4)
        await pilot.press("l")
        picker = await wait_for_screen(pilot, ActivityPickerScreen)
        await pilot.press(*"zumba")
        await pilot.press("ctrl+n")
        gap = await wait_for_screen(pilot, GapScreen)
        assert gap.query_one("#barrier", Select).value == "no_activity"
        assert "searched for: zumba" in str(gap.query_one("#note-hint", Static).render())
        await press_save(pilot)
        # Back in the search, to look again or go back.
        assert await wait_for_screen(pilot, ActivityPickerScreen) is picker
        assert any("gap report" in n.message for n in app._notifications)
    db = open_store(demo_path)
    row = db.execute("SELECT person_id, barrier, searched FROM gaps").fetchone()
    db.close()
    assert tuple(row) == (4, "no_activity", "zumba")


def words(screen: ReportsScreen, selector: str) -> str:
    console = Console(width=120, color_system=None)
    with console.capture() as captured:
        console.print(screen.query_one(selector, Static).content)
    return captured.get()


async def test_the_reports_screen_shows_and_exports_the_other_reports(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    db = open_store(demo_path)
    db.execute(
        "INSERT INTO population (grouping, grouped, people, loaded_at) VALUES "
        "('sex', 'female', 5100, '2026-11-20T09:00:00'), "
        "('sex', 'male', 5000, '2026-11-20T09:00:00')"
    )
    db.close()
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        screen = await wait_for_screen(pilot, ReportsScreen)
        await wait_for_report(pilot)
        kind = screen.query_one("#report-kind", Select)
        kind.value = "reach"
        await pilot.pause()  # the choice's message starts the new report
        await wait_for_report(pilot)
        assert screen.document is not None and screen.document.title == "Who is reached"
        charts = words(screen, "#report-charts")
        assert "Female: referred" in charts and "Female: practice" in charts
        assert screen.query_one("#report-identifiable", Checkbox).disabled
        kind.value = "referrers"
        await pilot.pause()  # the choice's message starts the new report
        await wait_for_report(pilot)
        formats = screen.query_one("#report-format", Select)
        assert [key for _, key in formats._options if key != Select.NULL] == ["html", "md", "txt"]
        kind.value = "gaps"
        await pilot.pause()  # the choice's message starts the new report
        await wait_for_report(pilot)
        assert screen.document is not None
        assert screen.document.title == "Unmet need and directory gaps"
        output = screen.query_one("#report-output", Input)
        assert Path(output.value).name == "gaps-2026-10-01-to-2026-11-30.html"
        target = tmp_path / "gaps.html"
        output.value = str(target)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.last_written == [target], "the export")
    assert "Unmet needs by area and barrier" in target.read_text()
