"""The feed-quality panel (q on the Directory screen), a likely duplicate as one search row,
and the "what you know" form (k on an activity), in the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_directory_ui import prompts, text_of, walks_id
from tests.factories import open_store
from textual.widgets import DataTable, Select, Static

from linkworker import directory
from linkworker.clock import Clock
from linkworker.settings import Settings
from linkworker.store.db import Database
from linkworker.tui.screens.activity import ActivityScreen
from linkworker.tui.screens.activity_knowledge import KnowledgeDialog
from linkworker.tui.screens.directory_quality import FeedQualityDialog

from pilots import press_save, type_into, wait_for_screen, wait_until


def add_sources(path: Path, clock: Clock) -> None:
    """A second feed listing the demo's health walks again (another spelling, same postcode)
    and a remembered pull whose last run had a paging problem and an error."""
    db = open_store(path)
    place = {"location": {"name": "Park", "addresses": [{"address_1": "Park Road",
             "city": "Haverleigh", "postal_code": "hv1 5lp", "country": "GB"}]}}  # fmt: skip
    directory.import_services(
        db,
        [
            {"id": "hub-1", "name": "HAVERLEIGH HEALTH-WALKS.", "assured_date": "2026-10-01",
             "service_at_locations": [place]},
            {"id": "hub-2", "name": "Knit and natter"},
        ],
        clock,
        source="hove-hub.json",
        complete=True,
    )  # fmt: skip
    db.execute(
        "INSERT INTO directory_sources (name, url, last_pulled, services, last_errors, "
        "paging_problems, created_at) VALUES ('Council API', "
        "'https://directory.council.example/api/services', '2026-11-22T08:30:00+00:00', 40, "
        "?, ?, 't')",
        [
            json.dumps(["page 3 ended the feed, but total_pages said 9", "service 42: HTTP 500"]),
            json.dumps(["page 3 ended the feed, but total_pages said 9"]),
        ],
    )
    db.conn.commit()
    db.close()


async def test_the_panel_shows_each_source_and_the_highlighted_ones_problems(
    start_app: Any, demo_path: Path, clock: Clock
) -> None:
    add_sources(demo_path, clock)
    async with start_app(demo_path) as pilot:
        await pilot.press("f4", "enter", "q")
        panel = await wait_for_screen(pilot, FeedQualityDialog)
        table = panel.query_one("#quality-table", DataTable)
        assert [str(table.get_row_at(n)[0]) for n in range(table.row_count)] == [
            "Council API",
            "hove-hub.json",
            "starter.json",
        ]
        detail = panel.query_one("#quality-detail", Static)
        await wait_until(pilot, lambda: "Council API" in text_of(detail), "the detail line")
        assert "Paging problem: page 3 ended the feed, but total_pages said 9" in text_of(detail)
        assert "Error: service 42: HTTP 500" in text_of(detail)
        hub = [str(c) for c in table.get_row_at(1)]
        assert hub == ["hove-hub.json", "2", "50%", "2", "1", "2", "1", "-"]
        await pilot.press("down")
        await wait_until(pilot, lambda: "hove-hub.json" in text_of(detail), "the next source")
        assert "1 of 2 records (50%) not checked in 12 months" in text_of(detail)
        await pilot.press("escape")
        await wait_until(
            pilot, lambda: not isinstance(pilot.app.screen, FeedQualityDialog), "closed"
        )


async def test_a_likely_duplicate_is_one_row_saying_who_else_lists_it(
    start_app: Any, demo_path: Path, clock: Clock
) -> None:
    add_sources(demo_path, clock)
    async with start_app(demo_path, size=(120, 40)) as pilot:
        await pilot.press("f4", *"haverleigh health walks")
        app = pilot.app

        def walks() -> list[str]:
            return [p.plain for p in prompts(app) if "health" in p.plain.casefold()]

        await wait_until(pilot, lambda: walks(), "the health walks found")
        # One row for the two listings; which comes first is the search's relevance.
        (row,) = walks()
        assert "(also starter.json)" in row or "(also hove-hub.json)" in row
        line = app.screen.query_one("#match-line", Static)
        assert text_of(line).startswith("Also listed by ")


async def test_what_you_know_is_recorded_dated_and_signed_then_shown(
    start_app: Any, demo_path: Path, clock: Clock
) -> None:
    walks = walks_id(demo_path)
    async with start_app(demo_path, size=(100, 30)) as pilot:
        pilot.app.settings = pilot.app.settings.model_copy(update={"worker_name": "Asha Patel"})
        pilot.app.open_activity(walks)  # type: ignore[attr-defined]
        screen = await wait_for_screen(pilot, ActivityScreen)
        details = screen.query_one("#activity-details", Static)
        assert "You know:    nothing yet" in text_of(details)
        await pilot.press("k")
        form = await wait_for_screen(pilot, KnowledgeDialog)
        await type_into(pilot, "welcome_person", "Maureen")
        form.query_one("#demand", Select).value = "gentle"
        form.query_one("#safeguarding_seen", Select).value = "yes"
        await press_save(pilot)
        await wait_for_screen(pilot, ActivityScreen)
        await wait_until(pilot, lambda: "Maureen" in text_of(details), "the knowledge shown")
        shown = text_of(details)
        assert "Welcome person: Maureen (recorded 23 Nov 2026 by Asha Patel)" in shown
        assert "How demanding: gentle (recorded 23 Nov 2026 by Asha Patel)" in shown
        assert "Safeguarding policy seen: yes" in shown


async def test_the_form_shows_an_error_beside_the_field_and_saves_nothing(
    dialog_host: Any, db: Database, clock: Clock
) -> None:
    directory.import_services(db, [{"id": "w", "name": "Walk"}], clock, source="f", complete=True)
    row = directory.get_activity(db, 1)
    settings = Settings(worker_name="Bo")
    async with dialog_host(KnowledgeDialog(row), db=db, settings=settings) as pilot:
        await type_into(pilot, "welcome_person", "x" * 101)
        await press_save(pilot)
        error = pilot.app.screen.query_one("#welcome_person-error", Static)
        assert "at most 100 characters" in text_of(error)
        assert directory.get_activity(db, 1)["worker_knowledge"] == "{}"
        await type_into(pilot, "welcome_person", "Sue")
        await press_save(pilot)
        await wait_until(pilot, lambda: pilot.app.results == [True], "saved")
    held = directory.get_activity(db, 1)["worker_knowledge"]
    assert json.loads(held) == {"welcome_person": {"value": "Sue", "on": "2026-11-23", "by": "Bo"}}


def test_the_panel_80x24(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    from linkworker.tui.app import LinkWorkerApp

    add_sources(demo_path, clock)
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["f4", "enter", "q"], terminal_size=(80, 24))


def test_the_panel_120x40(snap_compare: Any, demo_path: Path, clock: Clock) -> None:
    from linkworker.tui.app import LinkWorkerApp

    add_sources(demo_path, clock)
    app = LinkWorkerApp(store_path=demo_path, clock=clock)
    assert snap_compare(app, press=["f4", "enter", "q"], terminal_size=(120, 40))
