"""Today answers "did they go?" in one step (issue 15 item 7): D on a DID THEY GO? line
opens the person screen's dialog, with went / did not go / not yet offered first."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from tests import factories
from tests.ui.pilots import press_save, wait_for_screen, wait_until
from textual.widgets import DataTable, Select

from linkworker import directory
from linkworker.models import ActivityDetails, ConnectionKind
from linkworker.tui.screens.connections import NOT_YET, MoveConnectionScreen
from linkworker.tui.screens.today import TodayScreen

WEEKS_AGO = factories.TODAY - timedelta(days=21)


def _waiting(path: Path, *names: str) -> tuple[int, list[int]]:
    """A person with an accepted referral and connections three weeks old, unanswered."""
    with factories.store_at(path) as db:
        pid, _ = factories.add_person_with_referral(db, status="accepted")
        ids = [
            directory.connect(
                db,
                pid,
                directory.add_activity(db, ActivityDetails(name=name), factories.CLOCK),
                ConnectionKind.REFERRAL,
                factories.CLOCK,
                on=WEEKS_AGO,
            )
            for name in names
        ]
    return pid, ids


async def _on_the_did_they_go_line(pilot: Any) -> TodayScreen:
    today = await wait_for_screen(pilot, TodayScreen)
    table = today.query_one(DataTable)
    for key, line in today._lines.items():
        if line.bucket == "connections_to_check":
            table.move_cursor(row=table.get_row_index(key))
            return today
    raise AssertionError("no DID THEY GO? line on Today")


async def _line_gone(pilot: Any, today: TodayScreen) -> None:
    await wait_until(
        pilot,
        lambda: not any(x.bucket == "connections_to_check" for x in today._lines.values()),
        "the answered line gone from Today",
    )


async def test_d_on_today_answers_went_in_one_step(store_path: Path, start_app: Any) -> None:
    _pid, [walk] = _waiting(store_path, "Walking group")
    async with start_app(store_path, size=(80, 24)) as pilot:
        today = await _on_the_did_they_go_line(pilot)
        await pilot.press("D")
        asking = await wait_for_screen(pilot, MoveConnectionScreen)
        answers = asking.query_one("#status", Select)
        assert answers.value == "attended"
        assert [str(o[0]) for o in answers._options if o[1] is not Select.NULL][:3] == [
            "Went (attended)",
            "Did not go (stopped)",
            "Not yet: ask again later",
        ]
        await press_save(pilot)
        await _line_gone(pilot, today)
    with factories.store_at(store_path) as db:
        assert directory.get_connection(db, walk)["status"] == "attended"


async def test_not_yet_changes_nothing_and_did_not_go_stops_it(
    store_path: Path, start_app: Any
) -> None:
    _pid, [walk] = _waiting(store_path, "Walking group")
    async with start_app(store_path, size=(120, 40)) as pilot:
        await _on_the_did_they_go_line(pilot)
        await pilot.press("D")
        asking = await wait_for_screen(pilot, MoveConnectionScreen)
        asking.query_one("#status", Select).value = NOT_YET
        await press_save(pilot)
        today = await wait_for_screen(pilot, TodayScreen)
        with factories.store_at(store_path) as db:
            assert directory.get_connection(db, walk)["status"] == "suggested"
        await _on_the_did_they_go_line(pilot)
        await pilot.press("D")
        asking = await wait_for_screen(pilot, MoveConnectionScreen)
        asking.query_one("#status", Select).value = "stopped"
        await press_save(pilot)
        await _line_gone(pilot, today)
    with factories.store_at(store_path) as db:
        assert directory.get_connection(db, walk)["status"] == "stopped"
