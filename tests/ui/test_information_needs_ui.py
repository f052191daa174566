"""Pilot tests: the communication needs dialog alone and from the record (its flag on the
banner), the plan's PCSP sign-off alone and from the plan screen, the person's copy, and
a shortlist in large print for a person who needs it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console
from tests.factories import open_store
from textual.widgets import Select, Static

from linkworker import directory, information_needs, plans
from linkworker.clock import Clock
from linkworker.models import ActivityDetails, ConnectionKind, InformationNeeds, PcspCriterion
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.information_needs import InformationNeedsDialog
from linkworker.tui.screens.person_activities import PersonActivitiesScreen, ShortlistScreen
from linkworker.tui.screens.plan import PlanScreen, WriteFileModal
from linkworker.tui.screens.plan_signoff import SignOffDialog, criterion_id
from linkworker.tui.widgets.choices import TickBox

import factories
from pilots import open_person, press_save, type_into, wait_for_screen, wait_until


def text_of(widget: Static, width: int = 160) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def write_file(pilot: Any, target: Path) -> Path:
    """In the Write dialog just opened: type the file name, save, wait for the file."""
    await wait_for_screen(pilot, WriteFileModal)
    await type_into(pilot, "path", str(target))
    await press_save(pilot)
    await wait_until(pilot, target.exists, f"{target.name} written")
    return target


def _tick(pilot: Any, box_id: str) -> None:
    pilot.app.screen.query_one(f"#{box_id}", TickBox).value = True


async def test_the_needs_dialog_alone_names_what_is_missing_then_saves(
    dialog_host: Any, db: Database, clock: Clock
) -> None:
    pid = factories.add_person(db, given_name="Joan", family_name="Smith")
    async with dialog_host(InformationNeedsDialog(pid), db=db, size=(80, 24)) as pilot:
        _tick(pilot, "large_print")
        await press_save(pilot)
        error = pilot.app.screen.query_one("#large_print_size-error", Static)
        assert "give the print size in points" in str(error.render())
        assert information_needs.recorded_needs(db, pid).needs.any is False  # nothing saved
        await type_into(pilot, "large_print_size", "18")
        pilot.app.screen.query_one("#interpreter", Select).value = "bsl"
        _tick(pilot, "checked")
        await press_save(pilot)
        assert pilot.app.results == [
            ["interpreter", "large_print", "large_print_size", "last_checked_on", "review_on"]
        ]
    recorded = information_needs.recorded_needs(db, pid)
    assert recorded.reading.large_print == 18 and recorded.last_checked_on == clock.today()


async def test_needs_recorded_from_the_record_show_on_its_banner(
    store_path: Path, clock: Clock
) -> None:
    (pid, _) = factories.build_in(store_path, factories.add_person_with_referral, clock)
    async with LinkWorkerApp(store_path=store_path, clock=clock).run_test(size=(120, 34)) as pilot:
        person = await open_person(pilot, pid)
        assert not person.query_one("#person-flags", Static).display
        await pilot.press("i")
        await wait_for_screen(pilot, InformationNeedsDialog)
        _tick(pilot, "easy_read")
        await type_into(pilot, "advocate_name", "Ann Smith")
        await type_into(pilot, "advocate_contact", "07700 900123")
        await press_save(pilot)
        await wait_for_screen(pilot, type(person))
        banner = text_of(person.query_one("#person-flags", Static))
        assert "◈ COMMUNICATION NEEDS" in banner and "Easy read" in banner
        assert "Carer or advocate to contact: Ann Smith (07700 900123)" in banner


async def test_the_sign_off_dialog_alone_ticks_the_five_criteria(
    dialog_host: Any, db: Database
) -> None:
    pid = factories.add_person(db)
    async with dialog_host(SignOffDialog(pid), db=db, size=(80, 24)) as pilot:
        _tick(pilot, criterion_id(PcspCriterion.PREPARED))
        await type_into(pilot, "review_on", "01/02/2027")
        await press_save(pilot)
        # Four not ticked: asked once, then signed off as it stands.
        assert pilot.app.results == []
        assert "4 of the five criteria not ticked" in str(
            pilot.app.screen.query_one("#form-warning", Static).render()
        )
        for criterion in PcspCriterion:
            _tick(pilot, criterion_id(criterion))
        await press_save(pilot)
        assert len(pilot.app.results) == 1
    signed = plans.latest_signoff(db, pid)
    assert signed is not None and signed.complete


async def test_the_plan_screen_signs_off_and_writes_the_persons_copy(
    store_path: Path, clock: Clock, tmp_path: Path
) -> None:
    (pid, _) = factories.build_in(store_path, factories.add_person_with_referral, clock)
    db = open_store(store_path)
    information_needs.save_needs(
        db, pid, InformationNeeds(large_print=True, large_print_size=20), clock
    )
    db.close()
    async with LinkWorkerApp(store_path=store_path, clock=clock).run_test(size=(120, 34)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("p")
        plan = await wait_for_screen(pilot, PlanScreen)
        assert "Not signed off yet" in text_of(plan.query_one("#plan-signoff", Static))
        await pilot.press("k")
        await wait_for_screen(pilot, SignOffDialog)
        for criterion in PcspCriterion:
            _tick(pilot, criterion_id(criterion))
        await type_into(pilot, "review_on", "01/02/2027")
        await press_save(pilot)
        await wait_for_screen(pilot, PlanScreen)
        assert "5 of 5 PCSP criteria met" in text_of(plan.query_one("#plan-signoff", Static))
        await pilot.press("h")
        target = await write_file(pilot, tmp_path / "copy.html")
    assert "font-size: 20pt" in target.read_text()


async def test_a_person_who_needs_large_print_gets_a_large_print_shortlist(
    store_path: Path, clock: Clock
) -> None:
    (pid, _) = factories.build_in(store_path, factories.add_person_with_referral, clock)
    db = open_store(store_path)
    walk = directory.add_activity(db, ActivityDetails(name="Health Walks"), clock)
    information_needs.save_needs(
        db, pid, InformationNeeds(large_print=True, large_print_size=18), clock
    )
    db.close()
    async with LinkWorkerApp(store_path=store_path, clock=clock).run_test(size=(120, 34)) as pilot:
        await open_person(pilot, pid)
        pilot.app.push_screen(ShortlistScreen(pid, [walk]))
        shortlist = await wait_for_screen(pilot, ShortlistScreen)
        assert "large print (18 point)" in str(shortlist.sub_title)
        preview = text_of(shortlist.query_one("#shortlist-text", Static))
        assert "HEALTH WALKS" in preview
        assert max(len(line.rstrip()) for line in preview.splitlines()) <= 40


async def test_the_referral_to_a_provider_is_written_from_the_persons_activities(
    store_path: Path, clock: Clock, tmp_path: Path
) -> None:
    (pid, _) = factories.build_in(store_path, factories.add_person_with_referral, clock)
    db = open_store(store_path)
    walk = factories.add_walk(db, clock)
    directory.connect(db, pid, walk, ConnectionKind.REFERRAL, clock)
    needs = InformationNeeds(interpreter="language", interpreter_language="Polish")
    information_needs.save_needs(db, pid, needs, clock)
    db.close()
    async with LinkWorkerApp(store_path=store_path, clock=clock).run_test(size=(120, 34)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("A")
        await wait_for_screen(pilot, PersonActivitiesScreen)
        await pilot.press("r")
        target = await write_file(pilot, tmp_path / "referral.txt")
    text = target.read_text()
    assert text.startswith("REFERRAL TO HEALTH WALKS") and "- Interpreter: Polish" in text
