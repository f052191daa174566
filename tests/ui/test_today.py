"""Today in the TUI: each line acts in one key; what the screen shows and the store holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any, cast

import pytest
from tests.factories import open_store, stored_raw
from tests.ui.pilots import press_save
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Static

from linkworker import followups, people, referrals
from linkworker.clock import Clock, fixed
from linkworker.followups.agenda import AgendaLine
from linkworker.models import AttemptOutcome, ContactDetails, PersonDetails, ReferralDetails
from linkworker.settings import Settings
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens import today as today_screen
from linkworker.tui.screens.contact_forms import (
    CompleteFollowUpModal,
    MissedModal,
    ThresholdModal,
)
from linkworker.tui.screens.followup_forms import (
    BookFollowUpModal,
    RescheduleModal,
)
from linkworker.tui.screens.help import HelpScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.today import TodayScreen

TODAY = date(2026, 11, 23)
CLOCK = fixed(TODAY, time(11, 0))


def make_app(path: Path, clock: Clock = CLOCK) -> LinkWorkerApp:
    return LinkWorkerApp(store_path=path, clock=clock)


def move_to(app: LinkWorkerApp, match: Callable[[AgendaLine], bool]) -> AgendaLine:
    """Put Today's cursor on the first line that matches."""
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    table = screen.query_one(DataTable)
    for key, line in screen._lines.items():
        if match(line):
            table.move_cursor(row=table.get_row_index(key))
            return line
    raise AssertionError("no such line on Today")


def shown(app: LinkWorkerApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def with_store(path: Path) -> Database:
    return open_store(path)


def add_case(
    path: Path, name: str, *, attempts: int = 0, due_at: str | None = "08:00"
) -> tuple[int, int, int]:
    """A person with a referral (contacting after attempts) and a phone follow-up due today."""
    db = with_store(path)
    clock = fixed(TODAY)
    try:
        given, family = name.split(" ", 1)
        # Forms refuse escape codes now; an old store may hold them (tests of showing them).
        clean = "".join(ch for ch in family if ch.isprintable())
        pid = people.add_person(db, PersonDetails(given_name=given, family_name=clean), clock)
        if clean != family:
            stored_raw(db, "people", pid, family_name=family)
        rid = referrals.add_referral(
            db,
            pid,
            ReferralDetails.model_validate(
                {"source": "self", "received_on": "2026-11-16"}, context={"today": TODAY}
            ),
            clock,
        )
        for day in range(attempts):
            referrals.log_attempt(
                db,
                rid,
                ContactDetails.model_validate(
                    {"contact_at": f"2026-11-{17 + day}T10:00:00", "mode": "phone"}
                ),
                clock,
                threshold=3,
            )
        fid = followups.schedule(
            db, pid, followups.details({"due_on": TODAY, "due_time": due_at}, TODAY), clock
        ).followup_id
    finally:
        db.close()
    return pid, rid, fid


async def test_today_lists_every_bucket_with_counts(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        summary = shown(app, "#today-summary")
        for words in ("Due today:", "Overdue:", "First contact:", "Gone quiet:", "Reviews:"):
            assert words in summary
        table = screen.query_one(DataTable)
        headings = [
            str(table.get_row_at(i)[0])
            for i in range(table.row_count)
            if "(" in str(table.get_row_at(i)[0])
        ]
        assert headings[0].startswith("DUE TODAY (")
        assert any(h.startswith("OVERDUE (") for h in headings)
        assert any(h.startswith("GONE QUIET (") for h in headings)
        late = move_to(app, lambda line: line.bucket == "overdue")
        row = table.get_row_at(table.cursor_row)
        assert str(row[0]) == f"{late.days} day{'s' if late.days != 1 else ''} late"
        assert str(row[1]) == late.name


async def test_enter_opens_the_person_of_the_line(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.bucket == "gone_quiet")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == line.person_id


async def test_complete_from_today_logs_the_contact_and_books_the_next(demo_path: Path) -> None:
    seen: list[Message] = []
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.bucket == "due_today")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompleteFollowUpModal)
        app.screen.query_one("#note").focus()
        await pilot.press(*"Went to the choir")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The next booking is offered, on the suggested date (two weeks on, a Monday).
        assert isinstance(app.screen, BookFollowUpModal)
        assert app.screen.query_one("#due_on", Input).value == "7 Dec 2026"
        assert "suggested 7 Dec 2026" in shown(app, "#dialog-title")
        await pilot.press("enter")
        await pilot.pause()
        if isinstance(app.screen, BookFollowUpModal):  # the slot clashed: book anyway
            assert "overlaps" in shown(app, "#form-warning")
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert line.followup_id not in {x.followup_id for x in app.screen._lines.values()}
    db = with_store(demo_path)
    try:
        followup = followups.get_followup(db, line.followup_id or 0)
        note, mode = db.execute(
            "SELECT note, mode FROM contacts WHERE id = ?", [followup["contact_id"]]
        ).fetchone()
        booked = db.execute(
            "SELECT count(*) FROM followups WHERE person_id = ? AND due_on = '2026-12-07' "
            "AND status = 'planned'",
            [line.person_id],
        ).fetchone()[0]
    finally:
        db.close()
    assert followup["status"] == "done"
    assert (note, mode) == ("Went to the choir", followup["kind"])
    assert booked == 1


