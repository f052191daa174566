"""The Reports screen and the message back to the GP, driven with Pilot."""

from __future__ import annotations

import io
import threading
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from tests.factories import open_store
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from linkworker import people, reports
from linkworker.clock import Clock
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.gp_message import gp_message_text
from linkworker.models import PersonDetails
from linkworker.reports.export import export_caseload
from linkworker.reports.gp_parts import with_defaults
from linkworker.settings import Settings
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.gp_message import GPMessagePreview, GPMessageScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.reports import (
    IdentifiableExportScreen,
    ReplaceFilesScreen,
    ReportsScreen,
)

from pilots import back_to_section, each_check, wait_for_report, wait_for_screen, wait_until
from steady import workers_left_running

SIGNED = Settings(worker_name="Priya Shah", worker_organisation="Leeds North PCN")


def make_app(path: Path, clock: Clock) -> LinkWorkerApp:
    return LinkWorkerApp(store_path=path, clock=clock)


async def settle(app: LinkWorkerApp, pilot: Pilot[None]) -> None:
    """Let the typing pause end and the report's workers finish (pilots.wait_for_report)."""
    await wait_for_report(pilot)


def text_of(screen: Any, selector: str) -> str:
    """The words a Static shows (Rich tables included), as plain text."""
    content = screen.query_one(selector, Static).content
    if isinstance(content, (str, Text)):
        return str(content)
    console = Console(width=120, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(content)
    return captured.get()


async def open_reports(app: LinkWorkerApp, pilot: Pilot[None]) -> ReportsScreen:
    await pilot.press("f5")
    await settle(app, pilot)
    assert isinstance(app.screen, ReportsScreen)
    return app.screen


async def test_the_screen_opens_on_this_quarter_with_summary_and_charts(
    demo_path: Path, clock: Clock
) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(app, pilot)
        assert screen.query_one("#report-preset", Select).value == "this_quarter"
        assert screen.query_one("#report-from", Input).value == "2026-10-01"
        assert screen.query_one("#report-to", Input).value == "2026-11-30"  # whole months
        summary = text_of(screen, "#report-summary")
        assert "1 Oct 2026 to 30 Nov 2026" in summary and "Pseudonymised" in summary
        assert "widened" not in summary
        charts = text_of(screen, "#report-charts")
        assert "Referrals received, by month" in charts and "Oct 2026" in charts
        assert "Nov 2026" in charts and "█" in charts
        assert "SWEMWBS metric score" in charts
        # What the screen shows is the core's figure under the same disclosure rule.
        db = open_store(demo_path)
        expected = caseload_document(
            reports.caseload_report(
                db, reports.Period(date(2026, 10, 1), date(2026, 11, 30)), clock.today()
            )
        )
        db.close()
        assert screen.document is not None
        assert screen.document.headline == expected.headline
        assert f"Referrals received: {expected.headline[0][1]}" in summary
        tables = text_of(screen, "#report-tables")
        assert "1. Person demographics" in tables and "4. Outcomes" in tables
        body = screen.query_one("#report-body")
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0


async def test_presets_and_typed_dates_change_the_period(demo_path: Path, clock: Clock) -> None:
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reports(app, pilot)
        screen.query_one("#report-preset", Select).value = "last_quarter"
        await settle(app, pilot)
        assert screen.query_one("#report-from", Input).value == "2026-07-01"
        assert screen.query_one("#report-to", Input).value == "2026-09-30"
        assert "1 Jul 2026 to 30 Sep 2026" in text_of(screen, "#report-summary")

        to_box = screen.query_one("#report-to", Input)
        to_box.focus()
        to_box.value = ""
        await pilot.press(*"31/08/2026")
        await settle(app, pilot)
        assert screen.query_one("#report-preset", Select).value == "custom"
        assert "1 Jul 2026 to 31 Aug 2026" in text_of(screen, "#report-summary")

        to_box.value = "2026-08-17"  # not a month's end: widened to whole months, and said
        await settle(app, pilot)
        summary = text_of(screen, "#report-summary")
        assert "1 Jul 2026 to 31 Aug 2026" in summary
        assert "The period asked for, 1 Jul 2026 to 17 Aug 2026, was widened" in summary
        assert "(widened to whole months)" in text_of(screen, "#report-status")
        to_box.value = "2026-08-31"
        await settle(app, pilot)

        from_box = screen.query_one("#report-from", Input)
        from_box.value = "32/01/2026"
        await settle(app, pilot)
        status = text_of(screen, "#report-status")
        assert "From: '32/01/2026' is not a date" in status
        assert from_box.has_class("-invalid")
        assert "1 Jul 2026 to 31 Aug 2026" in text_of(screen, "#report-summary")

        from_box.value = "2026-09-01"
        await settle(app, pilot)
        assert "To: the period starts on 2026-09-01, after it ends on 2026-08-31" in text_of(
            screen, "#report-status"
        )
        assert not from_box.has_class("-invalid") and to_box.has_class("-invalid")


async def test_export_runs_in_a_worker_and_reports_the_file(
    demo_path: Path, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    steps: list[tuple[int, int]] = []
    real_export = export_caseload

    def recording_export(*args: Any, **kwargs: Any) -> list[Path]:
        threads.append(threading.current_thread().name)
        progress = kwargs["progress"]

        def spy(done: int, total: int, what: str) -> None:
            steps.append((done, total))
            progress(done, total, what)

        kwargs["progress"] = spy
        return real_export(*args, **kwargs)

    monkeypatch.setattr("linkworker.tui.screens.reports.export_caseload", recording_export)
    app = LinkWorkerApp(store_path=demo_path, clock=clock, settings=SIGNED)
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(app, pilot)
        output = screen.query_one("#report-output", Input)
        assert output.value == str(tmp_path / "exports" / "caseload-2026-10-01-to-2026-11-30.html")
        output.value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert screen.last_written == [target]
        assert f"Wrote {target}" in text_of(screen, "#report-status")
        assert any(f"Wrote {target}" in n.message for n in app._notifications)
        assert not screen.query_one("#report-progress").display
    assert threads and threads[0] != threading.main_thread().name
    assert steps[-1][0] == steps[-1][1] and len(steps) >= 5
    page = target.read_text()
    assert "<svg" in page and "1 Oct 2026 to 30 Nov 2026" in page
    assert "IDENTIFIABLE" not in page
    # Signed with the worker's settings (issue 13 item 6).
    assert "Prepared by: <b>Priya Shah</b><br>Social prescribing link worker, Leeds North PCN" in (
        page
    )


# --- checks of the Reports screen that share one start ------------------------------------


async def back_to_the_report(pilot: Pilot[Any]) -> ReportsScreen:
    """The Reports screen in front, worked out, pseudonymised, exporting HTML (whatever the
    check before left open). The export path is left as it is: each check types its own,
    but for the first, which finds the screen's own suggestion there."""
    app = pilot.app
    screen = await back_to_section(pilot, ReportsScreen, "f5")
    screen.query_one("#report-identifiable", Checkbox).value = False
    screen.query_one("#report-format", Select).value = "html"
    await settle(app, pilot)
    return screen


ReportCheck = Callable[[LinkWorkerApp, Pilot[Any], ReportsScreen, Path], Awaitable[None]]


async def each_on_the_report(
    app: LinkWorkerApp, pilot: Pilot[Any], folder: Path, checks: list[ReportCheck]
) -> None:
    """Run every check on the Reports screen of the one app, each from the same start
    (back_to_the_report) with a folder of its own; pilots.each_check reports each that fails."""

    async def run(check: ReportCheck) -> None:
        screen = await back_to_the_report(pilot)
        own = folder / check.__name__
        own.mkdir()
        await check(app, pilot, screen, own)

    await each_check(checks, run)


async def the_default_export_folder_is_made_and_csv_becomes_a_zip(
    app: LinkWorkerApp, pilot: Pilot[Any], screen: ReportsScreen, tmp_path: Path
) -> None:
    # The store is in the test's folder, so its exports folder is there (not in tmp_path).
    exports = app.store_path.parent / "exports"
    assert not exports.exists()
    screen.query_one("#report-format", Select).value = "csv"
    await settle(app, pilot)
    expected = exports / "caseload-2026-10-01-to-2026-11-30.zip"
    assert screen.query_one("#report-output", Input).value == str(expected)
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert screen.last_written == [expected] and expected.exists()


async def identifiable_says_so_and_lists_people(
    app: LinkWorkerApp, pilot: Pilot[Any], screen: ReportsScreen, tmp_path: Path
) -> None:
    assert "IDENTIFIABLE" not in text_of(screen, "#report-summary")
    screen.query_one("#report-identifiable", Checkbox).value = True
    await settle(app, pilot)
    assert "IDENTIFIABLE" in text_of(screen, "#report-summary")
    assert screen.document is not None and screen.document.identifiable
    assert "Referral episodes open during the period" in text_of(screen, "#report-tables")


async def an_identifiable_export_asks_first_with_no_focused(
    app: LinkWorkerApp, pilot: Pilot[Any], screen: ReportsScreen, tmp_path: Path
) -> None:
    target = tmp_path / "named.html"
    screen.query_one("#report-identifiable", Checkbox).value = True
    screen.query_one("#report-output", Input).value = str(target)
    await settle(app, pilot)
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, IdentifiableExportScreen)
    dialog = app.screen
    assert isinstance(dialog, IdentifiableExportScreen)
    words = str(dialog.query_one(f"#{dialog.BODY_ID}", Static).content)
    assert "names, NHS numbers, dates of birth and full postcodes" in words
    assert app.focused is not None and app.focused.id == "no"
    await pilot.press("enter")  # Enter alone is No: nothing written
    await settle(app, pilot)
    assert app.screen is screen and not target.exists()
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, IdentifiableExportScreen)
    app.screen.query_one("#yes").press()
    await settle(app, pilot)
    assert screen.last_written == [target] and "IDENTIFIABLE" in target.read_text()


