"""The caseload's filters and sorting, and names shown literally everywhere they appear."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from tests.factories import open_store, stored_raw
from tests.ui.pilots import wait_for_screen
from textual.command import CommandList
from textual.widgets import DataTable, Select, Static

from linkworker import referrals
from linkworker.clock import Clock
from linkworker.models import ContactDetails, ContactMode, PersonDetails, ReferralDetails
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.person import PersonScreen

from pilots import palette_offers

MARKUP = "[bold red]Bob[/]"
ESCAPE = "Esc\x1b[31mape"
SHOWN_ESCAPE = "Esc␛[31mape"


def names_in(table: DataTable[object]) -> list[str]:
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def status_line(app: LinkWorkerApp) -> str:
    return str(app.screen.query_one("#caseload-status", Static).render())


async def test_status_need_and_source_filters_match_the_store(
    demo_path: Path, clock: Clock
) -> None:
    db = open_store(demo_path)
    open_count = db.execute(
        "SELECT count(*) FROM person_summary WHERE status IN ('received','contacting','accepted')"
    ).fetchone()[0]
    need_count = db.execute(
        "SELECT count(*) FROM person_summary s WHERE EXISTS "
        "(SELECT 1 FROM json_each(s.needs) WHERE value = 'loneliness')"
    ).fetchone()[0]
    both = db.execute(
        "SELECT count(*) FROM person_summary s WHERE source = 'gp_practice' AND EXISTS "
        "(SELECT 1 FROM json_each(s.needs) WHERE value = 'loneliness')"
    ).fetchone()[0]
    total = db.execute("SELECT count(*) FROM people").fetchone()[0]
    db.close()
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseloadScreen)
        screen.query_one("#status", Select).value = "open"
        await pilot.pause()
        assert f"of {open_count} " in status_line(app)
        table = screen.query_one(DataTable)
        statuses = {str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert statuses <= {"Received", "Contacting", "Accepted"}
        screen.query_one("#status", Select).clear()
        await pilot.pause()
        assert f"of {total} " in status_line(app)  # a cleared select filters nothing
        screen.query_one("#need", Select).value = "loneliness"
        await pilot.pause()
        assert f"of {need_count} " in status_line(app)
        screen.query_one("#source", Select).value = "gp_practice"
        await pilot.pause()
        assert f"of {both} " in status_line(app)


async def test_filter_by_nhs_number_and_sort_by_name(demo_path: Path, clock: Clock) -> None:
    db = open_store(demo_path)
    nhs, name = db.execute(
        "SELECT nhs_number, full_name FROM person_summary WHERE nhs_number IS NOT NULL "
        "ORDER BY person_id LIMIT 1"
    ).fetchone()
    by_family_name = [
        row[0]
        for row in db.execute(
            "SELECT p.given_name || ' ' || p.family_name FROM people p "
            "ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id"
        )
    ]
    db.close()
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3", "slash")
        await pilot.press(*f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert names_in(table) == [name]
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert table.row_count > 5
        while "sorted by Name" not in status_line(app):
            await pilot.press("s")
            await pilot.pause()
        shown = names_in(table)
        if "↓" in status_line(app):
            await pilot.press("r")
            await pilot.pause()
            shown = names_in(table)
        assert shown == by_family_name[: len(shown)]  # by family name, then given name


async def test_names_and_notes_are_shown_literally_everywhere(
    store_path: Path, clock: Clock
) -> None:
    db = open_store(store_path)
    result = referrals.take_referral(
        db,
        ReferralDetails(source="self", received_on=date(2026, 11, 2), reason=MARKUP),
        clock,
        person=PersonDetails(given_name=MARKUP, family_name="Placeholder"),
    )
    stored_raw(db, "people", result.person_id, family_name=ESCAPE)
    referrals.log_contact(
        db,
        result.person_id,
        ContactDetails(contact_at="2026-11-20T10:00", mode=ContactMode.PHONE, note="[link=x]y[/]"),
        clock,
    )
    db.close()
    full = f"{MARKUP} {SHOWN_ESCAPE}"
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f3", "slash", *"bob")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cell = table.get_row_at(0)[0]
        assert isinstance(cell, Text) and cell.plain == full and not cell.spans
        # Enter in the filter opens the match (a second Enter would open a timeline entry).
        await pilot.press("enter")
        await wait_for_screen(pilot, PersonScreen)
        assert full in str(app.screen.query_one("#person-facts", Static).render())
        assert full in app.screen.sub_title and "\x1b" not in app.screen.sub_title
        timeline = app.screen.query_one("#timeline", DataTable)
        notes = [timeline.get_row_at(i)[1] for i in range(timeline.row_count)]
        assert any(isinstance(n, Text) and n.plain.endswith("[link=x]y[/]") for n in notes)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bob")
        palette = await palette_offers(pilot, "bob")
        prompts = [str(o.prompt) for o in palette.query_one(CommandList).options]
        assert any(full in p for p in prompts), prompts
        svg = app.export_screenshot()
        assert "␛[31mape" in svg and "\x1b" not in svg