async def test_reschedule_moves_an_overdue_follow_up(demo_path: Path) -> None:
    seen: list[Message] = []
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.bucket == "overdue")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RescheduleModal)
        await pilot.press(*"27/11/2026")  # the date field has focus, its text selected
        app.screen.query_one("#due_time", Input).value = "07:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        lines = list(app.screen._lines.values())
        moved = [x for x in lines if x.followup_id == line.followup_id]
        assert [(x.bucket, x.when_text()) for x in moved] == [("this_week", "Fri 27 07:30")]
    db = with_store(demo_path)
    try:
        row = followups.get_followup(db, line.followup_id or 0)
    finally:
        db.close()
    assert (row["due_on"], row["due_time"], row["status"]) == ("2026-11-27", "07:30", "planned")


async def test_did_not_attend_counts_towards_not_reached(demo_path: Path) -> None:
    pid, rid, fid = add_case(demo_path, "Dana Hollis", attempts=2)
    seen: list[Message] = []
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await pilot.pause()
        move_to(app, lambda line: line.followup_id == fid)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MissedModal)
        body = " ".join(str(w.render()) for w in app.screen.query(".followup-attempts"))
        assert "so far: 2 (the limit is 3)" in body
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The third attempt reaches the threshold: the referral rules are offered.
        assert isinstance(app.screen, ThresholdModal)
        assert "3 unsuccessful attempts" in shown(app, "#dialog-title")
        assert app.focused is app.screen.query_one("#cancel", Button)  # "Not now" by default
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert pid not in {x.person_id for x in app.screen._lines.values()}
    db = with_store(demo_path)
    try:
        assert referrals.get_referral(db, rid)["status"] == "not_reached"
        assert followups.get_followup(db, fid)["status"] == "missed"
        assert referrals.attempts_on(db, rid) == 3
    finally:
        db.close()


async def test_a_first_miss_offers_another_try_and_not_now_keeps_it_open(
    demo_path: Path,
) -> None:
    _pid, rid, fid = add_case(demo_path, "Evan Price", attempts=0)
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        move_to(app, lambda line: line.followup_id == fid)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookFollowUpModal)
        assert "(1 of 3)" in shown(app, "#dialog-title")
        assert app.screen.query_one("#due_on", Input).value == "24 Nov 2026"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    db = with_store(demo_path)
    try:
        assert referrals.get_referral(db, rid)["status"] == "contacting"
        assert followups.get_followup(db, fid)["status"] == "missed"
    finally:
        db.close()


async def test_a_bad_date_is_named_and_nothing_is_booked(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = app.db.execute("SELECT count(*) FROM followups").fetchone()[0]
        move_to(app, lambda line: line.bucket == "gone_quiet")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookFollowUpModal)
        await pilot.press(*"31/02/2026", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BookFollowUpModal)
        assert "'31/02/2026' is not a date" in shown(app, "#due_on-error")
        assert app.screen.query_one("#due_on-row").has_class("-has-error")
        app.screen.query_one("#due_on", Input).value = "20/11/2026"
        await pilot.press("enter")
        await pilot.pause()
        assert "20 Nov 2026 is in the past" in shown(app, "#due_on-error")
        await pilot.press("escape")
        await pilot.pause()
        assert app.db.execute("SELECT count(*) FROM followups").fetchone()[0] == before


