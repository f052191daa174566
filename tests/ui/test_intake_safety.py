"""Issue 13 items 2, 3 and 8 at intake: the wrong-patient match, unlikely dates, sex, ethnicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from tests import factories
from tests.factories import open_store
from tests.ui.conftest import HostDialog
from tests.ui.pilots import press_save, wait_for_screen, wait_until

# The intake file's paste: pilots.type_into also settles the app before and after each field,
# and on the intake form (the largest) each settle walks every widget: ~0.05 s of CPU a field.
from tests.ui.test_intake_form import counts, type_into
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from linkworker import people
from linkworker.clock import Clock
from linkworker.models import FlagDetails, FlagKind
from linkworker.referrals import IntakeResult
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ConfirmDialog
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.intake import IdentityCheckScreen, IntakeScreen
from linkworker.tui.screens.person_edit import ClearFlagDialog, FlagsScreen, PersonEditScreen

NHS = "943 476 5919"


@pytest.fixture(autouse=True)
def _existing_store(store_path: Path) -> None:
    """The store exists, so the app opens straight on Today."""
    open_store(store_path).close()


def _counts(path: Path) -> tuple[int, int]:
    people_count, referral_count, _ = counts(path)
    return people_count, referral_count


def _joan_on_record(path: Path) -> int:
    return factories.build_in(
        path,
        factories.add_person_with_referral,
        status="discharged",
        date_of_birth="01/02/1950",
        nhs_number=NHS,
    )[0]


async def _open_intake(pilot: Pilot[None]) -> None:
    # The caseload is in front before n is pressed: steady on a busy machine.
    await pilot.press("f3")
    await wait_for_screen(pilot, CaseloadScreen)
    await pilot.press("n")


async def _type_person(pilot: object, given: str, family: str, born: str) -> None:
    await _open_intake(pilot)  # type: ignore[arg-type]
    await _fill_person(pilot, given, family, born)


async def _fill_person(pilot: object, given: str, family: str, born: str) -> None:
    """Fill the person on the intake form in front (a whole app's or a dialog host's)."""
    app = pilot.app  # type: ignore[attr-defined]
    await wait_for_screen(pilot, IntakeScreen)  # type: ignore[arg-type]
    await type_into(pilot, "given_name", given)  # type: ignore[arg-type]
    await type_into(pilot, "family_name", family)  # type: ignore[arg-type]
    await type_into(pilot, "date_of_birth", born)  # type: ignore[arg-type]
    await type_into(pilot, "nhs_number", NHS)  # type: ignore[arg-type]
    app.screen.query_one("#source", Select).value = "gp_practice"


async def test_a_wrong_patient_match_has_no_default_and_someone_else_saves_nothing(
    store_path: Path, dialog_host: HostDialog
) -> None:
    # On main: "Use this person" had the focus and one Enter filed the referral on Joan.
    _joan_on_record(store_path)
    before = _counts(store_path)
    db = open_store(store_path)
    async with dialog_host(IntakeScreen(), db=db, size=(80, 24)) as pilot:
        app = pilot.app
        await _fill_person(pilot, "Peter", "Brown", "03/03/1944")
        await press_save(pilot)
        screen = await wait_for_screen(pilot, IdentityCheckScreen)
        assert screen.focused is None  # nothing one Enter accepts
        intro = str(screen.query_one("#identity-intro", Static).render())
        assert "Joan Smith" in intro and "are different" in intro
        shown = Console(width=70, record=True)
        shown.print(screen._comparison())
        assert shown.export_text().count("≠ differs") == 3  # all three, in words
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and _counts(store_path) == before
        await pilot.click("#someone-else")
        form = await wait_for_screen(pilot, IntakeScreen)
        assert app.focused is form.query_one("#nhs_number", Input)
        error = str(form.query_one("#nhs_number-error", Static).render())
        assert "is the NHS number of Joan Smith" in error and "Nothing saved" in error
    db.close()
    assert _counts(store_path) == before


async def test_the_same_person_files_the_referral_and_opens_their_details_to_review(
    store_path: Path, clock: Clock
) -> None:
    joan = _joan_on_record(store_path)
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _type_person(pilot, "Joan", "Smith", "02/01/1950")  # day and month swapped
        await press_save(pilot)
        screen = await wait_for_screen(pilot, IdentityCheckScreen)
        assert "date of birth typed here is different" in str(
            screen.query_one("#identity-intro", Static).render()
        )
        await pilot.click("#same")
        edit = await wait_for_screen(pilot, PersonEditScreen)
        assert edit.person_id == joan and edit.review == ("date_of_birth",)
        subtitle = str(edit.query_one("#dialog-subtitle", Static).render())
        assert "different date of birth" in subtitle
    db = open_store(store_path)
    try:
        assert people.get_person(db, joan)["date_of_birth"] == "1950-02-01"  # not overwritten
    finally:
        db.close()
    assert _counts(store_path) == (1, 2)


async def _new_form(pilot: Pilot[None], given: str, family: str) -> IntakeScreen:
    form = await wait_for_screen(pilot, IntakeScreen)
    for field, text in (("given_name", given), ("family_name", family)):
        await type_into(pilot, field, text)
    return form


async def test_a_referral_received_in_2001_asks_are_you_sure_first(
    store_path: Path, dialog_host: HostDialog
) -> None:
    db = open_store(store_path)
    async with dialog_host(IntakeScreen(), db=db, size=(80, 24)) as pilot:
        app = pilot.app
        form = await _new_form(pilot, "Len", "Late")
        await type_into(pilot, "received_on", "05/03/2001")
        form.query_one("#source", Select).value = "self"
        await press_save(pilot)
        ask = await wait_for_screen(pilot, ConfirmDialog)
        assert "received on 5 Mar 2001, over a year ago" in str(
            ask.query_one("#confirm-body", Static).render()
        )
        assert ask.focused is not None and ask.focused.id == "no"
        await pilot.press("enter")  # Enter alone: check the date, nothing saved
        await wait_for_screen(pilot, IntakeScreen)
        assert app.focused is form.query_one("#received_on", Input)
        assert _counts(store_path) == (0, 0)
        await press_save(pilot)
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        await wait_until(pilot, lambda: app.results, "the form closed with the referral")
        assert isinstance(app.results[0], IntakeResult)
    db.close()
    assert _counts(store_path) == (1, 1)


async def test_intake_asks_sex_and_ethnic_group(store_path: Path, dialog_host: HostDialog) -> None:
    db = open_store(store_path)
    async with dialog_host(IntakeScreen(), db=db, size=(80, 24)) as pilot:
        form = await _new_form(pilot, "Aisha", "Khan")
        form.query_one("#sex", Select).value = "female"
        form.query_one("#ethnic_group", Select).value = "asian_pakistani"
        form.query_one("#source", Select).value = "self"
        await press_save(pilot)
        await wait_until(pilot, lambda: pilot.app.results, "the form closed with the referral")
        assert isinstance(pilot.app.results[0], IntakeResult)
    try:
        row = db.execute("SELECT sex, ethnicity, ethnic_group FROM people").fetchone()
    finally:
        db.close()
    assert tuple(row) == ("female", "asian", "asian_pakistani")


async def test_edit_details_asks_before_an_age_over_110(
    store_path: Path, dialog_host: HostDialog
) -> None:
    pid = factories.build_in(store_path, factories.add_person, date_of_birth="01/02/1950")
    db = open_store(store_path)
    async with dialog_host(PersonEditScreen(pid), db=db, size=(80, 24)) as pilot:
        app = pilot.app
        await wait_for_screen(pilot, PersonEditScreen)
        await type_into(pilot, "date_of_birth", "01/02/1913")
        await press_save(pilot)
        ask = await wait_for_screen(pilot, ConfirmDialog)
        assert "makes them 113, over 110" in str(ask.query_one("#confirm-body", Static).render())
        assert ask.focused is not None and ask.focused.id == "no"
        await pilot.click("#yes")
        await wait_until(pilot, lambda: not isinstance(app.screen, PersonEditScreen), "saved")
    try:
        assert people.get_person(db, pid)["date_of_birth"] == "1913-02-01"
    finally:
        db.close()


async def test_the_flags_dialog_opens_on_safeguarding_and_clearing_asks_why(
    store_path: Path, clock: Clock, dialog_host: HostDialog
) -> None:
    pid = factories.build_in(store_path, factories.add_person)
    db = open_store(store_path)
    try:
        people.add_flag(db, pid, FlagDetails(kind=FlagKind.LONE_WORKING), clock)
        people.add_flag(db, pid, FlagDetails(kind=FlagKind.SAFEGUARDING, note="Adult"), clock)
    finally:
        db.close()
    db = open_store(store_path)
    async with dialog_host(FlagsScreen(pid), db=db, size=(80, 24)) as pilot:
        app = pilot.app
        flags = await wait_for_screen(pilot, FlagsScreen)
        table = flags.query_one("#flags-table", DataTable)
        assert app.focused is table and table.cursor_row == 0
        assert str(table.get_row_at(0)[0]) == "Safeguarding"
        await pilot.press("delete")
        ask = await wait_for_screen(pilot, ClearFlagDialog)
        assert ask.focused is ask.query_one("#reason", Input)  # never "Clear" first
        await pilot.press("escape")
        await wait_for_screen(pilot, FlagsScreen)
        assert table.row_count == 2
    db.close()