async def an_existing_file_is_replaced_only_after_asking(
    app: LinkWorkerApp, pilot: Pilot[Any], screen: ReportsScreen, tmp_path: Path
) -> None:
    target = tmp_path / "report.md"
    target.write_text("keep me")
    screen.query_one("#report-format", Select).value = "md"
    screen.query_one("#report-output", Input).value = str(target)
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    assert isinstance(app.screen, ReplaceFilesScreen)
    await pilot.press("enter")  # Cancel has the focus
    await settle(app, pilot)
    assert app.screen is screen and target.read_text() == "keep me"
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    await pilot.click("#yes")
    await settle(app, pilot)
    assert target.read_text().startswith("# Social prescribing caseload report")
    assert screen.last_written == [target]


async def an_export_that_cannot_be_written_says_why(
    app: LinkWorkerApp, pilot: Pilot[Any], screen: ReportsScreen, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("x")
    screen.query_one("#report-output", Input).value = str(tmp_path / "a-file" / "r.html")
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    status = text_of(screen, "#report-status")
    assert "Not exported: " in status and "a-file is not a folder" in status
    assert not screen.query_one("#report-export").disabled


async def coming_back_to_the_screen_shows_new_work(
    app: LinkWorkerApp, pilot: Pilot[Any], screen: ReportsScreen, tmp_path: Path
) -> None:
    assert screen.document is not None
    before = screen.document.table("contacts").rows[0][1]
    await pilot.press("f3")
    await pilot.pause()
    db = open_store(app.store_path)
    added = db.execute(
        "INSERT INTO contacts (person_id, referral_id, contact_at, mode, created_at) "
        "SELECT person_id, id, '2026-11-20T10:00:00', 'phone', '2026-11-20' FROM referrals "
        "WHERE status = 'accepted'"
    ).rowcount
    db.close()
    assert added >= 10
    await pilot.press("f5")
    await settle(app, pilot)
    after = screen.document.table("contacts").rows[0][1]
    # Both are rounded to 5, so the change shows to within 5 either way.
    assert isinstance(before, int) and isinstance(after, int)
    assert after >= before + added - 5


async def test_reports_identifiable_exports_and_coming_back_on_one_start(
    demo_path: Path, clock: Clock, tmp_path: Path
) -> None:
    """Six checks of the Reports screen on one start of the app (each fails alone): the
    default export folder and CSV as a zip, identifiable on screen, the identifiable export
    asking first, an existing file replaced only after asking, a path that cannot be
    written, and coming back to the screen after work elsewhere."""
    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reports(app, pilot)
        await each_on_the_report(
            app,
            pilot,
            tmp_path,
            [
                # First: it finds the screen's own suggestion in the export path.
                the_default_export_folder_is_made_and_csv_becomes_a_zip,
                identifiable_says_so_and_lists_people,
                an_identifiable_export_asks_first_with_no_focused,
                an_existing_file_is_replaced_only_after_asking,
                an_export_that_cannot_be_written_says_why,
                # Last: it writes to the store (contacts) and goes to Caseload and back.
                coming_back_to_the_screen_shows_new_work,
            ],
        )


async def test_the_screen_keeps_responding_while_the_report_is_worked_out(
    demo_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_report = reports.caseload_report

    def slow_report(*args: Any, **kwargs: Any) -> reports.CaseloadReport:
        release.wait(600)  # the test releases it; the bound only stops a failed test hanging
        return real_report(*args, **kwargs)

    app = make_app(demo_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        monkeypatch.setattr(reports, "caseload_report", slow_report)
        try:
            with workers_left_running():  # the test holds the report's worker
                await pilot.press("f5")
                screen = await wait_for_screen(pilot, ReportsScreen)
                await wait_until(
                    pilot,
                    lambda: "Working out the report" in text_of(screen, "#report-status"),
                    "the status saying the report is being worked out",
                )
                # The UI thread is free: typing lands at once while the worker is still busy.
                output = screen.query_one("#report-output", Input)
                output.focus()
                output.value = ""
                await pilot.press(*"x.html")
                await pilot.pause()
                assert output.value == "x.html"
                assert screen.document is None
        finally:
            release.set()
        await settle(app, pilot)
        assert screen.document is not None


# --- the message back to the GP ---------------------------------------------------------


def person_where(path: Path, where: str) -> int:
    db = open_store(path)
    try:
        return int(
            db.execute(
                "SELECT p.id FROM people p JOIN referrals r ON r.person_id = p.id "
                f"WHERE {where} ORDER BY p.id LIMIT 1"
            ).fetchone()[0]
        )
    finally:
        db.close()


async def test_ctrl_g_shows_the_message_and_copies_it(demo_path: Path, clock: Clock) -> None:
    pid = person_where(demo_path, "r.status = 'discharged' AND p.consent_to_share_gp = 1")
    app = make_app(demo_path, clock)
    db = open_store(demo_path)
    whole = reports.gp_message(db, pid, clock.today(), sender=app.settings.signature())
    expected = gp_message_text(with_defaults(whole))
    db.close()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_person(pid)
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        # First the preview (the person can read it); nothing is copied until it is used.
        assert isinstance(app.screen, GPMessagePreview)
        assert app.clipboard == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GPMessageScreen)
        assert app.clipboard == expected
        body = text_of(app.screen, "#gp-message-body")
        assert body == expected.rstrip("\n") or body == expected
        assert "871731000000106 Referral to social prescribing service" in body
        assert "Copied to the clipboard" in text_of(app.screen, "#gp-message-hint")
        app.copy_to_clipboard("something else")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == expected
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)


async def test_without_consent_the_modal_shows_only_the_codes(
    demo_path: Path, clock: Clock
) -> None:
    pid = person_where(demo_path, "r.status = 'declined'")
    db = open_store(demo_path)
    db.execute("UPDATE people SET consent_to_share_gp = 0 WHERE id = ?", [pid])
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_person(pid)
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, GPMessagePreview)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GPMessageScreen)
        assert "NOTE: The person has not consented" in app.clipboard
        assert "871711000000103" in app.clipboard and "REFERRAL" not in app.clipboard
        assert "codes only" in text_of(app.screen, "#gp-message-hint")


async def test_a_person_without_a_referral_gets_a_notice_not_a_message(
    demo_path: Path, clock: Clock
) -> None:
    db = open_store(demo_path)
    pid = people.add_person(db, PersonDetails(given_name="Nora", family_name="Newcomer"), clock)
    db.close()
    app = make_app(demo_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_person(pid)
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert any("has no referral to report on" in n.message for n in app._notifications)
        assert app.clipboard == ""


def test_reports_screen_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, LinkWorkerApp)
        await pilot.press("f5")
        await settle(app, pilot)
        # The default path holds the test's temporary folder: show a fixed one instead.
        app.screen.query_one("#report-output", Input).value = "exports/caseload.html"
        await pilot.pause()

    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