async def test_a_clash_warns_and_book_anyway_books(demo_path: Path) -> None:
    _pid, _rid, fid = add_case(demo_path, "Fay Lomas", due_at="08:00")
    _other, _, _ = add_case(demo_path, "Gil Moran", due_at=None)
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.name == "Gil Moran" and line.bucket == "due_today")
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one("#due_on", Input).value = "23/11/2026"
        app.screen.query_one("#due_time", Input).value = "08:15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookFollowUpModal)
        warning = shown(app, "#form-warning")
        assert "overlaps another booking" in warning and "08:00-08:30 Fay Lomas" in warning
        assert str(app.screen.query_one("#save", Button).label) == "Book anyway (Ctrl+S)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        agenda = app.screen.agenda
        assert agenda is not None
        gil = [x for x in agenda.due_today if x.person_id == line.person_id]
        assert [x.time for x in gil] == ["08:15", None]
        fay = [x for x in agenda.due_today if x.followup_id == fid]
        assert [x.time for x in fay] == ["08:00"]  # both kept: the user chose to book anyway


async def test_keys_other_lines_do_not_take_are_explained(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        move_to(app, lambda line: line.bucket == "awaiting_first_contact")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert any("press b to book one" in n.message for n in app._notifications)


async def test_person_screen_books_a_follow_up(demo_path: Path) -> None:
    seen: list[Message] = []
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.bucket == "gone_quiet")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, BookFollowUpModal)
        await pilot.press(*"1/12/2026")
        app.screen.query_one("#purpose", Input).value = "Catch up after the quiet spell"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == line.person_id
        timeline = app.screen.query_one(DataTable)
        top = [str(timeline.get_row_at(i)[1]) for i in range(3)]
        assert any("Follow-up planned (Phone): Catch up after the quiet spell" in t for t in top)


async def test_help_lists_the_today_keys(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {
            "today.open",
            "today.complete",
            "today.reschedule",
            "today.did_not_attend",
            "today.book",
            "today.cancel",
        } <= ids


async def test_names_are_shown_literally_on_today(demo_path: Path) -> None:
    add_case(demo_path, "[bold red]Bob[/] \x1b[31mSmith")
    app = make_app(demo_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.name.startswith("[bold red]"))
        table = app.screen.query_one(DataTable)
        cell = table.get_row_at(table.cursor_row)[1]
        assert str(cell) == "[bold red]Bob[/] ␛[31mSmith"
        assert line.followup_id


async def test_a_long_bucket_shows_its_first_lines_and_how_many_more(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(today_screen, "LINES_PER_BUCKET", 2)
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TodayScreen) and screen.agenda is not None
        # Today's agenda holds the lines it shows; its count is the whole bucket's.
        reviews = screen.agenda.count("reviews_due")
        assert reviews > 2 and len(screen.agenda.reviews_due) == 2
        shown_reviews = [x for x in screen._lines.values() if x.bucket == "reviews_due"]
        assert len(shown_reviews) == 2
        table = screen.query_one(DataTable)
        more = table.get_row("heading:reviews_due:more")
        assert str(more[0]) == f"… {reviews - 2} more"
        assert f"Reviews: {reviews}" in shown(app, "#today-summary")  # the count stays exact


async def test_misses_in_a_row_after_acceptance_offer_discharge(demo_path: Path) -> None:
    pid, rid, fid = add_case(demo_path, "Hana Kerr", attempts=0)
    db = with_store(demo_path)
    clock = fixed(TODAY)
    try:
        referrals.accept(db, rid, date(2026, 11, 17), clock)
        referrals.log_contact(
            db,
            pid,
            ContactDetails.model_validate({"contact_at": "2026-11-17T10:00:00", "mode": "phone"}),
            clock,
        )
        for _ in range(2):
            followups.record_attempt(db, rid, AttemptOutcome.DID_NOT_ATTEND, clock, Settings())
    finally:
        db.close()
    seen: list[Message] = []
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await pilot.pause()
        move_to(app, lambda line: line.followup_id == fid)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdModal)
        assert str(app.screen.query_one("#save", Button).label) == "Discharge (disengaged) (Ctrl+S)"
        app.screen.query_one("#summary", Input).value = "No contact since the first session"
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    db = with_store(demo_path)
    try:
        row = referrals.get_referral(db, rid)
    finally:
        db.close()
    assert (row["status"], row["discharge_reason"], row["discharge_summary"]) == (
        "discharged",
        "disengaged",
        "No contact since the first session",
    )


