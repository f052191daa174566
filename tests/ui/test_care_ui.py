"""Lone visits, supervision and community work on screen (issue 16 items 1, 2 and 5): k on
Today checks a visit in and out, v gives the plan, a late visit shows first at the next
start and on Today, S marks a person for supervision, and each new dialog works alone."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Any

from tests.factories import CLOCK, TODAY, VISITED, add_episode, add_visit, store_at
from tests.ui.pilots import open_person, press_save, type_into, wait_for_screen, wait_until
from textual.widgets import DataTable, OptionList, Static

from linkworker import community, lone_working, supervision
from linkworker.clock import fixed
from linkworker.settings import Settings
from linkworker.store.db import Database
from linkworker.tui.dialogs import ChoiceDialog, ConfirmDialog
from linkworker.tui.screens.care import (
    CommunityWorkDialog,
    SupervisionQuestionDialog,
    SupervisionSessionDialog,
)
from linkworker.tui.screens.plan import WriteFileModal
from linkworker.tui.screens.reports import ReportsScreen
from linkworker.tui.screens.today import TodayScreen

SETTINGS = Settings(buddy_name="Alex Reid", buddy_phone="07700 900456")


def _visit(path: Path) -> tuple[int, int]:
    with store_at(path) as db:
        episode = add_episode(db, followups_due=(), **VISITED)
        return episode.person_id, add_visit(db, episode.person_id)


def _to_visit(screen: TodayScreen, followup_id: int) -> None:
    table = screen.query_one(DataTable)
    for key, line in screen._lines.items():
        if line.followup_id == followup_id:
            table.move_cursor(row=table.get_row_index(key))
            return
    raise AssertionError("the visit is not on Today")


async def test_k_checks_in_then_out_and_v_copies_the_plan(store_path: Path, start_app: Any) -> None:
    _, visit = _visit(store_path)
    at_ten = fixed(TODAY, time(10, 0))
    async with start_app(store_path, clock=at_ten, settings=SETTINGS) as pilot:
        screen = await wait_for_screen(pilot, TodayScreen)
        _to_visit(screen, visit)
        await pilot.press("k")
        await pilot.pause()
        with store_at(store_path) as db:
            assert lone_working.visit(db, visit).state() == "checked in 10:00"
        await pilot.press("v")
        dialog = await wait_for_screen(pilot, ChoiceDialog)
        assert dialog.title_text == "Visit plan: 1 visit today"
        await pilot.press("down", "enter")  # copy, people by full name
        await wait_until(pilot, lambda: "Joan Smith" in pilot.app.clipboard, "the copy")
        assert "Buddy: Alex Reid, 07700 900456" in pilot.app.clipboard
        await pilot.press("k")
        await pilot.pause()
        with store_at(store_path) as db:
            assert lone_working.visit(db, visit).state() == "checked out 10:00"


async def test_v_writes_the_plan_to_a_file(store_path: Path, start_app: Any) -> None:
    _visit(store_path)
    async with start_app(store_path, settings=SETTINGS) as pilot:
        await wait_for_screen(pilot, TodayScreen)
        await pilot.press("v")
        await wait_for_screen(pilot, ChoiceDialog)
        await pilot.press("down", "down", "enter")
        modal = await wait_for_screen(pilot, WriteFileModal)
        await press_save(pilot)
        await wait_until(pilot, lambda: not modal.is_attached, "the file written")
    written = store_path.parent / "exports" / f"visit-plan-{TODAY.isoformat()}.txt"
    assert "Home visit with J.S." in written.read_text()


#: The morning after the visit of _checked_in_yesterday, which was never checked out.
NEXT_MORNING = fixed(TODAY + timedelta(days=1), time(9, 0))


def _checked_in_yesterday(path: Path) -> int:
    _, visit = _visit(path)
    with store_at(path) as db:
        lone_working.check_in(db, visit, fixed(TODAY, time(10, 0)))
    return visit


async def test_a_visit_not_checked_out_shows_first_at_the_next_start(
    store_path: Path, start_app: Any
) -> None:
    visit = _checked_in_yesterday(store_path)
    async with start_app(store_path, clock=NEXT_MORNING, settings=SETTINGS) as pilot:
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "Home visit with Joan Smith" in str(dialog.body)
        assert pilot.app.focused is not None and pilot.app.focused.id == "no"
        assert "not checked out: expected back 10:30 on 23 Nov 2026" in str(dialog.body)
        await pilot.press("escape")
        screen = await wait_for_screen(pilot, TodayScreen)
        banner = screen.query_one("#today-late-visits", Static)
        assert banner.display and "Joan Smith" in str(banner.render())
        _to_visit(screen, visit)
        await pilot.press("k")
        await wait_until(pilot, lambda: not banner.display, "the banner gone after check-out")


async def test_the_start_up_message_checks_a_late_visit_out_when_asked(
    store_path: Path, start_app: Any
) -> None:
    visit = _checked_in_yesterday(store_path)
    async with start_app(store_path, clock=NEXT_MORNING, settings=SETTINGS) as pilot:
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        screen = await wait_for_screen(pilot, TodayScreen)
        banner = screen.query_one("#today-late-visits", Static)
        await wait_until(pilot, lambda: not banner.display, "no late visit after check-out")
    with store_at(store_path) as db:
        assert lone_working.visit(db, visit).state() == "checked out 09:00"


async def test_ctrl_d_on_reports_marks_a_supervision_task_done(
    store_path: Path, start_app: Any
) -> None:
    _visit(store_path)
    with store_at(store_path) as db:
        task = supervision.AgreedAction("read the lone working policy")
        session = supervision.record_session(db, TODAY, "practice", "Dr A Lee", [task], CLOCK)
    async with start_app(store_path) as pilot:
        await pilot.press("f5")
        reports = await wait_for_screen(pilot, ReportsScreen)
        tasks = reports.query_one("#reports-tasks", Static)
        words = str(tasks.render())
        assert "From supervision, open: 1 task: read the lone working policy (due" in words
        await pilot.press("ctrl+d")
        choice = await wait_for_screen(pilot, ChoiceDialog)
        assert choice.title_text == "Mark a supervision task done"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not tasks.display, "the task gone from Reports")
    with store_at(store_path) as db:
        assert supervision.open_tasks(db) == []
        assert supervision.sessions(db, session_id=session.id)[0].actions[0].done_on == TODAY


async def test_s_marks_the_person_for_supervision(store_path: Path, start_app: Any) -> None:
    person_id, _ = _visit(store_path)
    async with start_app(store_path) as pilot:
        person = await open_person(pilot, person_id)
        await pilot.press("S")
        await wait_for_screen(pilot, SupervisionQuestionDialog)
        await press_save(pilot)  # no question yet: refused beside the field
        assert "say what it is" in str(pilot.app.screen.query_one("#question-error").render())
        await type_into(pilot, "question", "How do I end well?")
        await press_save(pilot)
        await wait_for_screen(pilot, type(person))
        with store_at(store_path) as db:
            case = supervision.marked_case(db, person_id)
        assert case is not None and case.question == "How do I end well?"
        await pilot.press("S")  # marked: change the question or take them off
        choice = await wait_for_screen(pilot, ChoiceDialog)
        assert choice.query_one(OptionList).option_count == 2


async def test_the_community_work_dialog_alone(db: Database, dialog_host: Any) -> None:
    async with dialog_host(CommunityWorkDialog(), db=db, clock=CLOCK) as pilot:
        await press_save(pilot)
        assert "minutes: from 1 to 1440" in str(
            pilot.app.screen.query_one("#minutes-error").render()
        )
        await type_into(pilot, "minutes", "75")
        await type_into(pilot, "organisation", "Knit and natter")
        await press_save(pilot)
        [work] = pilot.app.results
    assert (work.minutes, work.kind, work.organisation) == (
        75,
        "supporting_group",
        "Knit and natter",
    )
    assert len(community.work_between(db, TODAY, TODAY)) == 1


async def test_the_supervision_session_dialog_alone(db: Database, dialog_host: Any) -> None:
    episode = add_episode(db, followups_due=())
    async with dialog_host(SupervisionSessionDialog(), db=db, clock=CLOCK) as pilot:
        await press_save(pilot)
        assert "supervisor: say what it is" in str(
            pilot.app.screen.query_one("#supervisor-error").render()
        )
        await type_into(pilot, "supervisor", "Dr A Lee")
        await type_into(pilot, "actions", f"{episode.person_id}: phone her GP\nread the policy")
        await press_save(pilot)
        [session] = pilot.app.results
    assert [a.person_id for a in session.actions] == [episode.person_id, None]
    assert supervision.last_session_words(db, TODAY).startswith("Last supervision: 23 Nov 2026")