async def test_c_on_a_gone_quiet_line_logs_a_contact(demo_path: Path) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = move_to(app, lambda line: line.bucket == "gone_quiet")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompleteFollowUpModal)
        assert shown(app, "#dialog-title") == "Log a contact"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)  # the next one was already booked
        assert any("already booked" in n.message for n in app._notifications)
        assert line.person_id not in {
            x.person_id for x in app.screen._lines.values() if x.bucket == "gone_quiet"
        }
    db = with_store(demo_path)
    try:
        last = db.execute(
            "SELECT last_contact_at FROM person_summary WHERE person_id = ?", [line.person_id]
        ).fetchone()[0]
    finally:
        db.close()
    assert last == "2026-11-23T11:00:00"


async def act_on(pilot: Any, followup_id: int, key: str) -> Screen[Any]:
    """Press ``key`` on the Today line of one follow-up; return the dialog it opens."""
    move_to(pilot.app, lambda line: line.followup_id == followup_id)
    await pilot.press(key)
    await pilot.pause()
    return cast("Screen[Any]", pilot.app.screen)


def shown_values(dialog: Screen[Any], *field_ids: str) -> list[str]:
    return [dialog.query_one(f"#{name}", Input).value for name in field_ids]


async def test_completing_or_missing_records_the_booked_time_not_the_clock_time(
    demo_path: Path,
) -> None:
    # The clock says 11:00; both follow-ups were booked for 08:00 (issue 13).
    done_id, missed_id = (add_case(demo_path, name)[2] for name in ("Fern Okafor", "Gil Moran"))
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        completing = await act_on(pilot, done_id, "c")
        assert isinstance(completing, CompleteFollowUpModal)
        assert shown_values(completing, "contact_on", "contact_time") == ["23 Nov 2026", "08:00"]
        await press_save(pilot)
        if isinstance(app.screen, BookFollowUpModal):  # the offer of the next booking
            await pilot.press("escape")
            await pilot.pause()
        missing = await act_on(pilot, missed_id, "d")
        assert isinstance(missing, MissedModal)
        assert shown_values(missing, "contact_at") == ["23/11/2026 08:00"]
        await press_save(pilot)
    db = with_store(demo_path)
    try:
        times = [
            db.execute(
                "SELECT c.contact_at FROM contacts c JOIN followups f ON f.contact_id = c.id "
                "WHERE f.id = ?",
                [fid],
            ).fetchone()[0]
            for fid in (done_id, missed_id)
        ]
    finally:
        db.close()
    assert times == ["2026-11-23T08:00:00", "2026-11-23T08:00:00"]


async def test_the_first_paint_has_the_rows_that_fit_and_the_rest_follow(demo_path: Path) -> None:
    app = make_app(demo_path)
    painted: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        table = screen.query_one(DataTable)
        # What the first _show put in the table before its first frame, noted by its rows.
        add_rest = screen._add_rest

        def note(shown: int, rows: Any) -> None:
            painted.append(table.row_count)
            add_rest(shown, rows)

        screen._add_rest = note  # type: ignore[method-assign]
        screen.agenda = None
        screen._lines = {}
        screen.reload()
        await pilot.pause()
        agenda = screen.agenda
        assert agenda is not None
        assert painted == [24]  # a 24-row terminal's worth first
        shown_lines = sum(len(lines) for _key, _title, lines in agenda.buckets())
        headings = sum(1 for _key, _title, lines in agenda.buckets() if lines)
        more = sum(1 for key, _t, lines in agenda.buckets() if agenda.count(key) > len(lines))
        assert table.row_count == shown_lines + headings + more > 24
        assert len(screen._lines) == shown_lines
